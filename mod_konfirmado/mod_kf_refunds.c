/* Refunds (API.md "After booking"): POST /api/admin/bookings/{id}/refund and the refund job.
 * A refund is asked once per payment: the request marks it pending (a repeat finds it
 * pending or done and changes nothing), the job carries it out through the provider's
 * refund API (kf_payment_provider.refund) and records succeeded, or manual when the provider
 * cannot; the merchant closes a manual one with {"manual": true, "note"}. What each attempt
 * leaves (retry, manual, succeeded) is the core's: kf_refund_after_attempt. */
#include "mod_kf_handlers.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_audit.h"
#include "mod_kf_config.h"
#include "mod_kf_jobs.h"
#include "mod_kf_payments.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_payment.h"
#include "kf_reservation.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

/* Refunds attempted per run (the rest next run). */
#define BATCH 10
/* A claimed refund is leased this long: a server that dies mid-call leaves it to another. */
#define LEASE_SECONDS 300
#define NOTE_MAX 500

/* The booking's approved payment, locked; columns REFUND_*. */
enum {
    REFUND_PAYMENT, REFUND_PROVIDER, REFUND_AMOUNT, REFUND_CURRENCY, REFUND_NEEDED,
    REFUND_MISMATCH, REFUND_FLAG, REFUND_REQUESTED, REFUND_STATUS, REFUND_DONE_AT,
    REFUND_BOOKING_STATUS, REFUND_COLUMNS
};

/* Columns of kf_refund_claim. */
enum {
    CLAIM_PAYMENT, CLAIM_TENANT, CLAIM_PROVIDER, CLAIM_TRANSACTION, CLAIM_PAID, CLAIM_AMOUNT,
    CLAIM_CURRENCY, CLAIM_ATTEMPTS, CLAIM_RESERVATION, CLAIM_REFERENCE, CLAIM_COLUMNS
};

