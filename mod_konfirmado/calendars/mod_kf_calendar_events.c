/* The booking's event in the professional's calendar (API.md "Calendar connection"): a paid
 * booking creates it, a reschedule moves it (or, to another professional, deletes it there
 * and creates it here), a cancel deletes it. A group class has one event, written by its
 * booked seat with the lowest number and written again as its attendees change. A team's
 * booking (sql/084) has one event in each member's calendar: its professional's row in
 * calendar_events, every other member's in calendar_member_events, each written and deleted
 * the same way (the meeting room is the booking's, made by its professional's calendar).
 * The change only marks the row due, in its own
 * transaction; the event job does the provider calls with backoff, so a calendar that is
 * down never blocks or fails a booking, and the admin's booking detail shows where it is. */
#include "mod_kf_sql.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_calendar.h"
#include "mod_kf_jobs.h"
#include "mod_kf_session.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_callback_queue.h"
#include "kf_calendar_booking.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_views.h"
#include "kf_location.h"

#include <apr_strings.h>
#include <string.h>

#define BATCH 10
#define LEASE_SECONDS 120
const kfm_sql kfm_calendar_events_sql[] = {
    /* reservation: due when its professional has a calendar, or an event was written. A
     * seat of a class changes its class's one event: the class's booked seats are due too,
     * those of the class it was in before a reschedule as well (which of them writes the
     * event is read when it is written: KF_CAL_EV_COL_CLASS_LEAD). The booking and its
     * class's seats are two branches: joined by one OR, the generic plan read every booking
     * of the business for each booking queued (an index of theirs by business, ANDed in a
     * bitmap), seat or not; apart, the seats' branch stops at a booking with no seat. */
    {"kf_cal_event_queue",
     "INSERT INTO calendar_events (reservation_id, tenant_id, due_at)"
     " SELECT r.id, r.tenant_id, now() FROM ("
     "   SELECT b.id, b.tenant_id, b.professional_id FROM reservations b WHERE b.id = %s::uuid"
     "   UNION"
     "   SELECT r.id, r.tenant_id, r.professional_id FROM reservations b JOIN reservations r"
     "     ON r.tenant_id = b.tenant_id AND r.service_id = b.service_id"
     "     AND r.starts_at IN (b.starts_at, b.previous_starts_at)"
     "   WHERE b.id = %s::uuid AND b.seat IS NOT NULL AND r.seat IS NOT NULL"
     "     AND r.status IN " KFM_SQL_PAID_STATES ") r"
     " WHERE (EXISTS (SELECT 1 FROM calendar_connections c"
     "          WHERE c.professional_id = r.professional_id)"
     "        OR EXISTS (SELECT 1 FROM calendar_events e WHERE e.reservation_id = r.id))"
     " ON CONFLICT (reservation_id) DO UPDATE SET due_at = now(), attempts = 0,"
     " updated_at = now()"},
    /* batch, lease: the due rows of both tables, each claimed row's booking, attempts and
     * member (NULL: the booking's professional's row) */
    {"kf_cal_event_claim",
     "WITH arg AS (SELECT %s::int AS n, %s::int AS lease),"
     " due AS (SELECT reservation_id FROM calendar_events WHERE due_at <= now()"
     "   ORDER BY due_at LIMIT (SELECT n FROM arg) FOR UPDATE SKIP LOCKED),"
     " up AS (UPDATE calendar_events e SET"
     "   due_at = now() + make_interval(secs => (SELECT lease FROM arg)),"
     "   attempts = e.attempts + 1"
     "   FROM due WHERE e.reservation_id = due.reservation_id"
     "   RETURNING e.reservation_id, e.attempts, NULL::text AS member),"
     " mdue AS (SELECT reservation_id, member_id FROM calendar_member_events"
     "   WHERE due_at <= now() ORDER BY due_at LIMIT (SELECT n FROM arg) FOR UPDATE SKIP LOCKED),"
     " mup AS (UPDATE calendar_member_events e SET"
     "   due_at = now() + make_interval(secs => (SELECT lease FROM arg)),"
     "   attempts = e.attempts + 1 FROM mdue"
     "   WHERE e.reservation_id = mdue.reservation_id AND e.member_id = mdue.member_id"
     "   RETURNING e.reservation_id, e.attempts, e.member_id::text AS member)"
     " SELECT reservation_id, attempts, member FROM up"
     " UNION ALL SELECT reservation_id, attempts, member FROM mup"},
    /* reservation: due, for each other member of its team (sql/084) who has a calendar or
     * an event written */
    {"kf_cal_member_queue",
     "INSERT INTO calendar_member_events (reservation_id, member_id, tenant_id, due_at)"
     " SELECT r.id, m, r.tenant_id, now() FROM reservations r CROSS JOIN LATERAL"
     "   unnest(r.team_ids) m"
     " WHERE r.id = %s::uuid AND m <> r.professional_id"
     "   AND (EXISTS (SELECT 1 FROM calendar_connections c WHERE c.professional_id = m)"
     "        OR EXISTS (SELECT 1 FROM calendar_member_events e"
     "          WHERE e.reservation_id = r.id AND e.member_id = m))"
     " ON CONFLICT (reservation_id, member_id) DO UPDATE SET due_at = now(), attempts = 0,"
     " updated_at = now()"},
    {"kf_cal_event_facts",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_EVENT_COLUMNS)
     " FROM calendar_events e JOIN reservations r ON r.id = e.reservation_id"
     " JOIN professionals p ON p.id = r.professional_id JOIN services s ON s.id = r.service_id"
     " JOIN tenants t ON t.id = r.tenant_id WHERE e.reservation_id = %s::uuid"},
    /* reservation, member: the same of a member's event (p is the member) */
    {"kf_cal_member_facts",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_EVENT_COLUMNS)
     " FROM calendar_member_events e JOIN reservations r ON r.id = e.reservation_id"
     " JOIN professionals p ON p.id = e.member_id JOIN services s ON s.id = r.service_id"
     " JOIN tenants t ON t.id = r.tenant_id"
     " WHERE e.reservation_id = %s::uuid AND e.member_id = %s::uuid"},
    /* event id, professional, provider, start, end, calendar, class (as it said), reservation */
    {"kf_cal_event_written",
     "UPDATE calendar_events SET event_id = %s, professional_id = %s::uuid, provider = %s,"
     " written_start = to_timestamp(%s::bigint), written_end = to_timestamp(%s::bigint),"
     " last_error = NULL, updated_at = now(), calendar_id = %s, written_class = %s"
     " WHERE reservation_id = %s::uuid"},
    {"kf_cal_member_written",
     "UPDATE calendar_member_events SET event_id = %s, professional_id = %s::uuid,"
     " provider = %s, written_start = to_timestamp(%s::bigint),"
     " written_end = to_timestamp(%s::bigint), last_error = NULL, updated_at = now(),"
     " calendar_id = %s, written_class = %s WHERE reservation_id = %s::uuid AND member_id = %s::uuid"},
    /* the booking's own join URL, the invite's sequence grown: its LOCATION and URL change */
    {"kf_cal_event_meeting",
     "UPDATE reservations SET meeting_url = %s, ics_sequence = ics_sequence + 1"
     " WHERE id = %s::uuid AND meeting_url IS DISTINCT FROM %s"},
    {"kf_cal_event_cleared",
     "UPDATE calendar_events SET event_id = NULL, professional_id = NULL, provider = NULL,"
     " written_start = NULL, written_end = NULL, calendar_id = NULL, written_class = NULL,"
     " updated_at = now()"
     " WHERE reservation_id = %s::uuid"},
    {"kf_cal_member_cleared",
     "UPDATE calendar_member_events SET event_id = NULL, professional_id = NULL, provider = NULL,"
     " written_start = NULL, written_end = NULL, calendar_id = NULL, written_class = NULL,"
     " updated_at = now() WHERE reservation_id = %s::uuid AND member_id = %s::uuid"},
    /* in step: only while nobody queued it again meanwhile (due_at is the lease) */
    {"kf_cal_event_done",
     "UPDATE calendar_events SET due_at = NULL, attempts = 0, last_error = NULL,"
     " updated_at = now() WHERE reservation_id = %s::uuid AND due_at > now()"},
    {"kf_cal_member_done",
     "UPDATE calendar_member_events SET due_at = NULL, attempts = 0, last_error = NULL,"
     " updated_at = now() WHERE reservation_id = %s::uuid AND member_id = %s::uuid"
     " AND due_at > now()"},
    /* error, retry in seconds (NULL: given up), reservation */
    {"kf_cal_event_failed",
     "WITH upd AS (UPDATE calendar_events SET last_error = %s,"
     " due_at = now() + make_interval(secs => %s::int), updated_at = now()"
     " WHERE reservation_id = %s::uuid RETURNING tenant_id, professional_id)"
     " INSERT INTO metrics_incidents (tenant_id, professional_id, kind)"
     " SELECT tenant_id, professional_id, 'calendar_failure' FROM upd"},
    {"kf_cal_member_failed",
     "WITH upd AS (UPDATE calendar_member_events SET last_error = %s,"
     " due_at = now() + make_interval(secs => %s::int), updated_at = now()"
     " WHERE reservation_id = %s::uuid AND member_id = %s::uuid"
     " RETURNING tenant_id, member_id)"
     " INSERT INTO metrics_incidents (tenant_id, professional_id, kind)"
     " SELECT tenant_id, member_id, 'calendar_failure' FROM upd"},
    /* columns in the order of kf_calendar_views.h (KF_CAL_EV_VIEW_*) */
    {"kf_cal_event_view",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_EVENT_VIEW_COLUMNS)
     " FROM calendar_events e JOIN reservations r ON r.id = e.reservation_id"
     " WHERE e.reservation_id = %s::uuid AND r.tenant_id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kfm_calendar_event_queue(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id)
{
    const char *args[] = {reservation_id, reservation_id};   /* each branch's */
    apr_status_t rv = kfm_db_exec(c->r, db, "kf_cal_event_queue", NULL, 2, args);
    return rv == APR_SUCCESS ? kfm_db_exec(c->r, db, "kf_cal_member_queue", NULL, 1, args) : rv;
}

