/* Refunds (API.md "After booking"): POST /api/admin/bookings/{id}/refund and the refund job.
 * A refund is asked once per payment: the request marks it pending (a repeat finds it
 * pending or done and changes nothing), the job carries it out through the provider's
 * refund API (kf_payment_provider.refund) and records succeeded, or manual when the provider
 * cannot; the merchant closes a manual one with {"manual": true, "note"}. What each attempt
 * leaves (retry, manual, succeeded) is the core's: kf_refund_after_attempt.
 * A payment may hold several approved transactions (the customer paid twice): the refund is
 * spread over them by the core (kf_refund_allocate), each share asked of the provider with
 * its own transaction id and idempotency key, and the payment's refund has succeeded only
 * when every share has. */
#include "mod_kf_payments_feature.h"
#include "mod_kf_provider_http.h"
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
    REFUND_BOOKING_STATUS, REFUND_TAKEN, REFUND_GIVEN, REFUND_COLUMNS
};

/* Columns of kf_refund_txs and kf_refund_shares. */
enum { TX_ROW, TX_AMOUNT, TX_REFUNDED, TX_APPROVED_US, TX_KEYED, TX_ROUNDS, TX_COLUMNS };
enum { SH_ROW, SH_TRANSACTION, SH_AMOUNT, SH_SHARE, SH_KEY, SH_STATUS, SH_COLUMNS };

/* Columns of kf_refund_claim. */
enum {
    CLAIM_PAYMENT, CLAIM_TENANT, CLAIM_PROVIDER, CLAIM_TRANSACTION, CLAIM_PAID, CLAIM_AMOUNT,
    CLAIM_CURRENCY, CLAIM_ATTEMPTS, CLAIM_RESERVATION, CLAIM_REFERENCE, CLAIM_COLUMNS
};

