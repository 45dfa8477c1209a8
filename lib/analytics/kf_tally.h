#ifndef KF_TALLY_H
#define KF_TALLY_H
/* Counts per key in memory every process of a server shares (the 429s of each tenant's
 * public pages, API.md: GET /api/admin/metrics "rate_limited"): adding is a few atomic
 * operations, no lock and no database write; a job takes the counts now and then and writes
 * them. A table of KF_TALLY_SLOTS slots claimed for good by their key (open addressing); a
 * key that finds no slot is not counted. The memory is the caller's (shared memory in the
 * module), zeroed once. */
#include <apr.h>
#include <apr_pools.h>
#include <apr_tables.h>
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

/* What was taken, as a statement writes it: the keys and their counts (in decimal), two
 * arrays of text (const char *) in one order, allocated from p. */
typedef struct kf_tally_taken {
    apr_array_header_t *keys, *counts;
} kf_tally_taken;

/* Takes every count into *out (kf_tally_take); returns how many keys were taken. */
int kf_tally_take_texts(kf_tally *t, apr_pool_t *p, kf_tally_taken *out);

/* Gives taken counts back (their write failed): the next take hands them over again, with
 * whatever was counted since. */
void kf_tally_give_back(kf_tally *t, const kf_tally_taken *taken);

#endif
