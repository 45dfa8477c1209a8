/* The child's zones: see mod_kf_zones.h. One hash under a mutex; a miss reads the file under
 * it (a few KB, once per zone and child). */
#include "mod_kf_zones.h"

#include <apr_hash.h>
#include <apr_thread_mutex.h>

/* Names are kept as asked (a case variant of a name is its own entry), so the table is
 * bounded: past this many, zones are read for the request only. */
#define MAX_ZONES 1024

static apr_pool_t *zones_pool;
static apr_hash_t *zones;
static apr_thread_mutex_t *zones_mutex;

const kf_zone *kfm_zone(kfm_req *kr, const char *name)
{
    const char *why = NULL;
    const kf_zone *z = NULL;
    if (!name || !kf_zone_name_ok(name)) {
        return NULL;
    }
    if (!zones_mutex || apr_thread_mutex_lock(zones_mutex) != APR_SUCCESS) {
        z = kf_zone_load(kr->r->pool, KFM_ZONEINFO_DIR, name, &why);
    } else {
        z = apr_hash_get(zones, name, APR_HASH_KEY_STRING);
        if (!z) {
            int keep = apr_hash_count(zones) < MAX_ZONES;
            z = kf_zone_load(keep ? zones_pool : kr->r->pool, KFM_ZONEINFO_DIR, name, &why);
            if (z && keep) {
                apr_hash_set(zones, apr_pstrdup(zones_pool, name), APR_HASH_KEY_STRING, z);
            }
        }
        apr_thread_mutex_unlock(zones_mutex);
    }
    if (!z) {
        kfm_log(kr, APLOG_DEBUG, "time zone %s: %s", name, why ? why : "not loaded");
    }
    return z;
}

static void zones_child_init(apr_pool_t *p, server_rec *s)
{
    apr_pool_create(&zones_pool, p);
    apr_pool_tag(zones_pool, "time zones");
    zones = apr_hash_make(zones_pool);
    if (apr_thread_mutex_create(&zones_mutex, APR_THREAD_MUTEX_DEFAULT, zones_pool) !=
        APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "mod_konfirmado: time zones are read per "
                     "request in this child (no mutex)");
        zones_mutex = NULL;
    }
}

void kfm_zones_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_child_init(zones_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
