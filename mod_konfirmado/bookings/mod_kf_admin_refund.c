/* POST /api/admin/bookings/{id}/refund (API.md "After booking"): the merchant gives back
 * what a booking's payment took, through the provider (the payments' refund job asks it) or
 * recorded as given back by hand. What is given back, or why nothing, is the core's
 * kf_refund_decide. */
#include "mod_kf_bookings_feature.h"
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

#define NOTE_MAX 500

/* The booking's approved payment, locked; columns REFUND_*. */
enum {
    REFUND_PAYMENT, REFUND_PROVIDER, REFUND_AMOUNT, REFUND_CURRENCY, REFUND_NEEDED,
    REFUND_MISMATCH, REFUND_FLAG, REFUND_REQUESTED, REFUND_STATUS, REFUND_DONE_AT,
    REFUND_BOOKING_STATUS, REFUND_TAKEN, REFUND_GIVEN, REFUND_COLUMNS
};

const kfm_sql kfm_admin_refund_sql[] = {
    /* booking id, tenant */
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

static json_t *refund_json(const char *amount, const char *currency, const char *status,
                           const char *refunded_at)
{
    return json_pack("{s:I, s:s, s:s, s:s*}", "amount", (json_int_t)apr_atoi64(amount),
                     "currency", currency, "status", status, "refunded_at", refunded_at);
}

/* {"amount"?} or {"manual": true, "note"}: 400 with fields when neither reads. */
typedef struct refund_request {
    int manual;
    const char *note;
    json_int_t amount;       /* 0: what the payment's flag says (else all of it) */
} refund_request;

static int read_request(kfm_req *kr, json_t *body, refund_request *rq)
{
    json_t *fields = json_object();
    json_t *manual = json_object_get(body, "manual");
    if (manual && !json_is_boolean(manual)) {
        kfm_field_error(kr, fields, "manual", "field_wrong_type");
    }
    rq->manual = json_is_true(manual);
    if (json_object_get(body, "amount") &&
        (kf_json_get_int(body, "amount", &rq->amount) != KF_JSON_FIELD_OK || rq->amount <= 0)) {
        kfm_field_error(kr, fields, "amount", "refund_amount_invalid");
    }
    if (rq->manual) {
        kf_json_field f = kf_json_get_string(body, "note", &rq->note);
        if (f == KF_JSON_FIELD_WRONG_TYPE || (f == KF_JSON_FIELD_OK && kf_utf8_length(rq->note) > NOTE_MAX)) {
            kfm_field_error(kr, fields, "note", "field_wrong_type");
        }
        else if (f != KF_JSON_FIELD_OK || !*rq->note) {
            kfm_field_error(kr, fields, "note", "field_required");
        }
    }
    if (json_object_size(fields) > 0) {
        kfm_reply_fields(kr, fields);
        return 0;
    }
    json_decref(fields);
    return 1;
}

int kfm_handle_admin_booking_refund(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    refund_request rq = {0, NULL, 0};
    if (!read_request(kr, body, &rq)) {
        return OK;
    }
    kfm_tx tx;
    const char *v[REFUND_COLUMNS];
    if (!kfm_admin_booking_lock(kr, "kf_refund_facts", id, &tx, v, REFUND_COLUMNS)) {
        return OK;
    }
    /* no payment: every payment column is NULL */
    kf_refund_facts facts = {
        v[REFUND_PAYMENT] != NULL, kfm_db_number(v[REFUND_AMOUNT]), kfm_db_number(v[REFUND_TAKEN]),
        kfm_db_number(v[REFUND_GIVEN]), kfm_db_number(v[REFUND_REQUESTED]),
        kfm_db_true(v[REFUND_NEEDED]) || kfm_db_true(v[REFUND_MISMATCH]), v[REFUND_FLAG],
        v[REFUND_STATUS], v[REFUND_DONE_AT] != NULL};
    apr_int64_t amount = 0;
    switch (kf_refund_decide(&facts, rq.manual, rq.amount, &amount)) {
    case KF_REFUND_ASK:
        break;
    case KF_REFUND_ASKED_BEFORE:
        /* the same answer, nothing asked of the provider again */
        kfm_db_rollback(r, &tx);
        return kfm_reply_json(kr, HTTP_ACCEPTED,
                              json_pack("{s:o}", "refund",
                                        refund_json(v[REFUND_REQUESTED] ? v[REFUND_REQUESTED]
                                                                        : v[REFUND_AMOUNT],
                                                    v[REFUND_CURRENCY], v[REFUND_STATUS],
                                                    v[REFUND_DONE_AT])));
    case KF_REFUND_NOT_NEEDED:
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_CONFLICT, "refund_not_needed");
    default:
        kfm_db_rollback(r, &tx);
        return kfm_reply_fields(kr, json_pack("{s:s}", "amount",
                                             kf_message("refund_amount_invalid", kr->locale)));
    }
    const char *amount_text = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, amount);
    apr_status_t rv;
    const char *status = NULL;
    if (rq.manual) {
        const char *margs[] = {rq.note, amount_text, v[REFUND_PAYMENT]};
        rv = kfm_db_exec(r, kr->db, "kf_refund_manual_done", NULL, 3, margs);
        status = kf_refund_step_name(KF_REFUND_MANUAL);
    }
    else {
        rv = kfm_refund_spread(r, kr->db, r->pool, v[REFUND_PAYMENT], v[REFUND_PROVIDER], amount,
                               facts.amount, &status);
        if (rv == APR_EINVAL) {     /* more than is left to give back */
            kfm_db_rollback(r, &tx);
            return kfm_reply_fields(kr, json_pack("{s:s}", "amount",
                                                 kf_message("refund_amount_invalid", kr->locale)));
        }
        /* the payment's refund_amount is its total: what went back before counts */
        const char *qargs[] = {apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                            amount + facts.given),
                               status, v[REFUND_PAYMENT]};
        if (rv == APR_SUCCESS) {
            rv = kfm_db_exec(r, kr->db, "kf_refund_request", NULL, 3, qargs);
        }
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = json_pack("{s:I, s:s, s:s?}", "amount", (json_int_t)amount,
                                    "status", rq.manual ? "refunded_by_hand" : status,
                                    "note", rq.note);
        rv = kfm_audit(kr, kr->db, rq.manual ? "booking.refund_done" : "booking.refund",
                       "booking", id, changes);
    }
    if (rv == APR_SUCCESS && rq.manual) {
        const char *hargs[] = {"refunded_by_hand", id};
        rv = kfm_db_exec(r, kr->db, "kf_refund_history", NULL, 2, hargs);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *refund = refund_json(amount_text, v[REFUND_CURRENCY], status, NULL);
    return kfm_reply_json(kr, rq.manual ? HTTP_OK : HTTP_ACCEPTED, json_pack("{s:o}", "refund", refund));
}
