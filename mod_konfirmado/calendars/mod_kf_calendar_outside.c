/* Changes made outside to the events we wrote (API.md "outside changes"): when Google or
 * Outlook tells of a change in a professional's calendar, the upcoming events written there
 * for bookings are read again; one deleted or moved by the professional flags its booking
 * (kf_calendar_outside.h decides), which stays as it is until the merchant moves it to the
 * event's time (POST .../calendar-change/accept), puts the event back (.../restore) or
 * cancels it. */
#include "mod_kf_calendar.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_calendar_outside.h"
#include "kf_calendar_providers.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

static kfm_calendar_cancelled_outside_fn *cancelled_outside;
static kfm_calendar_moved_outside_fn *moved_outside;

void kfm_calendars_when_changed_outside(kfm_calendar_cancelled_outside_fn *cancelled,
                                        kfm_calendar_moved_outside_fn *moved)
{
    cancelled_outside = cancelled;
    moved_outside = moved;
}

apr_status_t kfm_calendar_move_outside(kfm_req *kr, const char *booking_id, apr_int64_t start,
                                       const char *note)
{
    return moved_outside ? moved_outside(kr, booking_id, start, note) : APR_ENOTIMPL;
}

apr_status_t kfm_calendar_cancel_outside(kfm_req *kr, const char *booking_id, const char *note)
{
    return cancelled_outside ? cancelled_outside(kr, booking_id, note) : APR_ENOTIMPL;
}

#define WATCH_COLUMNS(FIRST, NEXT)                                                          \
    FIRST(KF_CAL_WATCH_BOOKING, "e.reservation_id")                                         \
    NEXT(KF_CAL_WATCH_EVENT, "e.event_id")                                                  \
    NEXT(KF_CAL_WATCH_CALENDAR, "e.calendar_id")                                            \
    NEXT(KF_CAL_WATCH_START, "extract(epoch FROM e.written_start)::bigint")                 \
    NEXT(KF_CAL_WATCH_END, "extract(epoch FROM e.written_end)::bigint")                     \
    NEXT(KF_CAL_WATCH_FLAG, "e.outside_change")                                             \
    NEXT(KF_CAL_WATCH_FLAG_START, "extract(epoch FROM e.outside_start)::bigint")            \
    NEXT(KF_CAL_WATCH_FLAG_END, "extract(epoch FROM e.outside_end)::bigint")
KFM_SQL_ROW_CHECK(WATCH_COLUMNS, KF_CAL_WATCH_COLUMNS)

#define CHANGED_COLUMNS(FIRST, NEXT)                                                        \
    FIRST(KF_CAL_CHANGED_COL_KIND, "e.outside_change")                                      \
    NEXT(KF_CAL_CHANGED_COL_START, KFM_SQL_RFC3339("e.outside_start"))                      \
    NEXT(KF_CAL_CHANGED_COL_END, KFM_SQL_RFC3339("e.outside_end"))                          \
    NEXT(KF_CAL_CHANGED_COL_SEEN, KFM_SQL_RFC3339("e.outside_seen_at"))
KFM_SQL_ROW_CHECK(CHANGED_COLUMNS, KF_CAL_CHANGED_COLUMNS)

/* What the actions need: the flag, its start (seconds), whether the booking holds a slot. */
#define ACTION_COLUMNS(FIRST, NEXT)                                                         \
    FIRST(ACTION_KIND, "e.outside_change")                                                  \
    NEXT(ACTION_START, "extract(epoch FROM e.outside_start)::bigint")                       \
    NEXT(ACTION_BOOKED, "r.status IN ('paid', 'confirmed')")                                \
    NEXT(ACTION_BOOKING_START, "extract(epoch FROM r.starts_at)::bigint")
enum { ACTION_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) ACTION_COLUMN_COUNT };

