#ifndef KF_SERIES_SLOTS_H
#define KF_SERIES_SLOTS_H
/* What availability offers of a series (kf_series.h): the instants of its occurrences in the
 * professional's zone, and the first starts whose every occurrence is free. Pure once the
 * zones are loaded.
 *
 * Each occurrence is judged as a single slot is (hours, bookings, calendar busy times,
 * buffers, the minimum notice), except the horizon: it bounds the first start only, so a
 * series may run past it (a horizon of 14 days would otherwise refuse every monthly series). */
#include <apr.h>

#include "kf_slots.h"
#include "kf_zone.h"
#include "kf_series.h"

/* The `count` instants of a series whose first start is `first`, each at the first's wall
 * clock in `zone` (across a change of offset the instant moves, the wall clock does not);
 * zone NULL: UTC. */
void kf_series_starts(const kf_zone *zone, kf_series_every every, apr_int64_t first, int count,
                      apr_int64_t *out);

/* The slots among slots[0..n) (sorted by start, KF_SLOTS_ALL) that start in [from, to) and
 * before `latest` and whose every later occurrence (in its professional's zone,
 * zones[prof]) is also one of those slots of the same professional, copied into
 * keep[] (room for n; not slots itself: every slot is looked up) in their order; how many. */
int kf_series_keep_free(const kf_slot *slots, int n, const kf_zone *const *zones,
                        kf_series_every every, int count, apr_int64_t from, apr_int64_t to,
                        apr_int64_t latest, kf_slot *keep);

/* Whether professional `prof` has a slot starting at `start` among slots[0..n) (sorted by
 * start). */
int kf_series_slot_free(const kf_slot *slots, int n, int prof, apr_int64_t start);

#endif
