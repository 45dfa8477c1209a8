/* POST /api/public/holds with `repeat` and `count` (API.md "Series, seats and teams"): the
 * first start is judged as any hold's, each later occurrence (at the first's wall clock in
 * the professional's zone, lib/availability/kf_series_slots.h) by the same engine over the
 * facts around it, for the same professional, the horizon bounding the first only. Then every
 * occurrence is inserted in one transaction as any hold is (the exclusion constraint
 * decides each), and tied as one series; the first insert refused rolls everything back and
 * names its occurrence. Only the first occurrence carries the hold's token, counts among the
 * client network's live holds and in the funnel: the series is one hold to the customer. */
#include "mod_kf_holds_feature.h"
#include "mod_kf_holds.h"
#include "mod_kf_holds_sql.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_series.h"
#include "kf_reservation.h"
#include "kf_text.h"
#include "kf_time.h"

const kfm_sql kfm_hold_series_sql[] = {
    /* professional: kfm_hold_series_lock */
    {"kf_hold_series_lock",
     "SELECT pg_advisory_xact_lock(hashtextextended('kf_hold_series/' || %s, 0))"},
    /* the first occurrence's id, the count, every occurrence's id in order (uuid[]): the
     * holds made one series */
    {"kf_hold_series_tie",
     "UPDATE reservations r SET series_id = %s::uuid, series_count = %s::int,"
     "  series_index = x.ord"
     " FROM unnest(%s::uuid[]) WITH ORDINALITY AS x(id, ord)"
     " WHERE r.id = x.id"},
    /* professional, the ranges its occurrences block (start and end epochs, bigint[] each):
     * the first (1..) that an active reservation holding the professional (its own, or a
     * team's it is a member of: sql/084) overlaps now, as the exclusion constraint would
     * refuse it, or NULL */
    {"kf_hold_series_first_taken",
     "SELECT min(o.n) FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS o(s, e, n)"
     " CROSS JOIN professionals p"
     " WHERE p.id = %s::uuid AND EXISTS (SELECT 1 FROM reservations x"
     "   WHERE x.team_keys && ARRAY[p.team_key]"
     "   AND x.blocked && tstzrange(to_timestamp(o.s), to_timestamp(o.e))"
     "   AND x.status IN " KFM_SQL_ACTIVE_STATES " AND NOT " KFM_SQL_DUE("x") ")"},
    {NULL, NULL},
};

apr_status_t kfm_hold_series_lock(kfm_req *kr, const char *professional)
{
    const char *lock[] = {professional};
    kfm_rows *locked = NULL;
    return kfm_db_select(kr->r, kr->db, "kf_hold_series_lock", &locked, 1, lock);
}

/* Whether professional `id` is offered at `start` by the engine over the facts around it,
 * past the horizon: 1 yes, 0 no, -1 database failure; *status another answer of the facts
 * (the link expired meanwhile...). */
