/* Refunds (API.md "After booking"): POST /api/admin/bookings/{id}/refund and the refund job.
 * A refund is asked once per payment: the request marks it pending (a repeat finds it
 * pending or done and changes nothing), the job carries it out through the provider's
 * refund API (kf_payment_provider.refund) and records succeeded, or manual when the provider
 * cannot; the merchant closes a manual one with {"manual": true, "note"}. What each attempt
 * asks and leaves (retry, manual, succeeded) is the core's: kf_refund_attempt_run.
 * A payment may hold several approved transactions (the customer paid twice): the refund is
 * spread over them by the core (kf_refund_spread_of), each share asked of the provider with
 * its own transaction id and idempotency key, and the payment's refund has succeeded only
 * when every share has. */
#include "mod_kf_payments_feature.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_jobs.h"
#include "mod_kf_payments.h"
#include "kf_refund_request.h"

#include <apr_strings.h>

/* Refunds attempted per run (the rest next run). */
#define BATCH 10
/* A claimed refund is leased this long: a server that dies mid-call leaves it to another. */
#define LEASE_SECONDS 300

/* kf_refund_txs, kf_refund_shares and kf_refund_claim select the columns
 * KF_REFUND_TX_COL_*, KF_REFUND_SHARE_COL_* and KF_REFUND_CLAIM_COL_* of kf_refund_request.h. */

