#ifndef KF_RL_TABLE_H
#define KF_RL_TABLE_H
/* The per-client windows of the public limits (kf_ratelimit.h's fixed windows) in a table
 * the children of one server share without a lock: each place is one 64-bit word, changed
 * by compare-and-swap, holding when its window ends (seconds, modulo 2^24), its count (up to
 * 2^24 - 1) and 16 bits of the client key's hash. A place is live until the end its own
 * window set, whatever window the key looking at it counts in: a client counted per minute
 * never takes the place of one counted per 10 minutes before those 10 minutes end.
 *
 * A key looks at KF_RL_TABLE_PROBES places from the one its hash names: its own live window
 * there, else one that is empty or whose window ended. The hash is keyed with the table's
 * secret (drawn at each server start), so that nobody can choose keys that fall on one
 * client's places. Two keys whose hashes agree in place and in those 16 bits share a window
 * until its end (stricter, never looser); a key whose places all hold other clients' live
 * windows is not counted here and the caller counts it in its other store. */
#include <apr.h>
#include "kf_crypto.h"
#include "kf_ratelimit.h"

#define KF_RL_TABLE_PROBES 4
/* The longest window a place holds (seconds): a window that ends further ahead than this
 * is one the clock left behind when it went back, and is over. */
#define KF_RL_TABLE_WINDOW_MAX 3600

typedef struct kf_rl_table {
    volatile apr_uint64_t *places;
    unsigned int size;                               /* places, a power of two */
    unsigned char secret[KF_SIPHASH_KEY_LEN];
} kf_rl_table;

/* Bytes of a table of `places`. */
apr_size_t kf_rl_table_size(unsigned int places);

/* An empty table in `memory` (kf_rl_table_size(places) bytes, emptied here) whose places a
 * key's hash under `secret` chooses. */
void kf_rl_table_init(kf_rl_table *t, volatile apr_uint64_t *memory, unsigned int places,
                      const unsigned char secret[KF_SIPHASH_KEY_LEN]);

/* An empty table of `places` in anonymous shared memory of p (the processes forked after
 * share it), its secret drawn now. APR_SUCCESS, or an error with *why ("no random secret",
 * "no shared memory"). */
apr_status_t kf_rl_table_create(kf_rl_table *t, apr_pool_t *p, unsigned int places,
                                const char **why);

/* Takes one attempt of `key` under `rule` at `now` (unix seconds): 1 with *wait 0 (taken)
 * or the seconds until its window admits one again, nothing counted; 0 when the table
 * cannot count it (its places hold other clients' live windows, or the rule's limit or
 * window is beyond what a place holds). */
/* The table whose places are `memory` as they are (the gate of kf_assistant_gate.h keeps a
 * one-place table inside its own shared memory, zeroed with it). */
void kf_rl_table_attach(kf_rl_table *t, volatile apr_uint64_t *memory, unsigned int places,
                        const unsigned char secret[KF_SIPHASH_KEY_LEN]);

int kf_rl_table_take(const kf_rl_table *t, const char *key, const kf_rl_rule *rule,
                     apr_int64_t now, apr_int64_t *wait);

#endif
