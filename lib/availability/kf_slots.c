#include "kf_slots.h"

#include <stdlib.h>
#include <string.h>

static int cmp_window(const void *a, const void *b)
{
    const kf_window *x = a, *y = b;
    if (x->prof != y->prof) {
        return x->prof < y->prof ? -1 : 1;
    }
    return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_busy(const void *a, const void *b)
{
    const kf_busy *x = a, *y = b;
    if (x->prof != y->prof) {
        return x->prof < y->prof ? -1 : 1;
    }
    return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_slot(const void *a, const void *b)
{
    const kf_slot *x = a, *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    if (x->load != y->load) {
        return x->load < y->load ? -1 : 1;
    }
    return x->prof < y->prof ? -1 : x->prof > y->prof;
}

/* Sorts busy intervals by (prof, start) and merges the overlapping ones of a professional
 * in place; returns the new count. Empty intervals are dropped. */
static int merge_busy(kf_busy *b, int n)
{
    qsort(b, (size_t)n, sizeof(*b), cmp_busy);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (b[i].end <= b[i].start) {
            continue;
        }
        if (m > 0 && b[m - 1].prof == b[i].prof && b[i].start <= b[m - 1].end) {
            if (b[i].end > b[m - 1].end) {
                b[m - 1].end = b[i].end;
            }
            continue;
        }
        b[m++] = b[i];
    }
    return m;
}

/* First index of professional `prof` in b (sorted by prof), or n. */
static int first_of(const kf_busy *b, int n, int prof)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (b[mid].prof < prof) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

/* Busy intervals (raw, before merging) of the window's professional that start inside it. */
static int raw_load(const kf_window *w, const kf_busy *busy, int nbusy)
{
    int count = 0;
    for (int i = 0; i < nbusy; i++) {
        if (busy[i].prof == w->prof && busy[i].start >= w->start && busy[i].start < w->end) {
            count++;
        }
    }
    return count;
}

/* First grid index k >= 0 with start + k * interval >= bound. */
static apr_int64_t first_k(apr_int64_t start, int interval, apr_int64_t bound)
{
    if (bound <= start) {
        return 0;
    }
    return (bound - start + interval - 1) / interval;
}

void kf_slot_blocked(const kf_slot_params *sp, apr_int64_t start, apr_int64_t end,
                     apr_int64_t *block_start, apr_int64_t *block_end)
{
    *block_start = start - sp->buffer_before;
    *block_end = end + sp->buffer_after;
}

int kf_slots_compute(apr_pool_t *p, const kf_slot_params *sp, int nprof,
                     const kf_window *windows, int nwindows,
                     const kf_busy *busy, int nbusy, kf_slots_mode mode, kf_slot **out)
{
    *out = NULL;
    if (!sp || sp->duration <= 0 || sp->interval <= 0 || sp->buffer_before < 0 ||
        sp->buffer_after < 0 || nwindows < 0 || nbusy < 0 || nprof < 0) {
        return -1;
    }
    kf_window *w = apr_palloc(p, sizeof(*w) * (apr_size_t)(nwindows + 1));
    kf_busy *b = apr_palloc(p, sizeof(*b) * (apr_size_t)(nbusy + 1));
    int *load = apr_palloc(p, sizeof(*load) * (apr_size_t)(nwindows + 1));
    if (nwindows) {
        memcpy(w, windows, sizeof(*w) * (apr_size_t)nwindows);
    }
    if (nbusy) {
        memcpy(b, busy, sizeof(*b) * (apr_size_t)nbusy);
    }
    qsort(w, (size_t)nwindows, sizeof(*w), cmp_window);

    /* the day's load of each window: sum over that professional's windows of that day
     * (adjacent once sorted, since one professional's windows do not overlap) */
    for (int i = 0; i < nwindows;) {
        int j = i, sum = 0;
        while (j < nwindows && w[j].prof == w[i].prof && w[j].day == w[i].day) {
            sum += raw_load(&w[j], busy, nbusy);
            j++;
        }
        for (int k = i; k < j; k++) {
            load[k] = sum;
        }
        i = j;
    }
    nbusy = merge_busy(b, nbusy);

    /* the lowest and highest acceptable starts */
    apr_int64_t lo = sp->from > sp->earliest ? sp->from : sp->earliest;
    apr_int64_t hi = sp->to < sp->latest ? sp->to : sp->latest;   /* exclusive */

    /* where the stretch of each window ends: windows of one professional that abut (a day
     * ending at 24:00 and the next starting at 00:00) are one stretch of time, so a slot
     * starting in one may end in the next; starts stay on their own window's grid, which
     * keeps the answer independent of how many days were read */
    apr_int64_t *reach = apr_palloc(p, sizeof(*reach) * (apr_size_t)(nwindows + 1));
    for (int i = nwindows - 1; i >= 0; i--) {
        reach[i] = i + 1 < nwindows && w[i + 1].prof == w[i].prof && w[i + 1].start == w[i].end
                       ? reach[i + 1]
                       : w[i].end;
    }

    /* upper bound of the number of slots, for a single allocation */
    apr_int64_t cap = 0;
    for (int i = 0; i < nwindows; i++) {
        if (reach[i] - w[i].start >= sp->duration && w[i].end > lo && w[i].start < hi) {
            cap += (w[i].end - w[i].start) / sp->interval + 1;
        }
    }
    kf_slot *s = apr_palloc(p, sizeof(*s) * (apr_size_t)(cap + 1));
    int n = 0;

    for (int i = 0; i < nwindows; i++) {
        const kf_window *win = &w[i];
        if (win->prof < 0 || win->prof >= nprof || reach[i] - win->start < sp->duration) {
            continue;
        }
        int bi = first_of(b, nbusy, win->prof);
        for (apr_int64_t k = first_k(win->start, sp->interval, lo);; k++) {
            apr_int64_t start = win->start + k * sp->interval;
            apr_int64_t end = start + sp->duration;
            if (start >= win->end || end > reach[i] || start >= hi) {
                break;
            }
            apr_int64_t block_start, block_end;
            kf_slot_blocked(sp, start, end, &block_start, &block_end);
            while (bi < nbusy && b[bi].prof == win->prof && b[bi].end <= block_start) {
                bi++;
            }
            if (bi < nbusy && b[bi].prof == win->prof && b[bi].start < block_end) {
                continue;
            }
            s[n].start = start;
            s[n].end = end;
            s[n].prof = win->prof;
            s[n].load = load[i];
            s[n].seats_left = 0;
            n++;
        }
    }
    /* one professional's slots come out in order (its windows are sorted): sort only
     * several professionals' (glibc's qsort allocates and merges even sorted input) */
    int in_order = 1;
    for (int i = 1; i < n && in_order; i++) {
        in_order = cmp_slot(&s[i - 1], &s[i]) <= 0;
    }
    if (!in_order) {
        qsort(s, (size_t)n, sizeof(*s), cmp_slot);
    }
    if (mode == KF_SLOTS_ONE_PER_START) {
        n = kf_slots_one_per_start(s, n);
    }
    *out = s;
    return n;
}

int kf_slots_one_per_start(kf_slot *slots, int n)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m == 0 || slots[m - 1].start != slots[i].start) {
            slots[m++] = slots[i];
        }
    }
    return m;
}

