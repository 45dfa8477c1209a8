#ifndef KF_PAYMENT_SETTINGS_H
#define KF_PAYMENT_SETTINGS_H
/* A tenant's account with a payment provider as the merchant writes and reads it (API.md
 * "Admin API": PUT /api/admin/tenant/payments/{provider}, and "payments" of GET
 * /api/admin/tenant): the PUT body's field errors, what the audit and GET show of it (secrets
 * redacted, their last 4 characters), and the secrets as they are sealed. Which settings each
 * provider takes and their format are its description's (kf_payment_provider: settings,
 * check_setting); the providers are the registry's. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_payment.h"
#include "kf_tenant_rules.h"
#include "kf_crypto.h"

/* The most settings a provider takes besides "mode". */
#define KF_PAYMENT_SETTINGS_MAX 8

/* Field errors of a PUT body as message ids (a new object, empty when valid); *mode and
 * values[] (in the order of the provider's settings) as sent. A value is checked against the
 * mode sent; without a valid mode, one fit for either mode passes this check. */
json_t *kf_payment_settings_read(const kf_payment_provider *prov, const json_t *body,
                                 const char **mode, const char **values);

/* Those field errors as the answer shows them, in the locale: each message id in the
 * provider's words (kf_payment_message_text). Takes the reference; a new one. */
json_t *kf_payment_settings_refusal(const kf_payment_provider *prov, kf_locale locale,
                                    json_t *field_ids);

/* The answer of a test of keys never saved: 409 "<name>_not_configured", in the provider's
 * words (else "Save the <label> keys first."). A new reference. */
json_t *kf_payment_settings_missing(apr_pool_t *p, const kf_payment_provider *prov,
                                    kf_locale locale);

/* What a valid PUT stores and records: the audit's changes (a new object: the mode, the
 * public setting as sent, every secret "[redacted]"), *public_value, and *hints the JSON
 * text of each secret's last 4 characters (kf_secret_hint); NULL hints on failure. */
json_t *kf_payment_settings_changes(apr_pool_t *p, const kf_payment_provider *prov,
                                    const char *mode, const char *const *values,
                                    const char **public_value, const char **hints);

/* The secrets to seal (a new object of the slots' names, kf_payment_slot_name), carrying
 * the stored secrets' (`old`, opened; NULL: none) rotated events secret for its grace period
 * at `now` (kf_events_secret_rotation). */
json_t *kf_payment_settings_secrets(const kf_payment_provider *prov, const char *const *values,
                                    const json_t *old, apr_int64_t now);

/* kf_payment_settings_secrets sealed for storage (aad kf_provider_secrets_aad), `stored` the
 * sealed secrets stored before (NULL: none; ones that do not open carry nothing over); NULL
 * when sealing fails. */
const char *kf_payment_settings_seal(apr_pool_t *p, const kf_keyring *keyring,
                                     const char *tenant_id, const kf_payment_provider *prov,
                                     const char *const *values, const char *stored,
                                     apr_int64_t now);

/* One provider's settings as GET shows them: what it is (its label, and the settings a PUT
 * takes in their order, each {"name", "secret"}: what a page needs to show the provider's
 * form), configured, mode, the public setting as stored, each secret's "<field>_last4" from
 * the stored hints (JSON text), updated_at. configured 0: all null. A new reference. */
json_t *kf_payment_settings_view(apr_pool_t *p, const kf_payment_provider *prov, int configured,
                                 const char *mode, const char *public_value, const char *hints,
                                 const char *updated_at);

/* Columns of a stored provider account as GET shows it. */
enum {
    KF_PAY_SETTINGS_COL_PROVIDER, KF_PAY_SETTINGS_COL_MODE, KF_PAY_SETTINGS_COL_PUBLIC,
    KF_PAY_SETTINGS_COL_HINTS, KF_PAY_SETTINGS_COL_UPDATED, KF_PAY_SETTINGS_COLUMNS
};

/* The tenant's "payments": every provider of the registry by name, in its order, from the n
 * stored rows (those columns; a provider without a row is not configured). */
json_t *kf_payment_settings_all(apr_pool_t *p, const char *const *const *rows, int n);

/* The answer of a test connection the provider answered: its name for the account, the mode. */
json_t *kf_payment_settings_tested(const char *merchant_name, const char *mode);

#endif
