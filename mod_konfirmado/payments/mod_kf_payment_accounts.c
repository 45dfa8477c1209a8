/* A tenant's account at a payment provider: its sealed secrets opened, its endpoints, and the
 * process's cache of provider logins. See mod_kf_payments.h. */
#include "mod_kf_payments.h"
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_config.h"

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

const kf_payment_account *kfm_payment_account_open(const kfm_ctx *c, const char *tenant_id,
                                                   const char *provider, const char *mode,
                                                   const char *public_key, const char *sealed)
{
    const char *why = NULL;
    if (!sealed) {
        return NULL;
    }
    kf_payment_account *acct = apr_pcalloc(c->p, sizeof(*acct));
    acct->mode = mode;
    acct->public_key = public_key;
    acct->tokens = payment_tokens;
    if (kf_payment_account_unseal(c->p, c->conf->keyring, tenant_id, provider, sealed,
                                  apr_time_now(), acct, &why) != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the %s secrets of tenant %s %s", provider, tenant_id, why);
        return NULL;
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

/* kf_payment_url_override: the operator's KonfirmadoProviderURL of that name, else the default. */
static const char *provider_url(const char *name, const char *fallback, void *conf)
{
    return kfm_conf_provider_url(conf, name, fallback);
}

kf_payment_endpoints kfm_payment_endpoints_for(const kfm_ctx *c, const kf_payment_provider *prov,
                                      const kf_payment_account *acct)
{
    return kf_payment_endpoints_of(c->p, prov, acct->mode, provider_url, (void *)c->conf);
}