json_t *kfm_calendar_event_view(kfm_req *kr, ap_dbd_t *db, const char *reservation_id)
{
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id, kr->session ? kr->session->tenant.id : NULL};
    if (kfm_db_select(kr->r, db, "kf_cal_event_view", &res, 2, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) != 1) {
        return NULL;
    }
    const char *v[KF_CAL_EV_VIEW_COLUMNS];
    kfm_db_row(db, kr->r->pool, res, 0, v, KF_CAL_EV_VIEW_COLUMNS);
    return kf_calendar_event_json(v);
}

/* ---------------------------------------------------------------- the job */

typedef struct event_run {
    kfm_ctx *c;
    ap_dbd_t *db;
    const char *reservation_id;
    const char *member;      /* another member of a team (calendar_member_events), or NULL */
    const char **v;
    const char *why;
    int attempts;
} event_run;

/* The statement of a row's table: `booking` (calendar_events, keyed by the booking) or the
 * member's (calendar_member_events: the member's id one more argument, last). */
static const char *label_of(const event_run *x, const char *booking, const char *member)
{
    return x->member ? member : booking;
}

/* args (n of them, the booking last) and, for a member's row, the member: from x's pool. */
static const char **key_args(const event_run *x, const char *const *args, int n, int *count)
{
    const char **out = apr_palloc(x->c->p, sizeof(char *) * (apr_size_t)(n + 1));
    memcpy(out, args, sizeof(char *) * (apr_size_t)n);
    out[n] = x->member;
    *count = n + (x->member != NULL);
    return out;
}

