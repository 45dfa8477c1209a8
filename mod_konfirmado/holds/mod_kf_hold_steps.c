/* The steps of a hold shared by a single start's (mod_kf_holds.c) and a series'
 * (mod_kf_hold_series.c): the busy times read again, the professionals free at a start in the
 * link's order, and one slot's insert. See mod_kf_holds.h. */
#include "mod_kf_holds_feature.h"
#include "mod_kf_holds_conf.h"
#include "mod_kf_holds.h"
#include "mod_kf_holds_sql.h"
#include "mod_kf_calendar.h"
#include "mod_kf_sql.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_zones.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_reservation.h"

/* Columns of kf_hold_assign_facts: what kf_assign_order judges a free professional by. */
#define HOLD_ASSIGN_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(ASSIGN_PROFESSIONAL, "p.id::text")                                                \
    NEXT(ASSIGN_NAME, "p.name")                                                             \
    NEXT(ASSIGN_RULE, "l.assign")                                                           \
    NEXT(ASSIGN_WEIGHT, "coalesce((l.assign_weights ->> p.id::text)::int, 0)")             \
    NEXT(ASSIGN_BOOKED, "b.n")
enum { HOLD_ASSIGN_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) ASSIGN_COLUMNS };

const kfm_sql kfm_hold_steps_sql[] = {
    /* link, the professionals free at the start (uuid[]), the week's start (epoch): the
     * link's rule, each one's weight and bookings made this week (live holds too: two
     * customers at once are shared out; expired, failed and cancelled ones are not) */
    {"kf_hold_assign_facts",
     "SELECT " KFM_SQL_COLUMNS(HOLD_ASSIGN_COLUMNS) " FROM booking_links l"
     " JOIN professionals p ON p.tenant_id = l.tenant_id AND p.id = ANY(%s::uuid[])"
     " CROSS JOIN LATERAL (SELECT count(*) AS n FROM reservations r"
     "  WHERE r.professional_id = p.id AND r.created_at >= to_timestamp(%s::bigint)"
     "  AND (r.status IN " KFM_SQL_ACTIVE_STATES " OR r.status IN " KFM_SQL_MARKED_STATES ")) b"
     " WHERE l.id = %s::uuid"},
    {NULL, NULL},
};

int kfm_hold_try(kfm_req *kr, const char *service, int funnel, const char *client_network,
                 const kfm_availability *av, const kf_slot *slot, const char *token_hash,
                 const char **made)
{
    request_rec *r = kr->r;
    const char *professional = av->prof_ids[slot->prof];
    const char *insert_args[KF_HOLD_INSERT_ARGS] = {av->tenant_id, service, professional,
                                                    av->link_id};
    kf_hold_insert_args(r->pool, &av->params, slot, token_hash,
                        kfm_holds_conf_hold_ttl(kfm_holds_conf_of(r->server)),
                        client_network, funnel, funnel ? kfm_public_visit(kr) : NULL,
                        insert_args);
    /* a group class's hold takes a seat (its one more argument: nothing to expire first) */
    int seated = kf_capacity_seated(av->params.capacity);
    if (av->unchecked_versions) {
        if (seated) {
            return KFM_HOLD_JUDGE_AGAIN;   /* a seat's statement proves nothing of the facts */
        }
        const char *proven[KF_HOLD_INSERT_ARGS + 4], *row[KFM_HOLD_COLUMN_COUNT + 1];
        memcpy(proven, insert_args, sizeof(insert_args));
        proven[KF_HOLD_INSERT_ARGS] = av->unchecked_versions;
        proven[KF_HOLD_INSERT_ARGS + 1] = av->unchecked_network;
        proven[KF_HOLD_INSERT_ARGS + 2] = apr_itoa(r->pool, av->unchecked_limit);
        proven[KF_HOLD_INSERT_ARGS + 3] = kfm_db_int64(r->pool, av->unchecked_now_us);
        if (kfm_db_select_row(r, kr->db, r->pool, "kf_hold_insert_unchecked",
                              KF_HOLD_INSERT_ARGS + 4, proven, row, KFM_HOLD_COLUMN_COUNT + 1)
            != APR_SUCCESS) {
            return -1;
        }
        if (!row[KFM_HOLD_COLUMN_COUNT] || strcmp(row[KFM_HOLD_COLUMN_COUNT], "t") != 0) {
            return KFM_HOLD_JUDGE_AGAIN;
        }
        if (row[KFM_HOLD_ID]) {
            memcpy(made, row, sizeof(const char *) * KFM_HOLD_COLUMN_COUNT);
            return 1;
        }
        /* proven, but the slot was refused: on as a checked judgement's insert would */
    }
    const char *args[KF_HOLD_INSERT_ARGS + 1];
    memcpy(args, insert_args, sizeof(insert_args));
    args[KF_HOLD_INSERT_ARGS] = NULL;
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool,
                                        seated ? "kf_hold_seat" : "kf_hold_insert",
                                        KF_HOLD_INSERT_ARGS + seated, args, made,
                                        KFM_HOLD_COLUMN_COUNT);
    if (rv == APR_NOTFOUND) {
        /* refused: perhaps only by holds or payment windows that ran out; those expired, again */
        args[KF_HOLD_INSERT_ARGS] = kf_res_expiry_moves(r->pool);
        rv = kfm_db_select_row(r, kr->db, r->pool,
                               seated ? "kf_hold_seat" : "kf_hold_insert_freeing",
                               KF_HOLD_INSERT_ARGS + 1, args, made, KFM_HOLD_COLUMN_COUNT);
    }
    return rv == APR_SUCCESS ? 1 : rv == APR_NOTFOUND ? 0 : -1;
}

