#ifndef MOD_KF_PUBLIC_SQL_H
#define MOD_KF_PUBLIC_SQL_H
/* The text of the public availability statement and of the hold's judgement (mod_kf_public.c
 * prepares them; bench/statement_cost runs them through pgbench). Macros only, no httpd headers. */
#include "mod_kf_sql.h"

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

#endif
