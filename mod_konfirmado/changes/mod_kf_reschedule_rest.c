/* Scope "rest" of a reschedule (API.md "Series, seats and teams"): see
 * mod_kf_reschedule_rest.h. The later occurrences' new times are the series' rule's
 * (kf_reschedule_rest_starts); they are placed under the professional's series lock
 * (kfm_hold_series_lock), the moving rows blocking nothing meanwhile so none stands in
 * another's way, the run-out holds and payment windows there expired first as a hold's
 * insert does, then judged together: one taken, none moves. */
#include "mod_kf_reschedule_rest.h"
#include "mod_kf_changes_feature.h"
#include "mod_kf_changes_columns.h"
#include "mod_kf_holds.h"
#include "mod_kf_sql.h"
#include "mod_kf_zones.h"
#include "kf_reservation.h"
#include "kf_series.h"
#include "kf_text.h"
#include "kf_time.h"

#include <stdlib.h>

const kfm_sql kfm_reschedule_rest_sql[] = {
    /* id: the facts of the later occurrences of its series still active, locked, in order
     * (none: no series) */
    {"kf_resched_rest",
     KFM_RESCHED_FACTS " JOIN reservations me ON me.series_id = r.series_id"
     " AND r.series_index > me.series_index WHERE me.id = %s::uuid"
     " AND r.status IN " KFM_SQL_ACTIVE_STATES " ORDER BY r.series_index FOR UPDATE OF r"},
    /* professional: its zone */
    {"kf_resched_zone", "SELECT timezone FROM professionals WHERE id = %s::uuid"},
    /* ids (uuid[]): those bookings, locked and moving, block nothing meanwhile (each is
     * given its new range next), so none of them stands in another's way */
    {"kf_resched_rest_clear",
     "UPDATE reservations SET blocked = 'empty'::tstzrange WHERE id = ANY(%s::uuid[])"},
    /* The ranges those bookings would block at their new starts: ids (uuid[]), starts
     * (seconds, bigint[]), each with its length and its service's buffers */
#define RESCHED_REST_RANGES                                                                  \
    "SELECT x.n, tstzrange(to_timestamp(x.s) - make_interval(mins => v.buffer_before_minutes)," \
    "   to_timestamp(x.s) + (r.ends_at - r.starts_at)"                                        \
    "   + make_interval(mins => v.buffer_after_minutes)) AS b"                                \
    " FROM unnest(%s::uuid[], %s::bigint[]) WITH ORDINALITY AS x(id, s, n)"                   \
    " JOIN reservations r ON r.id = x.id JOIN services v ON v.id = r.service_id"
    /* ids, starts, professional, the state machine's expire moves: the holds and unpaid
     * bookings run out there expired first (as a hold's insert does) */
    {"kf_resched_rest_expire",
     "SELECT kf_expire_due(%s::uuid, m.b, NULL, %s::jsonb) FROM (" RESCHED_REST_RANGES
     " ORDER BY x.n) m"},
    /* ids, starts, professional: the first (1..) whose range an active reservation holding
     * the professional (its own, or a team's it is a member of: sql/084) overlaps, as the
     * exclusion constraint would refuse it, or NULL */
    {"kf_resched_rest_first_taken",
     "SELECT min(m.n) FROM (" RESCHED_REST_RANGES ") m CROSS JOIN professionals p"
     " WHERE p.id = %s::uuid AND EXISTS (SELECT 1 FROM reservations o"
     "   WHERE o.team_keys && ARRAY[p.team_key] AND o.blocked && m.b"
     "   AND o.status IN " KFM_SQL_ACTIVE_STATES ")"},
    /* a later session at its new start, with the professional of the one asked */
    {"kf_resched_rest_to", KFM_RESCHED_TO_SQL("   professional_id = %s::uuid,")},
    {NULL, NULL},
};

