#ifndef MOD_KF_PUBLIC_SQL_H
#define MOD_KF_PUBLIC_SQL_H
#include "mod_kf_sql.h"
/* The statements that read what availability and a hold's judgement are computed from
 * (mod_kf_availability_facts.c prepares them; bench/statement_cost runs them through pgbench). Macros
 * only, no httpd headers.
 *
 * They return the catalog's and the calendar's facts raw, as plain index reads in one
 * UNION ALL: no zone arithmetic and no rule in SQL. What a date's working ranges are
 * (lib/availability/kf_hours.c), their instants and the display zone's offsets (lib/availability/kf_zone.c, the same
 * tzdata files and gap/overlap answers as PostgreSQL's), the link's, service's and
 * professional's checks and the calendar's busy times less our own bookings
 * (kf_busy_less) are computed by the module (mod_kf_availability_facts.c). Row kinds (column k):
 *   L  the link (at most one): id, w = tenant, x = tenant's zone, y/z = the service and the
 *      professional it prescribes (NULL: any), a = when it expires (microseconds since the
 *      epoch, NULL: never), b = the database's clock now (microseconds), c = 1 when it has
 *      expired (KFM_SQL_LINK_OPEN)
 *   S  the service, if not archived (any tenant: compared with the link's): w = tenant,
 *      x = capacity (customers per start), y = its team's size (NULL: none),
 *      z = its series rule (NULL: none), a duration, b interval, c/d buffers
 *      before/after, e minimum notice (minutes), f horizon (days)
 *   P  a professional of the service, not archived: w = zone, x = calendar connection
 *      status (NULL: none), a = when its busy times were last read (NULL: never), b = 1 while
 *      a failed read waits for its retry, c = 1 when it has busy times (stored), d = the end
 *      of the period they cover (past it everything is busy; NULL with c = 1: everything),
 *      e = after a failed read, when its retry is due (microseconds; b turns 0 then),
 *      f = 1 when its calendar keeps bookable hours of its own (Cal.com's)
 *   H  a weekly range: a = ISO weekday, b/c = start/end minute
 *   E  a dated exception within [day_lo, day_hi]: a = the date (days since the epoch),
 *      b = 1 when closed, c/d = start/end minute
 *   B  an active reservation blocking part of the period: y = 't' when it holds a seat of
 *      a class of the service asked for, a/b its blocked range (seconds),
 *      c = when it stops blocking by itself (its expires_at, which only states with a
 *      deadline keep: kf_res_state_has_deadline; NULL: never), d/e its start and end,
 *      f = that expires_at in microseconds (it stops being returned then); a team's booking
 *      (sql/084) gives one for each of its members
 *   C  a stored calendar busy time within the period: a/b (NULL: unbounded)
 *   O  a stored calendar bookable time within the period: a/b
 *   A  (holds only) a = live holds of the client network, counted up to the limit,
 *      b = seconds until the first of them ends
 *   V  (availability) id = the owners whose versions cover every row above (a uuid[]:
 *      the catalog's and the professionals' of the service, sql/031), w = their versions
 *      (KFM_SQL_VERSIONS), read in the statement's snapshot; (one professional's hold) the
 *      same of the catalog alone, the owner of the L, S, P (but its calendar's), H and E rows
 * id is the professional's for P, H, E, B and C. Parameters: slug, subdomain (NULL: the
 * platform host), service, professional (the _one statements; ignored by _any), the
 * dates [day_lo, day_hi] (days since the epoch) and the period [busy_lo, busy_hi)
 * (seconds); the hold's two more: client network (NULL: none counted) and limit. */

/* The database's clock in microseconds since the epoch (kept facts' bounds are compared
 * with it) */
#define KFM_SQL_NOW_US "(extract(epoch FROM now()) * 1000000)::bigint"

#define FACTS_ARGS                                                                          \
    "WITH arg AS (SELECT %s::text AS slug, %s::text AS sub, %s::uuid AS service_id,"        \
    "    %s::uuid AS prof_id, DATE '1970-01-01' + %s::int AS day_lo,"                       \
    "    DATE '1970-01-01' + %s::int AS day_hi,"                                            \
    "    tstzrange(to_timestamp(%s::bigint), to_timestamp(%s::bigint)) AS period)"

