/* The facts availability depends on: see kf_availability_facts.h. */
#include "kf_availability_facts.h"
#include "kf_calendar.h"
#include "kf_time.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

static apr_int64_t number(const char *v)
{
    return v ? apr_atoi64(v) : 0;
}

/* Seconds from microseconds since the epoch, rounded up (the instants involved are after
 * 1970). */
static apr_int64_t ceil_seconds(apr_int64_t us)
{
    return us / 1000000 + (us % 1000000 > 0);
}

static int by_prof_id(const void *a, const void *b)
{
    return strcmp(((const kf_facts_prof *)a)->id, ((const kf_facts_prof *)b)->id);
}

static int fact_prof(const kf_facts *f, const char *id)
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

/* The first instant past now_us at which `at_us` (NULL: none) changes the answer. */
static void bound_by(kf_facts *f, const char *at_us)
{
    apr_int64_t at = at_us ? number(at_us) : APR_INT64_MAX;
    if (at > f->now_us && at < f->valid_until_us) {
        f->valid_until_us = at;
    }
}

static char kind_of(const char *const *v)
{
    return v[KF_FACTS_COL_KIND] ? v[KF_FACTS_COL_KIND][0] : 0;
}

/* The link, service, professionals, holds and versions rows. */
static void read_owner(kf_facts *f, const char *const *v)
{
    switch (kind_of(v)) {
    case 'V':
        f->owners = v[KF_FACTS_COL_ID];
        f->versions = v[KF_FACTS_COL_W] ? v[KF_FACTS_COL_W] : "";
        break;
    case 'L':
        f->link_id = v[KF_FACTS_COL_ID];
        f->tenant_id = v[KF_FACTS_COL_W];
        f->tenant_zone = v[KF_FACTS_COL_X];
        f->link_service = v[KF_FACTS_COL_Y];
        f->link_prof = v[KF_FACTS_COL_Z];
        f->link_expires_us = v[KF_FACTS_COL_A];
        f->now_us = number(v[KF_FACTS_COL_B]);
        f->link_expired = (int)number(v[KF_FACTS_COL_C]);
        f->calendar_hours = (int)number(v[KF_FACTS_COL_D]);
        bound_by(f, f->link_expires_us);   /* it expires then */
        break;
    case 'S':
        f->service_id = v[KF_FACTS_COL_ID];
        f->service_tenant = v[KF_FACTS_COL_W];
        f->service = v;
        break;
    case 'P': {
        kf_facts_prof *p = &f->profs[f->nprof++];
        p->id = v[KF_FACTS_COL_ID];
        p->zone = v[KF_FACTS_COL_W];
        p->calendar = v[KF_FACTS_COL_X] ? v[KF_FACTS_COL_X] : "none";
        p->synced_at = number(v[KF_FACTS_COL_A]);
        p->retry_pending = (int)number(v[KF_FACTS_COL_B]);
        p->has_busy = (int)number(v[KF_FACTS_COL_C]);
        p->busy_until_known = v[KF_FACTS_COL_D] != NULL;
        p->busy_until = number(v[KF_FACTS_COL_D]);
        p->has_bookable = (int)number(v[KF_FACTS_COL_F]);
        if (p->retry_pending) {
            bound_by(f, v[KF_FACTS_COL_E]);   /* the retry is due then: not pending any more */
        }
        break;
    }
    case 'A':
        f->active_holds = (int)number(v[KF_FACTS_COL_A]);
        f->first_hold_ends_in = number(v[KF_FACTS_COL_B]);
        break;
    default:
        break;
    }
}

