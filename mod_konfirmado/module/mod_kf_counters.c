/* The shared counters: see mod_kf_counters.h. */
#include "mod_kf_counters.h"

#include <apr_shm.h>

/* The process pool's key names the block's layout: a module of another layout, loaded by a
 * reload after an upgrade, makes its own block instead of reading this one wrongly. */
#define BLOCK_KEY "konfirmado-counters-v1"

static kf_status_counters *counters;

typedef struct kept_block {
    apr_size_t size;
    kf_status_counters *base;
} kept_block;

int kfm_counters_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s)
{
    apr_pool_t *process = s->process->pool;
    kept_block *kept = NULL;
    apr_pool_userdata_get((void **)&kept, BLOCK_KEY, process);
    if (kept && kept->size == sizeof(kf_status_counters)) {
        counters = kept->base;
        return OK;
    }
    apr_shm_t *shm = NULL;
    /* anonymous: inherited by every child, gone with the server */
    apr_status_t rv = apr_shm_create(&shm, sizeof(kf_status_counters), NULL, process);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "mod_konfirmado: cannot create the shared counters of the status page");
        return !OK;
    }
    counters = apr_shm_baseaddr_get(shm);
    kf_status_counters_start(counters, apr_time_now());
    kept = apr_palloc(process, sizeof(*kept));
    kept->size = sizeof(kf_status_counters);
    kept->base = counters;
    apr_pool_userdata_set(kept, BLOCK_KEY, apr_pool_cleanup_null, process);
    return OK;
}

int kfm_counters_read(kf_status_counts *out)
{
    if (!counters) {
        return 0;
    }
    kf_status_counters_read(counters, out);
    return 1;
}

void kfm_counters_request(kf_status_class c, int http_status, apr_interval_time_t took)
{
    if (counters) {
        kf_status_counters_request(counters, c, http_status, took);
    }
}

void kfm_counters_cache(int hit)
{
    if (counters) {
        kf_status_counters_cache(counters, hit);
    }
}

void kfm_counters_db(int delta)
{
    if (counters) {
        kf_status_counters_db(counters, delta);
    }
}