/* `t x` joined on professional_id: the one asked for, or every one of the service */
#define FACTS_OF_ONE(t, x) " FROM arg JOIN " t " " x " ON " x ".professional_id = arg.prof_id"
#define FACTS_OF_ANY(t, x)                                                                  \
    " FROM arg JOIN service_professionals sp ON sp.service_id = arg.service_id"             \
    " JOIN " t " " x " ON " x ".professional_id = sp.professional_id"

/* The columns of each kind of row (KF_FACTS_COL_*, as the comment above tells them), in the
 * order of the UNION ALL; L, the link, names them. The build checks them against
 * kf_availability_facts.h's positions in mod_kf_availability_facts.c. */
#define KFM_FACTS_LINK_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(KF_FACTS_COL_KIND, "'L'::text AS k")                                              \
    NEXT(KF_FACTS_COL_ID, "l.id::text AS id")                                               \
    NEXT(KF_FACTS_COL_W, "l.tenant_id::text AS w")                                          \
    NEXT(KF_FACTS_COL_X, "t.timezone AS x")                                                 \
    NEXT(KF_FACTS_COL_Y, "l.service_id::text AS y")                                         \
    NEXT(KF_FACTS_COL_Z, "l.professional_id::text AS z")                                    \
    NEXT(KF_FACTS_COL_A, "(extract(epoch FROM l.expires_at) * 1000000)::bigint AS a")       \
    NEXT(KF_FACTS_COL_B, KFM_SQL_NOW_US " AS b")                                            \
    NEXT(KF_FACTS_COL_C,                                                                    \
         "CASE WHEN " KFM_SQL_LINK_OPEN("l", "now()") " THEN 0 ELSE 1 END AS c")            \
    NEXT(KF_FACTS_COL_D,                                                                    \
         "CASE t.calcom_hours WHEN 'calcom' THEN 1 WHEN 'both' THEN 2 ELSE 0"               \
         " END::bigint AS d")                                                               \
    NEXT(KF_FACTS_COL_E, "NULL::bigint AS e")                                               \
    NEXT(KF_FACTS_COL_F, "NULL::bigint AS f")

/* S, the service */
#define KFM_FACTS_SERVICE_COLUMNS(FIRST, NEXT)                                              \
    FIRST(KF_FACTS_COL_KIND, "'S'")                                                         \
    NEXT(KF_FACTS_COL_ID, "s.id::text")                                                     \
    NEXT(KF_FACTS_COL_W, "s.tenant_id::text")                                               \
    NEXT(KF_FACTS_COL_X, "s.capacity::text")                                                \
    NEXT(KF_FACTS_COL_Y, "cardinality(s.team_ids)::text")                                   \
    NEXT(KF_FACTS_COL_Z, "s.series::text")                                                  \
    NEXT(KF_FACTS_COL_A, "s.duration_minutes")                                              \
    NEXT(KF_FACTS_COL_B, "s.slot_interval_minutes")                                         \
    NEXT(KF_FACTS_COL_C, "s.buffer_before_minutes")                                         \
    NEXT(KF_FACTS_COL_D, "s.buffer_after_minutes")                                          \
    NEXT(KF_FACTS_COL_E, "s.min_notice_minutes")                                            \
    NEXT(KF_FACTS_COL_F, "s.horizon_days")

/* P, a professional */
#define KFM_FACTS_PROFESSIONAL_COLUMNS(FIRST, NEXT)                                         \
    FIRST(KF_FACTS_COL_KIND, "'P'")                                                         \
    NEXT(KF_FACTS_COL_ID, "p.id::text")                                                     \
    NEXT(KF_FACTS_COL_W, "p.timezone")                                                      \
    NEXT(KF_FACTS_COL_X, "cc.status")                                                       \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "floor(extract(epoch FROM cc.synced_at))::bigint")                 \
    NEXT(KF_FACTS_COL_B,                                                                    \
         "CASE WHEN cc.sync_error IS NOT NULL AND cc.sync_due_at > now() THEN 1 ELSE 0"     \
         " END")                                                                            \
    NEXT(KF_FACTS_COL_C, "CASE WHEN cc.busy IS NULL THEN 0 ELSE 1 END")                     \
    NEXT(KF_FACTS_COL_D, "extract(epoch FROM cc.busy_until)::bigint")                       \
    NEXT(KF_FACTS_COL_E,                                                                    \
         "CASE WHEN cc.sync_error IS NOT NULL THEN (extract(epoch FROM cc.sync_due_at)"     \
         " * 1000000)::bigint END")                                                         \
    NEXT(KF_FACTS_COL_F, "CASE WHEN cc.bookable IS NULL THEN 0 ELSE 1 END")

