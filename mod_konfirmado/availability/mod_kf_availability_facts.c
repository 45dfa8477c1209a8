/* The facts availability depends on, read in one statement: see mod_kf_availability_facts.h. */
#include "mod_kf_availability_facts.h"
#include "mod_kf_availability_feature.h"
#include "mod_kf_public_request.h"
#include "kf_metrics.h"
#include "mod_kf_availability_sql.h"
#include "kf_calendar.h"
#include "mod_kf_config.h"
#include "kf_host.h"
#include "kf_crypto.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_hours.h"
#include "mod_kf_zones.h"
#include "mod_kf_availability_memo.h"

#include "util_script.h"

#include <apr_lib.h>

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

/* Columns of the facts statements (mod_kf_availability_sql.h): (k, id, w, x, y, z, a..f); what
 * each holds depends on the row's kind. */
enum { F_KIND, F_ID, F_W, F_X, F_Y, F_Z, F_A, F_B, F_C, F_D, F_E, F_F, F_COLUMNS };

/* Seconds from microseconds since the epoch, rounded up / down (the instants involved are
 * after 1970). */
static apr_int64_t ceil_seconds(apr_int64_t us)
{
    return us / 1000000 + (us % 1000000 > 0);
}

typedef struct prof_row {
    const char *id, *zone, *calendar;
    apr_int64_t synced_at, busy_until;
    int retry_pending, has_busy, busy_until_known;
} prof_row;

typedef struct res_row {
    int prof;
    apr_int64_t start, end;          /* the blocked range */
    apr_int64_t starts_at, ends_at;  /* the booking itself */
    apr_int64_t until;               /* when it stops blocking by itself (0: never) */
} res_row;

/* What the facts statement returned, its professionals indexed (sorted by id, only those
 * the link allows). */
typedef struct facts {
    const char *link_id, *tenant_id, *tenant_zone, *link_service, *link_prof, *link_expires_us;
    int link_expired;
    apr_int64_t now_us;
    const char *service_id, *service_tenant;
    const char **service;            /* the S row's values */
    prof_row *profs;
    int nprof;
    apr_array_header_t *weekly;      /* kf_weekly_range */
    apr_array_header_t *exceptions;  /* kf_day_exception */
    apr_array_header_t *reservations;  /* res_row */
    apr_array_header_t *calendar;    /* kf_busy: stored calendar busy times */
    int active_holds;
    apr_int64_t first_hold_ends_in;
    const char *owners, *versions;   /* the V row (availability only) */
    apr_int64_t valid_until_us;      /* the statement answers the same until then (mod_kf_availability_memo.h) */
    int nrows;
} facts;

static int by_prof_id(const void *a, const void *b)
{
    return strcmp(((const prof_row *)a)->id, ((const prof_row *)b)->id);
}

