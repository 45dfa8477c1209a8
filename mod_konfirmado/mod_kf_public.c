/* Shared ground of the public booking API: see mod_kf_public.h. */
#include "mod_kf_public.h"
#include "kf_metrics.h"
#include "mod_kf_sql.h"
#include "kf_calendar.h"
#include "mod_kf_config.h"
#include "kf_host.h"
#include "kf_crypto.h"
#include "kf_text.h"

#include "util_script.h"

#include <apr_lib.h>

/* The availability statement. Row kinds (column `kind`):
 *   H  always one: id = status code, a = now, b/c = the period [from, to) in UTC,
 *      d = the first day shown (days since the epoch), e = display zone, g = when the
 *      link expires (NULL: never)
 *   S  the service: a duration, b interval, c buffer before, d buffer after (seconds),
 *      f earliest start (now + minimum notice), g latest start, exclusive (now + horizon)
 *   P  a professional: id, a = when its calendar's busy times were last read (NULL:
 *      never), b = 1 while a failed read waits for its retry, e = its calendar
 *      connection's status (none, connected, error)
 *   W  a working window: a/b UTC start/end, c = its local date (days since the epoch)
 *   B  a busy range: a/b the blocked range of an active reservation, f = when it stops
 *      blocking by itself: its expires_at, which only states with a deadline keep
 *      (kf_res_state_has_deadline; every move out of them clears it); NULL: never
 *      Also the busy times of a connected calendar (no f; everything past the window read
 *      is busy), less the times of the active
 *      reservations of that professional (its events written by us are not outside
 *      appointments; those slots are blocked by their reservations anyway).
 *   Z  the display zone's offset c (seconds east) from instant a on
 * Working ranges are wall-clock minutes of the professional's zone; PostgreSQL turns each
 * (date, minute) into an instant, so DST gaps and overlaps come out as PostgreSQL resolves
 * them, and a range lasts the absolute time between its two ends. The professional's
 * local dates cover the period with two days of margin on each side (zones differ by up to
 * 26 hours). The zone is only used once kf_tz_valid said yes (`zn`), so that an unknown
 * zone answers invalid_timezone instead of aborting the statement. */
/* The pieces shared by the availability statement and the hold's judgement (one place for
 * each rule of what is offered): they read CTE `a` (slug, sub, service_id, prof_id, now). */
#define AV_LINK_SVC_PROF_CTES                                                               \
    " link AS (SELECT l.id, l.tenant_id, l.service_id AS pre_s, l.professional_id AS pre_p," \
    "    NOT " KF_SQL_LINK_OPEN("l", "a.now") " AS expired, l.expires_at,"                \
    "    t.timezone AS ttz"                                                                   \
    "  FROM a JOIN booking_links l ON l.slug = a.slug AND l.active"                         \
    "  JOIN tenants t ON t.id = l.tenant_id AND (a.sub IS NULL OR t.subdomain = a.sub)),"   \
    " svc AS (SELECT s.* FROM a JOIN link ON true JOIN services s ON s.id = a.service_id"   \
    "    AND s.tenant_id = link.tenant_id AND s.archived_at IS NULL"                         \
    "    AND (link.pre_s IS NULL OR link.pre_s = s.id)),"                                   \
    " prof AS (SELECT p.id, p.timezone, cc.status AS cal_status, cc.synced_at AS cal_synced,"  \
    "    cc.sync_error IS NOT NULL AND cc.sync_due_at > now() AS cal_retry_pending,"         \
    "    cc.busy + tstzmultirange(tstzrange(cc.busy_until, NULL)) AS cal_busy"               \
    "  FROM a, link, svc"                                                                   \
    "  JOIN service_professionals sp ON sp.service_id = svc.id"                              \
    "  JOIN professionals p ON p.id = sp.professional_id AND p.archived_at IS NULL"          \
    "  LEFT JOIN calendar_connections cc ON cc.professional_id = p.id"                       \
    "  WHERE (a.prof_id IS NULL OR p.id = a.prof_id)"                                       \
    "    AND (link.pre_p IS NULL OR link.pre_p = p.id)),"

