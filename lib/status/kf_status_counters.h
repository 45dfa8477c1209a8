#ifndef KF_STATUS_COUNTERS_H
#define KF_STATUS_COUNTERS_H
/* The counters every process of a server adds to, laid out as one block of memory the caller
 * shares between them (shared memory made before the children exist, as mod_status's
 * scoreboard): the requests by endpoint and status class with their latency histogram, the
 * availability cache's hits and misses, the answers refused for a rate limit, and the
 * database connections checked out now. Atomic adds only: no lock, no database write per
 * request. The status page (kf_status_page.h) reads them as kf_status_counts. */
#include "kf_status_page.h"

#include <apr_time.h>

typedef struct kf_status_request_series {
    volatile apr_uint64_t count[KF_STATUS_CODE_CLASS_COUNT];
    volatile apr_uint64_t bucket[KF_STATUS_BUCKET_COUNT + 1];
    volatile apr_uint64_t sum_us;
} kf_status_request_series;

typedef struct kf_status_counters {
    kf_status_request_series requests[KF_STATUS_CLASS_COUNT];
    volatile apr_uint64_t cache_hits;
    volatile apr_uint64_t cache_misses;
    volatile apr_uint64_t rate_limited;
    volatile apr_uint32_t db_in_use;
    apr_time_t since;   /* when the block was made: the counts start there */
} kf_status_counters;

/* A new block: every count 0, counting from `now`. */
void kf_status_counters_start(kf_status_counters *c, apr_time_t now);

/* The counts as they are now. */
void kf_status_counters_read(kf_status_counters *c, kf_status_counts *out);

/* One answered request: its route's class (another value: not counted), its status and the
 * time it took (a negative time counts as none). A 429 also counts as rate limited. */
void kf_status_counters_request(kf_status_counters *c, kf_status_class k, int http_status,
                                apr_interval_time_t took);

/* One look into the availability cache: found (hit) or not. */
void kf_status_counters_cache(kf_status_counters *c, int hit);

/* A database connection checked out (+1) or given back (-1). */
void kf_status_counters_db(kf_status_counters *c, int delta);

#endif
