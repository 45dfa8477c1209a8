/* GET /api/admin/bookings (list) and GET /api/admin/bookings/{id} (detail): the session's
 * tenant's reservations with their service, professional, customer and charge.
 *
 * Decisions (see also kf_booking_filter.h for the parameter rules):
 * - Order: start descending (latest first, as a dashboard shows them), ties by id
 *   descending, so that pages are stable.
 * - Holds (status held) are not bookings: listed only when status names them. The detail
 *   answers for any reservation of the tenant, holds included (the list can show them).
 *   customer=given leaves out every reservation without the customer's name: a hold gets
 *   it when it is booked, and erasure replaces it, never empties it.
 * - from/to filter on the start, whole days in the TENANT's zone, computed by PostgreSQL.
 * - Another tenant's id and a malformed id are both 404 booking_not_found. */
#include "mod_kf_booking_admin_columns.h"
#include "mod_kf_deliveries.h"
#include "mod_kf_booking_admin_feature.h"
#include "mod_kf_calendar.h"
#include "mod_kf_sql.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_session.h"
#include "mod_kf_payments.h"
#include "mod_kf_callbacks.h"
#include "mod_kf_bookings_feature.h"
#include "kf_deliveries.h"
#include "kf_json.h"
#include "kf_text.h"


#define BOOKING_COLUMNS "SELECT " KFM_SQL_COLUMNS(KFM_ADMIN_BOOKING_COLUMNS) " "

#define BOOKING_FROM \
    "FROM reservations r " \
    "JOIN tenants t ON t.id = r.tenant_id " \
    "JOIN services s ON s.id = r.service_id AND s.tenant_id = r.tenant_id " \
    "JOIN professionals p ON p.id = r.professional_id AND p.tenant_id = r.tenant_id " \
    "CROSS JOIN LATERAL (SELECT extract(epoch FROM (r.starts_at AT TIME ZONE t.timezone) " \
    "                    - (r.starts_at AT TIME ZONE 'UTC'))::int AS off) z "

/* Tenant id, then the KF_BOOKING_FILTER_ARGS arguments of kf_booking_filter_args. */
#define BOOKING_FILTER \
    "WHERE r.tenant_id = %s::uuid " \
    "AND ((%s::text IS NULL AND r.status <> 'held') " \
    "     OR r.status = ANY (string_to_array(%s::text, ','))) " \
    "AND (%s::uuid IS NULL OR r.service_id = %s::uuid) " \
    /* a team's booking is every member's (sql/084) */ \
    "AND (%s::uuid IS NULL OR %s::uuid = ANY (coalesce(r.team_ids, ARRAY[r.professional_id]))) " \
    "AND (%s::date IS NULL OR r.starts_at >= (%s::date)::timestamp AT TIME ZONE t.timezone) " \
    "AND (%s::date IS NULL OR r.starts_at < (%s::date + 1)::timestamp AT TIME ZONE t.timezone) " \
    "AND (%s::text IS NULL OR r.customer_name ILIKE %s::text ESCAPE '\\' " \
    "     OR r.customer_email ILIKE %s::text ESCAPE '\\') " \
    "AND (%s::text IS NULL OR EXISTS (SELECT 1 FROM merchant_callbacks mc " \
    "     WHERE mc.reservation_id = r.id AND mc.status = %s::text)) " \
    "AND (%s::text IS NULL OR EXISTS (SELECT 1 FROM payments pf " \
    "     WHERE pf.reservation_id = r.id AND pf.refund_needed)) " \
    "AND (%s::text IS NULL OR r.customer_name IS NOT NULL) "

