#ifndef KF_TALLY_H
#define KF_TALLY_H
/* Counts per key in memory every process of a server shares (the 429s of each tenant's
 * public pages, API.md: GET /api/admin/metrics "rate_limited"): adding is a few atomic
 * operations, no lock and no database write; a job takes the counts now and then and writes
 * them. A table of KF_TALLY_SLOTS slots claimed for good by their key (open addressing); a
 * key that finds no slot is not counted. The memory is the caller's (shared memory in the
 * module), zeroed once. */
#include <apr.h>
#include <stddef.h>

#define KF_TALLY_SLOTS 1024
#define KF_TALLY_KEY_MAX 63          /* a tenant's subdomain: at most 63 characters */

typedef struct kf_tally_slot {
    apr_uint32_t state;              /* 0 free, 1 being claimed, 2 its key is written */
    apr_uint32_t count;
    char key[KF_TALLY_KEY_MAX + 1];
} kf_tally_slot;

typedef struct kf_tally {
    kf_tally_slot slots[KF_TALLY_SLOTS];
} kf_tally;

/* Adds n to key's count: 0, or -1 when the key is empty or too long or no slot is left. */
int kf_tally_add(kf_tally *t, const char *key, apr_uint32_t n);

/* Calls `each` for every key with a count, having taken the count (it starts again at 0);
 * returns how many keys were handed over. */
typedef void kf_tally_each_fn(const char *key, apr_uint32_t count, void *data);
int kf_tally_take(kf_tally *t, kf_tally_each_fn *each, void *data);

#endif
