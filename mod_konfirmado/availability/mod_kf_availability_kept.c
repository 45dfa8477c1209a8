/* The availability cache's memory kept across restarts: see mod_kf_availability_kept.h. */
#include "mod_kf_availability_kept.h"

#include <http_config.h>
#include <unixd.h>
#include <apr_strings.h>

/* The process pool's key names the layout of the record and of what its memory holds (the
 * counters, an entry, a marker: kf_availability_entry.h): a module of another layout, loaded
 * by a graceful restart after an upgrade, makes its own record instead of reading this one
 * wrongly. Its version goes up with any of them. */
#define KEPT_KEY "konfirmado-availability-kept-v2"

void kfm_availability_kept_drop(kfm_availability_kept *k)
{
    if (k->pool) {
        /* the memory's and the mutex's own cleanups (APR's) run here: none of this module's
         * code, which a restart unloads, is ever left registered in the process pool */
        apr_pool_destroy(k->pool);
    }
    memset(k, 0, sizeof(*k));
}

kfm_availability_kept *kfm_availability_kept_for(server_rec *s, const char *made_for)
{
    kfm_availability_kept *k = ap_retained_data_get(KEPT_KEY);
    if (!k) {
        k = ap_retained_data_create(KEPT_KEY, sizeof(*k));
    }
    /* a restart that is not graceful kills the children, one maybe halfway through writing
     * the memory: it is made anew then */
    if (k->pool && k->made_for && strcmp(k->made_for, made_for) == 0 &&
        ap_unixd_mpm_get_retained_data()->was_graceful) {
        return k;
    }
    kfm_availability_kept_drop(k);
    if (apr_pool_create(&k->pool, s->process->pool) != APR_SUCCESS) {
        k->pool = NULL;
        return NULL;
    }
    apr_pool_tag(k->pool, "konfirmado-availability-kept");
    k->made_for = apr_pstrdup(k->pool, made_for);
    return k;
}