const kfm_sql kfm_refunds_sql[] = {
    /* booking id, tenant */
    {"kf_refund_facts",
     "SELECT p.id, p.provider, p.amount, p.currency, p.refund_needed, p.mismatch, p.flag_reason,"
     "  p.refund_amount, p.refund_status, " KF_SQL_RFC3339("p.refunded_at") ", r.status"
     " FROM reservations r LEFT JOIN LATERAL (SELECT * FROM payments"
     "   WHERE reservation_id = r.id AND status = 'approved' ORDER BY approved_at DESC LIMIT 1) p"
     "   ON true"
     " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
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
    {"kf_refund_history",
     "INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)"
     " SELECT id, status, status, %s FROM reservations WHERE id = %s::uuid"},
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
        json_object_set_new(fields, "manual", json_string(kf_message("field_wrong_type", kr->locale)));
    }
    rq->manual = json_is_true(manual);
    if (json_object_get(body, "amount") &&
        (kf_json_get_int(body, "amount", &rq->amount) != KF_JSON_FIELD_OK || rq->amount <= 0)) {
        json_object_set_new(fields, "amount",
                            json_string(kf_message("refund_amount_invalid", kr->locale)));
    }
    if (rq->manual) {
        kf_json_field f = kf_json_get_string(body, "note", &rq->note);
        if (f == KF_JSON_FIELD_WRONG_TYPE || (f == KF_JSON_FIELD_OK && kf_utf8_length(rq->note) > NOTE_MAX)) {
            json_object_set_new(fields, "note", json_string(kf_message("field_wrong_type", kr->locale)));
        }
        else if (f != KF_JSON_FIELD_OK || !*rq->note) {
            json_object_set_new(fields, "note", json_string(kf_message("field_required", kr->locale)));
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
    kfm_rows *res = NULL;
    const char *args[] = {id, kr->session->tenant_id};
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_select(r, kr->db, "kf_refund_facts", &res, 2, args) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {      /* unknown, or another tenant's */
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    const char *v[REFUND_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, v, REFUND_COLUMNS);
    if (!v[REFUND_PAYMENT]) {                    /* no money was taken: nothing to give back */
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_CONFLICT, "refund_not_needed");
    }
    apr_int64_t paid = apr_atoi64(v[REFUND_AMOUNT]);
    int flagged = strcmp(v[REFUND_NEEDED], "t") == 0 || strcmp(v[REFUND_MISMATCH], "t") == 0;
    int done = v[REFUND_DONE_AT] != NULL ||
               (v[REFUND_STATUS] && strcmp(v[REFUND_STATUS], "succeeded") == 0);
    int pending = v[REFUND_STATUS] && strcmp(v[REFUND_STATUS], "pending") == 0;
    /* asked before (pending or done): the same answer, nothing asked of the provider again */
    if (done || (pending && !rq.manual)) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_json(kr, HTTP_ACCEPTED,
                              json_pack("{s:o}", "refund",
                                        refund_json(v[REFUND_REQUESTED] ? v[REFUND_REQUESTED]
                                                                        : v[REFUND_AMOUNT],
                                                    v[REFUND_CURRENCY], v[REFUND_STATUS],
                                                    v[REFUND_DONE_AT])));
    }
    if (!flagged) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_CONFLICT, "refund_not_needed");
    }
    apr_int64_t amount = rq.amount ? rq.amount
                         : v[REFUND_REQUESTED] ? apr_atoi64(v[REFUND_REQUESTED]) : paid;
    if (amount < 1 || amount > paid) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_fields(kr, json_pack("{s:s}", "amount",
                                             kf_message("refund_amount_invalid", kr->locale)));
    }
    const char *amount_text = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, amount);
    apr_status_t rv;
    const char *status;
    if (rq.manual) {
        const char *margs[] = {rq.note, amount_text, v[REFUND_PAYMENT]};
        rv = kfm_db_exec(r, kr->db, "kf_refund_manual_done", NULL, 3, margs);
        status = kf_refund_step_name(KF_REFUND_MANUAL);
    }
    else {
        status = kf_refund_step_name(
            kf_refund_start(kf_payment_provider_find(v[REFUND_PROVIDER]), amount, paid));
        const char *qargs[] = {amount_text, status, v[REFUND_PAYMENT]};
        rv = kfm_db_exec(r, kr->db, "kf_refund_request", NULL, 3, qargs);
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

/* ---------------------------------------------------------------- the job */

/* One claimed refund: ask the provider, record what the core makes of the answer. */
static void attempt(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    const kf_payment_provider *prov = kf_payment_provider_find(v[CLAIM_PROVIDER]);
    const kf_payment_account *acct =
        prov ? kfm_payment_account_load(c, db, v[CLAIM_TENANT], prov->name) : NULL;
    const char *refund_id = NULL, *why = NULL;
    apr_status_t rv;
    if (!prov || !prov->refund) {
        rv = APR_ENOTIMPL;
        why = "the provider has no refund API";
    }
    else if (!acct) {
        rv = APR_EACCES;
        why = "the payment account is not configured";
    }
    else {
        kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
        kf_payment_refund rf = {.transaction_id = v[CLAIM_TRANSACTION],
                                .reference = v[CLAIM_REFERENCE],
                                .idempotency_key = apr_pstrcat(c->p, "refund-", v[CLAIM_PAYMENT], NULL),
                                .amount = apr_atoi64(v[CLAIM_AMOUNT]),
                                .paid = apr_atoi64(v[CLAIM_PAID]), .currency = v[CLAIM_CURRENCY]};
        rv = prov->refund(c->p, kfm_payment_http(c), &ep, acct, &rf, &refund_id, &why);
    }
    int retry = 0;
    kf_refund_step step = kf_refund_after_attempt(rv, atoi(v[CLAIM_ATTEMPTS]), &retry);
    const char *status = kf_refund_step_name(step);
    const char *args[] = {status, status, status, refund_id,
                          step == KF_REFUND_SUCCEEDED ? NULL : why,
                          step == KF_REFUND_RETRY ? apr_itoa(c->p, retry) : NULL,
                          v[CLAIM_PAYMENT]};
    kfm_tx tx;
    if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
        return;
    }
    int changed = 0;
    apr_status_t dv = kfm_db_exec(NULL, db, "kf_refund_attempted", &changed, 7, args);
    if (dv == APR_SUCCESS && changed == 1 && step != KF_REFUND_RETRY) {
        const char *hargs[] = {step == KF_REFUND_SUCCEEDED ? "refunded" : "refund_manual",
                               v[CLAIM_RESERVATION]};
        dv = kfm_db_exec(NULL, db, "kf_refund_history", NULL, 2, hargs);
    }
    if (dv != APR_SUCCESS || kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        return;
    }
    if (step == KF_REFUND_SUCCEEDED) {
        KF_CTX_LOG(c, APLOG_INFO, "payment %s: %s refunded %s %s (%s)", v[CLAIM_PAYMENT],
                   v[CLAIM_PROVIDER], v[CLAIM_AMOUNT], v[CLAIM_CURRENCY], refund_id);
    }
    else {
        KF_CTX_LOG(c, step == KF_REFUND_MANUAL ? APLOG_WARNING : APLOG_INFO,
                   "payment %s: refund %s after attempt %s: %s", v[CLAIM_PAYMENT],
                   step == KF_REFUND_MANUAL ? "left to the merchant" : "retried later",
                   v[CLAIM_ATTEMPTS], why ? why : "?");
    }
}

static const kfm_claim_job job = {
    "refunds", "kf_refund_claim", BATCH, LEASE_SECONDS, CLAIM_COLUMNS, attempt, "refunds wait in refund=needed",
};

int kfm_refunds_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &job);
}