/* The status of the request; `tz_check` a WHEN of the display zone (or nothing). */
#define AV_STATUS_CTE(tz_check)                                                             \
    " st AS (SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM link) THEN 'link_not_found'"        \
    "    WHEN (SELECT expired FROM link) THEN 'link_expired'"                               \
    tz_check                                                                                \
    "    WHEN NOT EXISTS (SELECT 1 FROM svc) THEN 'service_not_found'"                      \
    "    WHEN a.prof_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM prof)"                    \
    "      THEN 'professional_not_found'"                                                   \
    "    ELSE 'ok' END AS code FROM a),"

/* Working ranges of every professional `prof` on the local dates of CTE `days` (d). */
#define AV_RANGES_CTE                                                                       \
    " ranges AS ("                                                                          \
    "  SELECT p.id AS prof, p.timezone AS ptz, dd.d, e.start_minute AS sm, e.end_minute AS em" \
    "  FROM prof p CROSS JOIN days dd JOIN professional_exceptions e"                       \
    "    ON e.professional_id = p.id AND e.day = dd.d AND NOT e.closed"                     \
    "  UNION ALL"                                                                           \
    "  SELECT p.id, p.timezone, dd.d, h.start_minute, h.end_minute"                         \
    "  FROM prof p CROSS JOIN days dd JOIN professional_hours h"                            \
    "    ON h.professional_id = p.id AND h.weekday = extract(isodow FROM dd.d)"             \
    "  WHERE NOT EXISTS (SELECT 1 FROM professional_exceptions e"                           \
    "                    WHERE e.professional_id = p.id AND e.day = dd.d))"

/* The S, P, W and B rows (see below); `range` the tstzrange of busy times to read; CTE `q`
 * has one row when the status is ok. */
#define AV_ROWS(range)                                                                      \
    " SELECT 'S', svc.id::text, svc.duration_minutes * 60, svc.slot_interval_minutes * 60,"  \
    "  svc.buffer_before_minutes * 60, svc.buffer_after_minutes * 60,"                      \
    "  ceil(extract(epoch FROM a.now) + svc.min_notice_minutes * 60)::bigint,"               \
    "  floor(extract(epoch FROM a.now + make_interval(days => svc.horizon_days)))::bigint,"  \
    "  NULL FROM a, svc, q"                                                                 \
    " UNION ALL"                                                                            \
    " SELECT 'P', p.id::text, floor(extract(epoch FROM p.cal_synced))::bigint,"              \
    "  CASE WHEN p.cal_retry_pending THEN 1 ELSE 0 END, NULL,"                               \
    "  NULL, NULL, NULL, COALESCE(p.cal_status, 'none')"                                    \
    " FROM prof p, q"                                                                       \
    " UNION ALL"                                                                            \
    " SELECT 'W', r.prof::text,"                                                            \
    "  extract(epoch FROM (r.d + make_interval(mins => r.sm)) AT TIME ZONE r.ptz)::bigint,"  \
    "  extract(epoch FROM (r.d + make_interval(mins => r.em)) AT TIME ZONE r.ptz)::bigint,"  \
    "  (r.d - DATE '1970-01-01')::bigint, NULL, NULL, NULL, NULL FROM ranges r"            \
    " UNION ALL"                                                                            \
    " SELECT 'B', r.professional_id::text, extract(epoch FROM lower(r.blocked))::bigint,"   \
    "  extract(epoch FROM upper(r.blocked))::bigint, NULL, NULL,"                           \
    "  ceil(extract(epoch FROM r.expires_at))::bigint, NULL, NULL"                          \
    " FROM q, a, prof p JOIN reservations r ON r.professional_id = p.id"                    \
    " WHERE r.status IN " KF_SQL_ACTIVE_STATES                                             \
    "  AND NOT " KF_SQL_DUE("r")                                                           \
    "  AND r.blocked && " range                                                             \
    " UNION ALL"                                                                            \
    " SELECT 'B', p.id::text, extract(epoch FROM lower(u))::bigint,"                         \
    "  extract(epoch FROM upper(u))::bigint, NULL, NULL, NULL, NULL, NULL"                  \
    " FROM q, a, prof p, LATERAL unnest((p.cal_busy - COALESCE((SELECT"                      \
    "     range_agg(tstzrange(r.starts_at, r.ends_at)) FROM reservations r"                  \
    "     WHERE r.professional_id = p.id AND r.status IN " KF_SQL_ACTIVE_STATES              \
    "       AND NOT " KF_SQL_DUE("r") "), '{}'::tstzmultirange))"                            \
    "   * tstzmultirange(" range ")) u"                                                     \
    " WHERE p.cal_busy IS NOT NULL"

