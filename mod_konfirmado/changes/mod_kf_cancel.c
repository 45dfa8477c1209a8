/* Cancelling a booking (API.md "After booking"): the customer, with the booking's token
 * (or its mails' token), before the tenant's cutoff; the merchant, from the dashboard, at
 * any time and choosing what goes back. The state machine (lib/bookings/kf_reservation.c) decides;
 * this file reads the facts, runs the statements of its outcome in one transaction
 * (status, history, the payment's refund, the booking.cancelled callback, the mails with a
 * METHOD:CANCEL invite, the audit row) and answers. The slot is free at once: a cancelled
 * reservation is outside the exclusion constraint, and the availability cache is bumped.
 * A repeat answers 200 with the same booking. */
#include "mod_kf_changes_feature.h"
#include "mod_kf_changes_columns.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_audit.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_payments.h"
#include "mod_kf_public_request.h"
#include "mod_kf_purchase_life.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_cancel.h"
#include "kf_payment.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

/* The facts the decision needs, the reservation locked: the columns of kf_cancel.h. */
#define CANCEL_FACTS                                                                         \
    "SELECT " KFM_SQL_COLUMNS(KFM_CANCEL_COLUMNS) \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"                              \
    " LEFT JOIN LATERAL (SELECT id, amount, currency, refund_amount, provider, refund_status"  \
    "   FROM payments"                                                                       \
    "   WHERE reservation_id IN (r.id, r.series_id) AND status = 'approved'"                \
    "   ORDER BY approved_at DESC LIMIT 1) p ON true"                                         \
    " LEFT JOIN LATERAL (SELECT sum(amount) AS taken, sum(refunded_amount) AS given"          \
    "   FROM payment_transactions WHERE payment_id = p.id) x ON true"