static int occurrence_free(kfm_req *kr, const kf_hold_request *h, const char *subdomain,
                           const char *id, apr_int64_t start, const char **status)
{
    kfm_availability av;
    if (kfm_hold_judge_load(kr, h->link, subdomain, h->service, id, start, NULL, 0, &av) !=
        APR_SUCCESS) {
        return -1;
    }
    if (strcmp(av.status, "ok") != 0) {
        *status = av.status;
        return 0;
    }
    av.params.latest = APR_INT64_MAX;
    kf_slot *slots = NULL;
    int n = kfm_availability_slots(kr, &av, KF_SLOTS_ALL, &slots);
    for (int i = 0; i < n; i++) {
        if (slots[i].start == start && strcmp(av.prof_ids[slots[i].prof], id) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The occurrences of a series of professional `prof` (av's index) starting at av's start,
 * each judged: the index of the first not offered (n: all are), or -1 after a failure. */
static int first_not_free(kfm_req *kr, const kf_hold_request *h, const char *subdomain,
                          const kfm_availability *av, int prof, const apr_int64_t *starts, int n,
                          const char **status)
{
    for (int k = 1; k < n; k++) {
        int free_now = occurrence_free(kr, h, subdomain, av->prof_ids[prof], starts[k], status);
        if (free_now <= 0) {
            return free_now < 0 ? -1 : k;
        }
    }
    return n;
}

/* Of the first `n` occurrences, the first that another booking of the professional took
 * meanwhile (one taken after the judgement of its own may come before the one found taken):
 * its index, -1 for none, -2 after a failure. */
static int first_taken(kfm_req *kr, const kfm_availability *av, int prof,
                       const apr_int64_t *starts, int n)
{
    request_rec *r = kr->r;
    if (n == 0) {
        return -1;
    }
    apr_array_header_t *from = apr_array_make(r->pool, n, sizeof(const char *));
    apr_array_header_t *to = apr_array_make(r->pool, n, sizeof(const char *));
    for (int k = 0; k < n; k++) {
        apr_int64_t block_start, block_end;
        kf_slot_blocked(&av->params, starts[k], starts[k] + av->params.duration, &block_start,
                        &block_end);
        APR_ARRAY_PUSH(from, const char *) = kfm_db_int64(r->pool, block_start);
        APR_ARRAY_PUSH(to, const char *) = kfm_db_int64(r->pool, block_end);
    }
    const char *args[] = {kf_pg_array(r->pool, from), kf_pg_array(r->pool, to),
                          av->prof_ids[prof]};
    const char *first = NULL;
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_hold_series_first_taken", 3, args, &first, 1) !=
        APR_SUCCESS) {
        return -2;
    }
    return first ? atoi(first) - 1 : -1;
}

/* Every occurrence held for professional `prof` in one transaction and tied as one series:
 * 1 (out filled), 0 one was taken meanwhile (nothing held; *refused its index), -1 failure. */
static int hold_all(kfm_req *kr, const kf_hold_request *h, const kfm_availability *av, int prof,
                    const apr_int64_t *starts, int n, const char *client_network,
                    kfm_hold_series *out, int *refused)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    const char *token = kf_random_token(r->pool, 32);
    const char *token_hash = kf_sha256_hex(r->pool, token, strlen(token));
    apr_array_header_t *ids = apr_array_make(r->pool, n, sizeof(const char *));
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_hold_series_lock(kr, av->prof_ids[prof]) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        kf_slot slot = {starts[k], starts[k] + av->params.duration, prof, 0, 0};
        const char *made[KFM_HOLD_COLUMN_COUNT];
        /* a later occurrence's token is a random one nobody holds: the first's opens them all */
        const char *hash = k == 0 ? token_hash
                                  : kf_sha256_hex(r->pool, kf_random_token(r->pool, 32), 64);
        int taken = kfm_hold_try(kr, h->service, k == 0, k == 0 ? client_network : NULL, av,
                                 &slot, hash, made);
        if (taken <= 0) {
            kfm_db_rollback(r, &tx);
            *refused = k;
            return taken;
        }
        APR_ARRAY_PUSH(ids, const char *) = made[KFM_HOLD_ID];
        out->starts[k] = made[KFM_HOLD_START];
        out->ends[k] = made[KFM_HOLD_END];
        if (k == 0) {
            out->first.id = made[KFM_HOLD_ID];
            out->first.start = made[KFM_HOLD_START];
            out->first.end = made[KFM_HOLD_END];
            out->first.expires_at = made[KFM_HOLD_EXPIRES];
        }
    }
    const char *args[] = {out->first.id, apr_itoa(r->pool, n), kf_pg_array(r->pool, ids)};
    if (kfm_db_exec(r, kr->db, "kf_hold_series_tie", NULL, 3, args) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return -1;
    }
    kfm_availability_cache_bump_professional(kr, av->prof_ids[prof]);
    out->first.token = token;
    out->first.token_hash = token_hash;
    out->first.professional = av->prof_ids[prof];
    out->count = n;
    return 1;
}

const char *kfm_hold_take_series(kfm_req *kr, const kf_hold_request *h, const char *subdomain,
                                 const char *client_network, int active_limit,
                                 kfm_hold_series *out)
{
    request_rec *r = kr->r;
    const char *professional = h->any ? NULL : h->professional;
    kfm_availability av;
    memset(out, 0, sizeof(*out));
    if (kfm_hold_judge_load(kr, h->link, subdomain, h->service, professional, h->start,
                            client_network, active_limit, &av) != APR_SUCCESS) {
        return NULL;
    }
    if (client_network && kf_hold_limit_reached(av.active_holds, active_limit)) {
        out->first.retry_after = kf_hold_retry_after((long)av.first_hold_ends_in);
        return "active_hold_limit";
    }
    if (strcmp(av.status, "ok") != 0) {
        return av.status;
    }
    kf_series_every every;
    int n;
    out->field = kf_series_asked(&av.series, h->repeat, h->count, &every, &n, &out->why);
    if (out->field) {
        return "validation_failed";
    }
    if (kfm_hold_refresh_busy(kr, &av) &&
        (!kr->db || kfm_hold_judge_load(kr, h->link, subdomain, h->service, professional,
                                        h->start, NULL, 0, &av) != APR_SUCCESS)) {
        return NULL;
    }
    kf_slot *slots = NULL;
    int nslots = kfm_availability_slots(kr, &av, KF_SLOTS_ALL, &slots);
    kf_assign_candidate *free_at_start = NULL;
    int nfree = kfm_hold_free_professionals(kr, &av, slots, nslots, h->start, &free_at_start);
    if (nfree < 0) {
        return NULL;
    }
    out->starts = apr_pcalloc(r->pool, sizeof(char *) * (apr_size_t)n);
    out->ends = apr_pcalloc(r->pool, sizeof(char *) * (apr_size_t)n);
    out->refused_at = h->start_text;
    /* in the link's order, the first professional free at every occurrence; the first
     * occurrence found taken is the one named when none is */
    apr_int64_t starts[KF_SERIES_COUNT_MAX];
    int named = 0;
    for (int i = 0; i < nfree; i++) {
        int prof = slots[free_at_start[i].slot].prof;
        const kf_zone *zone = av.prof_zones ? av.prof_zones[prof] : NULL;
        const char *status = NULL;
        kf_series_starts(zone, every, h->start, n, starts);
        int k = first_not_free(kr, h, subdomain, &av, prof, starts, n, &status);
        if (k < 0) {
            return NULL;
        }
        if (status) {
            return status;
        }
        if (k == n) {
            int refused = 0;
            int held = hold_all(kr, h, &av, prof, starts, n, client_network, out, &refused);
            if (held != 0) {
                return held > 0 ? "ok" : NULL;
            }
            k = refused;
        }
        if (!named) {
            int before = first_taken(kr, &av, prof, starts, k);
            if (before < -1) {
                return NULL;
            }
            out->refused_at = kf_time_utc_text(r->pool, starts[before >= 0 ? before : k]);
            named = 1;
        }
    }
    return "slot_unavailable";
}
