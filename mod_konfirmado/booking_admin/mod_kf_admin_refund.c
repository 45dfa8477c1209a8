/* POST /api/admin/bookings/{id}/refund (API.md "After booking"): the merchant gives back
 * what a booking's payment took, through the provider (the payments' refund job asks it) or
 * recorded as given back by hand. What is given back, or why nothing, is the core's
 * kf_refund_decide. */
#include "mod_kf_booking_admin_feature.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_payments.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_json.h"
#include "kf_payment.h"
#include "kf_refund_request.h"
#include "kf_text.h"

#include <string.h>

const kfm_sql kfm_admin_refund_sql[] = {
    /* booking id, tenant: the booking's approved payment, locked (columns KF_REFUND_COL_*) */
    {"kf_refund_facts",
     "SELECT p.id, p.provider, p.amount, p.currency, p.refund_needed, p.mismatch, p.flag_reason,"
     "  p.refund_amount, p.refund_status, " KFM_SQL_RFC3339("p.refunded_at") ", r.status,"
     "  coalesce(t.taken, p.amount), coalesce(t.given, 0)"
     " FROM reservations r LEFT JOIN LATERAL (SELECT * FROM payments"
     "   WHERE reservation_id = r.id AND status = 'approved' ORDER BY approved_at DESC LIMIT 1) p"
     "   ON true"
     " LEFT JOIN LATERAL (SELECT sum(amount) AS taken, sum(refunded_amount) AS given"
     "   FROM payment_transactions WHERE payment_id = p.id) t ON true"
     " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* payment id: its approved transactions, locked while a refund is spread over them */
    /* amount, refund status (the core's start), id */
    {"kf_refund_request",
     "UPDATE payments SET refund_amount = %s::bigint, refund_status = %s,"
     " refund_requested_at = now(), refund_next_at = now(), refund_attempts = 0,"
     " refund_error = NULL, updated_at = now() WHERE id = %s::uuid"},
    /* note, amount, id: the merchant gave the money back by hand */
    {"kf_refund_manual_done",
     "UPDATE payments SET refund_status = 'manual', refund_needed = false, refunded_at = now(),"
     " refund_note = %s, refund_amount = coalesce(refund_amount, %s::bigint),"
     " refund_next_at = NULL, updated_at = now() WHERE id = %s::uuid"},
    {NULL, NULL},
};

int kfm_handle_admin_booking_refund(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    kf_refund_ask rq;
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    kf_refund_ask_read(&f, body, &rq);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    kfm_tx tx;
    const char *v[KF_REFUND_COL_COUNT];
    if (!kfm_admin_booking_lock(kr, "kf_refund_facts", id, &tx, v, KF_REFUND_COL_COUNT)) {
        return OK;
    }
    kf_refund_facts facts = kf_refund_facts_of(v);
    apr_int64_t amount = 0;
    switch (kf_refund_decide(&facts, rq.manual, rq.amount, &amount)) {
    case KF_REFUND_ASK:
        break;
    case KF_REFUND_ASKED_BEFORE:
        /* the same answer, nothing asked of the provider again */
        kfm_db_rollback(r, &tx);
        return kfm_reply_json(kr, HTTP_ACCEPTED, kf_refund_reply_before(v));
    case KF_REFUND_NOT_NEEDED:
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, "refund_not_needed");
    default:
        kfm_db_rollback(r, &tx);
        return kfm_reply_field_ids(kr, json_pack("{s:s}", "amount", "refund_amount_invalid"));
    }
    const char *amount_text = kfm_db_int64(r->pool, amount);
    apr_status_t rv;
    const char *status = NULL;
    if (rq.manual) {
        const char *margs[] = {rq.note, amount_text, v[KF_REFUND_COL_PAYMENT]};
        rv = kfm_db_exec(r, kr->db, "kf_refund_manual_done", NULL, 3, margs);
        status = kf_refund_step_name(KF_REFUND_MANUAL);
    }
    else {
        rv = kfm_refund_spread(r, kr->db, r->pool, v[KF_REFUND_COL_PAYMENT], v[KF_REFUND_COL_PROVIDER], amount,
                               facts.amount, &status);
        if (rv == APR_EINVAL) {     /* more than is left to give back */
            kfm_db_rollback(r, &tx);
            return kfm_reply_field_ids(kr, json_pack("{s:s}", "amount", "refund_amount_invalid"));
        }
        /* the payment's refund_amount is its total: what went back before counts */
        const char *qargs[] = {kfm_db_int64(r->pool, amount + facts.given), status,
                               v[KF_REFUND_COL_PAYMENT]};
        if (rv == APR_SUCCESS) {
            rv = kfm_db_exec(r, kr->db, "kf_refund_request", NULL, 3, qargs);
        }
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = kf_refund_audit_changes(amount, rq.manual, status, rq.note);
        rv = kfm_audit(kr, kr->db, rq.manual ? "booking.refund_done" : "booking.refund",
                       "booking", id, changes);
    }
    if (rv == APR_SUCCESS && rq.manual) {
        rv = kfm_refund_history(r, kr->db, "refunded_by_hand", id);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, rq.manual ? HTTP_OK : HTTP_ACCEPTED,
                          kf_refund_reply(amount, v[KF_REFUND_COL_CURRENCY], status, NULL));
}
