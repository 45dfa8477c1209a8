#ifndef KF_AVAILABILITY_ENTRY_H
#define KF_AVAILABILITY_ENTRY_H
/* What the shared cache of availability answers stores, and when an entry is current.
 *
 * Generations: one counter for everything ([0]) and KF_AVAIL_GENS counters for the
 * professionals ([1 + slot], a professional's slot the hash of its id: a collision only
 * costs a recomputation). An entry is the answer's JSON behind a head (a magic, the
 * generation of everything, (slot, generation) pairs of the answer's professionals, the
 * JSON's length, the instant it lapses and the one the clock alone changes it); it answers
 * only while every generation it names is
 * the one in force. A refill marker, stored under its own key next to the entry, names the
 * entry it refills and lasts until its end (kf_availability_fresh.h). Instants are apr_time_t
 * (microseconds). The bytes are read and written by one server's children only. */
#include <apr_pools.h>
#include <apr_time.h>
#include "kf_availability_fresh.h"

#define KF_AVAIL_GENS 1024              /* professional generation slots (power of two) */
#define KF_AVAIL_ENTRY_MAX (256 * 1024) /* larger answers (62 busy days...) are not cached */

/* FNV-1a of a text, case folded: where a key goes in a fixed table. */
apr_uint32_t kf_avail_hash(const char *text);

/* The professional generation slot of an id (case folded). */
apr_uint32_t kf_avail_prof_slot(const char *professional_id);

/* Generations in force at one instant. */
typedef struct kf_avail_gens {
    apr_uint32_t all;
    apr_uint32_t prof[KF_AVAIL_GENS];
} kf_avail_gens;

/* Reads the counters (1 + KF_AVAIL_GENS of them, shared and bumped atomically) into *g. */
void kf_avail_gens_read(volatile apr_uint32_t *counters, kf_avail_gens *g);

/* The entry of an answer (len bytes of json) computed under `snap` for professionals
 * ids[0..nprof), valid until valid_until, which the clock alone changes at clock_until: *size
 * bytes from p, or NULL when it is larger than KF_AVAIL_ENTRY_MAX (then not cached). */
unsigned char *kf_avail_entry_encode(apr_pool_t *p, const kf_avail_gens *snap, const char **ids,
                                     int nprof, apr_time_t valid_until, apr_time_t clock_until,
                                     const char *json, apr_size_t len, apr_size_t *size);

/* An entry's answer read back from `size` bytes: 1 with its JSON (within buf), its length,
 * when it lapses, when the clock alone changes it (clock_until may be NULL) and whether the
 * counters in force (as kf_avail_gens_read reads them) are those it was computed under; 0
 * when the bytes are no entry. */
int kf_avail_entry_decode(const unsigned char *buf, apr_size_t size,
                          volatile apr_uint32_t *counters, const char **json, apr_size_t *len,
                          apr_time_t *valid_until, apr_time_t *clock_until,
                          int *generations_match);

/* When an answer computed at `now` lapses: at `until_sec` (seconds, the clock's bound) or
 * after the TTL (seconds), whichever comes first. */
apr_time_t kf_avail_entry_valid_until(apr_time_t now, int ttl, apr_int64_t until_sec);

/* The instant the clock alone changes an answer, from the clock's bound in seconds (far
 * ones kept as the latest instant, not overflowed). */
apr_time_t kf_avail_entry_clock_until(apr_int64_t until_sec);

/* A refill marker and the key it is stored under (next to the entry's `key`). */
typedef struct kf_avail_marker {
    apr_time_t refills;                 /* valid_until of the lapsed entry (0: a first fill) */
    apr_time_t until;                   /* when the claim ends */
} kf_avail_marker;

#define KF_AVAIL_MARKER_SIZE 24
const char *kf_avail_marker_key(apr_pool_t *p, const char *key);
void kf_avail_marker_encode(const kf_avail_marker *m, unsigned char out[KF_AVAIL_MARKER_SIZE]);
/* 1 with *m when the `size` bytes are a marker, else 0 with *m emptied (no marker). */
int kf_avail_marker_decode(const unsigned char *buf, apr_size_t size, kf_avail_marker *m);

/* Where the markers are kept (the socache): each claim below runs in one critical section
 * of the caller's (the cache's mutex held around it). */
typedef struct kf_avail_marker_store {
    /* the marker under mkey, *m zeroed when there is none */
    void (*read)(void *data, const char *mkey, kf_avail_marker *m);
    apr_status_t (*write)(void *data, const char *mkey, const kf_avail_marker *m);
    void (*remove)(void *data, const char *mkey);
    void *data;
} kf_avail_marker_store;

/* An entry lapsed by time only (kf_availability_fresh_decide with its marker): KF_AVAIL_REFILL
 * when this request claimed the refill (its marker written, lasting `grace`), STALE_SERVE
 * when another one refills it; MISS past the grace, or when the marker could not be written
 * (others will compute too: still right). */
kf_availability_fresh kf_avail_claim_refill(const kf_avail_marker_store *s, const char *mkey,
                                            apr_time_t now, apr_time_t valid_until,
                                            apr_time_t grace);

/* No usable entry (kf_availability_fill_decide): KF_AVAIL_FILL when this request fills it,
 * with *claimed the end of the marker it wrote (0: none could be written: it fills
 * unannounced), or KF_AVAIL_WAIT while another one fills it. */
kf_availability_fill kf_avail_claim_fill(const kf_avail_marker_store *s, const char *mkey,
                                         apr_time_t now, apr_time_t wait, apr_time_t *claimed);

/* The end of the first fill claimed until `claimed` (stored or not: waiters must not wait
 * for an answer that is not coming): its marker goes, when it is still that one (after it
 * ran out, another request may hold a newer one). */
void kf_avail_release_fill(const kf_avail_marker_store *s, const char *mkey, apr_time_t claimed);

/* Whether a request that changed state must bump every generation at its end: a write
 * (not a read: GET, OPTIONS, HEAD) that did not bump precisely itself, was not refused (a
 * 4xx changed nothing, so garbage requests cannot empty the cache; a 5xx may have committed
 * part of its work), and whose endpoint does not declare that its writes leave availability
 * alone (`leaves`: a login, a payment approval, a chat message; such an endpoint bumps what
 * it does change itself). */
int kf_avail_write_bumps_all(int is_read, int bumped, int leaves, int status);

/* KonfirmadoAvailabilityCache's value, "provider[:arguments]" (shmcb:/path(512000)) or
 * "off" (any case): 1 with *provider and *args (NULL without ':'), 0 for off. The TTL
 * (KonfirmadoAvailabilityCacheTTL) is at most KF_AVAIL_TTL_MAX seconds. */
#define KF_AVAIL_TTL_MAX 10
int kf_avail_cache_spec(apr_pool_t *p, const char *spec, const char **provider,
                        const char **args);

#endif
