/* Applying a provider event: see mod_kf_payment_events.h. */
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_purchase_life.h"

/* kf_payment_lock and kf_payment_tx_refunded select the columns KF_PAY_LOCK_COL_* and
 * KF_PAY_TXR_COL_* of kf_payment.h. */

const kfm_sql kfm_payment_events_sql[] = {
    /* the payment and its reservation, locked: events of one payment apply one at a time.
     * A purchase's payment (packages) has no reservation: its purchase id comes last and
     * the purchase is locked by its own code (mod_kf_purchases.c). An event is a repeat of
     * its tenant's own only: another tenant's account may number its events alike. */
    {"kf_payment_lock",
     "SELECT p.id, p.status, p.amount, p.currency, p.provider_transaction_id, r.id, r.status,"
     " p.tenant_id, p.provider, EXISTS (SELECT 1 FROM payment_events e"
     "   WHERE e.tenant_id = p.tenant_id AND e.provider = p.provider AND e.event_key = %s),"
     " p.purchase_id, p.dispute_id, p.dispute_status, r.series_count"
     " FROM payments p LEFT JOIN LATERAL (SELECT id, status, series_count FROM reservations"
     "   WHERE id = p.reservation_id FOR UPDATE) r ON true"
     " WHERE p.id = %s::uuid FOR UPDATE OF p"},
    /* No ON CONFLICT: the lock above saw no such event, and events of one payment wait for
     * each other on it, so a conflict (a bug) fails the transaction's commit: nothing applies
     * and the provider sends the event again. */
    {"kf_payment_event_insert",
     "INSERT INTO payment_events (provider, event_key, tenant_id, payment_id, source,"
     " transaction_id, status, amount, currency, raw_body, result, processing_us)"
     " VALUES (%s, %s, %s::uuid, %s::uuid, %s, %s, %s, %s::bigint, %s, %s, %s, %s::int)"},
    {"kf_payment_set_status",
     "UPDATE payments SET status = %s, provider_transaction_id = COALESCE(%s, provider_transaction_id),"
     " approved_at = CASE WHEN %s = 'approved' THEN now() ELSE approved_at END, updated_at = now()"
     " WHERE id = %s::uuid"},
    /* dispute id, amount, reason, the state it moves to (NULL: it stays), id: a dispute the
     * provider reports; the first dispute of a payment is the one kept, and only its own
     * events move its state (kf_payment_event_plan) */
    {"kf_payment_disputed",
     "UPDATE payments SET dispute_id = coalesce(dispute_id, %s),"
     " dispute_amount = coalesce(dispute_amount, %s::bigint),"
     " dispute_reason = coalesce(dispute_reason, %s), disputed_at = coalesce(disputed_at, now()),"
     " dispute_status = coalesce(%s, dispute_status),"
     " dispute_updated_at = CASE WHEN %s::text IS NULL THEN dispute_updated_at ELSE now() END,"
     " updated_at = now() WHERE id = %s::uuid"},
    /* transaction id, amount, currency, id: an approval, and its transaction kept once (a
     * customer who pays twice has two; what the booking took is their sum, and a refund is
     * spread over them). One statement on the path of every approval; a repeat of the same
     * approval adds no transaction. */
    {"kf_payment_approve",
     "WITH event AS (SELECT %s::text AS transaction_id, %s::bigint AS amount, %s::text AS currency),"
     " approved AS (UPDATE payments SET status = 'approved',"
     "   provider_transaction_id = coalesce((SELECT transaction_id FROM event),"
     "   provider_transaction_id), approved_at = now(), updated_at = now() WHERE id = %s::uuid"
     "   RETURNING id, tenant_id, provider)"
     " INSERT INTO payment_transactions (payment_id, tenant_id, provider, transaction_id,"
     " amount, currency) SELECT a.id, a.tenant_id, a.provider, e.transaction_id, e.amount,"
     " e.currency FROM approved a, event e WHERE e.transaction_id IS NOT NULL"
     " ON CONFLICT (payment_id, transaction_id) DO NOTHING"},
    /* payment id, transaction id (NULL: the payment's last), refunded so far, refund id: a
     * refund the provider reports, on its transaction; then what the payment's transactions
     * took, what they gave back (this event counted), and whether the event's transaction is
     * one of them */
    {"kf_payment_tx_refunded",
     "WITH up AS (UPDATE payment_transactions t"
     "   SET refunded_amount = greatest(t.refunded_amount, least(t.amount, %s::bigint)),"
     "   refund_provider_id = coalesce(t.refund_provider_id, %s),"
     "   refunded_at = coalesce(t.refunded_at, now()),"
     "   refund_status = CASE WHEN t.refund_status = 'pending' AND"
     "     greatest(t.refunded_amount, least(t.amount, %s::bigint)) >= t.refund_target"
     "     THEN 'succeeded' ELSE t.refund_status END"
     "   FROM payments p WHERE p.id = t.payment_id AND t.payment_id = %s::uuid"
     "   AND t.transaction_id = coalesce(%s, p.provider_transaction_id)"
     "   RETURNING t.id, t.refunded_amount, t.refund_status)"
     " SELECT coalesce(sum(t.amount), 0), coalesce(sum(coalesce(up.refunded_amount,"
     "   t.refunded_amount)), 0), count(up.id), count(t.id),"
     "   count(*) FILTER (WHERE coalesce(up.refund_status, t.refund_status) = 'pending')"
     " FROM payment_transactions t LEFT JOIN up ON up.id = t.id WHERE t.payment_id = %s::uuid"},
    /* given back in all, refund id, pending shares left, id: a refund the provider reports
     * (whoever asked for it: the refund job, or the merchant in the provider's dashboard).
     * While shares of the payment's refund still wait for the job, the refund stays pending. */
    {"kf_payment_refunded",
     "UPDATE payments SET refund_status = CASE WHEN %s::int > 0 THEN refund_status"
     "   ELSE 'succeeded' END,"
     " refunded_at = CASE WHEN %s::int > 0 THEN refunded_at ELSE coalesce(refunded_at, now()) END,"
     " refund_amount = greatest(coalesce(refund_amount, 0), %s::bigint),"
     " refund_provider_id = coalesce(refund_provider_id, %s),"
     " refund_note = coalesce(refund_note, CASE WHEN refund_requested_at IS NULL"
     "   THEN 'refunded at the provider' END),"
     " refund_needed = refund_needed AND %s::int > 0, refund_error = NULL,"
     " refund_next_at = CASE WHEN %s::int > 0 THEN refund_next_at END, updated_at = now()"
     " WHERE id = %s::uuid"},
    {"kf_payment_flag",
     "UPDATE payments SET mismatch = mismatch OR %s::boolean,"
     " refund_needed = refund_needed OR %s::boolean, flag_reason = %s, updated_at = now()"
     " WHERE id = %s::uuid"},
    {NULL, NULL},
};