const kfm_sql kfm_admin_bookings_sql[] = {
    {"kf_ab_list",
     BOOKING_COLUMNS BOOKING_FROM BOOKING_FILTER
     "ORDER BY r.starts_at DESC, r.id DESC LIMIT %s::int OFFSET %s::bigint"},
    {"kf_ab_count",
     "SELECT count(*) FROM reservations r JOIN tenants t ON t.id = r.tenant_id "
     BOOKING_FILTER},
    /* the export's batches: keyset on (starts_at, id), same order as the list */
    {"kf_ab_export_batch",
     BOOKING_COLUMNS BOOKING_FROM BOOKING_FILTER
     "AND (%s::timestamptz IS NULL OR (r.starts_at, r.id) < (%s::timestamptz, %s::uuid)) "
     "ORDER BY r.starts_at DESC, r.id DESC LIMIT %s::int"},
    /* the metadata keys of the bookings the export holds, "a,b" (a key has no comma) */
    {"kf_ab_export_metadata_keys",
     "SELECT string_agg(DISTINCT k, ',' ORDER BY k) FROM reservations r"
     " JOIN tenants t ON t.id = r.tenant_id"
     " CROSS JOIN LATERAL jsonb_object_keys(coalesce(r.metadata, '{}'::jsonb)) k "
     BOOKING_FILTER},
    {"kf_ab_detail",
     BOOKING_COLUMNS BOOKING_FROM "WHERE r.tenant_id = %s::uuid AND r.id = %s::uuid"},
    /* tenant, id: when its standing mark was made, and now (seconds since the epoch); no
     * row when it is not marked */
    {"kf_ab_mark",
     "SELECT extract(epoch FROM m.created_at)::bigint, extract(epoch FROM now())::bigint"
     " FROM reservations r CROSS JOIN LATERAL " KFM_SQL_STANDING_MARK("r") " m"
     " WHERE r.tenant_id = %s::uuid AND r.id = %s::uuid AND r.status IN " KFM_SQL_MARKED_STATES},
    /* tenant, id: the class of a seat (no row: the booking holds none) */
    {"kf_ab_class",
     "SELECT " KFM_SQL_COLUMNS(KFM_ADMIN_CLASS_COLUMNS)
     " FROM reservations r JOIN services s ON s.id = r.service_id"
     " WHERE r.tenant_id = %s::uuid AND r.id = %s::uuid AND r.seat IS NOT NULL"},
    /* tenant, id: the class's attendees, by seat: every booking made of it (not the holds,
     * which have no customer yet, nor what failed, expired or was cancelled) */
    {"kf_ab_class_attendees",
     "SELECT " KFM_SQL_COLUMNS(KFM_ADMIN_ATTENDEE_COLUMNS)
     " FROM reservations r JOIN reservations c ON c.seat_class = r.seat_class"
     "  AND c.seat IS NOT NULL AND c.status IN ('pending_payment', 'paid', 'confirmed',"
     "  'completed', 'no_show')"
     " WHERE r.tenant_id = %s::uuid AND r.id = %s::uuid AND r.seat IS NOT NULL"
     " ORDER BY c.seat, c.created_at, c.id"},
    {"kf_ab_history",
     "SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_CHANGE_COLUMNS)
     " FROM reservation_history h JOIN reservations r ON r.id = h.reservation_id "
     "WHERE r.tenant_id = %s::uuid AND h.reservation_id = %s::uuid "
     "ORDER BY h.created_at, h.id"},
    {NULL, NULL},
};

int kfm_admin_bookings_read_filter(kfm_req *kr, kf_booking_filter *f, int ignore_paging)
{
    const char *bad = NULL, *reason = NULL;
    if (kf_booking_filter_read(kr->r->pool, kr->r->args, ignore_paging, f, &bad, &reason) != 0) {
        kfm_reply_invalid_parameter(kr, bad, reason);
        return -1;
    }
    return 0;
}

static int reply_db_failure(kfm_req *kr)
{
    return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
}

int kfm_handle_admin_bookings_list(kfm_req *kr)
{
    kf_booking_filter f;
    if (kfm_admin_bookings_read_filter(kr, &f, 0) != 0) {
        return OK;
    }
    apr_pool_t *p = kr->r->pool;
    const char *args[1 + KF_BOOKING_FILTER_ARGS + 2];
    kf_booking_filter_args(kr->session->tenant.id, &f, args);

    ap_dbd_t *db = kfm_req_read_db(kr);   /* a list decides nothing: the replica's, if any */
    kfm_rows *res = NULL;
    if (kfm_db_select(kr->r, db, "kf_ab_count", &res, 1 + KF_BOOKING_FILTER_ARGS, args) !=
        APR_SUCCESS) {
        return reply_db_failure(kr);
    }
    const char *total = kfm_db_value(db, p, res, 0, 0);

    args[1 + KF_BOOKING_FILTER_ARGS] = apr_itoa(p, f.per_page);
    args[1 + KF_BOOKING_FILTER_ARGS + 1] =
        apr_off_t_toa(p, (apr_off_t)(f.page - 1) * (apr_off_t)f.per_page);
    if (kfm_db_select(kr->r, db, "kf_ab_list", &res, 1 + KF_BOOKING_FILTER_ARGS + 2, args) !=
        APR_SUCCESS) {
        return reply_db_failure(kr);
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(db, p, res, KF_BOOKING_COL_COUNT, &n);
    return kfm_reply_json(kr, HTTP_OK, kf_booking_list_page(rows, n, total, f.page, f.per_page));
}

/* The detail's "class" (kf_booking_class), NULL when the database failed. */
static json_t *class_of(kfm_req *kr, const char **args)
{
    const char *place[KF_CLASS_COL_COUNT];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_ab_class", 2, args, place,
                                        KF_CLASS_COL_COUNT);
    if (rv == APR_NOTFOUND) {
        return json_null();
    }
    kfm_rows *res = NULL;
    if (rv != APR_SUCCESS ||
        kfm_db_select(kr->r, kr->db, "kf_ab_class_attendees", &res, 2, args) != APR_SUCCESS) {
        return NULL;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, kr->r->pool, res,
                                                     KF_ATTENDEE_COL_COUNT, &n);
    return kf_booking_class(place, rows, n);
}

