/* The shared counters' accounting: see kf_status_counters.h. */
#include "kf_status_counters.h"

#include <apr_atomic.h>
#include <string.h>

/* Too Many Requests: what the rate limits answer. */
#define RATE_LIMITED_STATUS 429

void kf_status_counters_start(kf_status_counters *c, apr_time_t now)
{
    memset(c, 0, sizeof(*c));
    c->since = now;
}

void kf_status_counters_read(kf_status_counters *c, kf_status_counts *out)
{
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        kf_status_request_series *from = &c->requests[k];
        kf_status_series *to = &out->requests[k];
        for (int s = 0; s < KF_STATUS_CODE_CLASS_COUNT; s++) {
            to->count[s] = apr_atomic_read64(&from->count[s]);
        }
        for (int b = 0; b <= KF_STATUS_BUCKET_COUNT; b++) {
            to->bucket[b] = apr_atomic_read64(&from->bucket[b]);
        }
        to->sum_us = apr_atomic_read64(&from->sum_us);
    }
    out->cache_hits = apr_atomic_read64(&c->cache_hits);
    out->cache_misses = apr_atomic_read64(&c->cache_misses);
    out->rate_limited = apr_atomic_read64(&c->rate_limited);
    out->db_in_use = apr_atomic_read32(&c->db_in_use);
    out->since = (unsigned long long)apr_time_sec(c->since);
}

void kf_status_counters_request(kf_status_counters *c, kf_status_class k, int http_status,
                                apr_interval_time_t took)
{
    if (k < 0 || k >= KF_STATUS_CLASS_COUNT) {
        return;
    }
    kf_status_request_series *series = &c->requests[k];
    apr_atomic_inc64(&series->count[kf_status_code_class_of(http_status)]);
    long long us = took > 0 ? (long long)took : 0;
    apr_atomic_inc64(&series->bucket[kf_status_bucket_of(us)]);
    apr_atomic_add64(&series->sum_us, (apr_uint64_t)us);
    if (http_status == RATE_LIMITED_STATUS) {
        apr_atomic_inc64(&c->rate_limited);
    }
}

void kf_status_counters_cache(kf_status_counters *c, int hit)
{
    apr_atomic_inc64(hit ? &c->cache_hits : &c->cache_misses);
}

void kf_status_counters_db(kf_status_counters *c, int delta)
{
    apr_atomic_add32(&c->db_in_use, (apr_uint32_t)delta);
}