/* The rows that name a professional (one the link offers). */
static void read_prof_fact(kf_facts *f, const char *const *v)
{
    char kind = kind_of(v);
    int prof = (kind == 'H' || kind == 'E' || kind == 'B' || kind == 'C' || kind == 'O')
                   ? fact_prof(f, v[KF_FACTS_COL_ID]) : -1;
    if (prof < 0) {
        return;
    }
    if (kind == 'H') {
        kf_weekly_range *h = apr_array_push(f->weekly);
        h->prof = prof;
        h->weekday = (int)number(v[KF_FACTS_COL_A]);
        h->start_minute = (int)number(v[KF_FACTS_COL_B]);
        h->end_minute = (int)number(v[KF_FACTS_COL_C]);
    } else if (kind == 'E') {
        kf_day_exception *e = apr_array_push(f->exceptions);
        e->prof = prof;
        e->day = number(v[KF_FACTS_COL_A]);
        e->closed = (int)number(v[KF_FACTS_COL_B]);
        e->start_minute = (int)number(v[KF_FACTS_COL_C]);
        e->end_minute = (int)number(v[KF_FACTS_COL_D]);
    } else if (kind == 'B') {
        kf_facts_reservation *b = apr_array_push(f->reservations);
        b->prof = prof;
        b->start = number(v[KF_FACTS_COL_A]);
        b->end = number(v[KF_FACTS_COL_B]);
        b->until = number(v[KF_FACTS_COL_C]);
        b->starts_at = number(v[KF_FACTS_COL_D]);
        b->ends_at = number(v[KF_FACTS_COL_E]);
        b->seat = v[KF_FACTS_COL_Y] != NULL;
        bound_by(f, v[KF_FACTS_COL_F]);   /* its deadline: it stops blocking */
    } else if (kind == 'O') {
        kf_busy *o = apr_array_push(f->bookable);
        o->prof = prof;
        o->start = number(v[KF_FACTS_COL_A]);
        o->end = number(v[KF_FACTS_COL_B]);
    } else {
        kf_busy *c = apr_array_push(f->calendar);
        c->prof = prof;
        /* an unbounded range blocks everything on that side */
        c->start = v[KF_FACTS_COL_A] ? number(v[KF_FACTS_COL_A]) : APR_INT64_MIN / 2;
        c->end = v[KF_FACTS_COL_B] ? number(v[KF_FACTS_COL_B]) : APR_INT64_MAX / 2;
    }
}

void kf_facts_read(apr_pool_t *pool, const char *const *const *rows, int nrows, kf_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->valid_until_us = APR_INT64_MAX;
    f->nrows = nrows;
    f->profs = apr_pcalloc(pool, sizeof(kf_facts_prof) * (apr_size_t)(nrows + 1));
    f->weekly = apr_array_make(pool, 16, sizeof(kf_weekly_range));
    f->exceptions = apr_array_make(pool, 4, sizeof(kf_day_exception));
    f->reservations = apr_array_make(pool, 64, sizeof(kf_facts_reservation));
    f->calendar = apr_array_make(pool, 8, sizeof(kf_busy));
    f->bookable = apr_array_make(pool, 8, sizeof(kf_busy));
    /* first the link, service and professionals; then the rows that name a professional */
    for (int i = 0; i < nrows; i++) {
        read_owner(f, rows[i]);
    }
    /* a link that prescribes a professional offers only that one */
    int kept = 0;
    for (int i = 0; i < f->nprof; i++) {
        if (!f->link_prof || strcmp(f->link_prof, f->profs[i].id) == 0) {
            f->profs[kept++] = f->profs[i];
        }
    }
    f->nprof = kept;
    qsort(f->profs, (size_t)f->nprof, sizeof(kf_facts_prof), by_prof_id);
    for (int i = 0; i < nrows; i++) {
        read_prof_fact(f, rows[i]);
    }
}

const char *kf_facts_status(const kf_facts *f, const char *professional_id, int zone_ok)
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

const char *kf_facts_key(apr_pool_t *p, const char *statement, int nargs, const char *const *args)
{
    const char *key = statement;
    for (int i = 0; i < nargs; i++) {
        key = apr_pstrcat(p, key, "\x1f", args[i] ? args[i] : "\x01", NULL);
    }
    return key;
}

int kf_facts_still_current(const kf_facts *kept, const char *versions, apr_int64_t now_us)
{
    return strcmp(versions ? versions : "", kept->versions ? kept->versions : "") == 0 &&
           now_us < kept->valid_until_us;
}

int kf_facts_reuse(const kf_facts *kept, const char *const *row, int hold_check, kf_facts *f)
{
    apr_int64_t now_us = number(row[KF_FACTS_CHECK_NOW_US]);
    if (!kf_facts_still_current(kept, row[KF_FACTS_CHECK_VERSIONS], now_us) ||
        (hold_check && number(row[KF_FACTS_CHECK_CALENDAR]))) {
        return 0;   /* a write since, or a calendar connected since: its busy times are read */
    }
    *f = *kept;
    f->now_us = now_us;
    if (hold_check) {
        f->active_holds = (int)number(row[KF_FACTS_CHECK_ACTIVE_HOLDS]);
        f->first_hold_ends_in = number(row[KF_FACTS_CHECK_FIRST_HOLD_ENDS_IN]);
    }
    return 1;
}

