#ifndef MOD_KF_COUNTERS_H
#define MOD_KF_COUNTERS_H
/* Counters every httpd child adds to (kf_status_counters.h: requests, latency, cache, rate
 * limits, database connections checked out now), in one block of shared memory made before
 * the children exist. The block lives in the process pool, so a graceful restart (a reload,
 * an upgrade) keeps the counts. The status page (mod_konfirmado/status) reads them. */
#include "mod_kf.h"
#include "kf_status_counters.h"

/* r->notes: the pattern of the route the router matched (absent: none matched), whose
 * endpoint class the request is counted under (kf_status_class_of). */
#define KFM_ROUTE_NOTE "konfirmado-route"

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
