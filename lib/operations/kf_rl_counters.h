#ifndef KF_RL_COUNTERS_H
#define KF_RL_COUNTERS_H
/* An attempt charged to several counters at once (a log-in: the account from this network,
 * the account from everywhere, the network), wherever the counters are kept: the caller's
 * store reads and writes one bucket by key (mod_socache under its mutex, or PostgreSQL's
 * rows locked in one transaction); the window arithmetic is kf_ratelimit's. */
#include "kf_ratelimit.h"

#define KF_RL_COUNTERS_MAX 4

typedef struct kf_rl_store {
    /* The bucket under `key` (an empty one when none is kept), locked when the store locks
     * rows: APR_SUCCESS, or the store's error. */
    apr_status_t (*load)(void *data, const char *key, kf_rl_bucket *b);
    /* Writes it, to be kept until `until` (unix seconds). */
    apr_status_t (*save)(void *data, const char *key, kf_rl_bucket b, apr_int64_t until);
    void *data;
} kf_rl_store;

typedef struct kf_rl_counter {
    const char *key;
    kf_rl_rule rule;
} kf_rl_counter;

/* Takes one attempt from every counter or from none: the buckets are read in the order of
 * their keys (two requests that lock the same rows never wait on each other in a circle),
 * and written back only when every one admits it. APR_SUCCESS with *wait 0 (taken) or the
 * seconds until all admit one; else the store's first error (nothing written after it), or
 * APR_EINVAL for more than KF_RL_COUNTERS_MAX counters. */
apr_status_t kf_rl_counters_take(const kf_rl_store *store, const kf_rl_counter *counters,
                                 int n, apr_int64_t now, apr_int64_t *wait);

/* Gives back an attempt taken in the current window of each counter (kf_rl_refund), in the
 * same key order, writing only the buckets that changed. *changed: whether one did. The
 * store's first error ends it. */
apr_status_t kf_rl_counters_refund(const kf_rl_store *store, const kf_rl_counter *counters,
                                   int n, apr_int64_t now, int *changed);

#endif
