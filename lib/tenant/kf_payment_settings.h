#ifndef KF_PAYMENT_SETTINGS_H
#define KF_PAYMENT_SETTINGS_H
/* A tenant's account with a payment provider as the merchant writes and reads it (API.md
 * "Admin API": PUT /api/admin/tenant/payments/{provider}, and "payments" of GET
 * /api/admin/tenant): the PUT body's field errors, what the audit and GET show of it (secrets
 * redacted, their last 4 characters), and the secrets as they are sealed. Which settings each
 * provider takes and their format: kf_payment_settings_of (kf_tenant_rules.h). */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_tenant_rules.h"
#include "kf_crypto.h"

/* The providers GET /api/admin/tenant shows, in this order, NULL-terminated. */
extern const char *const kf_payment_settings_providers[];

/* The most settings a provider takes besides "mode". */
#define KF_PAYMENT_SETTINGS_MAX 8

/* Field errors of a PUT body as message ids (a new object, empty when valid); *mode and
 * values[] (in the order of the provider's settings) as sent. A value is checked against the
 * mode sent; without a valid mode, one fit for either mode passes this check. */
json_t *kf_payment_settings_read(const char *provider, const json_t *body, const char **mode,
                                 const char **values);

/* What a valid PUT stores and records: the audit's changes (a new object: the mode, the
 * public setting as sent, every secret "[redacted]"), *public_value, and *hints the JSON
 * text of each secret's last 4 characters (kf_secret_hint); NULL hints on failure. */
json_t *kf_payment_settings_changes(apr_pool_t *p, const char *provider, const char *mode,
                                    const char *const *values, const char **public_value,
                                    const char **hints);

/* The secrets to seal (a new object of the slots' names, kf_payment_slot_name), carrying
 * the stored secrets' (`old`, opened; NULL: none) rotated events secret for its grace period
 * at `now` (kf_events_secret_rotation). */
json_t *kf_payment_settings_secrets(const char *provider, const char *const *values,
                                    const json_t *old, apr_int64_t now);

/* kf_payment_settings_secrets sealed for storage (aad kf_provider_secrets_aad), `stored` the
 * sealed secrets stored before (NULL: none; ones that do not open carry nothing over); NULL
 * when sealing fails. */
const char *kf_payment_settings_seal(apr_pool_t *p, const kf_keyring *keyring,
                                     const char *tenant_id, const char *provider,
                                     const char *const *values, const char *stored,
                                     apr_int64_t now);

/* One provider's settings as GET shows them: configured, mode, the public setting as stored,
 * each secret's "<field>_last4" from the stored hints (JSON text), updated_at. configured 0:
 * all null. A new reference. */
json_t *kf_payment_settings_view(apr_pool_t *p, const char *provider, int configured,
                                 const char *mode, const char *public_value, const char *hints,
                                 const char *updated_at);

/* Columns of a stored provider account as GET shows it. */
enum {
    KF_PAY_SETTINGS_COL_PROVIDER, KF_PAY_SETTINGS_COL_MODE, KF_PAY_SETTINGS_COL_PUBLIC,
    KF_PAY_SETTINGS_COL_HINTS, KF_PAY_SETTINGS_COL_UPDATED, KF_PAY_SETTINGS_COLUMNS
};

/* The tenant's "payments": every provider of kf_payment_settings_providers by name, from the
 * n stored rows (those columns; a provider without a row is not configured). */
json_t *kf_payment_settings_all(apr_pool_t *p, const char *const *const *rows, int n);

/* The answer of a test connection the provider answered: its name for the account, the mode. */
json_t *kf_payment_settings_tested(const char *merchant_name, const char *mode);

#endif
