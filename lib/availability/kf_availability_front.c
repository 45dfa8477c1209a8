/* A child's own copies of shared availability entries: see kf_availability_front.h. */
#include "kf_availability_front.h"
#include "kf_availability_entry.h"

#include <apr_atomic.h>
#include <apr_strings.h>
#include <apr_thread_rwlock.h>
#include <stdlib.h>
#include <string.h>

/* One kept entry, malloc'd: held by its place and by each request it is lent to. */
typedef struct front_entry {
    apr_uint32_t holders;
    apr_size_t size;
    unsigned char bytes[];
} front_entry;

typedef struct front_place {
    char *key;              /* malloc'd, NULL when empty */
    front_entry *entry;
} front_place;

struct kf_availability_front {
    apr_thread_rwlock_t *lock;
    front_place *places;
    unsigned int mask;
    apr_size_t budget, bytes;
};

static void let_go(front_entry *e)
{
    if (e && apr_atomic_dec32(&e->holders) == 0) {
        free(e);
    }
}

static apr_status_t give_back(void *data)
{
    let_go(data);
    return APR_SUCCESS;
}

static void empty_place(kf_availability_front *f, front_place *at)
{
    if (at->entry) {
        f->bytes -= at->entry->size;
    }
    free(at->key);
    let_go(at->entry);
    at->key = NULL;
    at->entry = NULL;
}

static apr_status_t front_destroy(void *data)
{
    kf_availability_front *f = data;
    for (unsigned int i = 0; i <= f->mask; i++) {
        empty_place(f, &f->places[i]);
    }
    return APR_SUCCESS;
}

kf_availability_front *kf_availability_front_create(apr_pool_t *p, unsigned int places, apr_size_t budget)
{
    kf_availability_front *f = apr_pcalloc(p, sizeof(*f));
    if (places == 0 || (places & (places - 1)) != 0 ||
        apr_thread_rwlock_create(&f->lock, p) != APR_SUCCESS) {
        return NULL;
    }
    f->places = apr_pcalloc(p, sizeof(*f->places) * places);
    f->mask = places - 1;
    f->budget = budget;
    /* registered after the lock's own cleanup, so it runs first */
    apr_pool_cleanup_register(p, f, front_destroy, apr_pool_cleanup_null);
    return f;
}

static front_place *place_of(kf_availability_front *f, const char *key)
{
    return &f->places[kf_avail_hash(key) & f->mask];
}

apr_size_t kf_availability_front_lend(kf_availability_front *f, const char *key, apr_pool_t *p,
                                      const unsigned char **entry)
{
    front_entry *lent = NULL;
    *entry = NULL;
    if (apr_thread_rwlock_rdlock(f->lock) != APR_SUCCESS) {
        return 0;
    }
    front_place *at = place_of(f, key);
    if (at->key && strcmp(at->key, key) == 0) {
        lent = at->entry;
        apr_atomic_inc32(&lent->holders);
    }
    apr_thread_rwlock_unlock(f->lock);
    if (!lent) {
        return 0;
    }
    apr_pool_cleanup_register(p, lent, give_back, apr_pool_cleanup_null);
    *entry = lent->bytes;
    return lent->size;
}

void kf_availability_front_keep(kf_availability_front *f, const char *key, const unsigned char *entry,
                         apr_size_t size)
{
    char *k = strdup(key);
    front_entry *copy = size ? malloc(sizeof(*copy) + size) : NULL;
    if (!k || !copy) {
        free(k);
        free(copy);
        return;
    }
    copy->holders = 1;
    copy->size = size;
    memcpy(copy->bytes, entry, size);
    if (apr_thread_rwlock_wrlock(f->lock) != APR_SUCCESS) {
        free(k);
        free(copy);
        return;
    }
    front_place *at = place_of(f, key);
    empty_place(f, at);
    if (f->bytes + size <= f->budget) {
        at->key = k;
        at->entry = copy;
        f->bytes += size;
        k = NULL;
        copy = NULL;
    }
    apr_thread_rwlock_unlock(f->lock);
    free(k);
    free(copy);
}

apr_size_t kf_availability_front_bytes(kf_availability_front *f)
{
    apr_size_t n = 0;
    if (apr_thread_rwlock_rdlock(f->lock) == APR_SUCCESS) {
        n = f->bytes;
        apr_thread_rwlock_unlock(f->lock);
    }
    return n;
}