static const kfm_booking_payment_moves *moves;

void kfm_payments_move_bookings_with(const kfm_booking_payment_moves *m)
{
    moves = m;
}

apr_status_t kfm_payment_flag(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id, int mismatch,
                              int refund, const char *reason)
{
    const char *args[] = {mismatch ? "true" : "false", refund ? "true" : "false", reason, pay_id};
    return kfm_db_exec(c->r, db, "kf_payment_flag", NULL, 4, args);
}

/* Money given back: recorded on its transaction, and the payment's totals (whoever asked for
 * it); everything taken given back at the provider: the merchant cancelled the booking there. */
static apr_status_t refunded(const kfm_ctx *c, ap_dbd_t *db, const kf_payment_event *ev,
                             const char *const *locked, const kf_payment_plan *plan,
                             const kfm_paid_booking *booking, int *slot_changed)
{
    const char *pay_id = locked[KF_PAY_LOCK_COL_ID];
    const char *so_far = kfm_db_int64(c->p, ev->amount);
    const char *tv[KF_PAY_TXR_COLS];
    kfm_rows *tr = NULL;
    const char *targs[] = {so_far, ev->refund_id, so_far, pay_id, ev->transaction_id, pay_id};
    apr_status_t rv = kfm_db_select(c->r, db, "kf_payment_tx_refunded", &tr, 6, targs);
    int rows = rv == APR_SUCCESS && kfm_db_rows(db, tr) == 1;
    if (rows) {
        kfm_db_row(db, c->p, tr, 0, tv, KF_PAY_TXR_COLS);
    }
    kf_refund_figures fig;
    int whole = kf_payment_refund_of(ev, locked, rows ? tv : NULL, &fig);
    if (rv == APR_SUCCESS) {
        const char *rargs[] = {fig.pending, fig.pending, kfm_db_int64(c->p, fig.total),
                               ev->refund_id, fig.pending, fig.pending, pay_id};
        rv = kfm_db_exec(c->r, db, "kf_payment_refunded", NULL, 7, rargs);
    }
    if (rv == APR_SUCCESS && plan->booking) {
        rv = moves ? moves->refunded(c, db, booking, whole, slot_changed) : APR_EGENERAL;
    }
    return rv;
}

