#ifndef KF_ZONE_CACHE_H
#define KF_ZONE_CACHE_H
/* The time zones a process has read (lib/availability/kf_zone.h), kept for its life: one
 * table under a mutex; a miss reads the zone's file under it (a few KB, once per zone and
 * process). Names are kept as asked (a case variant of a name is its own entry), so the
 * table is bounded: past its `max` zones, a zone is read into the caller's pool only. */
#include <apr_pools.h>
#include "kf_zone.h"

typedef struct kf_zone_cache kf_zone_cache;

/* An empty cache in a pool of its own under p; NULL when it cannot lock (no mutex):
 * kf_zone_cache_get then reads each zone for its caller. */
kf_zone_cache *kf_zone_cache_create(apr_pool_t *p, int max);

/* The zone called `name` (kf_zone_name_ok's) of the tzdata in `dir`, from the cache or read
 * into it (into p past its bound, or with no cache: zc NULL); NULL with *why when there is
 * none. */
const kf_zone *kf_zone_cache_get(kf_zone_cache *zc, apr_pool_t *p, const char *dir,
                                 const char *name, const char **why);

#endif
