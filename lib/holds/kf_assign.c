/* Who takes a booking for "any professional": see kf_assign.h. */
#include "kf_assign.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400

apr_int64_t kf_assign_week_start(const kf_zone *z, apr_int64_t now)
{
    apr_int64_t local = now + (z ? kf_zone_offset(z, now) : 0);
    apr_int64_t day = local >= 0 ? local / DAY : -((-local + DAY - 1) / DAY);
    /* 1970-01-01 was a Thursday: days since the last Monday */
    apr_int64_t since_monday = ((day + 3) % 7 + 7) % 7;
    apr_int64_t monday = (day - since_monday) * DAY;
    return z ? kf_zone_instant(z, monday) : monday;
}

/* Name, then id: a stable order for ties. */
static int by_name(const kf_assign_candidate *a, const kf_assign_candidate *b)
{
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c ? c : strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

static int least_booked(const void *pa, const void *pb)
{
    const kf_assign_candidate *a = pa, *b = pb;
    if (a->booked != b->booked) {
        return a->booked < b->booked ? -1 : 1;
    }
    return by_name(a, b);
}

static int by_weights(const void *pa, const void *pb)
{
    const kf_assign_candidate *a = pa, *b = pb;
    int wa = a->weight > 0, wb = b->weight > 0;
    if (wa != wb) {
        return wa ? -1 : 1;
    }
    if (!wa) {
        return least_booked(pa, pb);
    }
    /* (a.booked + 1) / a.weight against b's, without division */
    long long qa = (a->booked + 1LL) * b->weight, qb = (b->booked + 1LL) * a->weight;
    if (qa != qb) {
        return qa < qb ? -1 : 1;
    }
    if (a->weight != b->weight) {
        return a->weight > b->weight ? -1 : 1;
    }
    return by_name(a, b);
}

void kf_assign_order(kf_assign_rule rule, kf_assign_candidate *c, int n)
{
    if (n > 1) {
        qsort(c, (size_t)n, sizeof(*c), rule == KF_ASSIGN_WEIGHTS ? by_weights : least_booked);
    }
}