static int fact_prof(const facts *f, const char *id)
{
    int lo = 0, hi = f->nprof - 1;
    while (id && lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(id, f->profs[mid].id);
        if (c == 0) {
            return mid;
        }
        if (c < 0) {
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    return -1;
}

/* The first instant past `now_us` at which `at_us` (NULL: none) changes the answer. */
static void bound_by(facts *f, const char *at_us)
{
    apr_int64_t at = at_us ? kfm_db_number(at_us) : APR_INT64_MAX;
    if (at > f->now_us && at < f->valid_until_us) {
        f->valid_until_us = at;
    }
}

/* Runs a facts statement and sorts its rows into *f, everything allocated from `pool`. */
static apr_status_t read_facts(kfm_req *kr, apr_pool_t *pool, const char *statement, int nargs,
                               const char **args, facts *f)
{
    request_rec *r = kr->r;
    ap_dbd_t *db = kr->db;
    kfm_rows *res = NULL;
    memset(f, 0, sizeof(*f));
    f->valid_until_us = APR_INT64_MAX;
    if (kfm_db_select(r, db, statement, &res, nargs, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int nrows = f->nrows = kfm_db_rows(db, res);
    const char ***rows = apr_palloc(pool, sizeof(*rows) * (apr_size_t)(nrows + 1));
    f->profs = apr_pcalloc(pool, sizeof(prof_row) * (apr_size_t)(nrows + 1));
    f->weekly = apr_array_make(pool, 16, sizeof(kf_weekly_range));
    f->exceptions = apr_array_make(pool, 4, sizeof(kf_day_exception));
    f->reservations = apr_array_make(pool, 64, sizeof(res_row));
    f->calendar = apr_array_make(pool, 8, sizeof(kf_busy));

    /* first the link, service and professionals; then the rows that name a professional */
    for (int i = 0; i < nrows; i++) {
        const char **v = rows[i] = apr_palloc(pool, sizeof(char *) * F_COLUMNS);
        kfm_db_row(db, pool, res, i, v, F_COLUMNS);
        for (int c = 0; pool != r->pool && c < F_COLUMNS; c++) {
            v[c] = v[c] ? apr_pstrdup(pool, v[c]) : NULL;   /* values live as long as the result */
        }
        switch (v[F_KIND] ? v[F_KIND][0] : 0) {
        case 'V':
            f->owners = v[F_ID];
            f->versions = v[F_W] ? v[F_W] : "";
            break;
        case 'L':
            f->link_id = v[F_ID];
            f->tenant_id = v[F_W];
            f->tenant_zone = v[F_X];
            f->link_service = v[F_Y];
            f->link_prof = v[F_Z];
            f->link_expires_us = v[F_A];
            f->now_us = kfm_db_number(v[F_B]);
            f->link_expired = (int)kfm_db_number(v[F_C]);
            bound_by(f, f->link_expires_us);   /* it expires then */
            break;
        case 'S':
            f->service_id = v[F_ID];
            f->service_tenant = v[F_W];
            f->service = v;
            break;
        case 'P': {
            prof_row *p = &f->profs[f->nprof++];
            p->id = v[F_ID];
            p->zone = v[F_W];
            p->calendar = v[F_X] ? v[F_X] : "none";
            p->synced_at = kfm_db_number(v[F_A]);
            p->retry_pending = (int)kfm_db_number(v[F_B]);
            p->has_busy = (int)kfm_db_number(v[F_C]);
            p->busy_until_known = v[F_D] != NULL;
            p->busy_until = kfm_db_number(v[F_D]);
            if (p->retry_pending) {
                bound_by(f, v[F_E]);   /* the retry is due then: not pending any more */
            }
            break;
        }
        case 'A':
            f->active_holds = (int)kfm_db_number(v[F_A]);
            f->first_hold_ends_in = kfm_db_number(v[F_B]);
            break;
        default:
            break;
        }
    }
    /* a link that prescribes a professional offers only that one */
    int kept = 0;
    for (int i = 0; i < f->nprof; i++) {
        if (!f->link_prof || strcmp(f->link_prof, f->profs[i].id) == 0) {
            f->profs[kept++] = f->profs[i];
        }
    }
    f->nprof = kept;
    qsort(f->profs, (size_t)f->nprof, sizeof(prof_row), by_prof_id);

    for (int i = 0; i < nrows; i++) {
        const char **v = rows[i];
        char kind = v[F_KIND] ? v[F_KIND][0] : 0;
        int prof = (kind == 'H' || kind == 'E' || kind == 'B' || kind == 'C')
                       ? fact_prof(f, v[F_ID]) : -1;
        if (prof < 0) {
            continue;
        }
        if (kind == 'H') {
            kf_weekly_range *h = apr_array_push(f->weekly);
            h->prof = prof;
            h->weekday = (int)kfm_db_number(v[F_A]);
            h->start_minute = (int)kfm_db_number(v[F_B]);
            h->end_minute = (int)kfm_db_number(v[F_C]);
        } else if (kind == 'E') {
            kf_day_exception *e = apr_array_push(f->exceptions);
            e->prof = prof;
            e->day = kfm_db_number(v[F_A]);
            e->closed = (int)kfm_db_number(v[F_B]);
            e->start_minute = (int)kfm_db_number(v[F_C]);
            e->end_minute = (int)kfm_db_number(v[F_D]);
        } else if (kind == 'B') {
            res_row *b = apr_array_push(f->reservations);
            b->prof = prof;
            b->start = kfm_db_number(v[F_A]);
            b->end = kfm_db_number(v[F_B]);
            b->until = kfm_db_number(v[F_C]);
            b->starts_at = kfm_db_number(v[F_D]);
            b->ends_at = kfm_db_number(v[F_E]);
            bound_by(f, v[F_F]);   /* its deadline: it stops blocking */
        } else {
            kf_busy *c = apr_array_push(f->calendar);
            c->prof = prof;
            /* an unbounded range blocks everything on that side */
            c->start = v[F_A] ? kfm_db_number(v[F_A]) : APR_INT64_MIN / 2;
            c->end = v[F_B] ? kfm_db_number(v[F_B]) : APR_INT64_MAX / 2;
        }
    }
    return APR_SUCCESS;
}
/* The first error of API.md's order that the link, service and professional give, or NULL.
 * `zone_ok`: whether the display zone exists (checked between the link and the service). */
static const char *facts_status(const facts *f, const char *professional_id, int zone_ok)
{
    if (!f->link_id) {
        return "link_not_found";
    }
    if (f->link_expired) {
        return "link_expired";
    }
    if (!zone_ok) {
        return "invalid_timezone";
    }
    if (!f->service_id || !f->service_tenant || strcmp(f->service_tenant, f->tenant_id) != 0 ||
        (f->link_service && strcmp(f->link_service, f->service_id) != 0)) {
        return "service_not_found";
    }
    if (professional_id && f->nprof == 0) {
        return "professional_not_found";
    }
    return NULL;
}

/* av's link, clock, service parameters and professionals, from the facts. */
static void fill_common(kfm_req *kr, const facts *f, kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    const char **s = f->service;
    av->link_id = f->link_id;
    av->tenant_id = f->tenant_id;
    av->now = f->now_us / 1000000;
    if (f->link_expires_us) {
        av->runs_out_at = ceil_seconds(kfm_db_number(f->link_expires_us));
    }
    av->params.duration = (int)kfm_db_number(s[F_A]) * 60;
    av->params.interval = (int)kfm_db_number(s[F_B]) * 60;
    av->params.buffer_before = (int)kfm_db_number(s[F_C]) * 60;
    av->params.buffer_after = (int)kfm_db_number(s[F_D]) * 60;
    av->params.earliest = ceil_seconds(f->now_us + kfm_db_number(s[F_E]) * 60 * 1000000);
    av->params.latest = (f->now_us + kfm_db_number(s[F_F]) * 86400 * 1000000) / 1000000;
    av->nprof = f->nprof;
    av->prof_ids = apr_palloc(p, sizeof(char *) * (apr_size_t)(f->nprof + 1));
    av->prof_calendars = apr_palloc(p, sizeof(char *) * (apr_size_t)(f->nprof + 1));
    av->prof_synced_at = apr_palloc(p, sizeof(apr_int64_t) * (apr_size_t)(f->nprof + 1));
    av->prof_retry_pending = apr_palloc(p, sizeof(int) * (apr_size_t)(f->nprof + 1));
    for (int i = 0; i < f->nprof; i++) {
        av->prof_ids[i] = f->profs[i].id;
        av->prof_calendars[i] = f->profs[i].calendar;
        av->prof_synced_at[i] = f->profs[i].synced_at;
        av->prof_retry_pending[i] = f->profs[i].retry_pending;
    }
}

/* Working windows of professional i (in `zone`, kfm_zone of its zone) on its local dates
 * first..last. A zone the system does not know (tzdata older than the database's) gives it no
 * windows: nothing is offered that could not be placed in time. */
static void add_windows(kfm_req *kr, const facts *f, int i, const kf_zone *zone,
                        apr_int64_t first, apr_int64_t last, kfm_availability *av)
{
    if (!zone) {
        kfm_log(kr, APLOG_ERR, "professional %s: time zone %s not found in %s: no slots",
                f->profs[i].id, f->profs[i].zone, KFM_ZONEINFO_DIR);
        return;
    }
    kf_hours_windows(zone, i, (const kf_weekly_range *)f->weekly->elts, f->weekly->nelts,
                     (const kf_day_exception *)f->exceptions->elts, f->exceptions->nelts,
                     first, last, av->windows);
}

/* Busy times of [lo, hi): the blocked ranges of active reservations (and when the first of
 * them stops blocking by itself), and a connected calendar's stored busy times (everything
 * past the period it covers) less the professional's own bookings. */
static void add_busy(kfm_req *kr, const facts *f, apr_int64_t lo, apr_int64_t hi,
                     kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    const res_row *res = (const res_row *)f->reservations->elts;
    for (int i = 0; i < f->reservations->nelts; i++) {
        kf_busy *b = apr_array_push(av->busy);
        b->prof = res[i].prof;
        b->start = res[i].start;
        b->end = res[i].end;
        if (res[i].until && res[i].until < av->runs_out_at) {
            av->runs_out_at = res[i].until;
        }
    }
    for (int i = 0; i < f->nprof; i++) {
        if (!f->profs[i].has_busy) {
            continue;
        }
        apr_array_header_t *cal = apr_array_make(p, 8, sizeof(kf_busy));
        apr_array_header_t *own = apr_array_make(p, 8, sizeof(kf_busy));
        const kf_busy *c = (const kf_busy *)f->calendar->elts;
        for (int j = 0; j < f->calendar->nelts; j++) {
            if (c[j].prof == i) {
                *(kf_busy *)apr_array_push(cal) = c[j];
            }
        }
        kf_busy *tail = apr_array_push(cal);
        tail->start = f->profs[i].busy_until_known ? f->profs[i].busy_until : APR_INT64_MIN / 2;
        tail->end = APR_INT64_MAX / 2;
        for (int j = 0; j < f->reservations->nelts; j++) {
            if (res[j].prof == i) {
                kf_busy *o = apr_array_push(own);
                o->start = res[j].starts_at;
                o->end = res[j].ends_at;
            }
        }
        kf_busy_less(p, i, (const kf_busy *)cal->elts, cal->nelts, (const kf_busy *)own->elts,
                     own->nelts, lo, hi, av->busy);
    }
}

/* The memo's key of a statement and its arguments (NULL: "\1"), unit-separated. */
static const char *memo_key(apr_pool_t *p, const char *statement, int nargs, const char **args)
{
    const char *key = statement;
    for (int i = 0; i < nargs; i++) {
        key = apr_pstrcat(p, key, "\x1f", args[i] ? args[i] : "\x01", NULL);
    }
    return key;
}

/* Whether kept facts answer as reading them would: their owners' versions as just read
 * (NULL: none has one) are those read with them, and the clock (`now_us`, the database's)
 * has not reached their bound. */
static int still_current(const facts *kept, const char *versions, apr_int64_t now_us)
{
    return strcmp(versions ? versions : "", kept->versions) == 0 && now_us < kept->valid_until_us;
}

/* Whether kept facts are current (mod_kf_availability_memo.h): 1 with the database's clock in
 * *now_us if their versions are unchanged and the clock has not reached their bound. The
 * facts of one professional are owned by the catalog and that professional. */
static apr_status_t memo_current(kfm_req *kr, const facts *kept, const char *professional_id,
                                 int *current, apr_int64_t *now_us)
{
    kfm_rows *res = NULL;
    const char *v[2] = {NULL, NULL}, *args[] = {professional_id ? professional_id : kept->owners};
    *current = 0;
    if (kfm_db_select(kr->r, kr->db, professional_id ? "kf_availability_versions_one"
                      : "kf_availability_versions_any", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return APR_SUCCESS;
    }
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, 2);
    *now_us = kfm_db_number(v[0]);
    *current = still_current(kept, v[1], *now_us);
    return APR_SUCCESS;
}

/* The facts of an availability statement: those this child kept when they are still current,
 * else read now (and kept when they describe an open link's service: an error answer is
 * cheap to read again, and its owners are not all known). */
static apr_status_t availability_facts(kfm_req *kr, const char *statement, int nargs,
                                       const char **args, const char *professional_id,
                                       facts *f)
{
    const char *key = NULL;
    if (kfm_memo_enabled(kr)) {
        key = memo_key(kr->r->pool, statement, nargs, args);
        const kfm_memo_entry *e = kfm_memo_get(kr, key);
        const facts *kept = e ? e->facts : NULL;
        int current = 0;
        apr_int64_t now_us = 0;
        if (kept && memo_current(kr, kept, professional_id, &current, &now_us) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        if (current) {
            *f = *kept;   /* shared, read only; the clock just read */
            f->now_us = now_us;
            return APR_SUCCESS;
        }
    }
    kfm_memo_entry *e = key ? kfm_memo_new(kr) : NULL;
    facts *read = e ? apr_palloc(e->pool, sizeof(*read)) : f;
    if (read_facts(kr, e ? e->pool : kr->r->pool, statement, nargs, args, read) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (e && read->owners && read->nrows <= KFM_MEMO_MAX_ROWS &&
        !facts_status(read, professional_id, 1)) {
        e->facts = read;
        kfm_memo_put(key, e);
    }
    if (read != f) {
        *f = *read;
    }
    return APR_SUCCESS;
}

static void init_availability(kfm_req *kr, kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    memset(av, 0, sizeof(*av));
    av->status = "internal_error";
    av->runs_out_at = APR_INT64_MAX;
    av->windows = apr_array_make(p, 32, sizeof(kf_window));
    av->busy = apr_array_make(p, 64, sizeof(kf_busy));
    av->changes = apr_array_make(p, 4, sizeof(kf_tz_change));
}

apr_status_t kfm_availability_load(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *service_id, const char *professional_id,
                           const char *from_day, int days, const char *tz, kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    init_availability(kr, av);
    /* The statement reads around the first day: the one asked for, or today by this
     * server's clock; the display zone's today (by the database's clock) is within a day
     * of it, and zones differ by at most 26 hours: three days of margin on each side. */
    apr_int64_t asked_day = 0;
    int asked = from_day && kf_date_parse(from_day, &asked_day);
    apr_int64_t base = asked ? asked_day : kf_utc_day_of(apr_time_sec(apr_time_now()));
    apr_int64_t day_lo = base - 3, day_hi = base + days + 2;
    apr_int64_t busy_lo = day_lo * 86400, busy_hi = (base + days + 3) * 86400;
    const char *args[] = {slug, subdomain, service_id, professional_id, kfm_db_int64(p, day_lo),
                          kfm_db_int64(p, day_hi), kfm_db_int64(p, busy_lo), kfm_db_int64(p, busy_hi)};
    facts f;
    if (availability_facts(kr, professional_id ? "kf_availability_one" : "kf_availability_any", 8,
                           args, professional_id, &f) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    av->timezone = tz ? tz : f.tenant_zone;
    const kf_zone *zone = f.link_id ? kfm_zone(kr, av->timezone) : NULL;
    const char *error = facts_status(&f, professional_id, zone != NULL);
    if (error) {
        av->status = error;
        return APR_SUCCESS;
    }
    fill_common(kr, &f, av);
    apr_int64_t now = av->now;
    av->from_day = asked ? asked_day : kf_utc_day_of(now + kf_zone_offset(zone, now));
    av->params.from = kf_zone_instant(zone, av->from_day * 86400);
    av->params.to = kf_zone_instant(zone, (av->from_day + days) * 86400);
    if (av->from_day - 2 < day_lo || av->from_day + days + 1 > day_hi) {
        kfm_log(kr, APLOG_ERR, "this server's clock and the database's differ by a day or more: "
                "availability not computed");
        return APR_EGENERAL;
    }
    /* the professionals' local dates around the period (zones differ by up to 26 hours) */
    for (int i = 0; i < f.nprof; i++) {
        add_windows(kr, &f, i, kfm_zone(kr, f.profs[i].zone), av->from_day - 2,
                    av->from_day + days + 1, av);
    }
    add_busy(kr, &f, busy_lo, busy_hi, av);
    kf_zone_changes(zone, av->params.from - 86400, av->params.to + 86400, av->changes);
    av->status = "ok";
    return APR_SUCCESS;
}

/* A judgement's facts that judge later holds of the same professional around the same dates
 * (the memo's, under `key`): its catalog rows (link, service, the professional, its hours and
 * exceptions) as read, with the catalog's version, and no busy time: other reservations are
 * left to the exclusion constraint, and a professional with a calendar is not kept. They
 * hold until the link expires. */
static void keep_hold_facts(kfm_memo_entry *e, const char *key, const char *professional_id,
                            const facts *read)
{
    if (!read->owners || read->nrows > KFM_MEMO_MAX_ROWS || facts_status(read, professional_id, 1) ||
        read->nprof != 1 || strcmp(read->profs[0].calendar, "none") != 0 ||
        read->profs[0].has_busy) {
        return;
    }
    facts *kept = apr_palloc(e->pool, sizeof(*kept));
    *kept = *read;
    kept->reservations = apr_array_make(e->pool, 1, sizeof(res_row));
    kept->calendar = apr_array_make(e->pool, 1, sizeof(kf_busy));
    kept->valid_until_us = APR_INT64_MAX;
    bound_by(kept, kept->link_expires_us);
    e->facts = kept;
    kfm_memo_put(key, e);
}

/* Kept facts of a hold of one professional, when they still judge it (kf_hold_check_one):
 * *used 1 with *f their copy with the clock and the client address's holds just read. */
static apr_status_t kept_hold_facts(kfm_req *kr, const char *key, const char *professional_id,
                                    const char *client_ip, const char *limit, facts *f, int *used)
{
    *used = 0;
    const kfm_memo_entry *e = kfm_memo_get(kr, key);
    const facts *kept = e ? e->facts : NULL;
    if (!kept) {
        return APR_SUCCESS;
    }
    kfm_rows *res = NULL;
    const char *v[5] = {NULL}, *args[] = {professional_id, client_ip, limit};
    if (kfm_db_select(kr->r, kr->db, "kf_hold_check_one", &res, 3, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return APR_SUCCESS;
    }
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, 5);
    apr_int64_t now_us = kfm_db_number(v[0]);
    if (!still_current(kept, v[1], now_us) || kfm_db_number(v[2])) {
        return APR_SUCCESS;   /* a calendar connected since: its busy times are read */
    }
    *f = *kept;   /* shared, read only */
    f->now_us = now_us;
    f->active_holds = (int)kfm_db_number(v[3]);
    f->first_hold_ends_in = kfm_db_number(v[4]);
    *used = 1;
    return APR_SUCCESS;
}

/* The facts that judge a hold: for one professional, kept ones when current, else the
 * judgement statement's (kept for the next holds around the same dates). The memo's key
 * names the link, service, professional and the dates read: those of the start's week, so
 * that one read serves every hold of that week. */
static apr_status_t hold_facts(kfm_req *kr, const char **args, const char *professional_id,
                               facts *f)
{
    const char *key = NULL;
    if (professional_id && kfm_memo_enabled(kr)) {
        int used = 0;
        key = memo_key(kr->r->pool, "kf_hold_judge_one", 6, args);
        if (kept_hold_facts(kr, key, professional_id, args[8], args[9], f, &used) != APR_SUCCESS) {
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
    if (e) {
        keep_hold_facts(e, key, professional_id, f);
    }
    return APR_SUCCESS;
}

apr_status_t kfm_hold_judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                                 const char *service_id, const char *professional_id,
                                 apr_int64_t start, const char *client_ip, int limit,
                                 kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    init_availability(kr, av);
    /* every window of the start's local day lies within 25 hours of it, so the busy times
     * within 26 hours count "how booked the day is" as availability counts it; the dates
     * read are the start's UTC week (Monday to Sunday) and two days either side, which
     * hold the start's local dates and the day either side of each */
    apr_int64_t day = kf_utc_day_of(start), busy_lo = start - 26 * 3600,
                busy_hi = start + 26 * 3600;
    apr_int64_t monday = day - (day + 3) % 7;   /* 1970-01-01 was a Thursday (day 0) */
    const char *args[] = {slug, subdomain, service_id, professional_id,
                          kfm_db_int64(p, monday - 2), kfm_db_int64(p, monday + 8),
                          kfm_db_int64(p, busy_lo), kfm_db_int64(p, busy_hi), client_ip,
                          apr_itoa(p, limit)};
    facts f;
    if (hold_facts(kr, args, professional_id, &f) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    av->active_holds = f.active_holds;
    av->first_hold_ends_in = f.first_hold_ends_in;
    av->timezone = "UTC";
    const char *error = facts_status(&f, professional_id, 1);
    if (error) {
        av->status = error;
        return APR_SUCCESS;
    }
    fill_common(kr, &f, av);
    av->params.from = start;
    av->params.to = start + 1;
    for (int i = 0; i < f.nprof; i++) {
        const kf_zone *zone = kfm_zone(kr, f.profs[i].zone);
        apr_int64_t local_day = zone ? kf_utc_day_of(start + kf_zone_offset(zone, start)) : day;
        add_windows(kr, &f, i, zone, local_day - 1, local_day + 1, av);
    }
    add_busy(kr, &f, busy_lo, busy_hi, av);
    av->status = "ok";
    return APR_SUCCESS;
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

