#ifndef KF_FACTS_MEMO_H
#define KF_FACTS_MEMO_H
/* A child's table of kept availability facts (the memo: mod_kf_availability_memo.h says when
 * they are used). A fixed number of slots, an entry per slot (a key's hash picks it: bounded
 * memory, a collision only costs a read), under one mutex held only to look up, reference,
 * replace, release or mark an entry (never while the database is asked). Entries are
 * immutable once kept, but for their proof; each reader holds a reference, so an entry
 * replaced meanwhile lives until its last reader is done. */
#include <apr_pools.h>
#include <apr_time.h>
#include "kf_availability_trust.h"

typedef struct kf_facts_memo kf_facts_memo;

typedef struct kf_memo_entry {
    apr_pool_t *pool;          /* owns the facts and the entry (which the caller fills) */
    const void *facts;
    kf_facts_proof proof;      /* set before kf_facts_memo_put; then read and changed only
                                  through kf_facts_memo_get and kf_facts_memo_proven */
    /* the table's */
    kf_facts_memo *memo;
    char *key;
    int refs;                  /* the table's, plus one per reader */
    apr_time_t proving_until;  /* a request proves the facts again until then */
} kf_memo_entry;

/* A table of `slots` entries, its mutex from `p` (NULL when none can be made). */
kf_facts_memo *kf_facts_memo_create(apr_pool_t *p, int slots);

/* The entry kept under `key`, referenced (kf_facts_memo_release it), or NULL; with `proof`,
 * its proof as it stands. */
kf_memo_entry *kf_facts_memo_get(kf_facts_memo *m, const char *key, kf_facts_proof *proof);

/* A new entry in a pool of its own, referenced by the caller, not proven; NULL without
 * memory. */
kf_memo_entry *kf_facts_memo_new(kf_facts_memo *m);

/* One reference less; the last one frees the entry. */
void kf_facts_memo_release(kf_memo_entry *e);

/* Keeps `e` (its facts filled) under `key`, in place of whatever that key's slot held. */
void kf_facts_memo_put(const char *key, kf_memo_entry *e);

/* 1 when the caller is the one to prove the entry's facts again (no other claimed it before
 * `now`: the claim lasts until `until`), else 0. */
int kf_facts_memo_claim_proof(kf_memo_entry *e, apr_time_t now, apr_time_t until);

/* The entry's facts were proven current again. */
void kf_facts_memo_proven(kf_memo_entry *e, const kf_facts_proof *proof);

/* Lets go of every entry kept (readers keep theirs until they release them). */
void kf_facts_memo_clear(kf_facts_memo *m);

#endif