int kfm_reschedule_rest_decide(kfm_req *kr, const char *const *v, int by_merchant,
                               kfm_later_move **out, const char **refused)
{
    request_rec *r = kr->r;
    kfm_rows *res = NULL;
    const char *args[] = {v[KF_RESCHED_COL_ID]};
    *refused = NULL;
    if (kfm_db_select(r, kr->db, "kf_resched_rest", &res, 1, args) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(kr->db, res);
    kfm_later_move *later = *out = apr_pcalloc(r->pool, sizeof(*later) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        const char **w = apr_pcalloc(r->pool, sizeof(char *) * KF_RESCHED_COL_COUNT);
        for (int col = 0; col < KF_RESCHED_COL_COUNT; col++) {
            w[col] = kfm_db_value(kr->db, r->pool, res, i, col);
        }
        /* its slot is the one placed for it, all or nothing */
        kf_res_facts facts = kf_reschedule_facts(w, NULL, by_merchant);
        facts.slot_free = 1;
        later[i].v = w;
        later[i].o = kf_change_next(w[KF_RESCHED_COL_STATUS], KF_RES_RESCHEDULE, &facts);
        if (later[i].o.refused) {
            *refused = later[i].o.refused;
            return n;
        }
    }
    return n;
}

apr_status_t kfm_reschedule_rest_place(kfm_req *kr, const char *const *v,
                                       const char *const *moved, kfm_later_move *later, int n,
                                       const char **taken)
{
    request_rec *r = kr->r;
    const char *professional = moved[KF_RESCHED_MOVED_COL_PROFESSIONAL];
    const char *zone_name = NULL;
    apr_int64_t start = 0;
    kf_series_rule rule;
    *taken = NULL;
    kf_series_from_stored(v[KF_RESCHED_COL_SERIES_RULE], &rule);
    const char *zargs[] = {professional};
    if (kf_time_parse_rfc3339(moved[KF_RESCHED_MOVED_COL_START], &start) == KF_TIME_INVALID ||
        kfm_db_select_row(r, kr->db, r->pool, "kf_resched_zone", 1, zargs, &zone_name, 1) !=
            APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int *indexes = apr_pcalloc(r->pool, sizeof(int) * (apr_size_t)n);
    apr_int64_t *olds = apr_pcalloc(r->pool, sizeof(apr_int64_t) * (apr_size_t)n);
    apr_int64_t *starts = apr_pcalloc(r->pool, sizeof(apr_int64_t) * (apr_size_t)n);
    for (int i = 0; i < n; i++) {
        indexes[i] = atoi(later[i].v[KF_RESCHED_COL_SERIES_INDEX]);
        olds[i] = apr_atoi64(later[i].v[KF_RESCHED_COL_STARTS_AT]);
    }
    kf_reschedule_rest_starts(kfm_zone(kr, zone_name), rule.every,
                              apr_atoi64(v[KF_RESCHED_COL_STARTS_AT]), start,
                              atoi(v[KF_RESCHED_COL_SERIES_INDEX]), indexes, olds, n, starts);
    apr_array_header_t *ids = apr_array_make(r->pool, n, sizeof(const char *));
    apr_array_header_t *at = apr_array_make(r->pool, n, sizeof(const char *));
    for (int i = 0; i < n; i++) {
        later[i].start = starts[i];
        APR_ARRAY_PUSH(ids, const char *) = later[i].v[KF_RESCHED_COL_ID];
        APR_ARRAY_PUSH(at, const char *) = kfm_db_int64(r->pool, starts[i]);
    }
    const char *id_list = kf_pg_array(r->pool, ids), *at_list = kf_pg_array(r->pool, at);
    const char *cargs[] = {id_list};
    const char *eargs[] = {professional, kf_res_expiry_moves(r->pool), id_list, at_list};
    const char *targs[] = {id_list, at_list, professional};
    const char *first = NULL;
    kfm_rows *expired = NULL;
    if (kfm_hold_series_lock(kr, professional) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_resched_rest_clear", NULL, 1, cargs) != APR_SUCCESS ||
        kfm_db_select(r, kr->db, "kf_resched_rest_expire", &expired, 4, eargs) != APR_SUCCESS ||
        kfm_db_select_row(r, kr->db, r->pool, "kf_resched_rest_first_taken", 3, targs, &first,
                          1) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (first) {
        *taken = kf_time_utc_text(r->pool, starts[atoi(first) - 1]);
        return APR_SUCCESS;
    }
    for (int i = 0; i < n; i++) {
        const char *s = APR_ARRAY_IDX(at, i, const char *);
        const char *margs[] = {later[i].v[KF_RESCHED_COL_ID], s, s, s, s, professional,
                               later[i].v[KF_RESCHED_COL_ID], later[i].v[KF_RESCHED_COL_STATUS]};
        apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_resched_rest_to", 8, margs,
                                            later[i].now_at, KF_RESCHED_MOVED_COL_COUNT);
        if (rv == KFM_DB_ECONSTRAINT) {
            /* a one-time hold (which takes no series lock) came in since the look above: the
             * exclusion constraint refuses the move, and the caller rolls it all back */
            *taken = kf_time_utc_text(r->pool, starts[i]);
            return APR_SUCCESS;
        }
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return APR_SUCCESS;
}