int kfm_handle_admin_booking_get(kfm_req *kr)
{
    const char *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    kfm_rows *changes = NULL, *mark = NULL;
    const char *args[] = {kr->session->tenant.id, id};
    const char *v[KF_BOOKING_COL_COUNT];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_ab_detail", 2, args, v,
                                        KF_BOOKING_COL_COUNT);
    if (rv == APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (rv != APR_SUCCESS) {
        return reply_db_failure(kr);
    }
    /* status changes, oldest first; until when its mark may change */
    if (kfm_db_select(kr->r, kr->db, "kf_ab_history", &changes, 2, args) != APR_SUCCESS ||
        kfm_db_select(kr->r, kr->db, "kf_ab_mark", &mark, 2, args) != APR_SUCCESS) {
        return reply_db_failure(kr);
    }
    json_t *booking = kf_booking_detail(v);
    kf_booking_detail_mark(kr->r->pool, booking, kfm_db_value(kr->db, kr->r->pool, mark, 0, 0),
                           kfm_db_value(kr->db, kr->r->pool, mark, 0, 1));
    int n = 0;
    const char *const *const *history = kfm_db_all_rows(kr->db, kr->r->pool, changes,
                                                        KF_BOOKING_CHANGE_COL_COUNT, &n);
    json_object_set_new(booking, "history", kf_booking_history(history, n));
    /* a seat of a group class: the class's places and who else booked it */
    json_t *group = class_of(kr, args);
    if (!group) {
        json_decref(booking);
        return reply_db_failure(kr);
    }
    json_object_set_new(booking, "class", group);
    /* an occurrence of a series: the series and its occurrences */
    if (kfm_booking_series_add(kr, id, booking) != APR_SUCCESS) {
        json_decref(booking);
        return reply_db_failure(kr);
    }
    /* payments: the newest payment (with its refund/mismatch flags and provider events),
     * every payment, the merchant callback and its attempts, the calendar event */
    json_t *payments = kfm_payment_admin_json(kr, kr->db, kr->session->tenant.id, id);
    json_t *callback = kfm_callback_admin_json(kr, kr->db, id);
    json_t *event = kf_json_own(kr->r->pool, kfm_calendar_event_view(kr, kr->db, id));
    kf_booking_detail_attach(booking, payments, callback, event);
    /* the event deleted or moved in the professional's calendar, for the merchant to act on */
    json_object_set_new(booking, "calendar_changed", kfm_calendar_outside_view(kr, kr->db, id));
    kf_callback_attempts_say_why(json_object_get(booking, "callback_attempts"));
    /* every mail, text and callback of the booking, failed ones with their error */
    json_t *deliveries = kfm_deliveries_of_booking(kr, id);
    if (!deliveries) {
        json_decref(booking);
        return reply_db_failure(kr);
    }
    json_object_set_new(booking, "deliveries", deliveries);
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "booking", booking));
}

int kfm_admin_booking_action(kfm_req *kr, const char **id, json_t **body)
{
    *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(*id)) {
        kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
        return 0;
    }
    return kfm_read_json(kr, body) == APR_SUCCESS;
}

int kfm_booking_lock(kfm_req *kr, const char *label, int nargs, const char *const *args,
                     kfm_tx *tx, const char **v, int n)
{
    apr_status_t rv = kfm_db_begin(kr->r, kr->db, tx);
    if (rv == APR_SUCCESS) {
        rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, label, nargs, args, v, n);
    }
    if (rv != APR_SUCCESS) {
        if (rv == APR_NOTFOUND) {
            kfm_rollback_and_reply(kr, tx, HTTP_NOT_FOUND, "booking_not_found");
        }
        else {
            kfm_rollback_and_reply(kr, tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        return 0;
    }
    return 1;
}

int kfm_admin_booking_lock(kfm_req *kr, const char *label, const char *id, kfm_tx *tx,
                          const char **v, int n)
{
    const char *args[] = {id, kr->session->tenant.id};
    return kfm_booking_lock(kr, label, 2, args, tx, v, n);
}
