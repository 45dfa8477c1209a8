/* The shared counters: see mod_kf_counters.h. */
#include "mod_kf_counters.h"

#include <apr_atomic.h>
#include <apr_shm.h>

/* The process pool's key names the block's layout: a module of another layout, loaded by a
 * reload after an upgrade, makes its own block instead of reading this one wrongly. */
#define BLOCK_KEY "konfirmado-counters-v1"

static kfm_counters *counters;

typedef struct kept_block {
    apr_size_t size;
    kfm_counters *base;
} kept_block;

int kfm_counters_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s)
{
    apr_pool_t *process = s->process->pool;
    kept_block *kept = NULL;
    apr_pool_userdata_get((void **)&kept, BLOCK_KEY, process);
    if (kept && kept->size == sizeof(kfm_counters)) {
        counters = kept->base;
        return OK;
    }
    apr_shm_t *shm = NULL;
    /* anonymous: inherited by every child, gone with the server */
    apr_status_t rv = apr_shm_create(&shm, sizeof(kfm_counters), NULL, process);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "mod_konfirmado: cannot create the shared counters of the status page");
        return !OK;
    }
    counters = apr_shm_baseaddr_get(shm);
    memset(counters, 0, sizeof(*counters));
    counters->since = apr_time_now();
    kept = apr_palloc(process, sizeof(*kept));
    kept->size = sizeof(kfm_counters);
    kept->base = counters;
    apr_pool_userdata_set(kept, BLOCK_KEY, apr_pool_cleanup_null, process);
    return OK;
}

int kfm_counters_read(kf_status_counts *out)
{
    if (!counters) {
        return 0;
    }
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        kfm_request_series *from = &counters->requests[k];
        kf_status_series *to = &out->requests[k];
        for (int s = 0; s < KF_STATUS_CODE_CLASS_COUNT; s++) {
            to->count[s] = apr_atomic_read64(&from->count[s]);
        }
        for (int b = 0; b <= KF_STATUS_BUCKET_COUNT; b++) {
            to->bucket[b] = apr_atomic_read64(&from->bucket[b]);
        }
        to->sum_us = apr_atomic_read64(&from->sum_us);
    }
    out->cache_hits = apr_atomic_read64(&counters->cache_hits);
    out->cache_misses = apr_atomic_read64(&counters->cache_misses);
    out->rate_limited = apr_atomic_read64(&counters->rate_limited);
    out->db_in_use = apr_atomic_read32(&counters->db_in_use);
    out->since = (unsigned long long)apr_time_sec(counters->since);
    return 1;
}

void kfm_counters_request(kf_status_class c, int http_status, apr_interval_time_t took)
{
    if (!counters || c < 0 || c >= KF_STATUS_CLASS_COUNT) {
        return;
    }
    kfm_request_series *series = &counters->requests[c];
    apr_atomic_inc64(&series->count[kf_status_code_class_of(http_status)]);
    long long us = took > 0 ? (long long)took : 0;
    apr_atomic_inc64(&series->bucket[kf_status_bucket_of(us)]);
    apr_atomic_add64(&series->sum_us, (apr_uint64_t)us);
    if (http_status == HTTP_TOO_MANY_REQUESTS) {
        apr_atomic_inc64(&counters->rate_limited);
    }
}

void kfm_counters_cache(int hit)
{
    if (counters) {
        apr_atomic_inc64(hit ? &counters->cache_hits : &counters->cache_misses);
    }
}

void kfm_counters_db(int delta)
{
    if (counters) {
        apr_atomic_add32(&counters->db_in_use, (apr_uint32_t)delta);
    }
}