const kfm_sql kfm_calendar_outside_sql[] = {
    /* professional: the upcoming events written in its connected calendar, in step (no write
     * of ours in flight: due_at is NULL), the nearest first */
    {"kf_cal_outside_watch",
     "SELECT " KFM_SQL_COLUMNS(WATCH_COLUMNS)
     " FROM calendar_events e JOIN reservations r ON r.id = e.reservation_id"
     " JOIN calendar_connections c ON c.professional_id = e.professional_id"
     "   AND c.provider = e.provider AND c.status = 'connected'"
     " WHERE e.professional_id = %s::uuid AND e.event_id IS NOT NULL AND e.due_at IS NULL"
     "   AND r.status IN ('paid', 'confirmed') AND r.ends_at > now()"
     " ORDER BY r.starts_at LIMIT " KFM_SQL_INT(KF_CAL_WATCH_MAX)},
    /* kind (NULL: none), start, end (seconds), the kind again, reservation, the event read:
     * only while our event is still that one and in step */
    {"kf_cal_outside_flag",
     "UPDATE calendar_events SET outside_change = %s,"
     " outside_start = to_timestamp(%s::bigint), outside_end = to_timestamp(%s::bigint),"
     " outside_seen_at = CASE WHEN %s::text IS NULL THEN NULL ELSE now() END,"
     " updated_at = now()"
     " WHERE reservation_id = %s::uuid AND event_id = %s AND due_at IS NULL"},
    /* reservation, tenant */
    {"kf_cal_outside_view",
     "SELECT " KFM_SQL_COLUMNS(CHANGED_COLUMNS) " FROM calendar_events e"
     " JOIN reservations r ON r.id = e.reservation_id AND r.status IN ('paid', 'confirmed')"
     " WHERE e.reservation_id = %s::uuid AND e.tenant_id = %s::uuid"},
    /* reservation, tenant: locked for an action */
    {"kf_cal_outside_lock",
     "SELECT " KFM_SQL_COLUMNS(ACTION_COLUMNS)
     " FROM reservations r LEFT JOIN calendar_events e ON e.reservation_id = r.id"
     " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    {"kf_cal_outside_clear",
     "UPDATE calendar_events SET outside_change = NULL, outside_start = NULL,"
     " outside_end = NULL, outside_seen_at = NULL, updated_at = now()"
     " WHERE reservation_id = %s::uuid"},
    /* reservation: the event put back as the booking is. Deleted there: written anew; moved
     * there: what the calendar holds is where it is, so the event job moves it back. */
    {"kf_cal_outside_restore",
     "UPDATE calendar_events SET"
     " event_id = CASE WHEN outside_change = 'deleted' THEN NULL ELSE event_id END,"
     " professional_id = CASE WHEN outside_change = 'deleted' THEN NULL ELSE professional_id END,"
     " provider = CASE WHEN outside_change = 'deleted' THEN NULL ELSE provider END,"
     " calendar_id = CASE WHEN outside_change = 'deleted' THEN NULL ELSE calendar_id END,"
     " written_start = CASE WHEN outside_change = 'deleted' THEN NULL ELSE outside_start END,"
     " written_end = CASE WHEN outside_change = 'deleted' THEN NULL ELSE outside_end END,"
     " outside_change = NULL, outside_start = NULL, outside_end = NULL, outside_seen_at = NULL,"
     " due_at = now(), attempts = 0, last_error = NULL, updated_at = now()"
     " WHERE reservation_id = %s::uuid AND outside_change IS NOT NULL"},
    {NULL, NULL},
};

void kfm_calendar_outside_check(kfm_req *kr, const char *professional_id)
{
    request_rec *r = kr->r;
    kfm_ctx c = kfm_ctx_of_request(r);
    kf_calendar_conn conn;
    kfm_rows *res = NULL;
    if (!kr->db || kfm_calendar_conn_open(&c, kr->db, professional_id, 1, &conn) != APR_SUCCESS ||
        !conn.prov->read_event ||
        kfm_db_select(r, kr->db, "kf_cal_outside_watch", &res, 1, &professional_id) != APR_SUCCESS) {
        return;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res, KF_CAL_WATCH_COLUMNS, &n);
    if (n == 0) {
        return;
    }
    /* read every event with the request's connection given back, then store what changed */
    kf_cal_changed *found = apr_pcalloc(r->pool, sizeof(*found) * (apr_size_t)n);
    apr_int64_t *starts = apr_pcalloc(r->pool, sizeof(*starts) * (apr_size_t)n);
    apr_int64_t *ends = apr_pcalloc(r->pool, sizeof(*ends) * (apr_size_t)n);
    kf_calendar_session s = kfm_calendar_session(&c, &conn);
    const char *home = conn.grant.calendar_id;
    kfm_req_db_give_back(kr);
    for (int i = 0; i < n; i++) {
        const char *why = NULL;
        conn.grant.calendar_id = rows[i][KF_CAL_WATCH_CALENDAR] ? rows[i][KF_CAL_WATCH_CALENDAR]
                                                                : home;
        kf_cal_outcome o = conn.prov->read_event(r->pool, s.http, s.ep, &conn.grant,
                                                 rows[i][KF_CAL_WATCH_EVENT], &starts[i], &ends[i],
                                                 &why);
        found[i] = kf_calendar_event_changed(o, apr_atoi64(rows[i][KF_CAL_WATCH_START]),
                                             apr_atoi64(rows[i][KF_CAL_WATCH_END]), starts[i],
                                             ends[i]);
    }
    conn.grant.calendar_id = home;
    if (!kfm_req_db_own(kr, NULL)) {
        return;
    }
    for (int i = 0; i < n; i++) {
        if (!kf_calendar_changed_news(rows[i], found[i], starts[i], ends[i])) {
            continue;
        }
        int moved = found[i] == KF_CAL_CHANGED_MOVED;
        const char *booking = rows[i][KF_CAL_WATCH_BOOKING];
        const char *kind = kf_calendar_changed_name(found[i]);
        const char *args[] = {kind, moved ? kfm_db_int64(r->pool, starts[i]) : NULL,
                              moved ? kfm_db_int64(r->pool, ends[i]) : NULL, kind, booking,
                              rows[i][KF_CAL_WATCH_EVENT]};
        int flagged = 0;
        if (kfm_db_exec(r, kr->db, "kf_cal_outside_flag", &flagged, 6, args) != APR_SUCCESS ||
            flagged != 1) {
            continue;
        }
        kfm_audit_as(kr, kr->db, conn.tenant_id, NULL,
                     args[0] ? "booking.calendar_changed" : "booking.calendar_restored", "booking",
                     booking, args[0] ? json_pack("{s:s}", "kind", args[0]) : NULL);
        kfm_log(kr, APLOG_INFO, "booking %s: its event was %s in the professional's calendar",
                booking, args[0] ? args[0] : "put back");
    }
}

