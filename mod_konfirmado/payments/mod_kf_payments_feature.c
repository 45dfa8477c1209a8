/* The payments feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_payments_feature.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_payments.h"
#include "mod_kf_config.h"
#include "mod_kf_jobs.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/public/purchases"}, kfm_handle_public_purchase_create,
     KFM_AUTH_PUBLIC, KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_BOOKING, 0},
    {{"GET", "/api/public/purchases/{id}"}, kfm_handle_public_purchase_status,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_READ, 0},
    /* every provider of the registry (kf_payment_providers.c); the calendars' literal
     * /api/webhooks/google and /microsoft are theirs (the router prefers a literal) */
    {{"POST", "/api/webhooks/{provider}"}, kfm_handle_payment_webhook,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_payment_accounts_sql, kfm_checkout_sql, kfm_payment_events_sql,
    kfm_payment_webhooks_sql, kfm_reconcile_sql, kfm_payment_reads_sql, kfm_refunds_sql,
    kfm_purchases_sql, kfm_purchase_life_sql,
    NULL,
};

/* Asks the providers about payments whose answer is overdue (mod_kf_reconcile.c): every few
 * seconds, each payment on its own schedule (its payments row). */
static int reconcile_job_setup(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "payment reconciliation", 2,
                            kfm_payment_reconcile_due, NULL, NULL);
}

static int expiry_job_setup(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "purchase expiry",
                            kfm_payments_conf_expiry_interval(kfm_payments_conf_of(s)),
                            kfm_purchases_expire_due, NULL,
                            "purchases are shown expired when due but not marked so");
}

static void register_hooks(apr_pool_t *p)
{
    /* the process's cache of provider tokens (Airwallex logins) */
    ap_hook_child_init(kfm_payment_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

static const kfm_job jobs[] = {
    {"reconcile", reconcile_job_setup},
    {"refunds", kfm_refunds_job_register},
    {"purchases", expiry_job_setup},
    {NULL, NULL},
};

const kfm_feature kfm_payments_feature = {
    .name = "payments",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .register_hooks = register_hooks,
    .directives = &kfm_payments_conf_directives,
};
