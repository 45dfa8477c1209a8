/* The process's zones: see kf_zone_cache.h. */
#include "kf_zone_cache.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

struct kf_zone_cache {
    apr_pool_t *pool;
    apr_hash_t *zones;
    apr_thread_mutex_t *mutex;
    int max;
};

kf_zone_cache *kf_zone_cache_create(apr_pool_t *p, int max)
{
    apr_pool_t *own = NULL;
    if (apr_pool_create(&own, p) != APR_SUCCESS) {
        return NULL;
    }
    apr_pool_tag(own, "time zones");
    kf_zone_cache *zc = apr_pcalloc(own, sizeof(*zc));
    zc->pool = own;
    zc->zones = apr_hash_make(own);
    zc->max = max;
    if (apr_thread_mutex_create(&zc->mutex, APR_THREAD_MUTEX_DEFAULT, own) != APR_SUCCESS) {
        apr_pool_destroy(own);
        return NULL;
    }
    return zc;
}

const kf_zone *kf_zone_cache_get(kf_zone_cache *zc, apr_pool_t *p, const char *dir,
                                 const char *name, const char **why)
{
    if (!zc || apr_thread_mutex_lock(zc->mutex) != APR_SUCCESS) {
        return kf_zone_load(p, dir, name, why);
    }
    const kf_zone *z = apr_hash_get(zc->zones, name, APR_HASH_KEY_STRING);
    if (!z) {
        int keep = (int)apr_hash_count(zc->zones) < zc->max;
        z = kf_zone_load(keep ? zc->pool : p, dir, name, why);
        if (z && keep) {
            apr_hash_set(zc->zones, apr_pstrdup(zc->pool, name), APR_HASH_KEY_STRING, z);
        }
    }
    apr_thread_mutex_unlock(zc->mutex);
    return z;
}