/* H, a weekly range */
#define KFM_FACTS_HOURS_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_FACTS_COL_KIND, "'H'")                                                         \
    NEXT(KF_FACTS_COL_ID, "h.professional_id::text")                                        \
    NEXT(KF_FACTS_COL_W, "NULL")                                                            \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "h.weekday")                                                       \
    NEXT(KF_FACTS_COL_B, "h.start_minute")                                                  \
    NEXT(KF_FACTS_COL_C, "h.end_minute")                                                    \
    NEXT(KF_FACTS_COL_D, "NULL")                                                            \
    NEXT(KF_FACTS_COL_E, "NULL")                                                            \
    NEXT(KF_FACTS_COL_F, "NULL")

/* E, a dated exception */
#define KFM_FACTS_EXCEPTION_COLUMNS(FIRST, NEXT)                                            \
    FIRST(KF_FACTS_COL_KIND, "'E'")                                                         \
    NEXT(KF_FACTS_COL_ID, "e.professional_id::text")                                        \
    NEXT(KF_FACTS_COL_W, "NULL")                                                            \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "e.day - DATE '1970-01-01'")                                       \
    NEXT(KF_FACTS_COL_B, "CASE WHEN e.closed THEN 1 ELSE 0 END")                            \
    NEXT(KF_FACTS_COL_C, "e.start_minute")                                                  \
    NEXT(KF_FACTS_COL_D, "e.end_minute")                                                    \
    NEXT(KF_FACTS_COL_E, "NULL")                                                            \
    NEXT(KF_FACTS_COL_F, "NULL")

/* B, a reservation's blocked range, as a busy time of `prof` */
#define KFM_FACTS_BLOCK_COLUMNS(prof, FIRST, NEXT)                                          \
    FIRST(KF_FACTS_COL_KIND, "'B'")                                                         \
    NEXT(KF_FACTS_COL_ID, prof)                                                             \
    NEXT(KF_FACTS_COL_W, "NULL")                                                            \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "CASE WHEN r.seat IS NOT NULL AND r.service_id = arg.service_id"   \
                         " THEN 't' END")                                                   \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "extract(epoch FROM lower(r.blocked))::bigint")                    \
    NEXT(KF_FACTS_COL_B, "extract(epoch FROM upper(r.blocked))::bigint")                    \
    NEXT(KF_FACTS_COL_C, "ceil(extract(epoch FROM r.expires_at))::bigint")                  \
    NEXT(KF_FACTS_COL_D, "extract(epoch FROM r.starts_at)::bigint")                         \
    NEXT(KF_FACTS_COL_E, "extract(epoch FROM r.ends_at)::bigint")                           \
    NEXT(KF_FACTS_COL_F, "(extract(epoch FROM r.expires_at) * 1000000)::bigint")
/* of its professional */
#define KFM_FACTS_RESERVATION_COLUMNS(FIRST, NEXT)                                          \
    KFM_FACTS_BLOCK_COLUMNS("r.professional_id::text", FIRST, NEXT)
/* of another member of its team (sql/084), tp */
#define KFM_FACTS_TEAM_RESERVATION_COLUMNS(FIRST, NEXT)                                     \
    KFM_FACTS_BLOCK_COLUMNS("tp.id::text", FIRST, NEXT)