/* The end of the stretch of abutting windows of one professional that windows[i] starts
 * (inputs unsorted here; few windows). */
static apr_int64_t stretch_end(const kf_window *windows, int nwindows, int i)
{
    apr_int64_t end = windows[i].end;
    for (int more = 1; more;) {
        more = 0;
        for (int j = 0; j < nwindows; j++) {
            if (windows[j].prof == windows[i].prof && windows[j].start == end &&
                windows[j].end > end) {
                end = windows[j].end;
                more = 1;
            }
        }
    }
    return end;
}

apr_int64_t kf_slots_clock_stable_until(const kf_slot_params *sp, const kf_window *windows,
                                        int nwindows, const kf_slot *slots, int n,
                                        apr_int64_t now)
{
    apr_int64_t until = APR_INT64_MAX;
    if (n > 0) {
        until = now + (slots[0].start - sp->earliest) - 1;
    }
    if (sp->latest < sp->to) {
        apr_int64_t bound = sp->latest > sp->from ? sp->latest : sp->from;
        for (int i = 0; i < nwindows; i++) {
            const kf_window *w = &windows[i];
            apr_int64_t start = w->start + first_k(w->start, sp->interval, bound) * sp->interval;
            if (start < w->end && start + sp->duration <= stretch_end(windows, nwindows, i) &&
                start < sp->to) {
                apr_int64_t enters = now + (start - sp->latest) - 1;
                if (enters < until) {
                    until = enters;
                }
            }
        }
    }
    return until;
}

/* Copies n intervals clipped to [from, to) under one professional, sorted and merged. */
static kf_busy *clipped_union(apr_pool_t *p, const kf_busy *in, int n, apr_int64_t from,
                              apr_int64_t to, int *count)
{
    kf_busy *b = apr_palloc(p, sizeof(*b) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        b[i].prof = 0;
        b[i].start = in[i].start < from ? from : in[i].start;
        b[i].end = in[i].end > to ? to : in[i].end;
    }
    *count = merge_busy(b, n);
    return b;
}

void kf_busy_less(apr_pool_t *p, int prof, const kf_busy *busy, int nbusy, const kf_busy *holes,
                  int nholes, apr_int64_t from, apr_int64_t to, apr_array_header_t *out)
{
    int nb, nh, h = 0;
    kf_busy *b = clipped_union(p, busy, nbusy, from, to, &nb);
    kf_busy *hole = clipped_union(p, holes, nholes, from, to, &nh);
    for (int i = 0; i < nb; i++) {
        apr_int64_t at = b[i].start;
        while (h < nh && hole[h].end <= at) {
            h++;
        }
        for (int j = h; j < nh && hole[j].start < b[i].end; j++) {
            if (hole[j].start > at) {
                kf_busy *o = apr_array_push(out);
                o->prof = prof;
                o->start = at;
                o->end = hole[j].start;
            }
            if (hole[j].end > at) {
                at = hole[j].end;
            }
        }
        if (at < b[i].end) {
            kf_busy *o = apr_array_push(out);
            o->prof = prof;
            o->start = at;
            o->end = b[i].end;
        }
    }
}

int kf_tz_offset_at(const kf_tz_change *changes, int n, apr_int64_t t, int *cursor)
{
    if (n <= 0) {
        return 0;
    }
    int i = *cursor;
    if (i < 0 || i >= n || changes[i].at > t) {
        i = 0;
    }
    while (i + 1 < n && changes[i + 1].at <= t) {
        i++;
    }
    *cursor = i;
    return changes[i].offset;
}