#define AVAILABILITY_SQL                                                                    \
    "WITH a AS (SELECT %s::text AS slug, %s::text AS sub, %s::uuid AS service_id,"          \
    "    %s::uuid AS prof_id, %s::date AS from_arg, %s::int AS days, %s::text AS tz_arg,"   \
    "    now() AS now),"                                                                    \
    AV_LINK_SVC_PROF_CTES                                                                   \
    " zone AS (SELECT z.name, z.valid, CASE WHEN z.valid THEN z.name ELSE 'UTC' END AS zn"   \
    "  FROM (SELECT COALESCE(a.tz_arg, link.ttz) AS name,"                                  \
    "               kf_tz_valid(COALESCE(a.tz_arg, link.ttz)) AS valid FROM a, link) z),"   \
    AV_STATUS_CTE("    WHEN NOT (SELECT valid FROM zone) THEN 'invalid_timezone'")          \
    " q AS (SELECT d.from_day, d.from_day::timestamp AT TIME ZONE zone.zn AS q_from,"       \
    "    (d.from_day + a.days)::timestamp AT TIME ZONE zone.zn AS q_to"                      \
    "  FROM a, zone, st,"                                                                   \
    "  LATERAL (SELECT COALESCE(a.from_arg, (a.now AT TIME ZONE zone.zn)::date) AS from_day) d" \
    "  WHERE st.code = 'ok'),"                                                              \
    " days AS (SELECT q.from_day - 2 + i AS d FROM q, a, generate_series(0, a.days + 3) i)," \
    AV_RANGES_CTE ","                                                                       \
    " zs AS (SELECT g AS at,"                                                               \
    "    extract(epoch FROM (g AT TIME ZONE zone.zn) - (g AT TIME ZONE 'UTC'))::int AS off" \
    "  FROM q, zone, generate_series(q.q_from - interval '1 day', q.q_to + interval '1 day'," \
    "                                interval '1 day') g),"                                 \
    " zl AS (SELECT at, off, lag(off) OVER w AS prev_off, lag(at) OVER w AS prev_at"        \
    "  FROM zs WINDOW w AS (ORDER BY at))"                                                  \
    " SELECT 'H'::text AS kind, st.code AS id, floor(extract(epoch FROM a.now))::bigint AS a," \
    "  extract(epoch FROM q.q_from)::bigint AS b, extract(epoch FROM q.q_to)::bigint AS c,"  \
    "  (q.from_day - DATE '1970-01-01')::bigint AS d, NULL::bigint AS f,"                    \
    "  ceil(extract(epoch FROM (SELECT link.expires_at FROM link)))::bigint AS g,"          \
    "  zone.name AS e"                                                                      \
    " FROM a CROSS JOIN st LEFT JOIN q ON true LEFT JOIN zone ON true"                      \
    " UNION ALL"                                                                            \
    AV_ROWS("tstzrange(q.q_from - interval '1 day', q.q_to + interval '1 day')")            \
    " UNION ALL"                                                                            \
    " SELECT 'Z', NULL, extract(epoch FROM zl.at)::bigint, NULL, zl.off, NULL, NULL, NULL, NULL" \
    " FROM zl WHERE zl.prev_off IS NULL"                                                    \
    " UNION ALL"                                                                            \
    " SELECT 'Z', NULL, (SELECT extract(epoch FROM min(h))::bigint"                         \
    "    FROM zone, generate_series(zl.prev_at, zl.at, interval '15 minutes') h"            \
    "    WHERE extract(epoch FROM (h AT TIME ZONE zone.zn) - (h AT TIME ZONE 'UTC'))::int"  \
    "          = zl.off),"                                                                  \
    "  NULL, zl.off, NULL, NULL, NULL, NULL FROM zl WHERE zl.prev_off <> zl.off"            \
    " ORDER BY 1, 2, 3"

