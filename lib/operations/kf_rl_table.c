/* Public limits' windows counted without a lock: see kf_rl_table.h. */
#include "kf_rl_table.h"

#include <apr_atomic.h>
#include <apr_shm.h>
#include <string.h>

#define FIELD_MASK 0xffffffu             /* the end's and the count's 24 bits */
#define END_SHIFT 40
#define COUNT_SHIFT 16

typedef struct place {
    apr_uint32_t end, count, print;
} place;

static place unpack(apr_uint64_t w)
{
    place p = {(apr_uint32_t)(w >> END_SHIFT) & FIELD_MASK,
               (apr_uint32_t)(w >> COUNT_SHIFT) & FIELD_MASK, (apr_uint32_t)(w & 0xffff)};
    return p;
}

static apr_uint64_t pack(apr_uint32_t end, apr_uint32_t count, apr_uint32_t print)
{
    return ((apr_uint64_t)(end & FIELD_MASK) << END_SHIFT) |
           ((apr_uint64_t)(count & FIELD_MASK) << COUNT_SHIFT) | (print & 0xffff);
}

apr_size_t kf_rl_table_size(unsigned int places)
{
    return sizeof(apr_uint64_t) * places;
}

void kf_rl_table_attach(kf_rl_table *t, volatile apr_uint64_t *memory, unsigned int places,
                        const unsigned char secret[KF_SIPHASH_KEY_LEN])
{
    t->places = memory;
    t->size = places;
    memcpy(t->secret, secret, KF_SIPHASH_KEY_LEN);
}

apr_status_t kf_rl_table_create(kf_rl_table *t, apr_pool_t *p, unsigned int places,
                                const char **why)
{
    unsigned char secret[KF_SIPHASH_KEY_LEN];
    apr_shm_t *shm = NULL;
    apr_status_t rv = kf_random_bytes(secret, sizeof(secret));
    if (rv != APR_SUCCESS) {
        *why = "no random secret";
        return rv;
    }
    rv = apr_shm_create(&shm, kf_rl_table_size(places), NULL, p);
    if (rv != APR_SUCCESS) {
        *why = "no shared memory";
        return rv;
    }
    kf_rl_table_init(t, apr_shm_baseaddr_get(shm), places, secret);
    return APR_SUCCESS;
}

void kf_rl_table_init(kf_rl_table *t, volatile apr_uint64_t *memory, unsigned int places,
                      const unsigned char secret[KF_SIPHASH_KEY_LEN])
{
    memset((void *)memory, 0, kf_rl_table_size(places));
    kf_rl_table_attach(t, memory, places, secret);
}

/* Seconds until the window of w ends; 0 when the place is empty or its window is over (its
 * end passed, or lies further ahead than any window reaches: the clock went back). */
static apr_uint32_t remaining(apr_uint64_t w, apr_uint32_t now24)
{
    apr_uint32_t left = (unpack(w).end - now24) & FIELD_MASK;
    return w && left <= KF_RL_TABLE_WINDOW_MAX ? left : 0;
}

int kf_rl_table_take(const kf_rl_table *t, const char *key, const kf_rl_rule *rule,
                     apr_int64_t now, apr_int64_t *wait)
{
    if (rule->limit == 0 || rule->limit >= FIELD_MASK || rule->window <= 0 ||
        rule->window > KF_RL_TABLE_WINDOW_MAX) {
        return 0;
    }
    /* the low bits choose the place, the high ones are the print */
    apr_uint64_t h = kf_siphash24(t->secret, key, strlen(key));
    apr_uint32_t print = (apr_uint32_t)(h >> 48) | 1;    /* never 0: 0 is an empty place */
    apr_uint32_t now24 = (apr_uint32_t)now & FIELD_MASK;
    /* first the key's own live window, then a place to start one in */
    for (int claim = 0; claim < 2; claim++) {
        for (unsigned int i = 0; i < KF_RL_TABLE_PROBES; i++) {
            volatile apr_uint64_t *at = &t->places[(h + i) & (t->size - 1)];
            for (;;) {
                apr_uint64_t old = apr_atomic_read64(at);
                apr_uint32_t left = remaining(old, now24);
                apr_uint64_t next;
                if (left && unpack(old).print == print) {
                    if (unpack(old).count >= rule->limit) {
                        *wait = left;
                        return 1;
                    }
                    next = old + ((apr_uint64_t)1 << COUNT_SHIFT);
                }
                else if (claim && !left) {
                    next = pack(now24 + (apr_uint32_t)rule->window, 1, print);
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
