/* Choosing an intent's slots among those availability offers: see kf_assistant_slots.h. */
#include "kf_assistant_slots.h"
#include "kf_time.h"

#include <stdlib.h>
#include <string.h>

int kf_assistant_fits_day(const kf_intent *in, apr_int64_t day)
{
    return day >= in->from && day <= in->to &&
           !(in->excluded_weekdays & (1u << kf_assistant_weekday(day)));
}

/* The customer's day, in minutes: when people book, and the parts they name. */
enum {
    DAY_STARTS = 6 * 60,        /* 06:00 */
    NOON = 12 * 60,
    AFTERNOON_ENDS = 19 * 60,   /* 18:59 is still the afternoon */
    EVENING_STARTS = 17 * 60,
    NIGHT_STARTS = 22 * 60      /* 21:59 is still the evening */
};

static int at_night(int m)
{
    return m < DAY_STARTS || m >= NIGHT_STARTS;
}

int kf_assistant_awake(const kf_intent *in, int m)
{
    return !at_night(m) || (in->earliest >= 0 && at_night(in->earliest)) ||
           (in->latest >= 0 && at_night(in->latest));
}

/* The part of the day's first and last minutes (the whole day without one). */
static void part_bounds(kf_part_of_day part, int *lo, int *hi)
{
    *lo = 0;
    *hi = 1439;
    if (part == KF_PART_MORNING) {
        *lo = DAY_STARTS;
        *hi = NOON - 1;
    }
    else if (part == KF_PART_AFTERNOON) {
        *lo = NOON;
        *hi = AFTERNOON_ENDS - 1;
    }
    else if (part == KF_PART_EVENING) {
        *lo = EVENING_STARTS;
        *hi = NIGHT_STARTS - 1;
    }
}

int kf_assistant_fits_time(const kf_intent *in, int m)
{
    int lo, hi;
    part_bounds(in->part, &lo, &hi);
    if (m < lo || m > hi || !kf_assistant_awake(in, m)) {
        return 0;
    }
    if ((in->earliest >= 0 && m < in->earliest) || (in->latest >= 0 && m > in->latest)) {
        return 0;
    }
    for (int x = 0; x < in->nexcluded; x++) {
        if (m >= in->excluded_from[x] && m < in->excluded_to[x]) {
            return 0;
        }
    }
    return 1;
}

/* How far local minutes m are from the intent's times (0 inside). */
static int time_distance(const kf_intent *in, int m)
{
    int lo, hi;
    part_bounds(in->part, &lo, &hi);
    if (in->earliest > lo) {
        lo = in->earliest;
    }
    if (in->latest >= 0 && in->latest < hi) {
        hi = in->latest;
    }
    if (m < lo) {
        return lo - m;
    }
    if (m > hi) {
        return m - hi;
    }
    return kf_assistant_fits_time(in, m) ? 0 : 30;
}

typedef struct seen {
    const kf_slot *slot;
    apr_int64_t day;
    int minutes;
    long long rank;
} seen;

static int by_rank(const void *a, const void *b)
{
    const seen *x = a, *y = b;
    if (x->rank != y->rank) {
        return x->rank < y->rank ? -1 : 1;
    }
    return x->slot->start < y->slot->start ? -1 : x->slot->start > y->slot->start;
}