/* What judges ONE start of a hold (kfm_hold_judge_load): the same rows as availability's
 * (no zone rows), with the period [start, start + 1 s), the working ranges of the local
 * dates around the start, and the busy times within 26 hours of it (every window of the
 * start's local day lies within 25 hours of it, so "how booked the day is" is counted as
 * availability counts it). Plus one row A: a = live holds of the client address (counted
 * up to the limit only), b = seconds until the first of them ends; and when the status is
 * ok one row L: id = the link, e = its tenant (what the hold's insert needs). */
#define HOLD_JUDGE_SQL                                                                      \
    "WITH a AS (SELECT %s::text AS slug, %s::text AS sub, %s::uuid AS service_id,"          \
    "    %s::uuid AS prof_id, to_timestamp(%s::bigint) AS s, now() AS now),"               \
    AV_LINK_SVC_PROF_CTES                                                                   \
    AV_STATUS_CTE("")                                                                       \
    " q AS (SELECT a.s - interval '26 hours' AS q_from, a.s + interval '26 hours' AS q_to"  \
    "  FROM a, st WHERE st.code = 'ok'),"                                                   \
    " days AS (SELECT DISTINCT (a.s AT TIME ZONE p.timezone)::date + i AS d"                \
    "  FROM a, q, prof p, generate_series(-1, 1) i),"                                       \
    AV_RANGES_CTE ","                                                                       \
    " act AS (SELECT count(*) AS n, min(x.expires_at) AS first FROM (SELECT r.expires_at"   \
    "  FROM reservations r WHERE r.client_ip = %s::inet AND " KF_SQL_LIVE_HOLD("r")         \
    "  ORDER BY r.expires_at LIMIT %s::int) x)"                                             \
    " SELECT 'H'::text AS kind, st.code AS id, floor(extract(epoch FROM a.now))::bigint AS a," \
    "  extract(epoch FROM a.s)::bigint AS b, extract(epoch FROM a.s)::bigint + 1 AS c,"      \
    "  NULL::bigint AS d, NULL::bigint AS f,"                                                \
    "  ceil(extract(epoch FROM (SELECT link.expires_at FROM link)))::bigint AS g,"          \
    "  'UTC'::text AS e"                                                                    \
    " FROM a CROSS JOIN st"                                                                 \
    " UNION ALL"                                                                            \
    " SELECT 'L', link.id::text, NULL, NULL, NULL, NULL, NULL, NULL, link.tenant_id::text"  \
    " FROM link, q"                                                                         \
    " UNION ALL"                                                                            \
    " SELECT 'A', NULL, act.n,"                                                             \
    "  COALESCE(ceil(extract(epoch FROM act.first - now())), 0)::bigint,"                   \
    "  NULL, NULL, NULL, NULL, NULL FROM act"                                               \
    " UNION ALL"                                                                            \
    AV_ROWS("tstzrange(q.q_from, q.q_to)")                                                  \
    " ORDER BY 1, 2, 3"