const kfm_sql kfm_cancel_sql[] = {
    /* id, token hash (booking or mails'), host subdomain */
    {"kf_cancel_facts_public",
     CANCEL_FACTS
     " WHERE r.id = %s::uuid AND " KFM_SQL_TOKEN_OPENS("r")
     "   AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r"},
    {"kf_cancel_facts_admin",
     CANCEL_FACTS " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* id: a booking cancelled in its professional's calendar */
    {"kf_cancel_facts_calendar", CANCEL_FACTS " WHERE r.id = %s::uuid FOR UPDATE OF r"},
    /* amount, refund status (pending: the refund job asks the provider), id */
    {"kf_cancel_refund",
     "UPDATE payments SET refund_needed = true, flag_reason = 'cancelled', refund_amount = %s::bigint,"
     " refund_status = %s, refund_requested_at = now(), refund_next_at = now(), updated_at = now()"
     " WHERE id = %s::uuid"},
    /* id: the later occurrences of its series, in order (none: no series) */
    {"kf_cancel_rest",
     "SELECT o.id FROM reservations me JOIN reservations o ON o.series_id = me.series_id"
     " AND o.series_index > me.series_index WHERE me.id = %s::uuid ORDER BY o.series_index"},
    {NULL, NULL},
};

/* The cancellation the state machine decided (o), in the caller's transaction: the move,
 * the refund of `refund` (*refund_status: how it stands), the effects and the audit row. */
static apr_status_t run_cancel(kfm_req *kr, const char **v, const kf_res_outcome *o,
                               const kf_cancel_request *cq, int before_cutoff,
                               apr_int64_t refund, const char **refund_status)
{
    request_rec *r = kr->r;
    kfm_ctx c = kfm_ctx_of_request(r);
    apr_status_t rv = kfm_booking_cancel(&c, kr->db, v[KF_CANCEL_COL_ID], v[KF_CANCEL_COL_STATUS], o,
                                         cq->by_merchant ? "merchant" : "customer", cq->note);
    if (rv == APR_SUCCESS && refund > 0) {
        rv = kfm_refund_spread(r, kr->db, r->pool, v[KF_CANCEL_COL_PAYMENT], v[KF_CANCEL_COL_PROVIDER],
                               kf_cancel_refund_ask(v, refund),
                               apr_atoi64(v[KF_CANCEL_COL_PAYMENT_AMOUNT]), refund_status);
        if (rv == APR_SUCCESS) {
            /* the payment's refund_amount is its total: what went back before counts */
            const char *rargs[] = {kfm_db_int64(r->pool, kf_cancel_refund_total(v, refund)),
                                   *refund_status, v[KF_CANCEL_COL_PAYMENT]};
            rv = kfm_db_exec(r, kr->db, "kf_cancel_refund", NULL, 3, rargs);
        }
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_cancel_effects(&c, kr->db, v[KF_CANCEL_COL_ID], o, before_cutoff);
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = kf_cancel_audit_changes(cq->by_merchant, refund);
        rv = kr->session && cq->by_merchant
                 ? kfm_audit(kr, kr->db, "booking.cancel", "booking", v[KF_CANCEL_COL_ID], changes)
                 : kfm_audit_as(kr, kr->db, v[KF_CANCEL_COL_TENANT], NULL, "booking.cancel", "booking",
                               v[KF_CANCEL_COL_ID], changes);
    }
    return rv;
}

/* A later occurrence of a series cancelled with the one asked (scope "rest"). */
typedef struct later_one {
    const char **v;               /* its facts, locked (KF_CANCEL_COL_*) */
    kf_res_outcome o;
    int before_cutoff;
} later_one;

/* Scope "rest" (API.md "Series, seats and teams"): the later occurrences of the series of
 * booking v, each locked and decided under the same rules as the one asked; one the rules
 * leave alone (cancelled before, past its cutoff, never paid) stays as it is. *refund adds
 * what goes back of each: the series has one payment, refunded once for all of them.
 * How many (*out), -1 after a failure, -2 when the merchant's amount is more than one of them
 * was paid. */
static int decide_rest(kfm_req *kr, const char *const *v, const kf_cancel_request *cq,
                       apr_int64_t *refund, later_one **out)
{
    request_rec *r = kr->r;
    kfm_rows *res = NULL;
    const char *args[] = {v[KF_CANCEL_COL_ID]};
    if (kfm_db_select(r, kr->db, "kf_cancel_rest", &res, 1, args) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(kr->db, res), m = 0;
    later_one *later = *out = apr_pcalloc(r->pool, sizeof(*later) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        const char **w = apr_pcalloc(r->pool, sizeof(char *) * KF_CANCEL_COL_COUNT);
        const char *one[] = {kfm_db_value(kr->db, r->pool, res, i, 0)};
        if (kfm_db_select_row(r, kr->db, r->pool, "kf_cancel_facts_calendar", 1, one, w,
                              KF_CANCEL_COL_COUNT) != APR_SUCCESS) {
            return -1;
        }
        kf_res_facts facts = kf_cancel_facts(w, cq->by_merchant);
        kf_res_outcome o = kf_change_next(w[KF_CANCEL_COL_STATUS], KF_RES_CANCEL, &facts);
        apr_int64_t back = 0;
        if (o.refused || !o.moved) {
            continue;
        }
        if (kf_cancel_refund(w, &o, cq, &back) != 0) {
            return -2;
        }
        *refund += back;
        later[m++] = (later_one){w, o, facts.before_cutoff};
    }
    return m;
}

static int cancel_booking(kfm_req *kr, const char *facts_label, int nargs, const char **args,
                          const kf_cancel_request *cq)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    const char *v[KF_CANCEL_COL_COUNT];
    if (!kfm_booking_lock(kr, facts_label, nargs, args, &tx, v, KF_CANCEL_COL_COUNT)) {
        return OK;
    }
    kf_res_facts facts = kf_cancel_facts(v, cq->by_merchant);
    kf_res_outcome o = kf_change_next(v[KF_CANCEL_COL_STATUS], KF_RES_CANCEL, &facts);
    if (o.refused) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, o.refused);
    }
    if (!o.moved) {   /* cancelled before: the same answer again */
        kfm_db_rollback(r, &tx);
        return kfm_reply_json(kr, HTTP_OK, kf_cancel_reply_again(v));
    }
    apr_int64_t refund = 0;
    if (kf_cancel_refund(v, &o, cq, &refund) != 0) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_field_ids(kr, json_pack("{s:s}", "refund", "refund_amount_invalid"));
    }
    later_one *later = NULL;
    int nlater = cq->rest ? decide_rest(kr, v, cq, &refund, &later) : 0;
    if (nlater == -2) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_field_ids(kr, json_pack("{s:s}", "refund", "refund_amount_invalid"));
    }
    /* the one asked carries the series' refund; the later ones follow it, in order */
    const char *refund_status = NULL, *none = NULL;
    apr_status_t rv = nlater < 0 ? APR_EGENERAL
                                 : run_cancel(kr, v, &o, cq, facts.before_cutoff, refund,
                                              &refund_status);
    for (int i = 0; rv == APR_SUCCESS && i < nlater; i++) {
        rv = run_cancel(kr, later[i].v, &later[i].o, cq, later[i].before_cutoff, 0, &none);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* the slot is offered again at once (a series' occurrences are one professional's) */
    kfm_availability_cache_bump_professional(kr, v[KF_CANCEL_COL_PROFESSIONAL]);
    json_t *reply = kf_cancel_reply(v, "cancelled", refund, refund_status);
    int series = v[KF_CANCEL_COL_SERIES] && strcmp(v[KF_CANCEL_COL_SERIES], "t") == 0;
    if (series && kfm_booking_series_add(kr, v[KF_CANCEL_COL_ID],
                                         json_object_get(reply, "booking")) != APR_SUCCESS) {
        json_decref(reply);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, reply);
}

