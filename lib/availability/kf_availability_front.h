#ifndef KF_AVAILABILITY_FRONT_H
#define KF_AVAILABILITY_FRONT_H
/* A child's own copies of the shared cache's entries it served last (kf_availability_entry.h).
 * The shared cache is guarded by a mutex between processes, taken on every look; a hit here
 * takes only a lock of this process's threads, read side. What is kept is the entry's bytes
 * as the shared cache holds them, so it answers only while every generation it names is in
 * force and until it lapses: the caller decodes and judges it exactly as a shared one, and
 * asks the shared cache whenever this one is not a fresh hit.
 *
 * Direct-mapped: a key has one place (its hash), a newer entry replaces whatever was there,
 * and the bytes kept stay within a budget (an entry that does not fit is not kept).
 *
 * A hit is lent, not copied: an answer of tens of KB copied once more per request cost a
 * tenth of a cached answer's time. A kept entry is counted by its place and by every request
 * it is lent to, and freed by the last of them, so a newer entry may take its place while a
 * request still writes it. */
#include <apr_pools.h>

typedef struct kf_availability_front kf_availability_front;

/* `places` (a power of two) keys at most, `budget` bytes of entries at most; its memory and
 * lock live until p is destroyed. NULL when no lock can be made. */
kf_availability_front *kf_availability_front_create(apr_pool_t *p, unsigned int places, apr_size_t budget);

/* The bytes kept under key (*entry), unchanged and valid until p is cleared: their size, or 0
 * when none are kept. */
apr_size_t kf_availability_front_lend(kf_availability_front *f, const char *key, apr_pool_t *p,
                                      const unsigned char **entry);

/* Keeps a copy of an entry under key, in the key's place (what was there goes); nothing
 * when the budget would be passed. */
void kf_availability_front_keep(kf_availability_front *f, const char *key, const unsigned char *entry,
                         apr_size_t size);

/* Bytes of entries kept now (the budget's use). */
apr_size_t kf_availability_front_bytes(kf_availability_front *f);

#endif
