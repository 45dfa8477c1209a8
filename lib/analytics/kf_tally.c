/* Shared counts per key: see kf_tally.h. */
#include "kf_tally.h"

#include <apr_atomic.h>
#include <apr_strings.h>
#include <string.h>

enum { FREE = 0, CLAIMING = 1, READY = 2 };

static apr_uint32_t hash_of(const char *key)
{
    apr_uint32_t h = 2166136261u;   /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
        h = (h ^ *c) * 16777619u;
    }
    return h;
}

/* The slot's key once it is written; a claim in flight is waited for (a few stores). */
static int ready(kf_tally_slot *s)
{
    apr_uint32_t st;
    for (int spin = 0; (st = apr_atomic_read32(&s->state)) == CLAIMING && spin < 100000; spin++) {
    }
    return st == READY;
}

int kf_tally_add(kf_tally *t, const char *key, apr_uint32_t n)
{
    size_t len = key ? strlen(key) : 0;
    if (len == 0 || len > KF_TALLY_KEY_MAX) {
        return -1;
    }
    apr_uint32_t h = hash_of(key);
    for (apr_uint32_t i = 0; i < KF_TALLY_SLOTS; i++) {
        kf_tally_slot *s = &t->slots[(h + i) % KF_TALLY_SLOTS];
        if (apr_atomic_cas32(&s->state, CLAIMING, FREE) == FREE) {
            memcpy(s->key, key, len + 1);
            apr_atomic_add32(&s->count, n);
            apr_atomic_set32(&s->state, READY);   /* the key is written before it is seen */
            return 0;
        }
        if (ready(s) && strcmp(s->key, key) == 0) {
            apr_atomic_add32(&s->count, n);
            return 0;
        }
    }
    return -1;
}

int kf_tally_take(kf_tally *t, kf_tally_each_fn *each, void *data)
{
    int handed = 0;
    for (size_t i = 0; i < KF_TALLY_SLOTS; i++) {
        kf_tally_slot *s = &t->slots[i];
        if (apr_atomic_read32(&s->state) != READY || apr_atomic_read32(&s->count) == 0) {
            continue;
        }
        apr_uint32_t n = apr_atomic_xchg32(&s->count, 0);
        if (n) {
            each(s->key, n, data);
            handed++;
        }
    }
    return handed;
}

static void keep(const char *key, apr_uint32_t count, void *data)
{
    kf_tally_taken *t = data;
    apr_pool_t *p = t->keys->pool;
    APR_ARRAY_PUSH(t->keys, const char *) = apr_pstrdup(p, key);
    APR_ARRAY_PUSH(t->counts, const char *) = apr_psprintf(p, "%u", count);
}

int kf_tally_take_texts(kf_tally *t, apr_pool_t *p, kf_tally_taken *out)
{
    out->keys = apr_array_make(p, 8, sizeof(const char *));
    out->counts = apr_array_make(p, 8, sizeof(const char *));
    return kf_tally_take(t, keep, out);
}

void kf_tally_give_back(kf_tally *t, const kf_tally_taken *taken)
{
    for (int i = 0; i < taken->keys->nelts; i++) {
        kf_tally_add(t, APR_ARRAY_IDX(taken->keys, i, const char *),
                     (apr_uint32_t)apr_atoi64(APR_ARRAY_IDX(taken->counts, i, const char *)));
    }
}
