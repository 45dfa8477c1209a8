#ifndef KF_ASSIGN_H
#define KF_ASSIGN_H
/* Who takes a booking made for "any professional" (API.md "Series, seats and teams": the
 * link's `assign`), among the professionals free at its start:
 *   - least_booked: the fewest bookings made this week, ties by name (then id);
 *   - weights: the one furthest below its share of the weights: the smallest
 *     (booked + 1) / weight, ties by the larger weight, then by name (then id), so that
 *     over many bookings each gets its weight's share (D'Hondt's order); professionals
 *     without a weight take a booking only when no weighted one is free, least booked
 *     first.
 * "This week" starts on Monday 00:00 in the tenant's zone; `now` is an argument. The order
 * is a whole order, not only a pick: when the first is taken by someone else meanwhile (the
 * exclusion constraint refuses the insert), the hold tries the next. */
#include <apr.h>

#include "kf_link_assign.h"
#include "kf_zone.h"

typedef struct kf_assign_candidate {
    const char *id, *name;
    long booked;      /* bookings made since the week's start (kf_assign_week_start) */
    int weight;       /* the link's weight, 0: none */
    int slot;         /* the caller's own index (e.g. of its slot) */
} kf_assign_candidate;

/* The instant the week of `now` starts: Monday 00:00 in zone z (NULL: UTC), as PostgreSQL
 * places that wall-clock time (kf_zone_instant). */
apr_int64_t kf_assign_week_start(const kf_zone *z, apr_int64_t now);

/* Sorts c[0..n) in the rule's order: c[0] is who takes the booking. */
void kf_assign_order(kf_assign_rule rule, kf_assign_candidate *c, int n);

#endif