/* C, a stored calendar busy time */
#define KFM_FACTS_BUSY_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(KF_FACTS_COL_KIND, "'C'")                                                         \
    NEXT(KF_FACTS_COL_ID, "cc.professional_id::text")                                       \
    NEXT(KF_FACTS_COL_W, "NULL")                                                            \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "extract(epoch FROM lower(u))::bigint")                            \
    NEXT(KF_FACTS_COL_B, "extract(epoch FROM upper(u))::bigint")                            \
    NEXT(KF_FACTS_COL_C, "NULL")                                                            \
    NEXT(KF_FACTS_COL_D, "NULL")                                                            \
    NEXT(KF_FACTS_COL_E, "NULL")                                                            \
    NEXT(KF_FACTS_COL_F, "NULL")

/* O, a stored calendar bookable time */
#define KFM_FACTS_BOOKABLE_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_FACTS_COL_KIND, "'O'")                                                         \
    NEXT(KF_FACTS_COL_ID, "cc.professional_id::text")                                       \
    NEXT(KF_FACTS_COL_W, "NULL")                                                            \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "extract(epoch FROM lower(u))::bigint")                            \
    NEXT(KF_FACTS_COL_B, "extract(epoch FROM upper(u))::bigint")                            \
    NEXT(KF_FACTS_COL_C, "NULL")                                                            \
    NEXT(KF_FACTS_COL_D, "NULL")                                                            \
    NEXT(KF_FACTS_COL_E, "NULL")                                                            \
    NEXT(KF_FACTS_COL_F, "NULL")

/* A, the client network's live holds */
#define KFM_FACTS_HOLDS_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_FACTS_COL_KIND, "'A'")                                                         \
    NEXT(KF_FACTS_COL_ID, "NULL")                                                           \
    NEXT(KF_FACTS_COL_W, "NULL")                                                            \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "h.n")                                                             \
    NEXT(KF_FACTS_COL_B, "h.ends_in")                                                       \
    NEXT(KF_FACTS_COL_C, "NULL")                                                            \
    NEXT(KF_FACTS_COL_D, "NULL")                                                            \
    NEXT(KF_FACTS_COL_E, "NULL")                                                            \
    NEXT(KF_FACTS_COL_F, "NULL")

/* V, the owners' versions */
#define KFM_FACTS_VERSIONS_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_FACTS_COL_KIND, "'V'")                                                         \
    NEXT(KF_FACTS_COL_ID, "o.owners::text")                                                 \
    NEXT(KF_FACTS_COL_W, KFM_SQL_VERSIONS("o.owners"))                                      \
    NEXT(KF_FACTS_COL_X, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Y, "NULL")                                                            \
    NEXT(KF_FACTS_COL_Z, "NULL")                                                            \
    NEXT(KF_FACTS_COL_A, "NULL")                                                            \
    NEXT(KF_FACTS_COL_B, "NULL")                                                            \
    NEXT(KF_FACTS_COL_C, "NULL")                                                            \
    NEXT(KF_FACTS_COL_D, "NULL")                                                            \
    NEXT(KF_FACTS_COL_E, "NULL")                                                            \
    NEXT(KF_FACTS_COL_F, "NULL")

