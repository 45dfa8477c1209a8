/* The child's zones: see mod_kf_zones.h. The table is the core's (kf_zone_cache.h). */
#include "mod_kf_zones.h"
#include "kf_zone_cache.h"

/* Names are kept as asked (a case variant of a name is its own entry), so the table is
 * bounded: past this many, zones are read for the request only. */
#define MAX_ZONES 1024

static kf_zone_cache *zones;

const kf_zone *kfm_zone(kfm_req *kr, const char *name)
{
    const char *why = NULL;
    if (!name || !kf_zone_name_ok(name)) {
        return NULL;
    }
    const kf_zone *z = kf_zone_cache_get(zones, kr->r->pool, KFM_ZONEINFO_DIR, name, &why);
    if (!z) {
        kfm_log(kr, APLOG_DEBUG, "time zone %s: %s", name, why ? why : "not loaded");
    }
    return z;
}

static void zones_child_init(apr_pool_t *p, server_rec *s)
{
    zones = kf_zone_cache_create(p, MAX_ZONES);
    if (!zones) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "mod_konfirmado: time zones are read per "
                     "request in this child (no mutex)");
    }
}

void kfm_zones_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_child_init(zones_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
