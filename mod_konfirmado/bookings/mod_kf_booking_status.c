/* GET /api/public/bookings/{id}?token= (API.md "Public booking API"): a booking as its
 * customer's browser or its mails' link reads it; back from the checkout, the provider is
 * asked about its payment first. */
#include "mod_kf_booking_status.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_payments.h"
#include "mod_kf_public_request.h"
#include "kf_booking_status.h"

#include "util_script.h"

const kfm_sql kfm_booking_status_sql[] = {
    /* id, booking token hash, the same as manage token hash, host subdomain. Whether the
     * expiry rule holds for it (due but not yet swept): the state machine says what that
     * makes of the stored state (kf_res_state_seen), not a CASE here. */
    {"kf_booking_status",
     KFM_BOOKING_STATUS_SELECT
     " WHERE r.id = %s::uuid AND " KFM_SQL_TOKEN_OPENS("r")
     "   AND (%s::text IS NULL OR t.subdomain = %s::text)"},
    /* id: the occurrences of the series the booking is one of, in order (none: no series) */
    {"kf_booking_occurrences",
     "SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_OCCURRENCE_COLUMNS)
     " FROM reservations me JOIN reservations o ON o.series_id = me.series_id"
     " WHERE me.id = %s::uuid ORDER BY o.series_index"},
    {NULL, NULL},
};

apr_status_t kfm_booking_series_add(kfm_req *kr, const char *id, json_t *booking)
{
    request_rec *r = kr->r;
    kfm_rows *res = NULL;
    const char *args[] = {id};
    if (kfm_db_select(r, kr->db, "kf_booking_occurrences", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res, KF_OCC_COLUMNS, &n);
    kf_booking_series_view(booking, rows, n);
    return APR_SUCCESS;
}

int kfm_handle_public_booking_status(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    apr_table_t *q = NULL;
    const char *args[5], *v[KF_BSTATUS_COL_COUNT];
    ap_args_to_table(r, &q);
    /* the booking token (the browser that booked) or the manage token of its mails, as
     * Bearer (kept out of access logs) or ?token=; the return from the checkout also
     * brings ?id= */
    const char *token = kfm_public_bearer(kr);
    if (!kfm_public_booking_args(kr, token ? token : apr_table_get(q, "token"), args)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_public_booking_token_expired(kr, args)) {
        return kfm_reply_error(kr, HTTP_GONE, "token_expired");
    }
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_booking_status", 5, args, v,
                                        KF_BSTATUS_COL_COUNT);
    if (rv == APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (rv != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* payments: back from the checkout with ?id=<transaction> (a hint, never looked up): ask
     * the provider about the payment with the merchant's key now (same code path as its
     * webhook), then answer with what that changed */
    const char *transaction = apr_table_get(q, "id");
    if (transaction && *transaction && kf_booking_status_awaits_approval(v)) {
        if (!kfm_payment_check_return(kr, id)) {
            return kfm_reply_db_unavailable(kr, KFM_DB_DOWN);
        }
        if (kfm_db_select_row(r, kr->db, r->pool, "kf_booking_status", 5, args, v,
                              KF_BSTATUS_COL_COUNT) != APR_SUCCESS) {
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    json_t *payment = kfm_payment_status_json(kr, kr->db, id);
    json_t *view = kf_booking_status_view(r->pool, v, payment);
    if (v[KF_BSTATUS_COL_SERIES] && strcmp(v[KF_BSTATUS_COL_SERIES], "t") == 0 &&
        kfm_booking_series_add(kr, id, json_object_get(view, "booking")) != APR_SUCCESS) {
        json_decref(view);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, view);
}