/* A calendar read more than a minute ago may miss an appointment made since: those are read
 * again from the provider before the slot is judged (API.md "Calendar connection"), the
 * request's connection given back while the provider answers. 1 when any was read
 * (availability must be loaded again). */
int kfm_hold_refresh_busy(kfm_req *kr, const kfm_availability *av)
{
    int any = 0;
    for (int i = 0; i < av->nprof && kr->db; i++) {
        if (kf_calendar_hold_must_refresh(av->prof_calendars[i], av->prof_synced_at[i], av->now,
                                          av->prof_retry_pending[i])) {
            any = kfm_calendar_refresh_request(kr, av->prof_ids[i], NULL) != APR_ENOENT || any;
        }
    }
    return any;
}

int kfm_hold_free_professionals(kfm_req *kr, const kfm_availability *av, const kf_slot *slots,
                              int n, apr_int64_t start, kf_assign_candidate **out)
{
    request_rec *r = kr->r;
    kf_assign_candidate *c = *out = apr_pcalloc(r->pool, sizeof(*c) * (apr_size_t)(n + 1));
    apr_array_header_t *ids = apr_array_make(r->pool, n + 1, sizeof(const char *));
    int nfree = 0;
    for (int i = 0; i < n; i++) {
        if (slots[i].start == start) {
            c[nfree].id = av->prof_ids[slots[i].prof];
            c[nfree++].slot = i;
            APR_ARRAY_PUSH(ids, const char *) = av->prof_ids[slots[i].prof];
        }
    }
    if (nfree < 2) {
        return nfree;
    }
    apr_int64_t week = kf_assign_week_start(kfm_zone(kr, av->tenant_zone), av->now);
    const char *args[] = {kf_pg_array(r->pool, ids), kfm_db_int64(r->pool, week), av->link_id};
    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, "kf_hold_assign_facts", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    int nrows = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res, ASSIGN_COLUMNS, &nrows);
    kf_assign_rule rule = KF_ASSIGN_LEAST_BOOKED;
    for (int k = 0; k < nrows; k++) {
        const char *const *row = rows[k];
        kf_assign_rule_parse(row[ASSIGN_RULE], &rule);
        for (int i = 0; i < nfree; i++) {
            if (strcmp(c[i].id, row[ASSIGN_PROFESSIONAL]) == 0) {
                c[i].name = row[ASSIGN_NAME];
                c[i].weight = atoi(row[ASSIGN_WEIGHT]);
                c[i].booked = atol(row[ASSIGN_BOOKED]);
            }
        }
    }
    kf_assign_order(rule, c, nfree);
    return nfree;
}
