/* Attempts over several counters: see kf_rl_counters.h. */
#include "kf_rl_counters.h"

#include <string.h>

/* The order the counters are read in: by key (insertion sort: at most KF_RL_COUNTERS_MAX). */
static void key_order(const kf_rl_counter *counters, int n, int order[KF_RL_COUNTERS_MAX])
{
    for (int i = 0; i < n; i++) {
        int j = i;
        for (; j > 0 && strcmp(counters[order[j - 1]].key, counters[i].key) > 0; j--) {
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
}

apr_status_t kf_rl_counters_take(const kf_rl_store *store, const kf_rl_counter *counters,
                                 int n, apr_int64_t now, apr_int64_t *wait)
{
    kf_rl_bucket buckets[KF_RL_COUNTERS_MAX];
    kf_rl_bucket *bp[KF_RL_COUNTERS_MAX];
    const kf_rl_rule *rp[KF_RL_COUNTERS_MAX];
    int order[KF_RL_COUNTERS_MAX];
    *wait = 0;
    if (n > KF_RL_COUNTERS_MAX) {
        return APR_EINVAL;
    }
    key_order(counters, n, order);
    for (int k = 0; k < n; k++) {
        int i = order[k];
        apr_status_t rv = store->load(store->data, counters[i].key, &buckets[i]);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        bp[i] = &buckets[i];
        rp[i] = &counters[i].rule;
    }
    *wait = kf_rl_take(bp, rp, n, now);
    for (int i = 0; *wait == 0 && i < n; i++) {
        apr_status_t rv = store->save(store->data, counters[i].key, buckets[i],
                                      kf_rl_expires(buckets[i], &counters[i].rule));
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return APR_SUCCESS;
}

apr_status_t kf_rl_counters_refund(const kf_rl_store *store, const kf_rl_counter *counters,
                                   int n, apr_int64_t now, int *changed)
{
    int order[KF_RL_COUNTERS_MAX];
    *changed = 0;
    if (n > KF_RL_COUNTERS_MAX) {
        return APR_EINVAL;
    }
    key_order(counters, n, order);
    for (int k = 0; k < n; k++) {
        const kf_rl_counter *c = &counters[order[k]];
        kf_rl_bucket b;
        apr_status_t rv = store->load(store->data, c->key, &b);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        unsigned int before = b.count;
        kf_rl_refund(&b, &c->rule, now);
        if (b.count != before) {
            *changed = 1;
            rv = store->save(store->data, c->key, b, kf_rl_expires(b, &c->rule));
            if (rv != APR_SUCCESS) {
                return rv;
            }
        }
    }
    return APR_SUCCESS;
}
