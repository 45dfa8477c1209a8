/* The facts availability depends on, read in one statement: see mod_kf_availability_facts.h. */
#include "mod_kf_availability_facts.h"
#include "mod_kf_availability_conf.h"
#include "mod_kf_availability_feature.h"
#include "mod_kf_public_request.h"
#include "kf_metrics.h"
#include "mod_kf_availability_sql.h"
#include "mod_kf_config.h"
#include "kf_host.h"
#include "kf_crypto.h"
#include "kf_text.h"
#include "kf_time.h"
#include "mod_kf_zones.h"
#include "mod_kf_availability_memo.h"
#include "mod_kf_availability_cache.h"

#include "util_script.h"

#include <apr_atomic.h>
#include <apr_lib.h>

/* Each list of mod_kf_availability_sql.h at the positions kf_facts reads. */
KFM_SQL_ROW_CHECK(KFM_FACTS_LINK_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_SERVICE_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_PROFESSIONAL_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_HOURS_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_EXCEPTION_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_RESERVATION_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_TEAM_RESERVATION_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_BUSY_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_BOOKABLE_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_HOLDS_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_VERSIONS_COLUMNS, KF_FACTS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_VERSIONS_ONE_COLUMNS, KF_FACTS_VERSIONS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_VERSIONS_ANY_COLUMNS, KF_FACTS_VERSIONS_COLUMNS)
KFM_SQL_ROW_CHECK(KFM_FACTS_HOLD_CHECK_COLUMNS, KF_FACTS_HOLD_CHECK_COLUMNS)

const kfm_sql kfm_availability_sql[] = {
    {"kf_availability_one", AVAILABILITY_ONE_SQL},
    {"kf_availability_any", AVAILABILITY_ANY_SQL},
    {"kf_hold_judge_one", HOLD_JUDGE_ONE_SQL},
    {"kf_hold_judge_any", HOLD_JUDGE_ANY_SQL},
    {"kf_hold_check_one", HOLD_CHECK_ONE_SQL},
    {"kf_availability_versions_one", AVAILABILITY_VERSIONS_ONE_SQL},
    {"kf_availability_versions_any", AVAILABILITY_VERSIONS_ANY_SQL},
    {NULL, NULL},
};

typedef kf_facts facts;