const kfm_sql kfm_public_sql[] = {
    {"kf_public_availability", AVAILABILITY_SQL},
    {"kf_hold_judge", HOLD_JUDGE_SQL},
    {NULL, NULL},
};

int kfm_public_host(kfm_req *kr, const char **subdomain)
{
    /* the router answered 404 unknown_host before any handler for every other host */
    *subdomain = kr->host_tenant;
    return 1;
}

int kfm_public_reply_text(kfm_req *kr, int status, const char *json, apr_size_t len)
{
    request_rec *r = kr->r;
    r->status = status;
    ap_set_content_type(r, "application/json; charset=utf-8");
    apr_table_setn(r->headers_out, "Content-Language", kf_locale_tag(kr->locale));
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(json, (int)len, r);
    }
    return OK;
}

int kfm_public_http_status(const char *code)
{
    if (strcmp(code, "link_expired") == 0) {
        return HTTP_GONE;
    }
    if (strcmp(code, "invalid_timezone") == 0 || strcmp(code, "invalid_parameter") == 0) {
        return HTTP_BAD_REQUEST;
    }
    return HTTP_NOT_FOUND;
}

static int prof_index(const kfm_availability *av, const char *id)
{
    for (int i = 0; id && i < av->nprof; i++) {
        if (strcmp(av->prof_ids[i], id) == 0) {
            return i;
        }
    }
    return -1;
}

/* Columns of kf_public_availability: every row is (kind, id, seven values); what each
 * position holds depends on the kind (see the SELECTs above). */
enum { AV_KIND, AV_ID, AV_COLUMNS = 9 };
enum { H_STATUS = 1, H_NOW, H_FROM, H_TO, H_FROM_DAY, H_RUNS_OUT = 7, H_TIMEZONE };
enum { S_DURATION = 2, S_INTERVAL, S_BUFFER_BEFORE, S_BUFFER_AFTER, S_EARLIEST, S_LATEST };
enum { P_ID = 1, P_SYNCED = 2, P_RETRY_PENDING = 3, P_CALENDAR = 8 };
enum { W_PROF = 1, W_START, W_END, W_DAY };
enum { B_PROF = 1, B_START, B_END, B_EXPIRES = 6 };
enum { Z_AT = 2, Z_OFFSET = 4 };
enum { A_COUNT = 2, A_FIRST_ENDS_IN };

static apr_int64_t num(const char *v)
{
    return v ? apr_atoi64(v) : 0;
}

