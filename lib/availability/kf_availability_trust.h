#ifndef KF_AVAILABILITY_TRUST_H
#define KF_AVAILABILITY_TRUST_H
/* When facts a server keeps (kf_facts) answer without asking the database.
 *
 * Every write availability reads bumps its owners' versions (sql/031) and records a change
 * notice (sql/022, 025, 058); each server's listener hears the notices and bumps the
 * generation counters of the professionals they name, or of everything
 * (kf_availability_entry.h), as it does for the cached answers. Kept facts whose versions
 * were proven current (read with the facts, or read again) while their owners' generations
 * stood at G answer as reading them would while
 *   - their generations are still G: no notice of their owners was heard since (a change
 *     committed after the proof is heard at the listener's next take, as cached answers
 *     hear it),
 *   - the listener is heard now (it listened moments ago: while it does not, a notice may go
 *     unheard, so the versions are read on every request, as before),
 *   - the proof is younger than `ttl` (KonfirmadoAvailabilityCacheTTL: the bound of a cached
 *     answer, should everything else fail); past it, one request proves them again while the
 *     others trust them for at most `grace` more, as a cached answer is served while one
 *     request refills it (so that a child's requests do not all wait for the database at
 *     once), and
 *   - the clock has not reached their bound by time (a deadline, the link's expiry, a failed
 *     calendar read's retry: kf_facts.valid_until_us).
 * Pure: the counters and the instants are arguments. */
#include "kf_availability_facts.h"
#include <apr_time.h>

/* How long the listener counts as heard after it last listened: its rounds come every
 * KF_AVAIL_TAKE_EVERY (20 ms), but each takes the recorded changes in a round trip, which a
 * busy database answers in hundreds of ms; a shorter bound would send every child's answers
 * back to reading their versions at once whenever one round is slow. A listener gone without
 * a word (its child killed) is trusted no longer than this: the grace a lapsed cached answer
 * is served for (KFM_AVAIL_CACHE_GRACE); a lost connection ends the trust at once. */
#define KF_AVAIL_HEARD_FOR apr_time_from_sec(2)

typedef struct kf_facts_proof {
    apr_uint64_t generations;  /* kf_facts_generations when the versions were proven */
    apr_time_t proven_at;      /* when, by this server's clock; 0: never (not trusted) */
} kf_facts_proof;

/* The sum of the counters (1 + KF_AVAIL_GENS, bumped atomically) of everything and of the
 * facts' professionals: counters only grow, so it changes whenever one of them does. */
apr_uint64_t kf_facts_generations(const kf_facts *f, volatile apr_uint32_t *counters);

typedef enum {
    KF_FACTS_PROVE = 0,          /* read their versions (or the facts) */
    KF_FACTS_TRUSTED,            /* answer with them */
    KF_FACTS_TRUSTED_PROVE_AGAIN /* answer with them, unless this request proves them again
                                    (the first to claim it: the others answer with them) */
} kf_facts_trust;

/* Kept facts answering without the database at `now` (this server's clock, also theirs for
 * the answer), by `proof` and `generations` (kf_facts_generations now), the listener heard
 * until `heard_until`, `ttl`, `grace` and their bound in time. Unless KF_FACTS_PROVE, *f is
 * their copy (shared, read only). */
kf_facts_trust kf_facts_trusted(const kf_facts *kept, const kf_facts_proof *proof,
                                apr_uint64_t generations, apr_time_t now, apr_time_t heard_until,
                                apr_interval_time_t ttl, apr_interval_time_t grace, kf_facts *f);

/* Whether an answer computed from `now` on may be cached, on a server whose listener is heard
 * until `heard_until` (has_listener 0: it has none). A notice sent while the listener does
 * not listen, as in a child's first moments or after a lost connection, is heard by no one
 * here: an answer cached then would outlive the change it missed until the TTL. So answers
 * are stored only while the listener is heard; those already stored are still served, as
 * across a graceful restart. A server without a listener caches by the TTL alone. */
int kf_avail_answer_cacheable(int has_listener, apr_time_t now, apr_time_t heard_until);

#endif
