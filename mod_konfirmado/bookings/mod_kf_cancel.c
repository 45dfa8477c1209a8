/* Cancelling a booking (API.md "After booking"): the customer, with the booking's token
 * (or its mails' token), before the tenant's cutoff; the merchant, from the dashboard, at
 * any time and choosing what goes back. The state machine (lib/bookings/kf_reservation.c) decides;
 * this file reads the facts, runs the statements of its outcome in one transaction
 * (status, history, the payment's refund, the booking.cancelled callback, the mails with a
 * METHOD:CANCEL invite, the audit row) and answers. The slot is free at once: a cancelled
 * reservation is outside the exclusion constraint, and the availability cache is bumped.
 * A repeat answers 200 with the same booking. */
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_state.h"
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
#include "kf_reservation.h"
#include "kf_payment.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

#define REASON_MAX 500

/* The facts the decision needs, the reservation locked. */
#define CANCEL_FACTS                                                                         \
    "SELECT r.id, r.status, r.tenant_id, r.professional_id,"                                 \
    "  " KFM_SQL_BEFORE_CUTOFF("r", "t.cancel_cutoff_hours") ","                 \
    "  t.refund_on_cancel, p.id, coalesce(p.amount, 0), coalesce(p.currency, r.currency, t.currency)," \
    "  p.refund_amount, " KFM_SQL_RFC3339("r.starts_at") ", " KFM_SQL_RFC3339("r.ends_at") "," \
    "  p.provider, p.refund_status, coalesce(x.taken, p.amount, 0), coalesce(x.given, 0)"   \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"                              \
    " LEFT JOIN LATERAL (SELECT id, amount, currency, refund_amount, provider, refund_status"  \
    "   FROM payments"                                                                       \
    "   WHERE reservation_id = r.id AND status = 'approved'"                                 \
    "   ORDER BY approved_at DESC LIMIT 1) p ON true"                                         \
    " LEFT JOIN LATERAL (SELECT sum(amount) AS taken, sum(refunded_amount) AS given"          \
    "   FROM payment_transactions WHERE payment_id = p.id) x ON true"
enum {
    CF_ID, CF_STATUS, CF_TENANT, CF_PROFESSIONAL, CF_BEFORE_CUTOFF, CF_POLICY, CF_PAYMENT,
    CF_PAID, CF_CURRENCY, CF_REFUNDED, CF_START, CF_END, CF_PROVIDER, CF_REFUND_STATUS,
    CF_TAKEN, CF_GIVEN, CF_COLUMNS
};

const kfm_sql kfm_cancel_sql[] = {
    /* id, token hash (booking or mails'), host subdomain */
    {"kf_cancel_facts_public",
     CANCEL_FACTS
     " WHERE r.id = %s::uuid AND (r.booking_token_hash = %s OR r.manage_token_hash = %s)"
     "   AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r"},
    {"kf_cancel_facts_admin",
     CANCEL_FACTS " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* amount, refund status (pending: the refund job asks the provider), id */
    {"kf_cancel_refund",
     "UPDATE payments SET refund_needed = true, flag_reason = 'cancelled', refund_amount = %s::bigint,"
     " refund_status = %s, refund_requested_at = now(), refund_next_at = now(), updated_at = now()"
     " WHERE id = %s::uuid"},
    {NULL, NULL},
};

typedef struct cancel_request {
    int by_merchant;
    const char *note;          /* the reason the person gave, or NULL */
    const char *refund_choice; /* "full" | "none" | "amount"; NULL: the tenant's policy */
    apr_int64_t refund_requested;
} cancel_request;

static json_t *answer(const char *v[], const char *status, apr_int64_t refund,
                      const char *refund_status)
{
    json_t *booking = json_pack("{s:s, s:s, s:s, s:s}", "id", v[CF_ID], "status", status,
                                "start", v[CF_START], "end", v[CF_END]);
    json_t *r = refund > 0 && refund_status
                    ? json_pack("{s:I, s:s, s:s}", "amount", (json_int_t)refund,
                                "currency", v[CF_CURRENCY], "status", refund_status)
                    : json_null();
    return json_pack("{s:o, s:o}", "booking", booking, "refund", r);
}

static int cancel_booking(kfm_req *kr, const char *facts_label, int nargs, const char **args,
                          const cancel_request *cq)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    kfm_rows *res = NULL;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_select(r, kr->db, facts_label, &res, nargs, args) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    const char *v[CF_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, v, CF_COLUMNS);
    int state = kf_res_state_parse(v[CF_STATUS]);
    kf_res_facts facts = {0};
    facts.before_cutoff = strcmp(v[CF_BEFORE_CUTOFF], "t") == 0;
    facts.by_merchant = cq->by_merchant;
    facts.money_taken = v[CF_PAYMENT] != NULL;
    kf_res_outcome o = kf_reservation_next(state < 0 ? KF_RES_HELD : (kf_res_state)state,
                                           KF_RES_CANCEL, &facts);
    if (o.refused) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_CONFLICT, o.refused);
    }
    if (!o.moved) {   /* cancelled before: the same answer again */
        kfm_db_rollback(r, &tx);
        return kfm_reply_json(kr, HTTP_OK, answer(v, "cancelled",
                                                 v[CF_REFUNDED] ? apr_atoi64(v[CF_REFUNDED]) : 0,
                                                 v[CF_REFUND_STATUS]));
    }
    apr_int64_t refund = 0;
    if ((o.effects & KF_RES_FX_REFUND_FLAG) &&
        kf_refund_on_cancel_taken(cq->refund_choice ? cq->refund_choice : v[CF_POLICY],
                                  apr_atoi64(v[CF_PAID]), cq->refund_requested,
                                  apr_atoi64(v[CF_TAKEN]), apr_atoi64(v[CF_GIVEN]),
                                  &refund) != 0) {
        kfm_db_rollback(r, &tx);
        json_t *fields = json_pack("{s:s}", "refund", kf_message("refund_amount_invalid", kr->locale));
        return kfm_reply_fields(kr, fields);
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    apr_status_t rv = kfm_booking_cancel(&c, kr->db, v[CF_ID], v[CF_STATUS], &o,
                                       cq->by_merchant ? "merchant" : "customer", cq->note);
    const char *refund_status = NULL;
    if (rv == APR_SUCCESS && refund > 0) {
        rv = kfm_refund_spread(r, kr->db, r->pool, v[CF_PAYMENT], v[CF_PROVIDER], refund,
                               apr_atoi64(v[CF_PAID]), &refund_status);
        if (rv == APR_SUCCESS) {
            /* the payment's refund_amount is its total: what went back before counts */
            const char *rargs[] = {apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                                refund + apr_atoi64(v[CF_GIVEN])),
                                   refund_status, v[CF_PAYMENT]};
            rv = kfm_db_exec(r, kr->db, "kf_cancel_refund", NULL, 3, rargs);
        }
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_cancel_effects(&c, kr->db, v[CF_ID], &o, facts.before_cutoff);
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = json_pack("{s:s, s:s, s:I}", "status", "cancelled", "by",
                                    cq->by_merchant ? "merchant" : "customer", "refund",
                                    (json_int_t)refund);
        rv = cq->by_merchant
                 ? kfm_audit(kr, kr->db, "booking.cancel", "booking", v[CF_ID], changes)
                 : kfm_audit_as(kr, kr->db, v[CF_TENANT], NULL, "booking.cancel", "booking",
                               v[CF_ID], changes);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* the slot is offered again at once */
    kfm_availability_cache_bump_professional(kr, v[CF_PROFESSIONAL]);
    return kfm_reply_json(kr, HTTP_OK, answer(v, "cancelled", refund, refund_status));
}

