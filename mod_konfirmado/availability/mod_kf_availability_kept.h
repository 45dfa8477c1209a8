#ifndef MOD_KF_AVAILABILITY_KEPT_H
#define MOD_KF_AVAILABILITY_KEPT_H
/* What of the availability cache outlives a graceful restart of the running Apache (not
 * another restart, nor a stop): the shared memory of its answers with the mutex that guards
 * them, its generation counters and the change listener's words. A restart's first requests
 * then find the answers of the moments before it instead of all computing them, with new
 * children and new connections (docs/performance.md).
 *
 * During a graceful restart the old generation's children and the new one's run together:
 * they must use the same memory under the same mutex (two mutexes over one shmcb would let
 * them write it at once), and bump the same counters, so that an answer kept across the
 * restart is judged by every write since it was computed. Kept only while it was made for
 * the same settings (kfm_availability_kept_for): else it is made anew, empty, and the old
 * generation's children keep their own mapping of the old one until they exit. */
#include <httpd.h>
#include <ap_socache.h>
#include <apr_global_mutex.h>

/* The change listener's words, beside the counters. */
typedef struct kfm_availability_words {
    apr_uint64_t heard_until;   /* kfm_availability_heard */
    apr_uint32_t listens;       /* bumped when a listener starts listening */
} kfm_availability_words;

typedef struct kfm_availability_kept {
    apr_pool_t *pool;                   /* everything below lives in it (a child of the
                                           process pool); NULL: nothing kept */
    const char *made_for;               /* the settings it was made for */
    ap_socache_instance_t *instance;    /* the answers (NULL: not cached) */
    apr_global_mutex_t *mutex;          /* NULL when the provider is safe without one */
    apr_uint32_t *gens;                 /* [0] everything, [1 + slot] a professional */
    kfm_availability_words *words;
} kfm_availability_kept;

/* The record kept for `made_for` (settings as text): the one from before a graceful restart
 * when it was made for the same (its pool set), else an empty one with a new pool (the old
 * record's memory, if any, freed). NULL when no pool can be made. */
kfm_availability_kept *kfm_availability_kept_for(server_rec *s, const char *made_for);

/* The record's set-up failed: free what it holds, so that nothing half-made is kept. */
void kfm_availability_kept_drop(kfm_availability_kept *k);

#endif