static int by_start(const void *a, const void *b)
{
    const kf_slot *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Up to five of cand[0..n) (in order of start): the first of each day, then the next
 * ones; or simply the first five (`in_order`). */
static void pick(const seen *cand, int n, int in_order, kf_assistant_choice *out)
{
    out->n = 0;
    if (!in_order) {
        apr_int64_t last_day = APR_INT64_MIN;
        for (int i = 0; i < n && out->n < KF_ASSISTANT_MAX_SLOTS; i++) {
            if (cand[i].day != last_day) {
                out->slots[out->n++] = *cand[i].slot;
                last_day = cand[i].day;
            }
        }
    }
    for (int i = 0; i < n && out->n < KF_ASSISTANT_MAX_SLOTS; i++) {
        int taken = 0;
        for (int j = 0; j < out->n && !taken; j++) {
            taken = out->slots[j].start == cand[i].slot->start && out->slots[j].prof == cand[i].slot->prof;
        }
        if (!taken) {
            out->slots[out->n++] = *cand[i].slot;
        }
    }
    qsort(out->slots, (size_t)out->n, sizeof(kf_slot), by_start);
}

/* The nearest five of cand[0..n) by their rank. */
static void nearest(seen *cand, int n, kf_assistant_choice *out)
{
    qsort(cand, (size_t)n, sizeof(seen), by_rank);
    out->n = 0;
    for (int i = 0; i < n && out->n < KF_ASSISTANT_MAX_SLOTS; i++) {
        out->slots[out->n++] = *cand[i].slot;
    }
    qsort(out->slots, (size_t)out->n, sizeof(kf_slot), by_start);
}

void kf_assistant_choose(apr_pool_t *p, const kf_intent *in, apr_int64_t today, const kf_slot *slots, int n,
                         const kf_tz_change *changes, int nchanges, const char *const *prof_ids,
                         const kf_assistant_offer *before, int nbefore, kf_assistant_choice *out)
{
    memset(out, 0, sizeof(*out));
    seen *all = apr_palloc(p, sizeof(seen) * (apr_size_t)(n + 1));
    seen *cand = apr_palloc(p, sizeof(seen) * (apr_size_t)(n + 1));
    int cursor = 0;
    for (int i = 0; i < n; i++) {
        apr_int64_t local = slots[i].start + kf_tz_offset_at(changes, nchanges, slots[i].start, &cursor);
        all[i].slot = &slots[i];
        all[i].day = kf_utc_day_of(local);
        all[i].minutes = (int)((local - all[i].day * 86400) / 60);
        all[i].rank = 0;
    }
    /* a pick: that time when it is still offered */
    if (in->follow == KF_FOLLOW_PICK) {
        int idx = in->pick < 0 ? nbefore - 1 : in->pick - 1;
        if (idx < 0 || idx >= nbefore) {
            out->why = KF_WHY_PICK_UNKNOWN;
        }
        else {
            for (int i = 0; i < n; i++) {
                if (slots[i].start == before[idx].start &&
                    (!before[idx].professional || !strcmp(prof_ids[slots[i].prof], before[idx].professional))) {
                    out->slots[0] = slots[i];
                    out->n = 1;
                    out->why = KF_WHY_PICKED;
                    return;
                }
            }
            out->why = KF_WHY_PICK_GONE;
        }
    }
    /* what a follow-up leaves out */
    apr_int64_t after = APR_INT64_MIN, until = APR_INT64_MAX;
    for (int b = 0; b < nbefore; b++) {
        if (in->follow == KF_FOLLOW_LATER && before[b].start > after) {
            after = before[b].start;
        }
        if (in->follow == KF_FOLLOW_EARLIER && before[b].start < until) {
            until = before[b].start;
        }
    }
    int nc = 0;
    for (int i = 0; i < n; i++) {
        int other_day_ok = 1;
        if (in->follow == KF_FOLLOW_OTHER_DAY) {
            int cur = 0;
            for (int b = 0; b < nbefore && other_day_ok; b++) {
                apr_int64_t l = before[b].start + kf_tz_offset_at(changes, nchanges, before[b].start, &cur);
                other_day_ok = kf_utc_day_of(l) != all[i].day;
                cur = 0;
            }
        }
        all[i].rank = other_day_ok;   /* reused below as "allowed" */
        if (other_day_ok && slots[i].start > after && slots[i].start < until &&
            kf_assistant_fits_day(in, all[i].day) && kf_assistant_fits_time(in, all[i].minutes)) {
            cand[nc++] = all[i];
        }
    }
    if (nc > 0) {
        if (in->follow == KF_FOLLOW_EARLIER) {
            int skip = nc > KF_ASSISTANT_MAX_SLOTS ? nc - KF_ASSISTANT_MAX_SLOTS : 0;
            pick(cand + skip, nc - skip, 1, out);
        }
        else {
            int exact = in->earliest >= 0 && in->earliest == in->latest;
            pick(cand, nc, in->asap || exact || in->from == in->to || in->follow == KF_FOLLOW_LATER, out);
        }
        if (out->why != KF_WHY_PICK_GONE && out->why != KF_WHY_PICK_UNKNOWN) {
            out->why = KF_WHY_FOUND;
        }
        return;
    }
    kf_assistant_why why = KF_WHY_DAYS;
    nc = 0;
    /* those days, other times: nearest by time of day */
    for (int i = 0; i < n; i++) {
        if (all[i].rank && kf_assistant_fits_day(in, all[i].day) &&
            kf_assistant_awake(in, all[i].minutes)) {
            cand[nc] = all[i];
            cand[nc].rank = (long long)time_distance(in, all[i].minutes) * 100000 +
                            (all[i].day - in->from);
            nc++;
        }
    }
    if (nc > 0) {
        why = KF_WHY_TIME;
    }
    else {
        /* other days: nearest to the days asked, at the time asked when there is such */
        int fitting = 0;
        for (int i = 0; i < n; i++) {
            fitting += all[i].rank && kf_assistant_fits_time(in, all[i].minutes);
        }
        for (int i = 0; i < n; i++) {
            if (!all[i].rank || !kf_assistant_awake(in, all[i].minutes) ||
                (fitting && !kf_assistant_fits_time(in, all[i].minutes))) {
                continue;
            }
            apr_int64_t d = all[i].day < in->from ? in->from - all[i].day
                            : all[i].day > in->to ? all[i].day - in->to : 0;
            cand[nc] = all[i];
            cand[nc].rank = (long long)d * 2 * 2000 + (all[i].day < in->from ? 2000 : 0) +
                            time_distance(in, all[i].minutes);
            nc++;
        }
        why = in->to < today ? KF_WHY_PAST : nc ? KF_WHY_DAYS : KF_WHY_NONE;
    }
    nearest(cand, nc, out);
    if (out->why != KF_WHY_PICK_GONE && out->why != KF_WHY_PICK_UNKNOWN) {
        out->why = why;
    }
}
