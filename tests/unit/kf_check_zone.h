#ifndef KF_CHECK_ZONE_H
#define KF_CHECK_ZONE_H
/* Zones of the system's tzdata for the Check suites (kf_check.h's per-test pool). */
#include "kf_check.h"
#include "kf_zone.h"

#define ZONEINFO "/usr/share/zoneinfo"

static inline const kf_zone *zone(const char *name)
{
    const char *why = NULL;
    const kf_zone *z = kf_zone_load(pool, ZONEINFO, name, &why);
    ck_assert_msg(z != NULL, "%s: %s", name, why ? why : "?");
    return z;
}

#endif
