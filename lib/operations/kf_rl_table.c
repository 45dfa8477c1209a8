/* Public limits' windows counted without a lock: see kf_rl_table.h. */
#include "kf_rl_table.h"

#include <apr_atomic.h>

#define FIELD_MASK 0xffffffu             /* the start's and the count's 24 bits */
#define START_SHIFT 40
#define COUNT_SHIFT 16

typedef struct place {
    apr_uint32_t start, count, print;
} place;

static place unpack(apr_uint64_t w)
{
    place p = {(apr_uint32_t)(w >> START_SHIFT) & FIELD_MASK,
               (apr_uint32_t)(w >> COUNT_SHIFT) & FIELD_MASK, (apr_uint32_t)(w & 0xffff)};
    return p;
}

static apr_uint64_t pack(apr_uint32_t start, apr_uint32_t count, apr_uint32_t print)
{
    return ((apr_uint64_t)(start & FIELD_MASK) << START_SHIFT) |
           ((apr_uint64_t)(count & FIELD_MASK) << COUNT_SHIFT) | (print & 0xffff);
}

/* FNV-1a, 64 bits, then MurmurHash3's finalizer, so that keys differing in their last
 * characters differ in the high bits too: the low bits choose the place, the high ones are
 * the print. */
static apr_uint64_t hash_of(const char *key)
{
    apr_uint64_t h = 14695981039346656037ULL;
    for (; *key; key++) {
        h ^= (unsigned char)*key;
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

apr_size_t kf_rl_table_size(unsigned int places)
{
    return sizeof(apr_uint64_t) * places;
}

/* Seconds since the window of w started, or `window` when the place is empty. */
static apr_uint32_t elapsed(apr_uint64_t w, apr_uint32_t now24, apr_uint32_t window)
{
    return w ? ((now24 - unpack(w).start) & FIELD_MASK) : window;
}

int kf_rl_table_take(volatile apr_uint64_t *table, unsigned int places, const char *key,
                     const kf_rl_rule *rule, apr_int64_t now, apr_int64_t *wait)
{
    if (rule->limit == 0 || rule->limit >= FIELD_MASK || rule->window <= 0 ||
        rule->window >= FIELD_MASK) {
        return 0;
    }
    apr_uint64_t h = hash_of(key);
    apr_uint32_t print = (apr_uint32_t)(h >> 48) | 1;    /* never 0: 0 is an empty place */
    apr_uint32_t now24 = (apr_uint32_t)now & FIELD_MASK;
    apr_uint32_t window = (apr_uint32_t)rule->window;
    /* first the key's own live window, then a place to start one in */
    for (int claim = 0; claim < 2; claim++) {
        for (unsigned int i = 0; i < KF_RL_TABLE_PROBES; i++) {
            volatile apr_uint64_t *at = &table[(h + i) & (places - 1)];
            for (;;) {
                apr_uint64_t old = apr_atomic_read64(at);
                apr_uint32_t age = elapsed(old, now24, window);
                int live = age < window;
                int mine = live && unpack(old).print == print;
                apr_uint64_t next;
                if (mine) {
                    if (unpack(old).count >= rule->limit) {
                        *wait = window - age;
                        return 1;
                    }
                    next = old + ((apr_uint64_t)1 << COUNT_SHIFT);
                }
                else if (claim && !live) {
                    next = pack(now24, 1, print);
                }
                else {
                    break;          /* not this key's, or another client's live window */
                }
                if (apr_atomic_cas64(at, next, old) == old) {
                    *wait = 0;
                    return 1;
                }
            }
        }
    }
    return 0;
}
