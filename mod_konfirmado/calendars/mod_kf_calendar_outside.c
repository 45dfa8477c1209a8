/* Changes made outside to the events we wrote (API.md "outside changes"): when Google or
 * Outlook tells of a change in a professional's calendar (the webhooks), or each time the
 * sync job reads a calendar that tells of none (CalDAV), the upcoming events written there
 * for bookings are read again; one deleted or moved by the professional flags its booking
 * (kf_calendar_outside.h decides), which stays as it is until the merchant moves it to the
 * event's time (POST .../calendar-change/accept), puts the event back (.../restore) or
 * cancels it. */
#include "mod_kf_calendar.h"
#include "mod_kf_booking_mail.h"
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
     * only while our event is still that one and in step; audited as the calendar's doing
     * (no user, no address) */
    {"kf_cal_outside_flag",
     "WITH flagged AS (UPDATE calendar_events SET outside_change = %s,"
     "   outside_start = to_timestamp(%s::bigint), outside_end = to_timestamp(%s::bigint),"
     "   outside_seen_at = CASE WHEN %s::text IS NULL THEN NULL ELSE now() END,"
     "   updated_at = now()"
     "   WHERE reservation_id = %s::uuid AND event_id = %s AND due_at IS NULL"
     "   RETURNING tenant_id, reservation_id, outside_change)"
     " INSERT INTO audit_log (tenant_id, action, entity_type, entity_id, changes)"
     " SELECT tenant_id, CASE WHEN outside_change IS NULL THEN 'booking.calendar_restored'"
     "   ELSE 'booking.calendar_changed' END, 'booking', reservation_id::text,"
     "   CASE WHEN outside_change IS NULL THEN '{}'::jsonb"
     "   ELSE jsonb_build_object('kind', outside_change) END FROM flagged"},
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

/* Where a check runs: a request (the webhooks), whose connection is given back while the
 * calendar answers, or a job, which keeps its own throughout. */
typedef struct outside_run {
    const kfm_ctx *c;
    ap_dbd_t *db;
    kfm_req *kr;               /* NULL: a job */
} outside_run;

/* Reads the professional's upcoming events of ours again and stores what changed; `polled`:
 * only for a calendar whose changes are found by reading it again (the sync job's). */
static void check(outside_run *x, const char *professional_id, int polled)
{
    const kfm_ctx *c = x->c;
    kf_calendar_conn conn;
    kfm_rows *res = NULL;
    if (!x->db || kfm_calendar_conn_open(c, x->db, professional_id, 1, &conn) != APR_SUCCESS ||
        !conn.prov->read_event || (polled && !kf_calendar_outside_polled(conn.prov)) ||
        kfm_db_select(c->r, x->db, "kf_cal_outside_watch", &res, 1, &professional_id) != APR_SUCCESS) {
        return;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(x->db, c->p, res, KF_CAL_WATCH_COLUMNS, &n);
    if (n == 0) {
        return;
    }
    /* read every event (a request's connection given back), then store what changed */
    kf_cal_changed *found = apr_pcalloc(c->p, sizeof(*found) * (apr_size_t)n);
    apr_int64_t *starts = apr_pcalloc(c->p, sizeof(*starts) * (apr_size_t)n);
    apr_int64_t *ends = apr_pcalloc(c->p, sizeof(*ends) * (apr_size_t)n);
    kf_calendar_session s = kfm_calendar_session(c, &conn);
    const char *home = conn.grant.calendar_id;
    int read = 0;
    if (x->kr) {
        kfm_req_db_give_back(x->kr);
    }
    while (read < n) {
        const char *const *row = rows[read];
        const char *why = NULL;
        conn.grant.calendar_id = row[KF_CAL_WATCH_CALENDAR] ? row[KF_CAL_WATCH_CALENDAR] : home;
        kf_cal_outcome o = conn.prov->read_event(c->p, s.http, s.ep, &conn.grant,
                                                 row[KF_CAL_WATCH_EVENT], &starts[read],
                                                 &ends[read], &why);
        found[read] = kf_calendar_event_changed(o, apr_atoi64(row[KF_CAL_WATCH_START]),
                                                apr_atoi64(row[KF_CAL_WATCH_END]), starts[read],
                                                ends[read]);
        read++;
        if (o == KF_CAL_RETRY || o == KF_CAL_REVOKED) {
            break;   /* a calendar that does not answer is not asked for every event */
        }
    }
    conn.grant.calendar_id = home;
    if (x->kr) {
        if (!kfm_req_db_own(x->kr, NULL)) {
            return;
        }
        x->db = x->kr->db;
    }
    for (int i = 0; i < read; i++) {
        if (!kf_calendar_changed_news(rows[i], found[i], starts[i], ends[i])) {
            continue;
        }
        int moved = found[i] == KF_CAL_CHANGED_MOVED;
        const char *booking = rows[i][KF_CAL_WATCH_BOOKING];
        const char *kind = kf_calendar_changed_name(found[i]);
        const char *args[] = {kind, moved ? kfm_db_int64(c->p, starts[i]) : NULL,
                              moved ? kfm_db_int64(c->p, ends[i]) : NULL, kind, booking,
                              rows[i][KF_CAL_WATCH_EVENT]};
        int flagged = 0;
        if (kfm_db_exec(c->r, x->db, "kf_cal_outside_flag", &flagged, 6, args) != APR_SUCCESS ||
            flagged != 1) {
            continue;
        }
        KFM_CTX_LOG(c, APLOG_INFO, "booking %s: its event was %s in the professional's "
                    "calendar", booking, kind ? kind : "put back");
        if (kind && kfm_booking_mail_calendar_changed(c, x->db, booking, kind, args[1]) !=
                        APR_SUCCESS) {
            KFM_CTX_LOG(c, APLOG_WARNING, "booking %s: the professional's notice of the change "
                        "in their calendar could not be queued", booking);
        }
    }
}

void kfm_calendar_outside_check(kfm_req *kr, const char *professional_id)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    outside_run x = {&c, kr->db, kr};
    check(&x, professional_id, 0);
}

void kfm_calendar_outside_check_job(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id)
{
    outside_run x = {c, db, NULL};
    check(&x, professional_id, 1);
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
