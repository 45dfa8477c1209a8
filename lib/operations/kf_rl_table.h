#ifndef KF_RL_TABLE_H
#define KF_RL_TABLE_H
/* The per-client windows of the public limits (kf_ratelimit.h's fixed windows) in a table
 * the children of one server share without a lock: each place is one 64-bit word, changed
 * by compare-and-swap, holding a window's start (seconds, modulo 2^24), its count (up to
 * 2^24 - 1) and 16 bits of the client key's hash. A key looks at KF_RL_TABLE_PROBES places
 * from the one its hash names: its own live window there, else one that is empty or whose
 * window ended. Two keys whose hashes agree in place and in those 16 bits share a window
 * (stricter, never looser); a key whose places all hold other clients' live windows is not
 * counted here and the caller counts it in its other store. Zeroed memory is an empty
 * table. */
#include <apr.h>
#include "kf_ratelimit.h"

#define KF_RL_TABLE_PROBES 4

/* Bytes of a table of `places` (a power of two). */
apr_size_t kf_rl_table_size(unsigned int places);

/* Takes one attempt of `key` under `rule` at `now` (unix seconds): 1 with *wait 0 (taken)
 * or the seconds until its window admits one again, nothing counted; 0 when the table
 * cannot count it (its places hold other clients' live windows, or the rule's limit or
 * window is beyond what a place holds). */
int kf_rl_table_take(volatile apr_uint64_t *table, unsigned int places, const char *key,
                     const kf_rl_rule *rule, apr_int64_t now, apr_int64_t *wait);

#endif
