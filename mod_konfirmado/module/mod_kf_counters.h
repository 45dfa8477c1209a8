#ifndef MOD_KF_COUNTERS_H
#define MOD_KF_COUNTERS_H
/* Counters every httpd child adds to, in one block of shared memory made before the children
 * exist (as mod_status's scoreboard): the requests by endpoint and status class with their
 * latency histogram, the availability cache's hits and misses, and the database connections
 * checked out now. Atomic adds only: no lock, no database write per request. The block
 * lives in the process pool, so a graceful restart (a reload, an upgrade) keeps the counts.
 * The status page (mod_konfirmado/status) reads them. */
#include "mod_kf.h"
#include "kf_status_page.h"

/* r->notes: the pattern of the route the router matched (absent: none matched), whose
 * endpoint class the request is counted under (kf_status_class_of). */
#define KFM_ROUTE_NOTE "konfirmado-route"

typedef struct kfm_request_series {
    volatile apr_uint64_t count[KF_STATUS_CODE_CLASS_COUNT];
    volatile apr_uint64_t bucket[KF_STATUS_BUCKET_COUNT + 1];
    volatile apr_uint64_t sum_us;
} kfm_request_series;

typedef struct kfm_counters {
    kfm_request_series requests[KF_STATUS_CLASS_COUNT];
    volatile apr_uint64_t cache_hits;
    volatile apr_uint64_t cache_misses;
    volatile apr_uint64_t rate_limited;
    volatile apr_uint32_t db_in_use;
    apr_time_t since;   /* when the block was made: the counts start there */
} kfm_counters;

/* post_config (second pass): finds the block of an earlier generation or makes it. */
int kfm_counters_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s);

/* The counts as they are now, into *out: 0 before post_config (no block: every add is a
 * no-op). */
int kfm_counters_read(kf_status_counts *out);

/* One answered request: its route's class, status and time taken. */
void kfm_counters_request(kf_status_class c, int http_status, apr_interval_time_t took);
void kfm_counters_cache(int hit);
/* A database connection checked out (+1) or given back (-1). */
void kfm_counters_db(int delta);

#endif
