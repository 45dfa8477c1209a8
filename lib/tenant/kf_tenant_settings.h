#ifndef KF_TENANT_SETTINGS_H
#define KF_TENANT_SETTINGS_H
/* GET|PATCH /api/admin/tenant as a whole (API.md "Admin API"): what a PATCH body says with
 * its field errors, which of its fields change the stored row (the audit's "changes"), and
 * the settings' JSON of a stored row. The rule of each field: kf_tenant_rules.h. */
#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "kf_tenant_rules.h"

/* The columns of a tenant as GET shows it, in the order the glue's statement selects them:
 * the editable fields (kf_tenant_field), then these. */
enum {
    KF_TENANT_COL_ID = KF_TENANT_FIELD_COUNT, KF_TENANT_COL_CURRENCY, KF_TENANT_COL_SECRET_SET,
    KF_TENANT_COL_SECRET_SET_AT, KF_TENANT_COL_UPDATED_AT, KF_TENANT_COL_POLICY,
    KF_TENANT_COL_REMINDERS = KF_TENANT_COL_POLICY + KF_TENANT_POLICY_FIELDS,
    KF_TENANT_COL_EMBED_ORIGINS,   /* JSON array text (kf_embed_origins.h) */
    KF_TENANT_COL_COUNT
};

/* What a PATCH body says besides the editable fields (which stay in the body). */
typedef struct kf_tenant_patch {
    const char *policy[KF_TENANT_POLICY_FIELDS]; /* each sent booking policy value as text */
    int policy_sent;          /* how many of the policy fields and reminders the body has */
    const char *reminders;    /* PostgreSQL array text, NULL: not sent */
    const char *currency;     /* a known ISO 4217 code, NULL: not sent */
    const json_t *reprice;    /* borrowed from the body, NULL: not sent */
    const char *embed_origins; /* JSON array text of the normalized origins, NULL: not sent */
} kf_tenant_patch;

/* Reads a PATCH body: every field error as field -> message id into `errors`. The callback
 * URL must not name an address of the server's own networks (outbound_allow: the ranges
 * allowed all the same); the custom domain must be one of the tenant's own under
 * base_domain, and is rewritten in the body as hosts are looked up (lower case, no trailing
 * dot); a payment provider must be one of `providers`. Whether the time zone exists is the
 * database's to say. */
void kf_tenant_patch_read(apr_pool_t *p, json_t *body, kf_url_policy policy,
                          const char *base_domain, const apr_array_header_t *outbound_allow,
                          kf_provider_currencies *providers, json_t *errors,
                          kf_tenant_patch *out);

/* The currency a PATCH leads to, read with the tenant's row (current_currency,
 * current_country, stored_provider): *currency is the one sent, else the one a new country
 * brings (*by_default: it never refuses the PATCH), else NULL (unchanged); *provider is the
 * one sent, else the stored one. NULL when the PATCH may go on, else the field error
 * "provider_currency_not_accepted" of payment_provider: a provider switch alone must keep a
 * currency the new provider charges in (what each charges in: `providers`). */
const char *kf_tenant_patch_currency(const kf_tenant_patch *patch, const json_t *body,
                                     const char *current_currency, const char *current_country,
                                     const char *stored_provider,
                                     kf_provider_currencies *providers, const char **currency,
                                     const char **provider, int *by_default);

/* What follows for that currency (accepted: what the provider the tenant will have charges
 * in): nothing to do (KF_CURRENCY_KEEP: it is the current one, or one a new country brings
 * that the provider does not take), a refusal (KF_CURRENCY_REFUSE: *why is the field error
 * of "currency", kf_tenant_currency_check's), or a move (KF_CURRENCY_MOVE: what is priced
 * decides). */
typedef enum { KF_CURRENCY_KEEP, KF_CURRENCY_REFUSE, KF_CURRENCY_MOVE } kf_currency_step;
kf_currency_step kf_tenant_currency_step(const char *currency, const char *current,
                                         const char *const *accepted, int by_default,
                                         const char **why);

/* A service or package still priced in another currency than the one a PATCH asks: a row
 * of the glue's statement, services first, by name. */
enum { KF_IN_USE_KIND, KF_IN_USE_ID, KF_IN_USE_NAME, KF_IN_USE_CURRENCY, KF_IN_USE_COUNT };

/* What moving to a new currency does to those rows under the PATCH's "reprice" (NULL:
 * none). */
typedef struct kf_currency_move {
    /* the rows "reprice" gives a price (const char *const *), in order, and that price */
    apr_array_header_t *repriced;
    apr_array_header_t *prices;    /* apr_int64_t, one a repriced row */
    json_t *changes;               /* the audit's "reprice": id -> price; NULL when none */
    /* the names of the services and packages left in another currency: 409 currency_in_use */
    apr_array_header_t *services, *packages;
    const char *from;              /* the currency they are all in, or NULL */
} kf_currency_move;

void kf_currency_move_plan(apr_pool_t *p, const char *const *const *rows, int n,
                           const json_t *reprice, kf_currency_move *out);

/* The answer of 409 currency_in_use for a plan that leaves rows behind: {"error": {"code",
 * "message"}} with the message of kf_currency_in_use_message. */
json_t *kf_currency_in_use_json(apr_pool_t *p, kf_locale locale, const char *to,
                                const kf_currency_move *plan);

/* The editable fields as they will be stored: values[i] is the sent value of field i when
 * it differs from current[i] (the row's), else current[i]; a name is stored trimmed. Each
 * change, and each policy value, the reminders and the embed origins sent, is added to `changes` as the audit
 * shows it. *subdomain_changed / *domain_changed tell whether those two change. */
void kf_tenant_patch_changes(apr_pool_t *p, const json_t *body, const kf_tenant_patch *patch,
                             const char *const *current, const char **values,
                             int *subdomain_changed, int *domain_changed, json_t *changes);

/* The arguments of the glue's statement that stores the booking policy a PATCH sends: each
 * policy value (NULL: not sent, the stored one stays), the reminders, the tenant's id. */
#define KF_TENANT_POLICY_ARGS (KF_TENANT_POLICY_FIELDS + 2)
const char **kf_tenant_policy_args(apr_pool_t *p, const kf_tenant_patch *patch,
                                   const char *tenant_id);

/* The tenant's addresses after those changes (values as kf_tenant_patch_changes left them):
 * an own domain serves the tenant as its subdomain does, so it needs one: the field error
 * {"custom_domain": "tenant_custom_domain_subdomain"} when a change leaves a domain without
 * a subdomain, else NULL. */
json_t *kf_tenant_domain_refusal(const char *const *values, int subdomain_changed,
                                 int domain_changed);

/* A new callback secret as the merchant is given it once: as it is, as the Standard
 * Webhooks libraries take it ("whsec_" and base64), and when it was set (NULL: null). */
json_t *kf_callback_secret_answer(apr_pool_t *p, const char *secret, const char *set_at);

/* Its audit line's changes: the secret itself never, whether it replaced one. */
json_t *kf_callback_secret_changes(int replaced);

/* The settings of a stored tenant (row: KF_TENANT_COL_COUNT values) as GET shows them, with
 * the "payments" and "messaging" views (new references, stolen). A new reference. */
json_t *kf_tenant_view_json(const char *const *row, json_t *payments, json_t *messaging);

#endif