int kfm_handle_public_booking_cancel(kfm_req *kr)
{
    const char *args[5];
    json_t *body = NULL;
    if (!kfm_public_booking_args(kr, kfm_public_bearer(kr), args)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_public_booking_token_expired(kr, args)) {
        return kfm_reply_error(kr, HTTP_GONE, "token_expired");
    }
    if (kr->r->remaining > 0 || apr_table_get(kr->r->headers_in, "Content-Type")) {
        if (kfm_read_json(kr, &body) != APR_SUCCESS) {
            return OK;
        }
    }
    kf_cancel_request cq;
    kf_fields f;
    kf_fields_init(&f, kr->r->pool, kr->locale);
    kf_cancel_request_read(&f, body, 0, &cq);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    return cancel_booking(kr, "kf_cancel_facts_public", 5, args, &cq);
}

int kfm_handle_admin_booking_cancel(kfm_req *kr)
{
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    kf_cancel_request cq;
    kf_fields f;
    kf_fields_init(&f, kr->r->pool, kr->locale);
    kf_cancel_request_read(&f, body, 1, &cq);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    const char *args[] = {id, kr->session->tenant.id};
    return cancel_booking(kr, "kf_cancel_facts_admin", 2, args, &cq);
}

apr_status_t kfm_booking_cancelled_in_calendar(kfm_req *kr, const char *booking_id,
                                               const char *note)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    const char *args[] = {booking_id};
    const char *v[KF_CANCEL_COL_COUNT];
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_cancel_facts_calendar", 1, args, v,
                          KF_CANCEL_COL_COUNT) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_ENOENT;
    }
    /* the professional's side cancelled: no cutoff, what goes back is the tenant's policy */
    kf_cancel_request cq = {1, note, NULL, 0, 0};
    kf_res_facts facts = kf_cancel_facts(v, 1);
    facts.reason = "cancelled_in_calendar";
    kf_res_outcome o = kf_change_next(v[KF_CANCEL_COL_STATUS], KF_RES_CANCEL, &facts);
    apr_int64_t refund = 0;
    if (o.refused || !o.moved || kf_cancel_refund(v, &o, &cq, &refund) != 0) {
        kfm_db_rollback(r, &tx);
        return APR_SUCCESS;   /* over already: nothing to reflect */
    }
    const char *refund_status = NULL;
    apr_status_t rv = run_cancel(kr, v, &o, &cq, facts.before_cutoff, refund, &refund_status);
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_EGENERAL;
    }
    kfm_log(kr, APLOG_INFO, "booking %s cancelled in its professional's calendar", booking_id);
    kfm_availability_cache_bump_professional(kr, v[KF_CANCEL_COL_PROFESSIONAL]);
    return APR_SUCCESS;
}