/* What the plan says of the payment, written, and handed on to what it pays for. */
static apr_status_t run_plan(const kfm_ctx *c, ap_dbd_t *db, const kf_payment_event *ev,
                             const char *const *locked, const kf_payment_plan *plan,
                             const char **result, int *slot_changed)
{
    const char *pay_id = locked[KF_PAY_LOCK_COL_ID];
    const kfm_paid_booking booking = {pay_id, locked[KF_PAY_LOCK_COL_BOOKING],
                                      locked[KF_PAY_LOCK_COL_BOOKING_STATUS],
                                      locked[KF_PAY_LOCK_COL_TXID],
                                      locked[KF_PAY_LOCK_COL_BOOKING_SERIES] != NULL};
    const char *sargs[] = {plan->status, ev->transaction_id, plan->status, pay_id};
    const char *aargs[] = {ev->transaction_id, kfm_db_int64(c->p, ev->amount), ev->currency,
                           pay_id};
    const char *dargs[] = {ev->refund_id, kfm_db_int64(c->p, ev->amount), ev->dispute_reason,
                           plan->status, plan->status, pay_id};
    apr_status_t rv = APR_SUCCESS;
    switch (plan->step) {
    case KF_PAYMENT_STEP_DISPUTE:
        /* the merchant answers at the provider */
        KFM_CTX_LOG(c, APLOG_NOTICE, "payment %s: %s", pay_id, plan->note);
        return kfm_db_exec(c->r, db, "kf_payment_disputed", NULL, 6, dargs);
    case KF_PAYMENT_STEP_REFUND:
        return refunded(c, db, ev, locked, plan, &booking, slot_changed);
    case KF_PAYMENT_STEP_MISMATCH:
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s", pay_id, plan->note);
        return kfm_payment_flag(c, db, pay_id, 1, plan->flag_refund, KF_PAYMENT_RESULT_MISMATCH);
    case KF_PAYMENT_STEP_APPROVE:
    case KF_PAYMENT_STEP_DECLINE:
        /* approved with its transaction kept, or declined with its status */
        rv = plan->step == KF_PAYMENT_STEP_APPROVE
            ? kfm_db_exec(c->r, db, "kf_payment_approve", NULL, 4, aargs)
            : kfm_db_exec(c->r, db, "kf_payment_set_status", NULL, 4, sargs);
        if (rv != APR_SUCCESS || (!plan->purchase && !plan->booking)) {
            return rv;
        }
        if (plan->purchase) {
            /* packages: its state machine is lib/payments/kf_purchase.c */
            return kfm_purchase_payment_settled(c, db, pay_id, locked[KF_PAY_LOCK_COL_PURCHASE],
                                                plan, result);
        }
        if (!moves) {
            return APR_EGENERAL;
        }
        return plan->step == KF_PAYMENT_STEP_APPROVE
            ? moves->approved(c, db, &booking, ev, result, slot_changed)
            : moves->declined(c, db, &booking, ev, result, slot_changed);
    default:
        return APR_SUCCESS;
    }
}

/* THE code path of every provider event, webhook or fetched: records it once, then moves
 * the payment and what it pays for, all in one transaction. */
kf_payment_applied kfm_payment_apply_event(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                            const char *source, const kf_payment_event *ev,
                                            const char *raw, apr_time_t started)
{
    kfm_tx tx;
    if (kfm_db_begin(c->r, db, &tx) != APR_SUCCESS) {
        return KF_PAYMENT_FAILED;
    }
    /* the event applies whole or not at all: its writes go out together (about half the
     * round trips of an approval), any failure rolls everything back below */
    kfm_db_defer_writes(db);
    const char *largs[] = {ev->event_key, pay_id};
    const char *locked[KF_PAY_LOCK_COLS];
    if (kfm_db_select_row(c->r, db, c->p, "kf_payment_lock", 2, largs, locked,
                          KF_PAY_LOCK_COLS) != APR_SUCCESS) {
        kfm_db_rollback(c->r, &tx);
        return KF_PAYMENT_FAILED;
    }
    kf_payment_plan plan = kf_payment_event_plan(c->p, ev, locked);
    if (plan.step == KF_PAYMENT_STEP_DUPLICATE) {
        kfm_db_rollback(c->r, &tx);
        return KF_PAYMENT_DUPLICATE;
    }
    const char *result = plan.result;
    /* a booking here gave its slot back or took it again: every cached answer is judged
     * again after the commit (the webhooks' endpoint leaves them alone otherwise) */
    int slot_changed = 0;
    apr_status_t rv = run_plan(c, db, ev, locked, &plan, &result, &slot_changed);
    if (rv == APR_SUCCESS) {
        const char *eargs[] = {locked[KF_PAY_LOCK_COL_PROVIDER], ev->event_key,
                               locked[KF_PAY_LOCK_COL_TENANT], pay_id, source, ev->transaction_id,
                               ev->provider_status, kfm_db_int64(c->p, ev->amount), ev->currency,
                               raw, result,
                               apr_psprintf(c->p, "%" APR_TIME_T_FMT, apr_time_now() - started)};
        /* queued: it goes with the COMMIT */
        rv = kfm_db_exec(c->r, db, "kf_payment_event_insert", NULL, 12, eargs);
    }
    if (rv != APR_SUCCESS) {
        kfm_db_rollback(c->r, &tx);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(c->r, &tx) != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_ERR, "payment %s: %s event %s could not be applied; nothing changed",
                      pay_id, source, ev->event_key);
        return KF_PAYMENT_FAILED;
    }
    if (slot_changed) {
        if (c->r) {
            kfm_availability_cache_bump_all(c->r);
        }
        else {
            kfm_availability_cache_bump_all_job();
        }
    }
    KFM_CTX_LOG(c, APLOG_INFO, "payment %s: %s %s -> %s", pay_id, source,
                  ev->provider_status, result);
    return KF_PAYMENT_APPLIED;
}