int kf_facts_reuse_unchecked(const kf_facts *kept, apr_int64_t now_us, kf_facts *f)
{
    if (now_us >= kept->valid_until_us) {
        return 0;
    }
    *f = *kept;
    f->now_us = now_us;
    f->active_holds = 0;
    f->first_hold_ends_in = 0;
    return 1;
}

int kf_facts_keepable(const kf_facts *f, const char *professional_id, int max_rows)
{
    return f->owners && f->nrows <= max_rows && !kf_facts_status(f, professional_id, 1);
}

kf_facts *kf_facts_for_holds(apr_pool_t *pool, const kf_facts *read, const char *professional_id,
                             int max_rows)
{
    if (!kf_facts_keepable(read, professional_id, max_rows) || read->nprof != 1 ||
        strcmp(read->profs[0].calendar, "none") != 0 || read->profs[0].has_busy) {
        return NULL;
    }
    kf_facts *kept = apr_palloc(pool, sizeof(*kept));
    *kept = *read;
    kept->reservations = apr_array_make(pool, 1, sizeof(kf_facts_reservation));
    kept->calendar = apr_array_make(pool, 1, sizeof(kf_busy));
    kept->bookable = apr_array_make(pool, 1, sizeof(kf_busy));
    kept->valid_until_us = APR_INT64_MAX;
    bound_by(kept, kept->link_expires_us);
    return kept;
}

kf_facts_period kf_facts_period_of_days(apr_int64_t base, int days)
{
    kf_facts_period p;
    p.day_lo = base - 3;
    p.day_hi = base + days + 2;
    p.busy_lo = p.day_lo * 86400;
    p.busy_hi = (base + days + 3) * 86400;
    return p;
}

kf_facts_period kf_facts_period_of_start(apr_int64_t start)
{
    kf_facts_period p;
    apr_int64_t day = kf_utc_day_of(start);
    apr_int64_t monday = day - (day + 3) % 7;   /* 1970-01-01 was a Thursday (day 0) */
    p.day_lo = monday - 2;
    p.day_hi = monday + 8;
    p.busy_lo = start - 26 * 3600;
    p.busy_hi = start + 26 * 3600;
    return p;
}

void kf_availability_init(apr_pool_t *p, kf_availability *av)
{
    memset(av, 0, sizeof(*av));
    av->status = "internal_error";
    av->runs_out_at = APR_INT64_MAX;
    av->windows = apr_array_make(p, 32, sizeof(kf_window));
    av->busy = apr_array_make(p, 64, sizeof(kf_busy));
    av->seats = apr_array_make(p, 8, sizeof(kf_seat_taken));
    av->changes = apr_array_make(p, 4, sizeof(kf_tz_change));
}