/* A connection whose access token the provider refused: renewed once (kf_calendar_renew_fn). */
typedef struct event_conn {
    event_run *x;
    kf_calendar_conn *conn;
} event_conn;

static int renew_refused_token(void *data)
{
    event_conn *e = data;
    return kfm_calendar_conn_renew(e->x->c, e->x->db, e->conn) == APR_SUCCESS;
}

/* The meeting room the booking's place wants (kf_location_conference), its join URL aside. */
static const char *conference_of(const char *const *v)
{
    kf_location_source src = {v[KF_CAL_EV_COL_LOCATION_TYPE], v[KF_CAL_EV_COL_LOCATION_VALUE],
                              v[KF_CAL_EV_COL_LOCATION_PROVIDER], v[KF_CAL_EV_COL_PRO_VIDEO_URL],
                              v[KF_CAL_EV_COL_PRO_VIDEO_PROVIDER], NULL};
    kf_location place = kf_location_of(&src);
    return kf_location_conference(&place);
}

/* The meeting room the booking's place wants of a calendar of `prov` (NULL: none), with
 * meeting_url the booking's join URL so far (NULL: ask even when it has one). */
static const char *room_of(const char *const *v, const kf_calendar_provider *prov,
                           const char *meeting_url)
{
    return kf_calendar_room_wanted(prov, conference_of(v), meeting_url);
}

/* 1 while the booking's place waits for a room of its own: its customer was told the link
 * will follow, and the merchant's callback waits for it too (kfm_callback_room_settled). */
static int room_awaited(const char *const *v)
{
    const char *url = v[KF_CAL_EV_COL_MEETING_URL];
    return conference_of(v) && !(url && *url);
}

/* Keeps the join URL the calendar made: on the booking, and to the customer in a mail (the
 * confirmation said it would follow). */