/* Runs a facts statement and sorts its rows into *f, everything allocated from `pool`. */
static apr_status_t read_facts(kfm_req *kr, apr_pool_t *pool, const char *statement, int nargs,
                               const char **args, facts *f)
{
    request_rec *r = kr->r;
    ap_dbd_t *db = kr->db;
    kfm_rows *res = NULL;
    if (kfm_db_select(r, db, statement, &res, nargs, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int nrows = kfm_db_rows(db, res);
    const char ***rows = apr_palloc(pool, sizeof(*rows) * (apr_size_t)(nrows + 1));
    for (int i = 0; i < nrows; i++) {
        const char **v = rows[i] = apr_palloc(pool, sizeof(char *) * KF_FACTS_COLUMNS);
        kfm_db_row(db, pool, res, i, v, KF_FACTS_COLUMNS);
        for (int c = 0; pool != r->pool && c < KF_FACTS_COLUMNS; c++) {
            v[c] = v[c] ? apr_pstrdup(pool, v[c]) : NULL;   /* values live as long as the result */
        }
    }
    kf_facts_read(pool, (const char *const *const *)rows, nrows, f);
    return APR_SUCCESS;
}

/* Working windows of professional i (in `zone`, kfm_zone of its own) on its local dates
 * first..last (none, and a line logged, when the system does not know its zone). */
static void add_windows(kfm_req *kr, const facts *f, int i, const kf_zone *zone,
                        apr_int64_t first, apr_int64_t last, kfm_availability *av)
{
    if (!zone) {
        kfm_log(kr, APLOG_ERR, "professional %s: time zone %s not found in %s: no slots",
                f->profs[i].id, f->profs[i].zone, KFM_ZONEINFO_DIR);
    }
    kf_availability_add_windows(f, i, zone, first, last, av);
}

/* Kept facts when they are current (mod_kf_availability_memo.h): *used 1 with *f their copy
 * with the database's clock. The facts of one professional are owned by the catalog and
 * that professional. */
static apr_status_t memo_current(kfm_req *kr, const facts *kept, const char *professional_id,
                                 facts *f, int *used)
{
    kfm_rows *res = NULL;
    const char *v[KF_FACTS_VERSIONS_COLUMNS] = {NULL};
    const char *args[] = {professional_id ? professional_id : kept->owners};
    *used = 0;
    if (kfm_db_select(kr->r, kr->db, professional_id ? "kf_availability_versions_one"
                      : "kf_availability_versions_any", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(kr->db, res) == 1) {
        kfm_db_row(kr->db, kr->r->pool, res, 0, v, KF_FACTS_VERSIONS_COLUMNS);
        *used = kf_facts_reuse(kept, v, 0, f);
    }
    return APR_SUCCESS;
}

/* kf_facts_generations, and the listener's starts: a notice sent while none listened may
 * have gone unheard, so facts proven before a listener starts are proven again. */
static apr_uint64_t facts_generations(const facts *kept, volatile apr_uint32_t *counters)
{
    return kf_facts_generations(kept, counters) + kfm_availability_listens();
}

/* Kept facts when they are current: trusted with no database while the notices are heard
 * (kf_facts_trusted), else proven by a read of their versions, which needs the request's
 * connection (APR_EAGAIN when it has none yet). */
static apr_status_t kept_facts(kfm_req *kr, const char *key, const char *professional_id,
                               facts *f, int *used)
{
    kf_facts_proof proof;
    *used = 0;
    kfm_memo_entry *e = kfm_memo_get(kr, key, &proof);
    const facts *kept = e ? e->facts : NULL;
    if (!kept) {
        return APR_SUCCESS;
    }
    volatile apr_uint32_t *counters = kfm_availability_counters();
    apr_interval_time_t ttl = apr_time_from_sec(
        kfm_availability_conf_cache_ttl(kfm_availability_conf_of(kr->r->server)));
    apr_time_t now = apr_time_now();
    kf_facts_trust trust = counters ? kf_facts_trusted(kept, &proof,
                                                       facts_generations(kept, counters), now,
                                                       kfm_availability_heard_until(), ttl,
                                                       KFM_MEMO_PROOF_GRACE, f)
                                    : KF_FACTS_PROVE;
    /* past the TTL, the first request without a connection proves them again (it takes one
     * and comes back with it); the others answer with them meanwhile */
    if (trust == KF_FACTS_TRUSTED ||
        (trust == KF_FACTS_TRUSTED_PROVE_AGAIN && !kr->db &&
         !kf_facts_memo_claim_proof(e, now, now + KFM_MEMO_PROOF_GRACE))) {
        *used = 1;
        return APR_SUCCESS;
    }
    if (!kr->db) {
        return APR_EAGAIN;
    }
    /* the generations before the read: a notice heard after it may name what it missed */
    proof.generations = counters ? facts_generations(kept, counters) : 0;
    proof.proven_at = apr_time_now();
    if (memo_current(kr, kept, professional_id, f, used) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (*used && counters) {
        kf_facts_memo_proven(e, &proof);
    }
    return APR_SUCCESS;
}

/* The facts of an availability statement: those this child kept when they are still current,
 * else read now (and kept when they describe an open link's service: an error answer is
 * cheap to read again, and its owners are not all known). Facts just read are trusted only
 * once a later read of their versions proves them (the generations of their owners, known
 * only from the facts, are then taken before that read). APR_EAGAIN: the database is to be
 * asked and the request has no connection. */
static apr_status_t availability_facts(kfm_req *kr, const char *statement, int nargs,
                                       const char **args, const char *professional_id,
                                       facts *f)
{
    const char *key = NULL;
    /* a replica's facts are neither kept nor proven there: the memo holds the primary's */
    if (kfm_memo_enabled(kr) && !kr->db_replica) {
        int used = 0;
        key = kf_facts_key(kr->r->pool, statement, nargs, args);
        apr_status_t rv = kept_facts(kr, key, professional_id, f, &used);
        if (rv != APR_SUCCESS || used) {
            return rv;
        }
    }
    if (!kr->db) {
        return APR_EAGAIN;
    }
    kfm_memo_entry *e = key ? kfm_memo_new(kr) : NULL;
    facts *read = e ? apr_palloc(e->pool, sizeof(*read)) : f;
    if (read_facts(kr, e ? e->pool : kr->r->pool, statement, nargs, args, read) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (e && kf_facts_keepable(read, professional_id, KFM_MEMO_MAX_ROWS)) {
        e->facts = read;
        kf_facts_memo_put(key, e);
    }
    if (read != f) {
        *f = *read;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_availability_load(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *service_id, const char *professional_id,
                           const char *from_day, int days, const char *tz, kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    kf_availability_init(p, av);
    /* the statement reads around the first day: the one asked for, or today by this
     * server's clock */
    apr_int64_t asked_day = 0;
    int asked = from_day && kf_date_parse(from_day, &asked_day);
    kf_facts_period read = kf_facts_period_of_days(
        asked ? asked_day : kf_utc_day_of(apr_time_sec(apr_time_now())), days);
    const char *args[] = {slug, subdomain, service_id, professional_id,
                          kfm_db_int64(p, read.day_lo), kfm_db_int64(p, read.day_hi),
                          kfm_db_int64(p, read.busy_lo), kfm_db_int64(p, read.busy_hi)};
    facts f;
    apr_status_t rv = availability_facts(kr, professional_id ? "kf_availability_one"
                                         : "kf_availability_any", 8, args, professional_id, &f);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    av->timezone = tz ? tz : f.tenant_zone;
    const kf_zone *zone = f.link_id ? kfm_zone(kr, av->timezone) : NULL;
    const char *error = kf_facts_status(&f, professional_id, zone != NULL);
    if (error) {
        av->status = error;
        return APR_SUCCESS;
    }
    kf_availability_from_facts(p, &f, av);
    if (!kf_availability_place(av, zone, asked ? &asked_day : NULL, days, &read)) {
        kfm_log(kr, APLOG_ERR, "this server's clock and the database's differ by a day or more: "
                "availability not computed");
        return APR_EGENERAL;
    }
    /* the professionals' local dates around the period (zones differ by up to 26 hours) */
    av->prof_zones = apr_pcalloc(p, sizeof(kf_zone *) * (apr_size_t)(f.nprof + 1));
    for (int i = 0; i < f.nprof; i++) {
        av->prof_zones[i] = kfm_zone(kr, f.profs[i].zone);
        add_windows(kr, &f, i, av->prof_zones[i], av->from_day - 2, av->from_day + days + 1, av);
    }
    kf_availability_add_busy(p, &f, read.busy_lo, read.busy_hi, av);
    kf_zone_changes(zone, av->params.from - 86400, av->params.to + 86400, av->changes);
    av->status = "ok";
    return APR_SUCCESS;
}

/* The database's clock minus this process's, as last read with hold facts (a judgement's or
 * a check's): the clock a hold judged on kept facts without asking takes for the database's.
 * Its insert proves the two within a second (kf_hold_insert_unchecked). */
static volatile apr_uint64_t clock_offset_us;
static volatile apr_uint32_t clock_learned;

static void learn_clock(apr_int64_t database_now_us)
{
    apr_atomic_set64(&clock_offset_us, (apr_uint64_t)(database_now_us - apr_time_now()));
    apr_atomic_set32(&clock_learned, 1);
}

/* Kept facts of a hold of one professional, when they still judge it: with `unchecked`, as
 * they are (*f with av's unchecked_versions to prove at the insert: *unchecked_versions);
 * else as kf_hold_check_one proves them. *used 1 with *f their copy with the clock and the
 * client network's holds. */
static apr_status_t kept_hold_facts(kfm_req *kr, const char *key, const char *professional_id,
                                    const char *client_network, const char *limit, int unchecked,
                                    facts *f, int *used, const char **unchecked_versions)
{
    *used = 0;
    kfm_memo_entry *e = kfm_memo_get(kr, key, NULL);
    const facts *kept = e ? e->facts : NULL;
    if (!kept) {
        return APR_SUCCESS;
    }
    if (unchecked && apr_atomic_read32(&clock_learned) &&
        kf_facts_reuse_unchecked(kept, apr_time_now() +
                                           (apr_int64_t)apr_atomic_read64(&clock_offset_us), f)) {
        *unchecked_versions = kept->versions ? kept->versions : "";
        *used = 1;
        return APR_SUCCESS;
    }
    kfm_rows *res = NULL;
    const char *v[KF_FACTS_HOLD_CHECK_COLUMNS] = {NULL}, *args[] = {professional_id,
                                                                    client_network, limit};
    if (kfm_db_select(kr->r, kr->db, "kf_hold_check_one", &res, 3, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(kr->db, res) == 1) {
        kfm_db_row(kr->db, kr->r->pool, res, 0, v, KF_FACTS_HOLD_CHECK_COLUMNS);
        *used = kf_facts_reuse(kept, v, 1, f);
        if (*used) {
            learn_clock(f->now_us);
        }
    }
    return APR_SUCCESS;
}

/* The facts that judge a hold: for one professional, kept ones when current (with
 * `unchecked`, kept ones as they are: *unchecked_versions), else the judgement statement's
 * (kept for the next holds around the same dates). The memo's key names the link, service,
 * professional and the dates read: those of the start's week, so that one read serves every
 * hold of that week. */
static apr_status_t hold_facts(kfm_req *kr, const char **args, const char *professional_id,
                               int unchecked, facts *f, const char **unchecked_versions)
{
    const char *key = NULL;
    if (professional_id && kfm_memo_enabled(kr)) {
        int used = 0;
        key = kf_facts_key(kr->r->pool, "kf_hold_judge_one", 6, args);
        if (kept_hold_facts(kr, key, professional_id, args[8], args[9], unchecked, f, &used,
                            unchecked_versions) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        if (used) {
            return APR_SUCCESS;
        }
    }
    kfm_memo_entry *e = key ? kfm_memo_new(kr) : NULL;
    if (read_facts(kr, e ? e->pool : kr->r->pool, professional_id ? "kf_hold_judge_one"
                   : "kf_hold_judge_any", 10, args, f) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    learn_clock(f->now_us);
    if (e && (e->facts = kf_facts_for_holds(e->pool, f, professional_id, KFM_MEMO_MAX_ROWS))) {
        kf_facts_memo_put(key, e);
    }
    return APR_SUCCESS;
}

static apr_status_t judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                               const char *service_id, const char *professional_id,
                               apr_int64_t start, const char *client_network, int limit,
                               int unchecked, kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    kf_availability_init(p, av);
    apr_int64_t day = kf_utc_day_of(start);
    kf_facts_period read = kf_facts_period_of_start(start);
    const char *args[] = {slug, subdomain, service_id, professional_id,
                          kfm_db_int64(p, read.day_lo), kfm_db_int64(p, read.day_hi),
                          kfm_db_int64(p, read.busy_lo), kfm_db_int64(p, read.busy_hi),
                          client_network, apr_itoa(p, limit)};
    facts f;
    const char *unchecked_versions = NULL;
    if (hold_facts(kr, args, professional_id, unchecked, &f, &unchecked_versions) !=
        APR_SUCCESS) {
        return APR_EGENERAL;
    }
    av->unchecked_versions = unchecked_versions;
    av->unchecked_now_us = f.now_us;
    av->unchecked_network = client_network;
    av->unchecked_limit = limit;
    av->active_holds = f.active_holds;
    av->first_hold_ends_in = f.first_hold_ends_in;
    av->timezone = "UTC";
    const char *error = kf_facts_status(&f, professional_id, 1);
    if (error) {
        av->status = error;
        return APR_SUCCESS;
    }
    kf_availability_from_facts(p, &f, av);
    av->params.from = start;
    av->params.to = start + 1;
    av->prof_zones = apr_pcalloc(p, sizeof(kf_zone *) * (apr_size_t)(f.nprof + 1));
    for (int i = 0; i < f.nprof; i++) {
        const kf_zone *zone = av->prof_zones[i] = kfm_zone(kr, f.profs[i].zone);
        apr_int64_t local_day = zone ? kf_utc_day_of(start + kf_zone_offset(zone, start)) : day;
        add_windows(kr, &f, i, zone, local_day - 1, local_day + 1, av);
    }
    kf_availability_add_busy(p, &f, read.busy_lo, read.busy_hi, av);
    av->status = "ok";
    return APR_SUCCESS;
}

apr_status_t kfm_hold_judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                                 const char *service_id, const char *professional_id,
                                 apr_int64_t start, const char *client_network, int limit,
                                 kfm_availability *av)
{
    return judge_load(kr, slug, subdomain, service_id, professional_id, start, client_network,
                      limit, 0, av);
}

apr_status_t kfm_hold_judge_load_kept(kfm_req *kr, const char *slug, const char *subdomain,
                                      const char *service_id, const char *professional_id,
                                      apr_int64_t start, const char *client_network, int limit,
                                      kfm_availability *av)
{
    return judge_load(kr, slug, subdomain, service_id, professional_id, start, client_network,
                      limit, 1, av);
}

/* Professionals whose calendar's busy times are not known offer nothing. */
static void guard_calendars(kfm_req *kr, kfm_availability *av)
{
    int blocked = kf_availability_guard_calendars(av, kfm_availability_conf_calendar_stale(kfm_availability_conf_of(kr->r->server)));
    if (blocked > 0) {
        kfm_log(kr, APLOG_DEBUG, "%d professional(s) without known busy times: no slots of theirs",
                blocked);
    }
}

int kfm_availability_slots(kfm_req *kr, kfm_availability *av, kf_slots_mode mode, kf_slot **slots)
{
    guard_calendars(kr, av);
    return kf_availability_slots(kr->r->pool, av, mode, slots);
}

apr_int64_t kfm_availability_days_end(kfm_req *kr, const kfm_availability *av, int days)
{
    return kf_zone_instant(kfm_zone(kr, av->timezone), (av->from_day + days) * 86400);
}

int kfm_availability_series_slots(kfm_req *kr, kfm_availability *av, kf_series_every every,
                                  int count, apr_int64_t from, apr_int64_t to, kf_slots_mode mode,
                                  kf_slot **slots)
{
    guard_calendars(kr, av);
    return kf_availability_series_slots(kr->r->pool, av, every, count, from, to, mode, slots);
}

