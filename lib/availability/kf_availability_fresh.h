#ifndef KF_AVAILABILITY_FRESH_H
#define KF_AVAILABILITY_FRESH_H
/* What to do with a cached availability answer: the single-flight refill rule.
 *
 * An entry is "fresh" until valid_until (the TTL or the clock-based bound, whichever comes
 * first). Once it lapses by time ONLY (its generations still match: nothing on this server
 * wrote since), it may still be served for `grace` more while exactly one request — the one
 * that claims the refill marker — recomputes it. The marker names the entry it refills (its
 * valid_until) and lasts until the claim time plus grace. An entry whose generations changed
 * is never served: a write on this server shows at once.
 *
 * The request that claims the refill of an entry lapsed by its TTL alone (the clock has not
 * changed the answer yet: now before its clock_until) serves it too, and recomputes it after
 * its answer has left (KF_AVAIL_REFRESH_AFTER), so no customer waits for a refill the clock
 * did not ask for: after a graceful restart, that wait was a new child's first statement on a
 * new connection. An entry the clock changed (a hold or a payment window ended, a slot left
 * the minimum notice) is recomputed before its answer, as a miss is.
 *
 * Staleness bound: an answer is never served after valid_until + grace, i.e. never more
 * than TTL + grace after it was computed, and never more than grace past the instant the
 * clock alone changes it (not at all past it to the request that refills it). All times are
 * in the same unit (microseconds in the module). */
#include <apr.h>

typedef enum kf_availability_fresh {
    KF_AVAIL_HIT,          /* serve it: still valid */
    KF_AVAIL_STALE_SERVE,  /* serve it: lapsed, another request is refilling it */
    KF_AVAIL_REFILL,       /* lapsed and nobody refills: claim the marker and recompute */
    KF_AVAIL_MISS,         /* unusable (generation changed, or past the grace): recompute */
    KF_AVAIL_REFRESH_AFTER /* serve it: this request refills it once its answer has left */
} kf_availability_fresh;

/* generations_match: the entry's generations equal the ones in force now.
 * marker_for / marker_until: the refill marker's entry (its valid_until) and its end; pass
 * 0, 0 when there is none. On KF_AVAIL_REFILL the caller must store the marker
 * {valid_until, now + grace} in the same critical section as it read the old one. */
kf_availability_fresh kf_availability_fresh_decide(int generations_match, apr_int64_t now,
                                     apr_int64_t valid_until, apr_int64_t grace,
                                     apr_int64_t marker_for, apr_int64_t marker_until);

/* The refill this request claimed (KF_AVAIL_REFILL) of an entry the clock alone changes at
 * clock_until: KF_AVAIL_REFRESH_AFTER while it has not, else KF_AVAIL_REFILL. */
kf_availability_fresh kf_availability_refill_when(apr_int64_t now, apr_int64_t clock_until);

/* An entry lapsed by time only, within the grace, while answers cannot be stored (the
 * change listener is not heard: a graceful restart's new children until theirs listens),
 * so that no refill would replace it: KF_AVAIL_STALE_SERVE while the clock has not changed
 * it (before clock_until: the staleness bound above stands), else KF_AVAIL_REFILL (computed
 * for this request alone). Computing a lapse the clock did not ask for made every first
 * request of a restart's new children wait for their first statements. */
kf_availability_fresh kf_availability_unstored_lapse(apr_int64_t now, apr_int64_t clock_until);

/* No usable entry at all (none yet, its generations changed, or past the grace): the
 * first-fill rule. Without it, a burst on an empty cache (a restart, a professional's
 * first write) computed the same answer once per request at the same time (32 connections:
 * 32 statements, p99 over 400 ms while a warm run's is 10 ms). The first request claims a
 * fill marker (marker_for 0: it fills no lapsed entry) lasting `wait`, computes and stores;
 * the others wait for its answer, polling, until the marker ends, then compute themselves
 * (a filler that failed or is slow costs them `wait`, never a wrong answer: a waiter serves
 * only an entry whose generations match). */
typedef enum kf_availability_fill {
    KF_AVAIL_FILL,         /* claim the fill marker {0, now + wait} and compute */
    KF_AVAIL_WAIT          /* another request fills it: wait until marker_until */
} kf_availability_fill;

kf_availability_fill kf_availability_fill_decide(apr_int64_t now, apr_int64_t marker_for,
                                                 apr_int64_t marker_until);

#endif