static kf_cal_outcome keep_join_url(event_run *x, const char *join_url)
{
    const char *args[] = {join_url, x->reservation_id, join_url};
    int changed = 0;
    if (kfm_db_exec(x->c->r, x->db, "kf_cal_event_meeting", &changed, 3, args) != APR_SUCCESS) {
        return KF_CAL_RETRY;
    }
    if (changed && kfm_booking_mail_meeting_link(x->c, x->db, x->reservation_id) != APR_SUCCESS) {
        KFM_CTX_LOG(x->c, APLOG_WARNING, "booking %s: the mail with its meeting link could not "
                    "be queued", x->reservation_id);
    }
    return KF_CAL_OK;
}

/* Writes (or moves) the event in the booking's professional's calendar. */
static kf_cal_outcome write_event(void *data, const char *existing)
{
    event_run *x = data;
    kf_calendar_conn conn;
    apr_status_t rv = kfm_calendar_conn_open(x->c, x->db, x->v[KF_CAL_EV_COL_PROFESSIONAL], 1, &conn);
    if (rv != APR_SUCCESS) {
        x->why = rv == APR_ENOENT ? "the calendar is not connected" : "the calendar cannot be reached";
        return rv == APR_ENOENT || rv == APR_EACCES ? KF_CAL_FAILED : KF_CAL_RETRY;
    }
    if (existing && x->v[KF_CAL_EV_COL_WRITTEN_CALENDAR]) {
        /* moved where it is, though new events now go to another calendar */
        conn.grant.calendar_id = x->v[KF_CAL_EV_COL_WRITTEN_CALENDAR];
    }
    kf_cal_booking b = kf_calendar_booking_of(x->reservation_id, x->v);
    kf_cal_event ev = kf_calendar_booking_event(x->c->p, &b);
    /* a new event gets a room of its own; a written one only while it has none */
    const char *join_url = NULL;
    /* the meeting room is the booking's one, made by its professional's calendar */
    ev.conference = x->member ? NULL
                              : room_of(x->v, conn.prov,
                                        existing ? x->v[KF_CAL_EV_COL_MEETING_URL] : NULL);
    ev.conference_request = apr_pstrcat(x->c->p, "kf-", x->reservation_id, NULL);
    ev.join_url = &join_url;
    kf_calendar_session s = kfm_calendar_session(x->c, &conn);
    const char *id = NULL;
    event_conn e = {x, &conn};
    kf_cal_outcome o = kf_calendar_event_put_renewing(&s, &ev, existing, &id, renew_refused_token,
                                                      &e, &x->why);
    if (o != KF_CAL_OK) {
        return o;
    }
    const char *args[] = {id, x->v[KF_CAL_EV_COL_PROFESSIONAL], conn.prov->name,
                          x->v[KF_CAL_EV_COL_START], x->v[KF_CAL_EV_COL_END],
                          conn.grant.calendar_id, x->v[KF_CAL_EV_COL_CLASS], x->reservation_id};
    int n = 0;
    const char **keyed = key_args(x, args, 8, &n);
    if (kfm_db_exec(x->c->r, x->db, label_of(x, "kf_cal_event_written", "kf_cal_member_written"),
                    NULL, n, keyed) != APR_SUCCESS) {
        return KF_CAL_RETRY;
    }
    if (x->member) {
        return KF_CAL_OK;
    }
    if (!ev.conference) {
        /* a room this calendar cannot make (a Meet room, an Outlook calendar) never comes by
         * asking again: the merchant sees why on the booking's deliveries */
        x->why = room_awaited(x->v) ? kf_calendar_room_refusal(x->c->p, conn.prov,
                                                                 conference_of(x->v))
                                    : NULL;
        return x->why ? KF_CAL_FAILED : KF_CAL_OK;
    }
    if (!join_url) {
        /* the event stands; it is written again (asking again) until the room is made */
        x->why = "the calendar made no meeting room";
        return KF_CAL_RETRY;
    }
    return keep_join_url(x, join_url);
}