const kfm_sql kfm_refunds_sql[] = {
    {"kf_refund_txs",
     "SELECT t.id, t.amount, t.refunded_amount,"
     " (extract(epoch FROM t.approved_at) * 1000000)::bigint,"
     " t.refund_key IS NOT NULL OR p.refund_provider_id IS NOT NULL, t.refund_rounds"
     " FROM payment_transactions t JOIN payments p ON p.id = t.payment_id"
     " WHERE t.payment_id = %s::uuid ORDER BY t.id FOR UPDATE OF t"},
    /* payment id: a new refund replaces the shares of the one before */
    {"kf_refund_shares_clear",
     "UPDATE payment_transactions SET refund_share = NULL, refund_target = NULL,"
     " refund_status = NULL WHERE payment_id = %s::uuid"},
    /* share (twice), status, idempotency key, row id */
    {"kf_refund_share_set",
     "UPDATE payment_transactions SET refund_share = %s::bigint,"
     " refund_target = refunded_amount + %s::bigint, refund_status = %s, refund_key = %s,"
     " refund_rounds = refund_rounds + 1 WHERE id = %s::bigint"},
    /* payment id: the shares of its refund, newest transaction first (the order they are
     * asked of the provider) */
    {"kf_refund_shares",
     "SELECT id, transaction_id, amount, refund_share, refund_key, refund_status"
     " FROM payment_transactions WHERE payment_id = %s::uuid AND refund_share IS NOT NULL"
     " ORDER BY approved_at DESC, id DESC"},
    /* status, refund provider id, row id: what the provider made of one share (the target
     * reached once it gave the money back) */
    {"kf_refund_share_attempted",
     "UPDATE payment_transactions SET refund_status = %s,"
     " refunded_amount = CASE WHEN %s = 'succeeded'"
     "   THEN greatest(refunded_amount, least(amount, refund_target)) ELSE refunded_amount END,"
     " refunded_at = CASE WHEN %s = 'succeeded' THEN coalesce(refunded_at, now()) ELSE refunded_at END,"
     " refund_provider_id = coalesce(%s, refund_provider_id)"
     " WHERE id = %s::bigint AND refund_status = 'pending'"},
    /* pending refunds whose time came, leased (the lease is also the retry's floor) */
    {"kf_refund_claim",
     "WITH due AS (SELECT id FROM payments WHERE refund_status = 'pending'"
     "   AND refund_next_at <= now() ORDER BY refund_next_at LIMIT %s::int"
     "   FOR UPDATE SKIP LOCKED)"
     " UPDATE payments p SET refund_next_at = now() + make_interval(secs => %s::int),"
     "   refund_attempts = p.refund_attempts + 1"
     " FROM due WHERE p.id = due.id"
     " RETURNING p.id, p.tenant_id, p.provider, p.provider_transaction_id, p.amount,"
     "   p.refund_amount, p.currency, p.refund_attempts, p.reservation_id, p.reference"},
    /* status, refund provider id, error, retry in seconds (NULL: none), id: only while the
     * refund is still pending (a merchant's manual close meanwhile wins) */
    {"kf_refund_attempted",
     "UPDATE payments SET refund_status = %s,"
     " refund_needed = refund_needed AND %s <> 'succeeded',"
     " refunded_at = CASE WHEN %s = 'succeeded' THEN now() END,"
     " refund_provider_id = coalesce(%s, refund_provider_id), refund_error = %s,"
     " refund_next_at = now() + make_interval(secs => %s::int), updated_at = now()"
     " WHERE id = %s::uuid AND refund_status = 'pending'"},
    /* reason, booking id: the money's fate is a line of the booking's history; its state
     * stays (the one writer of status and history, sql/040) */
    {"kf_refund_history",
     "SELECT kf_reservation_move(id, status, status, %s, NULL, NULL) FROM reservations"
     " WHERE id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kfm_refund_history(request_rec *r, ap_dbd_t *db, const char *reason,
                                const char *reservation_id)
{
    const char *args[] = {reason, reservation_id};
    return kfm_db_exec(r, db, "kf_refund_history", NULL, 2, args);
}

apr_status_t kfm_refund_spread(request_rec *r, ap_dbd_t *db, apr_pool_t *p, const char *pay_id,
                               const char *provider, apr_int64_t amount, apr_int64_t paid,
                               const char **status)
{
    kfm_rows *res = NULL;
    const char *args[] = {pay_id};
    apr_status_t rv = kfm_db_select(r, db, "kf_refund_txs", &res, 1, args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(db, p, res, KF_REFUND_TX_COL_COUNT, &n);
    kf_refund_spread spread;
    rv = kf_refund_spread_of(p, kf_payment_provider_find(provider), pay_id, rows, n, amount,
                             paid, &spread);
    *status = kf_refund_step_name(spread.start);
    if (rv != APR_SUCCESS || n < 1) {
        return rv;
    }
    rv = kfm_db_exec(r, db, "kf_refund_shares_clear", NULL, 1, args);
    for (int i = 0; rv == APR_SUCCESS && i < spread.n; i++) {
        const char *amt = kfm_db_int64(p, spread.share[i]);
        const char *sargs[] = {amt, amt, *status, spread.key[i], spread.row[i]};
        rv = kfm_db_exec(r, db, "kf_refund_share_set", NULL, 5, sargs);
    }
    return rv;
}

/* ---------------------------------------------------------------- the job */

/* One claimed refund: the core asks the provider for each share still pending; its answers
 * are recorded, the shares' and the payment's, and the booking's history line. */
static void attempt(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    kf_refund_caller caller = {.http = kfm_provider_http(c),
                               .prov = kf_payment_provider_find(v[KF_REFUND_CLAIM_COL_PROVIDER])};
    if (caller.prov) {
        caller.acct = kfm_payment_account_load(c, db, v[KF_REFUND_CLAIM_COL_TENANT],
                                               caller.prov->name);
    }
    if (caller.acct) {
        caller.ep = kfm_payment_endpoints_for(c, caller.prov, caller.acct);
    }
    const char *pay_id = v[KF_REFUND_CLAIM_COL_PAYMENT];
    kfm_rows *sh = NULL;
    const char *pargs[] = {pay_id};
    if (kfm_db_select(NULL, db, "kf_refund_shares", &sh, 1, pargs) != APR_SUCCESS) {
        return;      /* leased: tried again after the lease */
    }
    int n = 0;
    const char *const *const *shares = kfm_db_all_rows(db, c->p, sh, KF_REFUND_SHARE_COL_COUNT, &n);
    kf_refund_attempt a;
    kf_refund_attempt_run(c->p, &caller, v, shares, n, &a);
    for (int i = 0; i < n; i++) {
        if (a.share_note[i]) {
            KFM_CTX_LOG(c, a.share_given[i] ? APLOG_INFO : APLOG_WARNING, "payment %s: %s",
                        pay_id, a.share_note[i]);
        }
    }
    kfm_tx tx;
    if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
        return;
    }
    apr_status_t dv = APR_SUCCESS;
    for (int i = 0; dv == APR_SUCCESS && i < n; i++) {
        const char *st = a.share_status[i];
        const char *sargs[] = {st, st, st, a.share_refund[i], shares[i][KF_REFUND_SHARE_COL_ROW]};
        dv = st ? kfm_db_exec(NULL, db, "kf_refund_share_attempted", NULL, 5, sargs) : dv;
    }
    int changed = 0;
    if (dv == APR_SUCCESS) {
        dv = kfm_db_exec(NULL, db, "kf_refund_attempted", &changed, KF_REFUND_ATTEMPTED_ARGS,
                         kf_refund_attempted_args(c->p, &a, pay_id));
    }
    if (dv == APR_SUCCESS && changed == 1 && a.history) {
        dv = kfm_refund_history(NULL, db, a.history, v[KF_REFUND_CLAIM_COL_RESERVATION]);
    }
    if (dv != APR_SUCCESS || kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        return;
    }
    KFM_CTX_LOG(c, a.step == KF_REFUND_MANUAL ? APLOG_WARNING : APLOG_INFO, "payment %s: %s",
                pay_id, a.note);
}

static const kfm_claim_job job = {
    "refunds", "kf_refund_claim", BATCH, LEASE_SECONDS, KF_REFUND_CLAIM_COL_COUNT, attempt, "refunds wait in refund=needed",
};

int kfm_refunds_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &job);
}
