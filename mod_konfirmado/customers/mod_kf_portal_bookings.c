/* GET /api/public/me/bookings?scope=upcoming|past (API.md "Customer portal"): the signed-in
 * customer's bookings with the host's tenant, each as its status page tells it (the same
 * columns and JSON, kf_booking_status_view: status, service, professional, place, payment,
 * what the tenant's policy still allows, a series' place and sessions) plus the booking's
 * manage page, whose endpoints do the cancel and the reschedule. A tab holds at most
 * KF_PORTAL_LIST_MAX bookings. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_portal.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_payments.h"
#include "mod_kf_booking_status.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_sql.h"
#include "kf_booking_status.h"
#include "kf_portal.h"
#include "kf_query.h"

#include <apr_strings.h>
#include <string.h>

#define KF_PORTAL_LIST_MAX "100"

/* A booking as its status page reads it, then its manage token, its end and whether it is
 * one of a series (whose sessions are read then, as its status page reads them). */
enum { COL_MANAGE_SEALED = KF_BSTATUS_COL_COUNT, COL_ENDS_EPOCH, COL_IN_SERIES, COL_COUNT };
#define PORTAL_BOOKING_COLUMNS(FIRST, NEXT)                                                 \
    KFM_BOOKING_STATUS_COLUMNS(FIRST, NEXT)                                                 \
    NEXT(COL_MANAGE_SEALED, "r.manage_token_sealed")                                        \
    NEXT(COL_ENDS_EPOCH, "floor(extract(epoch FROM r.ends_at))::bigint")                    \
    NEXT(COL_IN_SERIES, "r.series_id IS NOT NULL")
KFM_SQL_ROW_CHECK(PORTAL_BOOKING_COLUMNS, COL_COUNT)

/* What the portal lists: the customer's bookings, not the holds and the payments that were
 * never completed (expired, failed). tenant, email. */
#define PORTAL_BOOKINGS(when, order) \
    "SELECT " KFM_SQL_COLUMNS(PORTAL_BOOKING_COLUMNS) KFM_BOOKING_STATUS_FROM \
    " WHERE r.tenant_id = %s::uuid AND lower(r.customer_email) = %s" \
    "   AND r.status NOT IN ('held', 'expired', 'failed') AND " when \
    " ORDER BY r.starts_at " order " LIMIT " KF_PORTAL_LIST_MAX

const kfm_sql kfm_portal_bookings_sql[] = {
    {"kf_portal_bookings_upcoming", PORTAL_BOOKINGS("r.ends_at > now()", "ASC")},
    {"kf_portal_bookings_past", PORTAL_BOOKINGS("r.ends_at <= now()", "DESC")},
    {NULL, NULL},
};

int kfm_handle_portal_bookings(kfm_req *kr)
{
    request_rec *r = kr->r;
    apr_table_t *q = NULL;
    const char *bad = NULL;
    if (kf_query_parse(r->pool, r->args, &q, &bad) != KF_QUERY_OK) {
        return kfm_reply_invalid_parameter(kr, bad, "invalid_parameter");
    }
    kf_portal_scope scope;
    if (!kf_portal_scope_parse(apr_table_get(q, "scope"), &scope)) {
        return kfm_reply_invalid_parameter(kr, "scope", "invalid_parameter");
    }
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    const char *args[] = {me.tenant_id, me.email};
    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, scope == KF_PORTAL_PAST ? "kf_portal_bookings_past"
                                                          : "kf_portal_bookings_upcoming",
                      &res, 2, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    apr_int64_t now = apr_time_sec(r->request_time);
    json_t *items = json_array();
    int n = kfm_db_rows(kr->db, res);
    for (int i = 0; i < n; i++) {
        const char *v[COL_COUNT];
        kfm_db_row(kr->db, r->pool, res, i, v, COL_COUNT);
        json_t *payment = kfm_payment_status_json(kr, kr->db, v[KF_BSTATUS_COL_ID]);
        json_t *status = kf_booking_status_view(r->pool, v, payment);
        if (v[COL_IN_SERIES] && strcmp(v[COL_IN_SERIES], "t") == 0 &&
            kfm_booking_series_add(kr, v[KF_BSTATUS_COL_ID], json_object_get(status, "booking")) !=
                APR_SUCCESS) {
            json_decref(status);
            json_decref(items);
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        /* the manage page's token opens the booking until a while after its end */
        apr_int64_t ends = apr_atoi64(v[COL_ENDS_EPOCH]);
        const char *manage = kf_booking_token_open(ends, now)
                                 ? kfm_booking_manage_url(&c, kr->db, v[KF_BSTATUS_COL_ID],
                                                          v[COL_MANAGE_SEALED])
                                 : NULL;
        json_array_append_new(items, kf_portal_booking(status, manage, ends <= now));
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o, s:s}", "items", items, "scope",
                                                 scope == KF_PORTAL_PAST ? "past" : "upcoming"));
}