/* The optional reason of a cancellation: text of at most REASON_MAX characters. */
static int read_reason(kfm_req *kr, json_t *body, int required, const char **note, json_t *fields)
{
    kf_json_field f = kf_json_get_string(body, "reason", note);
    if (f == KF_JSON_FIELD_WRONG_TYPE) {
        json_object_set_new(fields, "reason", json_string(kf_message("field_wrong_type", kr->locale)));
        return -1;
    }
    if (f != KF_JSON_FIELD_OK || !**note) {
        *note = NULL;
        if (required) {
            json_object_set_new(fields, "reason", json_string(kf_message("field_required", kr->locale)));
            return -1;
        }
        return 0;
    }
    if (kf_utf8_length(*note) > REASON_MAX) {
        json_object_set_new(fields, "reason", json_string(kf_message("reason_too_long", kr->locale)));
        return -1;
    }
    return 0;
}

int kfm_handle_public_booking_cancel(kfm_req *kr)
{
    const char *args[5];
    json_t *body = NULL;
    if (!kfm_public_booking_args(kr, kfm_public_bearer(kr), args)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kr->r->remaining > 0 || apr_table_get(kr->r->headers_in, "Content-Type")) {
        if (kfm_read_json(kr, &body) != APR_SUCCESS) {
            return OK;
        }
    }
    cancel_request cq = {0, NULL, NULL, 0};
    json_t *fields = json_object();
    if (body && read_reason(kr, body, 0, &cq.note, fields) != 0) {
        return kfm_reply_fields(kr, fields);
    }
    json_decref(fields);
    return cancel_booking(kr, "kf_cancel_facts_public", 5, args, &cq);
}

int kfm_handle_admin_booking_cancel(kfm_req *kr)
{
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    cancel_request cq = {1, NULL, "full", 0};
    json_t *fields = json_object();
    read_reason(kr, body, 1, &cq.note, fields);
    json_t *refund = json_object_get(body, "refund");
    json_int_t amount = 0;
    if (!refund || json_is_null(refund)) {
        cq.refund_choice = "full";
    }
    else if (json_is_string(refund) && (strcmp(json_string_value(refund), "full") == 0 ||
                                        strcmp(json_string_value(refund), "none") == 0)) {
        cq.refund_choice = json_string_value(refund);
    }
    else if (json_is_object(refund) && kf_json_get_int(refund, "amount", &amount) == KF_JSON_FIELD_OK &&
             amount > 0) {
        cq.refund_choice = "amount";
        cq.refund_requested = amount;
    }
    else {
        json_object_set_new(fields, "refund", json_string(kf_message("refund_invalid", kr->locale)));
    }
    if (json_object_size(fields) > 0) {
        return kfm_reply_fields(kr, fields);
    }
    json_decref(fields);
    const char *args[] = {id, kr->session->tenant.id};
    return cancel_booking(kr, "kf_cancel_facts_admin", 2, args, &cq);
}
