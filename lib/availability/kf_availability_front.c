/* A child's own copies of shared availability entries: see kf_availability_front.h. */
#include "kf_availability_front.h"
#include "kf_availability_entry.h"

#include <apr_strings.h>
#include <apr_thread_rwlock.h>
#include <stdlib.h>
#include <string.h>

typedef struct front_place {
    char *key;              /* malloc'd, NULL when empty */
    unsigned char *entry;   /* malloc'd */
    apr_size_t size;
} front_place;

struct kf_availability_front {
    apr_thread_rwlock_t *lock;
    front_place *places;
    unsigned int mask;
    apr_size_t budget, bytes;
};

static void empty_place(kf_availability_front *f, front_place *at)
{
    f->bytes -= at->size;
    free(at->key);
    free(at->entry);
    at->key = NULL;
    at->entry = NULL;
    at->size = 0;
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

apr_size_t kf_availability_front_copy(kf_availability_front *f, const char *key, apr_pool_t *p,
                               unsigned char **entry)
{
    apr_size_t size = 0;
    *entry = NULL;
    if (apr_thread_rwlock_rdlock(f->lock) != APR_SUCCESS) {
        return 0;
    }
    front_place *at = place_of(f, key);
    if (at->key && strcmp(at->key, key) == 0) {
        *entry = apr_pmemdup(p, at->entry, at->size);
        size = at->size;
    }
    apr_thread_rwlock_unlock(f->lock);
    return size;
}

void kf_availability_front_keep(kf_availability_front *f, const char *key, const unsigned char *entry,
                         apr_size_t size)
{
    char *k = strdup(key);
    unsigned char *copy = size ? malloc(size) : NULL;
    if (!k || !copy) {
        free(k);
        free(copy);
        return;
    }
    memcpy(copy, entry, size);
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
        at->size = size;
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