/* Deletes the written event from the calendar that holds it. */
static kf_cal_outcome delete_event(void *data)
{
    event_run *x = data;
    kf_calendar_conn conn;
    const char *key[] = {x->reservation_id};
    int n = 0;
    const char **args = key_args(x, key, 1, &n);
    apr_status_t rv = kfm_calendar_conn_open(x->c, x->db, x->v[KF_CAL_EV_COL_WRITTEN_PROFESSIONAL], 1, &conn);
    kf_cal_outcome o = KF_CAL_OK;
    if (rv == APR_SUCCESS) {
        if (x->v[KF_CAL_EV_COL_WRITTEN_CALENDAR]) {
            conn.grant.calendar_id = x->v[KF_CAL_EV_COL_WRITTEN_CALENDAR];
        }
        kf_calendar_session s = kfm_calendar_session(x->c, &conn);
        event_conn e = {x, &conn};
        o = kf_calendar_event_remove_renewing(&s, x->v[KF_CAL_EV_COL_EVENT_ID], renew_refused_token,
                                              &e, &x->why);
    }
    else if (rv != APR_ENOENT && rv != APR_EACCES) {
        x->why = "the calendar cannot be reached";
        return KF_CAL_RETRY;
    }
    if (o != KF_CAL_OK && kf_calendar_event_retry_in(o, x->attempts) < 0) {
        /* refused for good: left behind, for the orphans job and the merchant (a member's is
         * only logged) */
        if (x->member) {
            KFM_CTX_LOG(x->c, APLOG_WARNING, "booking %s: the event in member %s's calendar "
                        "is left behind: %s", x->reservation_id, x->member,
                        kf_calendar_failure_reason(o, x->why));
        }
        else if (kfm_calendar_orphan_event(x->c, x->db, x->reservation_id,
                                           kf_calendar_failure_reason(o, x->why)) != APR_SUCCESS) {
            return KF_CAL_RETRY;
        }
        o = KF_CAL_OK;
    }
    /* disconnected, refused or already gone: nothing is left to delete */
    if (o == KF_CAL_OK) {
        return kfm_db_exec(x->c->r, x->db, label_of(x, "kf_cal_event_cleared", "kf_cal_member_cleared"),
                           NULL, n, args) == APR_SUCCESS
                   ? KF_CAL_OK : KF_CAL_RETRY;
    }
    return o;
}

static void event_one(kfm_ctx *c, ap_dbd_t *db, const char **claimed)
{
    int attempts = atoi(claimed[1]);
    event_run x = {c, db, claimed[0], claimed[2], NULL, NULL, attempts};
    kfm_rows *res = NULL;
    const char *key[] = {x.reservation_id};
    int n = 0;
    const char **args = key_args(&x, key, 1, &n);
    if (kfm_db_select(c->r, db, label_of(&x, "kf_cal_event_facts", "kf_cal_member_facts"), &res,
                      n, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) != 1) {
        return;
    }
    x.v = apr_palloc(c->p, sizeof(char *) * KF_CAL_EV_COLUMNS);
    kfm_db_row(db, c->p, res, 0, x.v, KF_CAL_EV_COLUMNS);
    kf_cal_event_facts f = kf_calendar_event_facts_of(x.v);
    f.room_missing = !x.member &&
                     room_of(x.v, kf_calendar_provider_find(x.v[KF_CAL_EV_COL_CALENDAR_PROVIDER]),
                             x.v[KF_CAL_EV_COL_MEETING_URL]) != NULL;
    kf_cal_event_action action = kf_calendar_event_action(&f);
    static const kf_cal_event_steps steps = {write_event, delete_event};
    kf_cal_outcome o = kf_calendar_event_apply(action, x.v[KF_CAL_EV_COL_EVENT_ID], &steps, &x);
    int retry_in = kf_calendar_event_retry_in(o, attempts);
    if (!x.member && room_awaited(x.v) && retry_in < 0 &&
        kfm_callback_room_settled(c, db, x.reservation_id) != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "booking %s: its callback waits for the meeting room "
                    "until its time is up", x.reservation_id);
    }
    if (o == KF_CAL_OK) {
        kfm_db_exec(c->r, db, label_of(&x, "kf_cal_event_done", "kf_cal_member_done"), NULL, n,
                    args);
        if (action != KF_CAL_EVENT_NOTHING) {
            KFM_CTX_LOG(c, APLOG_INFO, "booking %s: calendar event %s", x.reservation_id,
                       kf_calendar_event_action_name(action));
        }
        return;
    }
    const char *failure[] = {kf_calendar_failure_reason(o, x.why),
                             retry_in >= 0 ? apr_itoa(c->p, retry_in) : NULL, x.reservation_id};
    const char **fargs = key_args(&x, failure, 3, &n);
    kfm_db_exec(c->r, db, label_of(&x, "kf_cal_event_failed", "kf_cal_member_failed"), NULL, n,
                fargs);
    KFM_CTX_LOG(c, APLOG_WARNING, "booking %s: calendar event %s failed (attempt %d%s): %s",
               x.reservation_id, kf_calendar_event_action_name(action), attempts,
               retry_in >= 0 ? ", retried later" : ", given up", fargs[0]);
}

static const kfm_claim_job events_job = {
    "calendar events", "kf_cal_event_claim", BATCH, LEASE_SECONDS, 3, event_one,
    "bookings are not written to professionals' calendars",
};

int kfm_calendar_events_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &events_job);
}