void kf_availability_from_facts(apr_pool_t *p, const kf_facts *f, kf_availability *av)
{
    const char *const *s = f->service;
    av->link_id = f->link_id;
    av->tenant_id = f->tenant_id;
    av->tenant_zone = f->tenant_zone;
    av->now = f->now_us / 1000000;
    if (f->link_expires_us) {
        av->runs_out_at = ceil_seconds(number(f->link_expires_us));
    }
    av->params.duration = (int)number(s[KF_FACTS_COL_A]) * 60;
    av->params.interval = (int)number(s[KF_FACTS_COL_B]) * 60;
    av->params.buffer_before = (int)number(s[KF_FACTS_COL_C]) * 60;
    av->params.buffer_after = (int)number(s[KF_FACTS_COL_D]) * 60;
    av->params.earliest = ceil_seconds(f->now_us + number(s[KF_FACTS_COL_E]) * 60 * 1000000);
    av->params.latest = (f->now_us + number(s[KF_FACTS_COL_F]) * 86400 * 1000000) / 1000000;
    av->params.capacity = (int)number(s[KF_FACTS_COL_X]);
    av->params.team = s[KF_FACTS_COL_Y] ? (int)number(s[KF_FACTS_COL_Y]) : 0;
    kf_series_from_stored(s[KF_FACTS_COL_Z], &av->series);
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

int kf_availability_place(kf_availability *av, const kf_zone *zone, const apr_int64_t *asked,
                          int days, const kf_facts_period *read)
{
    apr_int64_t now = av->now;
    av->from_day = asked ? *asked : kf_utc_day_of(now + kf_zone_offset(zone, now));
    av->params.from = kf_zone_instant(zone, av->from_day * 86400);
    av->params.to = kf_zone_instant(zone, (av->from_day + days) * 86400);
    return av->from_day - 2 >= read->day_lo && av->from_day + days + 1 <= read->day_hi;
}

void kf_availability_add_windows(const kf_facts *f, int i, const kf_zone *zone,
                                 apr_int64_t first, apr_int64_t last, kf_availability *av)
{
    if (!zone) {
        return;
    }
    int from = av->windows->nelts;
    kf_hours_windows(zone, i, (const kf_weekly_range *)f->weekly->elts, f->weekly->nelts,
                     (const kf_day_exception *)f->exceptions->elts, f->exceptions->nelts,
                     first, last, av->windows);
    if (f->profs[i].has_bookable) {
        kf_hours_with_calendar(av->windows, from, i, (kf_hours_source)f->calendar_hours,
                               (const kf_busy *)f->bookable->elts, f->bookable->nelts, zone,
                               first, last);
    }
}

void kf_availability_add_busy(apr_pool_t *p, const kf_facts *f, apr_int64_t lo, apr_int64_t hi,
                              kf_availability *av)
{
    const kf_facts_reservation *res = (const kf_facts_reservation *)f->reservations->elts;
    int seated = kf_capacity_seated(av->params.capacity);
    for (int i = 0; i < f->reservations->nelts; i++) {
        if (res[i].until && res[i].until < av->runs_out_at) {
            av->runs_out_at = res[i].until;
        }
        if (seated && res[i].seat) {
            kf_seat_taken *s = apr_array_push(av->seats);
            s->prof = res[i].prof;
            s->start = res[i].starts_at;
            s->block_start = res[i].start;
            s->block_end = res[i].end;
            continue;
        }
        kf_busy *b = apr_array_push(av->busy);
        b->prof = res[i].prof;
        b->start = res[i].start;
        b->end = res[i].end;
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

int kf_availability_slots(apr_pool_t *p, const kf_availability *av, kf_slots_mode mode,
                          kf_slot **out)
{
    int seated = kf_capacity_seated(av->params.capacity);
    int team = av->params.team;
    int n = kf_slots_compute(p, &av->params, av->nprof, (const kf_window *)av->windows->elts,
                             av->windows->nelts, (const kf_busy *)av->busy->elts,
                             av->busy->nelts, seated || team ? KF_SLOTS_ALL : mode, out);
    if (n > 0 && team) {
        return kf_team_keep_common(*out, n, team);
    }
    if (n <= 0 || !seated) {
        return n;
    }
    n = kf_seats_keep_free(&av->params, (const kf_seat_taken *)av->seats->elts, av->seats->nelts,
                           *out, n);
    return mode == KF_SLOTS_ONE_PER_START ? kf_slots_one_per_start(*out, n) : n;
}

int kf_availability_series_slots(apr_pool_t *p, const kf_availability *av,
                                 kf_series_every every, int count, apr_int64_t from,
                                 apr_int64_t to, kf_slots_mode mode, kf_slot **out)
{
    kf_availability open = *av;
    open.params.latest = APR_INT64_MAX;   /* the horizon bounds the first start only */
    kf_slot *all = NULL;
    int n = kf_availability_slots(p, &open, KF_SLOTS_ALL, &all);
    if (n < 0) {
        return n;
    }
    *out = apr_palloc(p, sizeof(kf_slot) * (apr_size_t)(n + 1));
    int m = kf_series_keep_free(all, n, av->prof_zones, every, count, from, to,
                                av->params.latest, *out);
    return mode == KF_SLOTS_ONE_PER_START ? kf_slots_one_per_start(*out, m) : m;
}

void kf_availability_block(kf_availability *av, int i)
{
    kf_busy *b = apr_array_push(av->busy);
    b->prof = i;
    b->start = av->params.from - 86400;
    b->end = av->params.to + 86400;
}

int kf_availability_guard_calendars(kf_availability *av, apr_int64_t stale)
{
    int blocked = 0;
    for (int i = 0; i < av->nprof; i++) {
        const char *status = av->prof_calendars[i];
        apr_int64_t until = kf_calendar_busy_known_until(status, av->prof_synced_at[i], stale);
        if (until < av->runs_out_at) {
            av->runs_out_at = until;   /* the answer changes when the busy times go stale */
        }
        if (!kf_calendar_busy_known(status, av->prof_synced_at[i], av->now, stale)) {
            kf_availability_block(av, i);
            blocked++;
        }
    }
    return blocked;
}