#define FACTS_ROWS(of, prof_match)                                                          \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_LINK_COLUMNS)                                      \
    " FROM arg JOIN booking_links l ON l.slug = arg.slug AND l.active"                      \
    " JOIN tenants t ON t.id = l.tenant_id AND (arg.sub IS NULL OR t.subdomain = arg.sub)"  \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_SERVICE_COLUMNS)                                   \
    " FROM arg JOIN services s ON s.id = arg.service_id AND s.archived_at IS NULL"          \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_PROFESSIONAL_COLUMNS)                              \
    " FROM arg JOIN service_professionals sp ON sp.service_id = arg.service_id" prof_match  \
    " JOIN professionals p ON p.id = sp.professional_id AND p.archived_at IS NULL"          \
    /* a collective service is offered by its team's members only (sql/084) */              \
    "  AND NOT EXISTS (SELECT 1 FROM services ts WHERE ts.id = arg.service_id"              \
    "   AND ts.team_ids IS NOT NULL AND p.id <> ALL (ts.team_ids))"                         \
    " LEFT JOIN calendar_connections cc ON cc.professional_id = p.id"                       \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_HOURS_COLUMNS)                                     \
    of("professional_hours", "h")                                                           \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_EXCEPTION_COLUMNS)                                 \
    of("professional_exceptions", "e")                                                      \
    " WHERE e.day BETWEEN arg.day_lo AND arg.day_hi"                                        \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_RESERVATION_COLUMNS)                               \
    of("reservations", "r")                                                                 \
    " WHERE r.status IN " KFM_SQL_ACTIVE_STATES " AND NOT " KFM_SQL_DUE("r")                 \
    "  AND r.blocked && arg.period"                                                         \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_TEAM_RESERVATION_COLUMNS)                          \
    " FROM arg JOIN service_professionals sp ON sp.service_id = arg.service_id" prof_match  \
    " JOIN professionals tp ON tp.id = sp.professional_id"                                  \
    " JOIN reservations r ON r.team_keys @> ARRAY[tp.team_key]"                            \
    "  AND r.professional_id <> tp.id"                                                      \
    " WHERE r.status IN " KFM_SQL_ACTIVE_STATES " AND NOT " KFM_SQL_DUE("r")                 \
    "  AND r.blocked && arg.period"                                                         \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_BUSY_COLUMNS)                                      \
    of("calendar_connections", "cc")                                                        \
    " CROSS JOIN LATERAL unnest(cc.busy * tstzmultirange(arg.period)) u"                   \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_BOOKABLE_COLUMNS)                                  \
    of("calendar_connections", "cc")                                                        \
    " CROSS JOIN LATERAL unnest(cc.bookable * tstzmultirange(arg.period)) u"

#define FACTS_ONE FACTS_ROWS(FACTS_OF_ONE, " AND sp.professional_id = arg.prof_id")
#define FACTS_ANY FACTS_ROWS(FACTS_OF_ANY, "")

/* The live holds of one client network (`n`, counted up to the limit) and the seconds until
 * the first of them ends (`ends_in`): kf_live_holds (sql/033), which reads the network's
 * entries of reservations_active_holds_by_ip whatever the statistics say. A hold keeps its
 * client's network (kf_rl_client_network: an IPv6 /64 as one value) in client_ip, so equal
 * values are one client. Parameters: client network, limit. */
#define HOLDS_OF_NETWORK "kf_live_holds(%s::inet, %s::int)"

#define FACTS_HOLDS_ROW                                                                     \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_HOLDS_COLUMNS)                                     \
    " FROM " HOLDS_OF_NETWORK " h"

/* The owner of the catalog's version (sql/031: services, professionals, hours, exceptions,
 * links, tenants) */
#define KFM_SQL_CATALOG_OWNER "'00000000-0000-0000-0000-000000000000'::uuid"

/* "owner:version" of an availability_versions row v: kept facts and the read proving them
 * current must write it alike */
#define KFM_SQL_VERSION_TEXT "v.owner_id::text || ':' || v.version"

/* "owner:version,..." of the owners (a uuid[] expression) that have a version, by owner */
#define KFM_SQL_VERSIONS(owners)                                                             \
    "(SELECT string_agg(" KFM_SQL_VERSION_TEXT ", ',' ORDER BY v.owner_id)"                  \
    " FROM availability_versions v WHERE v.owner_id = ANY (" owners "))"

#define FACTS_VERSIONS_ROW(owners)                                                          \
    " UNION ALL"                                                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_FACTS_VERSIONS_COLUMNS)                                  \
    " FROM (SELECT " owners " AS owners FROM arg) o"

#define FACTS_OWNERS_CATALOG "ARRAY[" KFM_SQL_CATALOG_OWNER "]"
#define FACTS_OWNERS_ONE "ARRAY[" KFM_SQL_CATALOG_OWNER ", arg.prof_id]"
#define FACTS_OWNERS_ANY                                                                    \
    "ARRAY[" KFM_SQL_CATALOG_OWNER "] || ARRAY(SELECT sp.professional_id"                    \
    " FROM service_professionals sp WHERE sp.service_id = arg.service_id"                   \
    " ORDER BY sp.professional_id)"

/* Whether facts read earlier are still current (mod_kf_availability_memo.h): the database's
 * clock (microseconds since the epoch) and the versions of the owners of the V row, as
 * KFM_SQL_VERSIONS writes them: the catalog and one professional (its id), or any uuid[]
 * literal (the V row's id). Two statements because PostgreSQL plans one taking an array
 * anew at every execution (a custom plan costed for the array's length always looks
 * cheaper than the generic one). One professional's are two primary-key look-ups joined
 * in owner order (the catalog's all-zero id sorts first): a third fewer cycles than
 * aggregating a bitmap scan, on the read every uncached answer makes. */
