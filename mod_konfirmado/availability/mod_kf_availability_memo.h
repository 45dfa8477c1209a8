#ifndef MOD_KF_AVAILABILITY_MEMO_H
#define MOD_KF_AVAILABILITY_MEMO_H
/* What availability is computed from, kept by each child and proven current
 * (KonfirmadoAvailabilityFactsMemo, On by default).
 *
 * Not a cache of answers: every availability answer is computed again, from facts this
 * child read before (same statement, same arguments) when they are current. While this
 * server's listener hears the change notices, facts whose versions were proven since the
 * last notice naming their owners answer without asking the database at all
 * (kf_availability_trust.h: the proof's generations, the TTL, their bound in time).
 * Otherwise the request asks only for their versions (sql/031: one row, one index read per
 * owner) and the database's clock, and the facts are reused (and proven again) when
 *   - every owner's version is the one read with them (any write to a reservation, a
 *     calendar's busy times or the catalog since then changes one, in the writer's
 *     transaction: what this server, another server or a hand edit committed is seen at
 *     once), and
 *   - the clock has not reached the first instant at which the same statement would answer
 *     differently by time alone (a hold's or payment's deadline, the link's expiry, a failed
 *     calendar read's retry: the facts' `valid_until_us`, mod_kf_availability_facts.c).
 * Otherwise the facts are read again (and kept). The computation from the facts (windows,
 * zones, slots, the answer's JSON) runs every time, with the clock just read.
 *
 * Entries are immutable once kept (but for their proof); a request holds a reference until
 * it ends, so an entry replaced meanwhile lives until its last reader is done. A fixed table
 * of KFM_MEMO_SLOTS per child (kf_facts_memo.h), an entry per slot (a key's hash picks it):
 * bounded memory, a collision only costs a read. */
#include "mod_kf_request.h"
#include "kf_facts_memo.h"

#define KFM_MEMO_SLOTS 512
/* How long past the TTL kept facts are still trusted while one request proves them again
 * (as a cached answer is served while one request refills it: KFM_AVAIL_CACHE_GRACE). */
#define KFM_MEMO_PROOF_GRACE apr_time_from_sec(2)
/* Facts of more rows than this are not kept (they are read for the request only). */
#define KFM_MEMO_MAX_ROWS 4000

/* An entry (kf_facts_memo.h): its pool owns the facts (which carry their own owners,
 * versions and bound by time: the caller's business) and the entry; kf_facts_memo_put keeps
 * it, kf_facts_memo_claim_proof and kf_facts_memo_proven mark it. */
typedef kf_memo_entry kfm_memo_entry;

/* 1 when this server keeps facts (the directive, and the child's table set up). */
int kfm_memo_enabled(kfm_req *kr);

/* The entry kept under `key`, referenced until the request ends, or NULL; with `proof`,
 * its proof as it stands. */
kfm_memo_entry *kfm_memo_get(kfm_req *kr, const char *key, kf_facts_proof *proof);

/* A new entry to read facts into (its pool), referenced until the request ends; NULL when
 * facts are not kept (then read into the request's pool). */
kfm_memo_entry *kfm_memo_new(kfm_req *kr);

void kfm_memo_register_hooks(apr_pool_t *p);

#endif
