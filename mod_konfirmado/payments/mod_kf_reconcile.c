/* Asking the provider about a payment, with the tenant's own key: when the customer is back
 * from the checkout, and for every payment whose answer is overdue (the reconciliation job).
 * The answer is applied exactly like a webhook (mod_kf_payment_events.c). */
#include "mod_kf_payments.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_config.h"
#include "mod_kf_ratelimit.h"

/* payments asked about per run of the reconciliation job */
#define RECONCILE_PER_RUN 20

/* Columns of kf_payment_reconcile_claim, kf_payment_of_reservation and kf_payment_of_purchase. */
enum { CLAIM_PAY_ID, CLAIM_REFERENCE, CLAIM_TENANT, CLAIM_PROVIDER, CLAIM_CHECKOUT_ID };
enum { OF_RES_ID, OF_RES_REFERENCE, OF_RES_TENANT, OF_RES_PROVIDER, OF_RES_STATUS,
       OF_RES_CHECKOUT_ID, OF_RES_COLUMNS };

/* The newest payment of what `owner` (a column of payments) names. */
#define NEWEST_PAYMENT(owner)                                                                \
    "SELECT p.id, p.reference, p.tenant_id, p.provider, p.status, p.provider_checkout_id"   \
    " FROM payments p WHERE p." owner " = %s::uuid ORDER BY p.created_at DESC LIMIT 1"

const kfm_sql kfm_reconcile_sql[] = {
    {"kf_payment_of_reservation", NEWEST_PAYMENT("reservation_id")},
    {"kf_payment_of_purchase", NEWEST_PAYMENT("purchase_id")},
    /* Pending payments whose webhook is late (delay seconds after checkout), until the
     * payment window plus 24 h; each claimed with a lease that is also its backoff (delay,
     * doubling, at most an hour), so several servers never ask twice at once. A payment past
     * those 24 h (an abandoned checkout stays pending) is retired from the due range for good
     * instead of being read again by every claim, and not returned. */
    {"kf_payment_reconcile_claim",
     "WITH due AS (SELECT id, now() < COALESCE(expires_at, created_at) + interval '24 hours' AS live"
     "   FROM payments WHERE status = 'pending' AND reconcile_next_at <= now()"
     "   AND created_at <= now() - make_interval(secs => %s::int)"
     "   ORDER BY reconcile_next_at LIMIT %s::int FOR UPDATE SKIP LOCKED),"
     " claimed AS (UPDATE payments p"
     "   SET reconcile_attempts = p.reconcile_attempts + due.live::int,"
     "   reconcile_next_at = CASE WHEN due.live THEN now() + LEAST(interval '1 hour',"
     "     make_interval(secs => %s::int * power(2, LEAST(p.reconcile_attempts, 12))))"
     "     ELSE 'infinity' END"
     "   FROM due WHERE p.id = due.id"
     "   RETURNING p.id, p.reference, p.tenant_id, p.provider, p.provider_checkout_id, due.live)"
     " SELECT id, reference, tenant_id, provider, provider_checkout_id FROM claimed WHERE live"},
    {NULL, NULL},
};

/* Asks and applies; for a request whose connection is its own (kr), the connection is given
 * back while the provider answers and taken again to apply the answer (KF_PAYMENT_FAILED,
 * kr->db NULL, when none can be: the webhook or the reconciliation job apply it later). A
 * job's connection (kfm_db_open) is none of the requests' pool: it is kept. */
static kf_payment_applied ask(const kfm_ctx *c, ap_dbd_t *db, kfm_req *kr, const char *pay_id,
                              const kf_payment_provider *prov, const kf_payment_account *acct,
                              const kf_payment_question *q)
{
    apr_time_t started = apr_time_now();
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
    kf_payment_event ev;
    const char *record = NULL, *note = NULL;
    if (kr) {
        kfm_req_db_give_back(kr);
    }
    kf_payment_asked asked = kf_payment_ask(c->p, kfm_provider_http(c), prov, &ep, acct, q, &ev,
                                            &record, &note);
    if (kr) {
        if (!kfm_req_db_own(kr, NULL)) {
            KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: the %s answer is not applied (no "
                        "database); the webhook or the reconciliation job apply it", pay_id,
                        prov->name);
            return KF_PAYMENT_FAILED;
        }
        db = kr->db;
    }
    if (note) {
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s", pay_id, note);
    }
    return asked == KF_PAYMENT_ASK_APPLY
               ? kfm_payment_apply_event(c, db, pay_id, q->source, &ev, record, started)
               : kf_payment_asked_applied(asked);
}

