#ifndef MOD_KF_HOLDS_SQL_H
#define MOD_KF_HOLDS_SQL_H
/* The text of the hold's insert, apart so that bench/print_sql.c prints what the module
 * prepares (bench/statement_cost times it in PostgreSQL alone). */
#include "mod_kf_sql.h"
#include "mod_kf_availability_sql.h"

/* The hold as made. */
#define KFM_HOLD_COLUMNS(FIRST, NEXT)                                                       \
    FIRST(KFM_HOLD_ID, "id")                                                                \
    NEXT(KFM_HOLD_START, KFM_SQL_RFC3339("starts_at"))                                      \
    NEXT(KFM_HOLD_END, KFM_SQL_RFC3339("ends_at"))                                          \
    NEXT(KFM_HOLD_EXPIRES, KFM_SQL_RFC3339("expires_at"))
enum { KFM_HOLD_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) KFM_HOLD_COLUMN_COUNT };

/* The hold's insert: `a` its arguments, then `from` (what the insert waits for), the row, its
 * history line and its funnel event. */
#define HOLD_INSERT_ARGS                                                                    \
    "WITH a AS (SELECT %s::uuid AS tenant_id, %s::uuid AS service_id, %s::uuid AS prof_id,"   \
    "    %s::uuid AS link_id, to_timestamp(%s::bigint) AS s, to_timestamp(%s::bigint) AS e_at,"  \
    "    tstzrange(to_timestamp(%s::bigint), to_timestamp(%s::bigint)) AS blocked_range,"      \
    "    %s::text AS token_hash, %s::int AS ttl, %s::inet AS client_ip, %s::text AS visit,"    \
    "    %s::bool AS funnel),"
#define HOLD_INSERT_INS(from)                                                                 \
    " ins AS (INSERT INTO reservations (tenant_id, service_id, professional_id, link_id,"     \
    "    status, starts_at, ends_at, blocked, expires_at, hold_token_hash, client_ip, visit_id)" \
    "  SELECT a.tenant_id, a.service_id, a.prof_id, a.link_id, 'held', a.s, a.e_at,"          \
    "    a.blocked_range, now() + make_interval(secs => a.ttl), a.token_hash, a.client_ip,"   \
    "    a.visit"                                                                           \
    "  FROM " from                                                                          \
    "  ON CONFLICT DO NOTHING"                                                              \
    "  RETURNING id, tenant_id, link_id, starts_at, ends_at, expires_at, visit_id),"
#define HOLD_INSERT_ROW(from) HOLD_INSERT_INS(from) HOLD_INSERT_AFTER

/* What follows the hold made (`ins`): its history line, its funnel event. */
#define HOLD_INSERT_WRITES                                                                  \
    " h AS (INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status)" \
    "  SELECT id, tenant_id, NULL, 'held' FROM ins),"                                       \
    " f AS (INSERT INTO funnel_events (tenant_id, link_id, reservation_id, event, visit_id)" \
    "  SELECT ins.tenant_id, ins.link_id, ins.id, 'slot_held', ins.visit_id FROM ins, a WHERE a.funnel)"

/* ... and the hold. */
#define HOLD_INSERT_AFTER HOLD_INSERT_WRITES " SELECT " KFM_SQL_COLUMNS(KFM_HOLD_COLUMNS) " FROM ins"

/* The insert of a free slot (kf_hold_insert). */
#define HOLD_INSERT_SQL HOLD_INSERT_ARGS HOLD_INSERT_ROW("a")

/* The insert of a slot judged on facts kept in the process, proving in the same statement
 * what kf_hold_check_one would have before it (kfm_hold_judge_load_kept): four more
 * arguments, the catalog's versions the facts were read at ("" none), the client network
 * whose live holds count (NULL: none), the limit of those, and the clock the hold was judged
 * at (microseconds). The hold is made only when the versions are those, the professional
 * still has no calendar, the network is under its limit and the database's clock is within
 * a second of that one; the row says which (`ok`): one that is not is judged again. */
#define HOLD_UNCHECKED_PROOF                                                                \
    " proof AS (SELECT %s::text AS versions, %s::inet AS network, %s::int AS lim,"          \
    "    %s::bigint AS judged_at_us),"                                                      \
    " g AS (SELECT coalesce(" KFM_SQL_VERSIONS(FACTS_OWNERS_CATALOG) ", '') = proof.versions" \
    "    AND NOT EXISTS (SELECT 1 FROM calendar_connections cc, a"                          \
    "                     WHERE cc.professional_id = a.prof_id)"                            \
    "    AND (proof.network IS NULL OR live.n < proof.lim)"                                 \
    "    AND abs(" KFM_SQL_NOW_US " - proof.judged_at_us) <= 1000000 AS ok"                 \
    "  FROM proof LEFT JOIN LATERAL kf_live_holds(proof.network, proof.lim) live ON true),"
#define HOLD_INSERT_UNCHECKED_SQL                                                           \
    HOLD_INSERT_ARGS HOLD_UNCHECKED_PROOF                                                   \
    HOLD_INSERT_INS("a CROSS JOIN g WHERE g.ok")                                          \
    HOLD_INSERT_WRITES                                                                      \
    " SELECT " KFM_SQL_COLUMNS(KFM_HOLD_COLUMNS) ", g.ok FROM g LEFT JOIN ins ON true"

/* A seat of a group class (kf_hold_seat): kf_seat_hold takes the lowest free seat of the
 * class, or none. One more argument after the insert's: NULL, or the expire moves to clear
 * the run-out holds of the range first (as kf_hold_insert_freeing). */
#define HOLD_SEAT_SQL                                                                       \
    HOLD_INSERT_ARGS                                                                        \
    " ins AS MATERIALIZED (SELECT k.id, k.tenant_id, k.link_id, k.starts_at, k.ends_at,"    \
    "    k.expires_at, k.visit_id"                                                          \
    "  FROM a CROSS JOIN LATERAL kf_seat_hold(a.tenant_id, a.service_id, a.prof_id,"        \
    "    a.link_id, a.s, a.e_at, a.blocked_range, a.token_hash, a.ttl, a.client_ip, a.visit," \
    "    %s::jsonb) k),"                                                                    \
    HOLD_INSERT_AFTER

#endif
