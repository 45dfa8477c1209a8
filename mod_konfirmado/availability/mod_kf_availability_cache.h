#ifndef MOD_KF_AVAILABILITY_CACHE_H
#define MOD_KF_AVAILABILITY_CACHE_H
/* A shared cache of rendered availability answers (the public availability endpoint).
 *
 * Entries live in a mod_socache instance shared by every child (KonfirmadoAvailabilityCache,
 * shmcb by default), keyed by the request's parameters. Each entry remembers the
 * "generations" it was computed under: one counter per professional (hashed into a fixed
 * table in shared memory, so a collision only costs a recomputation) and one for
 * everything. Every write that can change availability bumps a counter AFTER its commit
 * and before its answer leaves: a hold or its release bumps its professional; any other
 * state-changing request (admin catalog edits, bookings, the expiry job) bumps everything.
 * The generations are read BEFORE the statement runs, so an answer computed concurrently
 * with a write is stored under the old generation and never served afterwards.
 *
 * An entry is also bounded in time: at most KonfirmadoAvailabilityCacheTTL seconds (what
 * another server's writes, or edits straight in the database, may stay unseen), and never
 * past the instant the answer would change by the clock alone (a hold or payment window
 * ending, the link expiring, the first slot leaving the minimum notice, a new slot entering
 * the horizon, the default day rolling over).
 *
 * Single-flight refill (kf_availability_fresh.h): when an entry lapses by time ONLY (its
 * generations still match), the first request to claim its refill marker — a small entry
 * of its own in the same socache, read and written under the cache's global mutex, so that
 * exactly one request claims it — recomputes and stores the answer, while the concurrent
 * requests keep serving the lapsed answer for at most KFM_AVAIL_CACHE_GRACE seconds past
 * its expiry (entries stay physically in the socache for that long). When the entry lapsed
 * by its TTL alone (the clock has not changed the answer yet), the refiller serves it too and
 * recomputes once its answer has left (kfm_availability_cache_refresh_due): nobody waits for
 * a refill the clock did not ask for. If the refill has not
 * landed by then, everybody computes. An entry whose generations changed is never served.
 * Exact staleness bound, then: an answer is served at most KFM_AVAIL_CACHE_GRACE seconds
 * after the instant it would have expired without single flight, i.e. at most TTL + grace
 * after it was computed, and at most grace past the instant the clock alone changes it.
 * A refiller that cannot store its answer (too large, cache full) removes the lapsed
 * entry; one that fails before storing (database error, link gone) leaves it to be served
 * until the grace ends. With a provider that needs no mutex the claim is not atomic: a
 * few requests may refill together, which costs time, never correctness.
 *
 * First fill (kf_availability_fill_decide): when there is no usable entry at all (none yet
 * after a start, or its generations changed), the first request claims a fill marker and
 * computes; concurrent requests for the same answer wait for it (looking every 2 ms, 250 ms
 * at most, then computing themselves) instead of running the same statement each. The
 * marker goes when the filler's request ends, stored or not. Cold start at 32 connections:
 * p99 445-635 ms before, 11-38 ms after (README "Performance").
 *
 * Holds re-check the slot in the database, so a stale answer can at worst lead to a 409
 * slot_unavailable, never to a double booking. */
#include "mod_kf_request.h"
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"

/* Seconds a lapsed (by time only) answer may still be served while one request refills it. */
#define KFM_AVAIL_CACHE_GRACE 2

/* Generations in force right now, read before loading availability (opaque). */
typedef struct kfm_availability_gens kfm_availability_gens;

/* 1 if the cache is on (configured, set up in this process). */
int kfm_availability_cache_enabled(void);

/* The cached answer for key, if still valid (generations and time), or lapsed by time only
 * within the grace while another request refills it: 1 with *json and *len (allocated from
 * r->pool), else 0 — then compute and kfm_availability_cache_put (this request may be the refiller). */
int kfm_availability_cache_get(kfm_req *kr, const char *key, const char **json, apr_size_t *len);

/* After a 1 from kfm_availability_cache_get: 1 when the answer served lapsed by its TTL
 * alone and this request refills it (kf_availability_refill_when): it computes and
 * kfm_availability_cache_put's the answer once the one served has left. */
int kfm_availability_cache_refresh_due(const kfm_req *kr);

/* Snapshot of the generations, taken before the database is asked (NULL if off, or while
 * answers are not stored: kf_avail_answer_cacheable). */
kfm_availability_gens *kfm_availability_cache_snapshot(kfm_req *kr);

/* Stores an answer computed from av under the snapshot, valid until `until` (seconds
 * since the epoch, already bounded by the clock rules) and at most the TTL. */
void kfm_availability_cache_put(kfm_req *kr, const char *key, const kfm_availability_gens *snap,
                        const kfm_availability *av, apr_int64_t until, const char *json,
                        apr_size_t len);

/* Invalidation, called after the write committed and before the answer is sent. */
void kfm_availability_cache_bump_professional(kfm_req *kr, const char *professional_id);
void kfm_availability_cache_bump_all(request_rec *r);
/* For background jobs (no request). */
void kfm_availability_cache_bump_all_job(void);
void kfm_availability_cache_bump_professional_job(const char *professional_id);

/* The generation counters (kf_availability_entry.h), kept whether or not answers are cached:
 * kept facts are judged by them too (kf_availability_trust.h). NULL before set-up. */
volatile apr_uint32_t *kfm_availability_counters(void);
/* The listener heard every notice sent until now: it counts as heard until `until` (0: it
 * stopped listening). */
void kfm_availability_heard(apr_time_t until);
apr_time_t kfm_availability_heard_until(void);
/* The listener listens from now on: what changed while nobody listened is unknown, so kept
 * facts are proven again (kfm_availability_listens moves). `again` (it lost its connection)
 * drops the cached answers too; a listener starting (a child's first, as after a restart)
 * leaves them: this server's own writes bumped their counters directly, and no answer was
 * stored while none was heard (kf_avail_answer_cacheable); one kept across a graceful
 * restart may miss another server's write made in the restart's gap, for the TTL at most. */
void kfm_availability_listening(int again);
/* A change listener runs for this server (its job was registered): answers are then stored
 * only while it is heard. */
void kfm_availability_listener_registered(void);
/* How many times a listener started listening: part of kept facts' generations. */
apr_uint32_t kfm_availability_listens(void);

/* After any feature's state-changing handler that did not bump precisely, bump everything
 * (the feature's after_handler, which the router calls). */
void kfm_availability_cache_after_write(kfm_req *kr);

void kfm_availability_cache_register_hooks(apr_pool_t *p);

#endif