const kfm_sql kfm_refunds_sql[] = {
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
    /* reason, booking id: the money's fate is a line of the booking's history; its state
     * stays (the one writer of status and history, sql/040) */
    {"kf_refund_history",
     "SELECT kf_reservation_move(id, status, status, %s, NULL, NULL) FROM reservations"
     " WHERE id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kfm_refund_spread(request_rec *r, ap_dbd_t *db, apr_pool_t *p, const char *pay_id,
                               const char *provider, apr_int64_t amount, apr_int64_t paid,
                               const char **status)
{
    const kf_payment_provider *prov = kf_payment_provider_find(provider);
    kfm_rows *res = NULL;
    const char *args[] = {pay_id};
    apr_status_t rv = kfm_db_select(r, db, "kf_refund_txs", &res, 1, args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    int n = kfm_db_rows(db, res);
    if (n < 1) {
        /* a payment without transaction rows: its one transaction, as the refund job asks */
        *status = kf_refund_step_name(kf_refund_start(prov, amount, paid));
        return amount > paid ? APR_EINVAL : APR_SUCCESS;
    }
    kf_payment_tx *txs = apr_pcalloc(p, sizeof(*txs) * n);
    apr_int64_t *share = apr_pcalloc(p, sizeof(*share) * n);
    const char **row = apr_pcalloc(p, sizeof(*row) * n);
    int *rounds = apr_pcalloc(p, sizeof(*rounds) * n);
    int keyed = 0;
    for (int i = 0; i < n; i++) {
        const char *v[TX_COLUMNS];
        kfm_db_row(db, p, res, i, v, TX_COLUMNS);
        row[i] = v[TX_ROW];
        txs[i].amount = apr_atoi64(v[TX_AMOUNT]);
        txs[i].refunded = apr_atoi64(v[TX_REFUNDED]);
        txs[i].approved_at = (apr_time_t)apr_atoi64(v[TX_APPROVED_US]);
        rounds[i] = atoi(v[TX_ROUNDS]);
        keyed |= strcmp(v[TX_KEYED], "t") == 0;
    }
    if (kf_refund_allocate(txs, n, amount, share) > 0) {
        return APR_EINVAL;
    }
    kf_refund_step step = kf_refund_start_shares(prov, txs, n, share);
    *status = kf_refund_step_name(step);
    /* the first share of a payment's first refund keeps the key refunds always had, so that
     * one asked before transactions were kept is never paid out twice */
    int first = kf_refund_first_share(txs, n, share);
    rv = kfm_db_exec(r, db, "kf_refund_shares_clear", NULL, 1, args);
    for (int i = 0; rv == APR_SUCCESS && i < n; i++) {
        if (share[i] <= 0) {
            continue;
        }
        const char *key = !keyed && i == first
                              ? apr_pstrcat(p, "refund-", pay_id, NULL)
                              : apr_psprintf(p, "refund-%s-%s.%d", pay_id, row[i], rounds[i] + 1);
        const char *amt = apr_psprintf(p, "%" APR_INT64_T_FMT, share[i]);
        const char *sargs[] = {amt, amt, *status, key, row[i]};
        rv = kfm_db_exec(r, db, "kf_refund_share_set", NULL, 5, sargs);
    }
    return rv;
}

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
    const char *v[REFUND_COLUMNS];
    if (!kfm_admin_booking_lock(kr, "kf_refund_facts", id, &tx, v, REFUND_COLUMNS)) {
        return OK;
    }
    if (!v[REFUND_PAYMENT]) {                    /* no money was taken: nothing to give back */
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_CONFLICT, "refund_not_needed");
    }
    apr_int64_t paid = apr_atoi64(v[REFUND_AMOUNT]);
    apr_int64_t taken = apr_atoi64(v[REFUND_TAKEN]);   /* more than paid: paid twice */
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
    /* by default a second approval gives back the extra; anything else all that was taken */
    int second = v[REFUND_FLAG] && strcmp(v[REFUND_FLAG], "second_approval") == 0;
    apr_int64_t amount = rq.amount ? rq.amount
                         : v[REFUND_REQUESTED] ? apr_atoi64(v[REFUND_REQUESTED])
                         : second && taken > paid ? taken - paid : taken;
    if (amount < 1 || amount > taken - apr_atoi64(v[REFUND_GIVEN])) {
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
                               paid, &status);
        if (rv == APR_EINVAL) {     /* more than is left to give back */
            kfm_db_rollback(r, &tx);
            return kfm_reply_fields(kr, json_pack("{s:s}", "amount",
                                                 kf_message("refund_amount_invalid", kr->locale)));
        }
        /* the payment's refund_amount is its total: what went back before counts */
        const char *qargs[] = {apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                            amount + apr_atoi64(v[REFUND_GIVEN])),
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

/* ---------------------------------------------------------------- the job */

/* One provider call: a share of the payment's refund (or the whole refund of a payment
 * without transaction rows). */
static apr_status_t ask_provider(kfm_ctx *c, const kf_payment_provider *prov,
                                 const kf_payment_account *acct, const char **v,
                                 const char *transaction_id, apr_int64_t amount, apr_int64_t paid,
                                 const char *key, const char **refund_id, const char **why)
{
    if (!prov || !prov->refund) {
        *why = "the provider has no refund API";
        return APR_ENOTIMPL;
    }
    if (!acct) {
        *why = "the payment account is not configured";
        return APR_EACCES;
    }
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
    kf_payment_refund rf = {.transaction_id = transaction_id, .reference = v[CLAIM_REFERENCE],
                            .idempotency_key = key, .amount = amount, .paid = paid,
                            .currency = v[CLAIM_CURRENCY]};
    return prov->refund(c->p, kfm_provider_http(c), &ep, acct, &rf, refund_id, why);
}

/* One claimed refund: ask the provider for each share still pending (newest transaction
 * first), record what each answer left and what the core makes of them all. */
static void attempt(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    const kf_payment_provider *prov = kf_payment_provider_find(v[CLAIM_PROVIDER]);
    const kf_payment_account *acct =
        prov ? kfm_payment_account_load(c, db, v[CLAIM_TENANT], prov->name) : NULL;
    const char *refund_id = NULL, *why = NULL;
    apr_status_t rv = APR_SUCCESS;
    kfm_rows *sh = NULL;
    const char *pargs[] = {v[CLAIM_PAYMENT]};
    if (kfm_db_select(NULL, db, "kf_refund_shares", &sh, 1, pargs) != APR_SUCCESS) {
        return;      /* leased: tried again after the lease */
    }
    int n = kfm_db_rows(db, sh);
    /* per share: its row, and the status its answer leaves (NULL: not asked now) */
    const char **row = apr_pcalloc(c->p, sizeof(*row) * (n > 0 ? n : 1));
    const char **share_status = apr_pcalloc(c->p, sizeof(*share_status) * (n > 0 ? n : 1));
    const char **share_refund = apr_pcalloc(c->p, sizeof(*share_refund) * (n > 0 ? n : 1));
    apr_status_t manual_rv = APR_SUCCESS;
    if (n < 1) {
        /* a payment without transaction rows: its one transaction, today's key */
        rv = ask_provider(c, prov, acct, v, v[CLAIM_TRANSACTION], apr_atoi64(v[CLAIM_AMOUNT]),
                          apr_atoi64(v[CLAIM_PAID]),
                          apr_pstrcat(c->p, "refund-", v[CLAIM_PAYMENT], NULL), &refund_id, &why);
    }
    for (int i = 0; i < n; i++) {
        const char *s[SH_COLUMNS];
        kfm_db_row(db, c->p, sh, i, s, SH_COLUMNS);
        row[i] = s[SH_ROW];
        if (s[SH_STATUS] && strcmp(s[SH_STATUS], "manual") == 0) {
            manual_rv = APR_ENOTIMPL;    /* left to the merchant before: the payment's too */
            continue;
        }
        if (!s[SH_STATUS] || strcmp(s[SH_STATUS], "pending") != 0) {
            continue;                    /* given back already */
        }
        const char *one_id = NULL, *one_why = NULL;
        apr_status_t one = ask_provider(c, prov, acct, v, s[SH_TRANSACTION],
                                        apr_atoi64(s[SH_SHARE]), apr_atoi64(s[SH_AMOUNT]),
                                        s[SH_KEY], &one_id, &one_why);
        if (one == APR_SUCCESS) {
            share_status[i] = "succeeded";
            share_refund[i] = one_id;
            refund_id = refund_id ? refund_id : one_id;
        }
        else if (one == APR_ENOTIMPL || one == APR_EACCES) {
            share_status[i] = "manual";
            manual_rv = one;
            why = one_why;
        }
        else if (rv == APR_SUCCESS) {
            rv = one;                    /* worth retrying: the first such answer decides */
            why = one_why;
        }
        KFM_CTX_LOG(c, one == APR_SUCCESS ? APLOG_INFO : APLOG_WARNING,
                   "payment %s: refund of %s %s on transaction %s: %s", v[CLAIM_PAYMENT],
                   s[SH_SHARE], v[CLAIM_CURRENCY], s[SH_TRANSACTION],
                   one == APR_SUCCESS ? "given back" : (one_why ? one_why : "?"));
    }
    /* succeeded only when every share has; a share left to the merchant leaves it all to them
     * once nothing is worth retrying */
    if (rv == APR_SUCCESS && manual_rv != APR_SUCCESS) {
        rv = manual_rv;
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
    apr_status_t dv = APR_SUCCESS;
    for (int i = 0; dv == APR_SUCCESS && i < n; i++) {
        /* given up on the payment: its shares still pending are the merchant's too */
        const char *st = share_status[i] ? share_status[i]
                         : step == KF_REFUND_MANUAL ? "manual" : NULL;
        if (st) {
            const char *sargs[] = {st, st, st, share_refund[i], row[i]};
            dv = kfm_db_exec(NULL, db, "kf_refund_share_attempted", NULL, 5, sargs);
        }
    }
    int changed = 0;
    if (dv == APR_SUCCESS) {
        dv = kfm_db_exec(NULL, db, "kf_refund_attempted", &changed, 7, args);
    }
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
        KFM_CTX_LOG(c, APLOG_INFO, "payment %s: %s refunded %s %s (%s)", v[CLAIM_PAYMENT],
                   v[CLAIM_PROVIDER], v[CLAIM_AMOUNT], v[CLAIM_CURRENCY], refund_id);
    }
    else {
        KFM_CTX_LOG(c, step == KF_REFUND_MANUAL ? APLOG_WARNING : APLOG_INFO,
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