/* Runs `statement` (kf_public_availability or kf_hold_judge) and reads its rows into *av. */
static apr_status_t load_rows(kfm_req *kr, const char *statement, int nargs, const char **args,
                              kfm_availability *av)
{
    request_rec *r = kr->r;
    ap_dbd_t *db = kr->db;
    apr_dbd_results_t *res = NULL;
    memset(av, 0, sizeof(*av));
    av->status = "internal_error";
    av->runs_out_at = APR_INT64_MAX;
    if (kfm_db_select(r, db, statement, &res, nargs, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int nrows = kfm_db_rows(db, res);
    av->windows = apr_array_make(r->pool, 32, sizeof(kf_window));
    av->busy = apr_array_make(r->pool, 64, sizeof(kf_busy));
    av->changes = apr_array_make(r->pool, 4, sizeof(kf_tz_change));
    av->prof_ids = apr_pcalloc(r->pool, sizeof(char *) * (apr_size_t)(nrows + 1));
    av->prof_calendars = apr_pcalloc(r->pool, sizeof(char *) * (apr_size_t)(nrows + 1));
    av->prof_synced_at = apr_pcalloc(r->pool, sizeof(apr_int64_t) * (apr_size_t)(nrows + 1));
    av->prof_retry_pending = apr_pcalloc(r->pool, sizeof(int) * (apr_size_t)(nrows + 1));

    /* Rows come ordered by kind: A, B, H, L, P, S, W, Z. Busy rows name professionals that are
     * only indexed by the P rows after them, so they are resolved in a second pass. */
    const char *v[AV_COLUMNS];
    apr_dbd_row_t *row;
    int first_busy = -1, nbusy_rows = 0;
    for (int i = 0; i < nrows; i++) {
        row = NULL;
        if (apr_dbd_get_row(db->driver, r->pool, res, &row, i + 1) != 0) {
            return APR_EGENERAL;
        }
        for (int c = 0; c < AV_COLUMNS; c++) {
            v[c] = NULL;
            if (apr_dbd_datum_get(db->driver, row, c, APR_DBD_TYPE_STRING, &v[c]) != APR_SUCCESS) {
                v[c] = NULL;
            }
        }
        switch (v[AV_KIND] ? v[AV_KIND][0] : 0) {
        case 'L':
            av->link_id = v[AV_ID];
            av->tenant_id = v[H_TIMEZONE];   /* column e */
            break;
        case 'A':
            av->active_holds = (int)num(v[A_COUNT]);
            av->first_hold_ends_in = num(v[A_FIRST_ENDS_IN]);
            break;
        case 'H':
            av->status = v[H_STATUS];
            av->now = num(v[H_NOW]);
            if (v[H_RUNS_OUT]) {
                av->runs_out_at = num(v[H_RUNS_OUT]);
            }
            av->timezone = v[H_TIMEZONE];
            av->params.from = num(v[H_FROM]);
            av->params.to = num(v[H_TO]);
            av->from_day = num(v[H_FROM_DAY]);
            break;
        case 'S':
            av->params.duration = (int)num(v[S_DURATION]);
            av->params.interval = (int)num(v[S_INTERVAL]);
            av->params.buffer_before = (int)num(v[S_BUFFER_BEFORE]);
            av->params.buffer_after = (int)num(v[S_BUFFER_AFTER]);
            av->params.earliest = num(v[S_EARLIEST]);
            av->params.latest = num(v[S_LATEST]);
            break;
        case 'P':
            av->prof_ids[av->nprof] = v[P_ID];
            av->prof_calendars[av->nprof] = v[P_CALENDAR];
            av->prof_synced_at[av->nprof] = num(v[P_SYNCED]);
            av->prof_retry_pending[av->nprof] = (int)num(v[P_RETRY_PENDING]);
            av->nprof++;
            break;
        case 'W': {
            kf_window *w = apr_array_push(av->windows);
            w->prof = prof_index(av, v[W_PROF]);
            w->start = num(v[W_START]);
            w->end = num(v[W_END]);
            w->day = (int)num(v[W_DAY]);
            break;
        }
        case 'B':
            if (first_busy < 0) {
                first_busy = i;
            }
            nbusy_rows++;
            break;
        case 'Z': {
            kf_tz_change *z = apr_array_push(av->changes);
            z->at = num(v[Z_AT]);
            z->offset = (int)num(v[Z_OFFSET]);
            break;
        }
        default:
            break;
        }
    }
    for (int i = first_busy; i >= 0 && i < first_busy + nbusy_rows; i++) {
        row = NULL;
        const char *id = NULL, *lo = NULL, *hi = NULL, *until = NULL;
        if (apr_dbd_get_row(db->driver, r->pool, res, &row, i + 1) != 0) {
            return APR_EGENERAL;
        }
        apr_dbd_datum_get(db->driver, row, B_PROF, APR_DBD_TYPE_STRING, &id);
        apr_dbd_datum_get(db->driver, row, B_START, APR_DBD_TYPE_STRING, &lo);
        apr_dbd_datum_get(db->driver, row, B_END, APR_DBD_TYPE_STRING, &hi);
        apr_dbd_datum_get(db->driver, row, B_EXPIRES, APR_DBD_TYPE_STRING, &until);
        if (until && num(until) < av->runs_out_at) {
            av->runs_out_at = num(until);
        }
        kf_busy *b = apr_array_push(av->busy);
        b->prof = prof_index(av, id);
        /* an unbounded range (never written by us) blocks everything on that side */
        b->start = lo ? num(lo) : APR_INT64_MIN / 2;
        b->end = hi ? num(hi) : APR_INT64_MAX / 2;
    }
    if (!av->status) {
        av->status = "internal_error";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_availability_load(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *service_id, const char *professional_id,
                           const char *from_day, int days, const char *tz, kfm_availability *av)
{
    const char *args[] = {slug, subdomain, service_id, professional_id, from_day,
                          apr_itoa(kr->r->pool, days), tz};
    return load_rows(kr, "kf_public_availability", 7, args, av);
}

apr_status_t kfm_hold_judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                                 const char *service_id, const char *professional_id,
                                 apr_int64_t start, const char *client_ip, int limit,
                                 kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    const char *args[] = {slug, subdomain, service_id, professional_id,
                          apr_psprintf(p, "%" APR_INT64_T_FMT, start), client_ip,
                          apr_itoa(p, limit)};
    return load_rows(kr, "kf_hold_judge", 7, args, av);
}

int kfm_availability_slots(kfm_req *kr, kfm_availability *av, kf_slots_mode mode, kf_slot **slots)
{
    apr_int64_t margin = 86400;
    apr_int64_t stale = kfm_conf_calendar_stale(kr->conf);
    for (int i = 0; i < av->nprof; i++) {
        const char *status = av->prof_calendars[i];
        apr_int64_t until = kf_calendar_busy_known_until(status, av->prof_synced_at[i], stale);
        if (until < av->runs_out_at) {
            av->runs_out_at = until;   /* the answer changes when the busy times go stale */
        }
        if (!kf_calendar_busy_known(status, av->prof_synced_at[i], av->now, stale)) {
            /* busy times unknown or too old: offer nothing of that professional rather than
             * risk a double booking */
            kf_busy *b = apr_array_push(av->busy);
            b->prof = i;
            b->start = av->params.from - margin;
            b->end = av->params.to + margin;
            kfm_log(kr, APLOG_DEBUG, "calendar of professional %s: busy times not known, no slots",
                    av->prof_ids[i]);
        }
    }
    return kf_slots_compute(kr->r->pool, &av->params, av->nprof,
                            (const kf_window *)av->windows->elts, av->windows->nelts,
                            (const kf_busy *)av->busy->elts, av->busy->nelts, mode, slots);
}

const char *kfm_public_visit(kfm_req *kr)
{
    const char *visit = apr_table_get(kr->r->headers_in, KF_VISIT_HEADER);
    return kf_visit_id_ok(visit) ? visit : NULL;
}

const char *kfm_public_bearer(kfm_req *kr)
{
    const char *auth = apr_table_get(kr->r->headers_in, "Authorization");
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) {
        return NULL;
    }
    const char *token = auth + 7;
    while (*token == ' ') {
        token++;
    }
    return kf_token_shape_ok(token) ? token : NULL;
}

const char *kfm_public_query_token(kfm_req *kr)
{
    apr_table_t *q = NULL;
    ap_args_to_table(kr->r, &q);
    return q ? apr_table_get(q, "token") : NULL;
}

int kfm_public_booking_args(kfm_req *kr, const char *token, const char *args[5])
{
    const char *id = apr_table_get(kr->params, "id");
    const char *subdomain = NULL;
    if (!kfm_public_host(kr, &subdomain) || !kf_is_uuid(id) || !kf_token_shape_ok(token)) {
        return 0;
    }
    const char *hash = kf_sha256_hex(kr->r->pool, token, strlen(token));
    args[0] = id;
    args[1] = hash;
    args[2] = hash;
    args[3] = subdomain;
    args[4] = subdomain;
    return 1;
}
