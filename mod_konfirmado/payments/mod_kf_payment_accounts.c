/* A tenant's account at a payment provider: its sealed secrets opened, its endpoints, and the
 * process's cache of provider logins. See mod_kf_payments.h. */
#include "mod_kf_payments.h"
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_config.h"

/* Columns of kf_payment_account. */
enum { ACCOUNT_MODE, ACCOUNT_PUBLIC_KEY, ACCOUNT_SECRETS, ACCOUNT_COLUMNS };

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
    const kf_payment_account *acct =
        kf_payment_account_open(c->p, c->conf->keyring, tenant_id, provider, mode, public_key,
                                sealed, payment_tokens, apr_time_now(), &why);
    if (!acct && why) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the %s secrets of tenant %s %s", provider, tenant_id, why);
    }
    return acct;
}

const kf_payment_account *kfm_payment_account_load(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                          const char *provider)
{
    const char *args[] = {tenant_id, provider};
    const char *v[ACCOUNT_COLUMNS];
    apr_status_t rv = kfm_db_select_row(c->r, db, c->p, "kf_payment_account", 2, args, v,
                                        ACCOUNT_COLUMNS);
    if (rv == APR_NOTFOUND) {
        KFM_CTX_LOG(c, APLOG_INFO, "tenant %s has no %s account", tenant_id, provider);
    }
    return rv == APR_SUCCESS ? kfm_payment_account_open(c, tenant_id, provider, v[ACCOUNT_MODE],
                                                        v[ACCOUNT_PUBLIC_KEY], v[ACCOUNT_SECRETS])
                             : NULL;
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