#define KFM_SQL_VERSION_OF(owner)                                                            \
    "(SELECT " KFM_SQL_VERSION_TEXT " FROM availability_versions v WHERE v.owner_id = " owner ")"
#define KFM_FACTS_VERSIONS_ONE_COLUMNS(FIRST, NEXT)                                         \
    FIRST(KF_FACTS_CHECK_NOW_US, KFM_SQL_NOW_US)                                            \
    NEXT(KF_FACTS_CHECK_VERSIONS, "concat_ws(',', "                                        \
         KFM_SQL_VERSION_OF(KFM_SQL_CATALOG_OWNER) ", " KFM_SQL_VERSION_OF("%s::uuid") ")")
#define KFM_FACTS_VERSIONS_ANY_COLUMNS(FIRST, NEXT)                                         \
    FIRST(KF_FACTS_CHECK_NOW_US, KFM_SQL_NOW_US)                                            \
    NEXT(KF_FACTS_CHECK_VERSIONS, KFM_SQL_VERSIONS("%s::uuid[]"))
#define AVAILABILITY_VERSIONS_ONE_SQL "SELECT " KFM_SQL_COLUMNS(KFM_FACTS_VERSIONS_ONE_COLUMNS)
#define AVAILABILITY_VERSIONS_ANY_SQL "SELECT " KFM_SQL_COLUMNS(KFM_FACTS_VERSIONS_ANY_COLUMNS)

/* Whether a judgement's kept catalog facts still judge a hold of one professional: the
 * database's clock (microseconds), the catalog's version, 1 when the professional has a
 * calendar connection (its busy times are then read with the facts every time), and the
 * client network's live holds (HOLDS_OF_NETWORK). Parameters: professional, client network
 * (NULL: none counted), limit. Other reservations are not read: the exclusion constraint
 * refuses an overlap. */
#define KFM_FACTS_HOLD_CHECK_COLUMNS(FIRST, NEXT)                                           \
    FIRST(KF_FACTS_CHECK_NOW_US, KFM_SQL_NOW_US)                                            \
    NEXT(KF_FACTS_CHECK_VERSIONS, KFM_SQL_VERSIONS(FACTS_OWNERS_CATALOG))                   \
    NEXT(KF_FACTS_CHECK_CALENDAR, "CASE WHEN EXISTS (SELECT 1 FROM calendar_connections cc" \
                                  "  WHERE cc.professional_id = %s::uuid) THEN 1 ELSE 0 END") \
    NEXT(KF_FACTS_CHECK_ACTIVE_HOLDS, "h.n")                                                \
    NEXT(KF_FACTS_CHECK_FIRST_HOLD_ENDS_IN, "h.ends_in")
#define HOLD_CHECK_ONE_SQL                                                                  \
    "SELECT " KFM_SQL_COLUMNS(KFM_FACTS_HOLD_CHECK_COLUMNS) " FROM " HOLDS_OF_NETWORK " h"

#define AVAILABILITY_ONE_SQL FACTS_ARGS FACTS_ONE FACTS_VERSIONS_ROW(FACTS_OWNERS_ONE)
#define AVAILABILITY_ANY_SQL FACTS_ARGS FACTS_ANY FACTS_VERSIONS_ROW(FACTS_OWNERS_ANY)
/* One professional's judgement also reads the catalog's version: its L, S, P, H and E rows
 * (all the catalog's, when the professional has no calendar) can then be kept and judge later
 * holds around the same dates (kf_hold_check_one, or the insert's proof: mod_kf_holds_sql.h). */
#define HOLD_JUDGE_ONE_SQL FACTS_ARGS FACTS_ONE FACTS_HOLDS_ROW FACTS_VERSIONS_ROW(FACTS_OWNERS_CATALOG)
#define HOLD_JUDGE_ANY_SQL FACTS_ARGS FACTS_ANY FACTS_HOLDS_ROW

#endif
