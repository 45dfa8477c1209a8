/* The single-flight refill rule of the availability cache: see kf_availability_fresh.h. */
#include "kf_availability_fresh.h"

kf_availability_fresh kf_availability_fresh_decide(int generations_match, apr_int64_t now,
                                     apr_int64_t valid_until, apr_int64_t grace,
                                     apr_int64_t marker_for, apr_int64_t marker_until)
{
    if (!generations_match) {
        return KF_AVAIL_MISS;            /* a write on this server: never serve the old one */
    }
    if (now < valid_until) {
        return KF_AVAIL_HIT;
    }
    if (grace <= 0 || now >= valid_until + grace) {
        return KF_AVAIL_MISS;            /* the refill did not land in time: compute */
    }
    /* a marker left by the refill of an earlier entry (or one that ran out) does not count */
    if (marker_for == valid_until && now < marker_until) {
        return KF_AVAIL_STALE_SERVE;
    }
    return KF_AVAIL_REFILL;
}

kf_availability_fresh kf_availability_refill_when(apr_int64_t now, apr_int64_t clock_until)
{
    return now < clock_until ? KF_AVAIL_REFRESH_AFTER : KF_AVAIL_REFILL;
}

kf_availability_fresh kf_availability_unstored_lapse(apr_int64_t now, apr_int64_t clock_until)
{
    return now < clock_until ? KF_AVAIL_STALE_SERVE : KF_AVAIL_REFILL;
}

kf_availability_fill kf_availability_fill_decide(apr_int64_t now, apr_int64_t marker_for,
                                                 apr_int64_t marker_until)
{
    /* a refill marker (marker_for: a lapsed entry) serves stale answers, not waits */
    if (marker_for == 0 && now < marker_until) {
        return KF_AVAIL_WAIT;
    }
    return KF_AVAIL_FILL;
}