json_t *kfm_calendar_outside_view(kfm_req *kr, ap_dbd_t *db, const char *reservation_id)
{
    const char *v[KF_CAL_CHANGED_COLUMNS];
    const char *args[] = {reservation_id, kr->session->tenant.id};
    if (kfm_db_select_row(kr->r, db, kr->r->pool, "kf_cal_outside_view", 2, args, v,
                          KF_CAL_CHANGED_COLUMNS) != APR_SUCCESS) {
        return json_null();
    }
    return kf_calendar_changed_json(v);
}

/* The flagged booking, locked in tx; 0 after answering (404, 409 when nothing is flagged or
 * it holds no slot any more). */
static int lock_flagged(kfm_req *kr, const char *id, kfm_tx *tx, const char **v, int *reply)
{
    request_rec *r = kr->r;
    const char *args[] = {id, kr->session->tenant.id};
    if (!kf_is_uuid(id)) {
        *reply = kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
        return 0;
    }
    if (kfm_db_begin(r, kr->db, tx) != APR_SUCCESS) {
        *reply = kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return 0;
    }
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_cal_outside_lock", 2, args, v,
                                        ACTION_COLUMN_COUNT);
    if (rv != APR_SUCCESS) {
        *reply = kfm_rollback_and_reply(kr, tx, rv == APR_NOTFOUND ? HTTP_NOT_FOUND
                                                                   : HTTP_INTERNAL_SERVER_ERROR,
                                        rv == APR_NOTFOUND ? "booking_not_found" : "internal_error");
        return 0;
    }
    if (!v[ACTION_KIND] || !kf_text_true(v[ACTION_BOOKED])) {
        *reply = kfm_rollback_and_reply(kr, tx, HTTP_CONFLICT, "calendar_unchanged");
        return 0;
    }
    return 1;
}

int kfm_handle_admin_calendar_change_restore(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    const char *v[ACTION_COLUMN_COUNT];
    kfm_tx tx;
    int reply = OK;
    if (!lock_flagged(kr, id, &tx, v, &reply)) {
        return reply;
    }
    if (kfm_db_exec(r, kr->db, "kf_cal_outside_restore", NULL, 1, &id) != APR_SUCCESS ||
        kfm_audit(kr, kr->db, "booking.calendar_change.restore", "booking", id,
                  json_pack("{s:s}", "kind", v[ACTION_KIND])) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "calendar_changed", json_null()));
}

int kfm_handle_admin_calendar_change_accept(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    const char *v[ACTION_COLUMN_COUNT];
    kfm_tx tx;
    int reply = OK;
    if (!lock_flagged(kr, id, &tx, v, &reply)) {
        return reply;
    }
    kfm_db_rollback(r, &tx);   /* the move runs its own transaction, with its own lock */
    if (strcmp(v[ACTION_KIND], "moved") != 0) {
        /* a deleted event has no time to move to: restore it or cancel the booking */
        return kfm_reply_error(kr, HTTP_CONFLICT, "calendar_change_not_moved");
    }
    apr_int64_t start = apr_atoi64(v[ACTION_START]);
    apr_status_t rv = kfm_calendar_move_outside(kr, id, start, "Moved in the professional's calendar");
    if (rv == APR_EBUSY) {
        return kfm_reply_error(kr, HTTP_CONFLICT, "slot_unavailable");
    }
    if (rv != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* refused by another rule (no longer booked): the flag stays for the merchant */
    const char *now[ACTION_COLUMN_COUNT];
    const char *args[] = {id, kr->session->tenant.id};
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_cal_outside_lock", 2, args, now,
                          ACTION_COLUMN_COUNT) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!kf_text_true(now[ACTION_BOOKED]) ||
        apr_atoi64(now[ACTION_BOOKING_START]) != start) {
        return kfm_reply_error(kr, HTTP_CONFLICT, "invalid_transition");
    }
    if (kfm_db_exec(r, kr->db, "kf_cal_outside_clear", NULL, 1, &id) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "calendar_changed", json_null()));
}
