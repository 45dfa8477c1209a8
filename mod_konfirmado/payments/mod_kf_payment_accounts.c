/* A tenant's account at a payment provider: its sealed secrets opened, its endpoints, and the
 * process's cache of provider logins. See mod_kf_payments.h. */
#include "mod_kf_payments.h"
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_config.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"

/* Columns of kf_payment_account. */
enum { ACCOUNT_MODE, ACCOUNT_PUBLIC_KEY, ACCOUNT_SECRETS };

const kfm_sql kfm_payment_accounts_sql[] = {
    {"kf_payment_account",
     "SELECT mode, public_key, secrets_sealed FROM tenant_payment_settings"
     " WHERE tenant_id = %s::uuid AND provider = %s"},
    {NULL, NULL},
};

static kf_payment_token_cache *payment_tokens;

/* payment_tokens: Airwallex's login tokens (30 minutes each) kept per process, so that a
 * checkout does not log in every time; made in child_init, before any thread. */
void kfm_payment_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    payment_tokens = kf_payment_token_cache_create(pchild);
}

/* The sealed secrets of a provider account: a JSON object {"private_key", "events_secret",
 * "integrity_secret"} sealed by the tenant settings (PUT /api/admin/tenant/payments/wompi)
 * with aad kf_wompi_secrets_aad, "tenant:<id>:wompi"; later providers follow the pattern. */
static const char *account_aad(apr_pool_t *p, const char *tenant_id, const char *provider)
{
    return kf_provider_secrets_aad(p, tenant_id, provider);
}

static const char *json_str(const json_t *o, const char *key)
{
    const char *v = NULL;
    return kf_json_get_string(o, key, &v) == KF_JSON_FIELD_OK ? v : NULL;
}

const kf_payment_account *kfm_payment_account_open(const kfm_ctx *c, const char *tenant_id,
                                                   const char *provider, const char *mode,
                                                   const char *public_key, const char *sealed)
{
    const kfm_server_conf *conf = kfm_conf_get(c->s);
    if (!sealed) {
        return NULL;
    }
    kf_payment_account *acct = apr_pcalloc(c->p, sizeof(*acct));
    acct->mode = mode;
    acct->public_key = public_key;
    acct->tokens = payment_tokens;
    acct->now = apr_time_now();
    char *plain = NULL;
    apr_size_t len = 0;
    apr_status_t rv = kf_open(c->p, conf->keyring, sealed, account_aad(c->p, tenant_id, provider),
                              &plain, &len);
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the %s secrets of tenant %s do not open: %s",
                      provider, tenant_id, kf_crypto_strerror(rv));
        return NULL;
    }
    json_t *secrets = kf_json_parse_object(c->p, plain, len, NULL);
    if (!secrets) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the %s secrets of tenant %s are not JSON",
                      provider, tenant_id);
        return NULL;
    }
    acct->private_key = json_str(secrets, "private_key");
    acct->events_secret = json_str(secrets, "events_secret");
    acct->integrity_secret = json_str(secrets, "integrity_secret");
    json_int_t until = 0;
    if (kf_json_get_int(secrets, "previous_events_secret_until", &until) == KF_JSON_FIELD_OK &&
        kf_events_secret_previous_valid(until, apr_time_sec(apr_time_now()))) {
        acct->previous_events_secret = json_str(secrets, "previous_events_secret");
    }
    return acct;
}

const kf_payment_account *kfm_payment_account_load(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                          const char *provider)
{
    kfm_rows *res = NULL;
    const char *args[] = {tenant_id, provider};
    if (kfm_db_select(c->r, db, "kf_payment_account", &res, 2, args) != APR_SUCCESS) {
        return NULL;
    }
    if (kfm_db_rows(db, res) < 1) {
        KFM_CTX_LOG(c, APLOG_INFO, "tenant %s has no %s account", tenant_id,
                      provider);
        return NULL;
    }
    return kfm_payment_account_open(c, tenant_id, provider, kfm_db_value(db, c->p, res, 0, ACCOUNT_MODE),
                        kfm_db_value(db, c->p, res, 0, ACCOUNT_PUBLIC_KEY),
                        kfm_db_value(db, c->p, res, 0, ACCOUNT_SECRETS));
}

kf_payment_endpoints kfm_payment_endpoints_for(const kfm_ctx *c, const kf_payment_provider *prov,
                                      const kf_payment_account *acct)
{
    const kfm_server_conf *conf = kfm_conf_get(c->s);
    kf_payment_endpoints ep = prov->default_endpoints(acct->mode);
    int production = acct->mode && strcmp(acct->mode, "production") == 0;
    ep.api_base = kfm_conf_provider_url(conf, apr_pstrcat(c->p, prov->name,
                                                          production ? "-production" : "-sandbox",
                                                          NULL), ep.api_base);
    ep.checkout_base = kfm_conf_provider_url(conf, apr_pstrcat(c->p, prov->name, "-checkout", NULL),
                                            ep.checkout_base);
    return ep;
}
