/* Series in availability: see kf_series_slots.h. */
#include "kf_series_slots.h"

void kf_series_starts(const kf_zone *zone, kf_series_every every, apr_int64_t first, int count,
                      apr_int64_t *out)
{
    apr_int64_t local = first + (zone ? kf_zone_offset(zone, first) : 0);
    for (int k = 0; k < count; k++) {
        apr_int64_t wall = kf_series_local_start(every, local, k);
        out[k] = zone ? kf_zone_instant(zone, wall) : wall;
    }
}

int kf_series_slot_free(const kf_slot *slots, int n, int prof, apr_int64_t start)
{
    int lo = 0, hi = n;
    while (lo < hi) {   /* the first slot starting at or after `start` */
        int mid = lo + (hi - lo) / 2;
        if (slots[mid].start < start) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    for (int i = lo; i < n && slots[i].start == start; i++) {
        if (slots[i].prof == prof) {
            return 1;
        }
    }
    return 0;
}

int kf_series_keep_free(const kf_slot *slots, int n, const kf_zone *const *zones,
                        kf_series_every every, int count, apr_int64_t from, apr_int64_t to,
                        apr_int64_t latest, kf_slot *keep)
{
    apr_int64_t starts[KF_SERIES_COUNT_MAX];
    if (count > KF_SERIES_COUNT_MAX) {
        return 0;
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        kf_slot s = slots[i];
        if (s.start < from || s.start >= to || s.start >= latest) {
            continue;
        }
        kf_series_starts(zones ? zones[s.prof] : NULL, every, s.start, count, starts);
        int all = 1;
        for (int k = 1; k < count && all; k++) {
            all = kf_series_slot_free(slots, n, s.prof, starts[k]);
        }
        if (all) {
            keep[m++] = s;
        }
    }
    return m;
}