kf_payment_applied kfm_payment_ask_request(kfm_req *kr, const char *pay_id,
                                            const kf_payment_provider *prov,
                                            const kf_payment_account *acct,
                                            const kf_payment_question *q)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    return ask(&c, kr->db, kr, pay_id, prov, acct, q);
}

/* A payment's reference asked about with the tenant's account (the only way anything but a
 * signed webhook moves a payment: a transaction id a browser brings is never looked up). */
static kf_payment_applied reconcile(const kfm_ctx *c, ap_dbd_t *db, kfm_req *kr,
                                     const char *pay_id, const char *reference,
                                     const char *tenant_id, const char *provider,
                                     const char *checkout_id, const char *source)
{
    const kf_payment_provider *prov = kf_payment_provider_find(provider);
    const kf_payment_account *acct = prov ? kfm_payment_account_load(c, db, tenant_id, prov->name) : NULL;
    const kf_payment_question q = {0, reference, checkout_id, source};
    return acct ? ask(c, db, kr, pay_id, prov, acct, &q) : KF_PAYMENT_FAILED;
}

/* The newest payment of a reservation or a purchase (`label` finds it), asked about: once per
 * KF_RL_PAYMENT_LOOKUP_WINDOW for the same booking or purchase (a reload within it answers
 * from what is known). 1, or 0 when no connection could be taken again. */
static int check_return_of(kfm_req *kr, const char *label, const char *id)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    const char *args[] = {id};
    const char *v[OF_RES_COLUMNS];
    if (kfm_db_select_row(c.r, kr->db, c.p, label, 1, args, v, OF_RES_COLUMNS) != APR_SUCCESS) {
        return 1;
    }
    if (kf_payment_status_parse(v[OF_RES_STATUS]) != KF_PAYMENT_PENDING) {
        return 1;                   /* settled already: the provider has nothing to add */
    }
    kfm_limit limit = kfm_limit_subject(kr, KFM_LIMIT_PAYMENT_LOOKUP, id);
    if (kfm_limit_take(kr, &limit, 1) > 0) {
        return 1;                   /* asked a moment ago: what is known is the answer */
    }
    reconcile(&c, kr->db, kr, v[OF_RES_ID], v[OF_RES_REFERENCE], v[OF_RES_TENANT],
              v[OF_RES_PROVIDER], v[OF_RES_CHECKOUT_ID], "fetch");
    return kr->db != NULL;
}

int kfm_payment_check_return(kfm_req *kr, const char *reservation_id)
{
    int ok = check_return_of(kr, "kf_payment_of_reservation", reservation_id);
    /* A GET that may free or retake a slot: the router's after-write bump does not see it. */
    kfm_availability_cache_bump_all(kr->r);
    return ok;
}

int kfm_payment_check_return_purchase(kfm_req *kr, const char *purchase_id)
{
    return check_return_of(kr, "kf_payment_of_purchase", purchase_id);
}

int kfm_payment_reconcile_due(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    kfm_ctx c = kfm_ctx_of_job(s, p);
    int delay = kfm_payments_conf_reconcile_delay(kfm_payments_conf_of(s));
    kfm_rows *res = NULL;
    const char *args[] = {apr_itoa(p, delay), apr_itoa(p, RECONCILE_PER_RUN), apr_itoa(p, delay)};
    if (kfm_db_select(NULL, db, "kf_payment_reconcile_claim", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res), applied = 0;
    for (int i = 0; i < n; i++) {
        apr_pool_t *each = NULL;
        apr_pool_create(&each, p);
        c.p = each;
        const char *pay_id = kfm_db_value(db, each, res, i, CLAIM_PAY_ID);
        if (reconcile(&c, db, NULL, pay_id, kfm_db_value(db, each, res, i, CLAIM_REFERENCE),
                              kfm_db_value(db, each, res, i, CLAIM_TENANT),
                              kfm_db_value(db, each, res, i, CLAIM_PROVIDER),
                              kfm_db_value(db, each, res, i, CLAIM_CHECKOUT_ID),
                              "reconcile") == KF_PAYMENT_APPLIED) {
            applied++;
        }
        apr_pool_destroy(each);
    }
    return applied;
}
