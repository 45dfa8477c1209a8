/* A child's table of kept availability facts: see kf_facts_memo.h. */
#include "kf_facts_memo.h"
#include "kf_availability_entry.h"

#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <string.h>

struct kf_facts_memo {
    apr_thread_mutex_t *mutex;
    int nslots;
    kf_memo_entry **slots;
};

kf_facts_memo *kf_facts_memo_create(apr_pool_t *p, int slots)
{
    kf_facts_memo *m = apr_pcalloc(p, sizeof(*m));
    if (slots < 1 || apr_thread_mutex_create(&m->mutex, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS) {
        return NULL;
    }
    m->nslots = slots;
    m->slots = apr_pcalloc(p, sizeof(*m->slots) * (apr_size_t)slots);
    return m;
}

static kf_memo_entry **slot_of(kf_facts_memo *m, const char *key)
{
    return &m->slots[kf_avail_hash(key) % (apr_uint32_t)m->nslots];
}

/* With the mutex held: one reference less; the last one frees the entry. */
static void unref_locked(kf_memo_entry *e)
{
    if (--e->refs == 0) {
        apr_pool_destroy(e->pool);
    }
}

kf_memo_entry *kf_facts_memo_get(kf_facts_memo *m, const char *key, kf_facts_proof *proof)
{
    apr_thread_mutex_lock(m->mutex);
    kf_memo_entry *e = *slot_of(m, key);
    if (e && strcmp(e->key, key) == 0) {
        e->refs++;
        if (proof) {
            *proof = e->proof;
        }
    }
    else {
        e = NULL;
    }
    apr_thread_mutex_unlock(m->mutex);
    return e;
}

kf_memo_entry *kf_facts_memo_new(kf_facts_memo *m)
{
    apr_pool_t *pool = NULL;
    if (apr_pool_create_unmanaged_ex(&pool, NULL, NULL) != APR_SUCCESS) {
        return NULL;
    }
    apr_pool_tag(pool, "availability facts");
    kf_memo_entry *e = apr_pcalloc(pool, sizeof(*e));
    e->pool = pool;
    e->memo = m;
    e->refs = 1;
    return e;
}

void kf_facts_memo_release(kf_memo_entry *e)
{
    apr_thread_mutex_t *mutex = e->memo->mutex;
    apr_thread_mutex_lock(mutex);
    unref_locked(e);
    apr_thread_mutex_unlock(mutex);
}

void kf_facts_memo_put(const char *key, kf_memo_entry *e)
{
    kf_facts_memo *m = e->memo;
    e->key = apr_pstrdup(e->pool, key);
    kf_memo_entry **slot = slot_of(m, key);
    apr_thread_mutex_lock(m->mutex);
    kf_memo_entry *old = *slot;
    if (old != e) {
        e->refs++;
        *slot = e;
        if (old) {
            unref_locked(old);
        }
    }
    apr_thread_mutex_unlock(m->mutex);
}

int kf_facts_memo_claim_proof(kf_memo_entry *e, apr_time_t now, apr_time_t until)
{
    apr_thread_mutex_lock(e->memo->mutex);
    int claimed = e->proving_until <= now;
    if (claimed) {
        e->proving_until = until;
    }
    apr_thread_mutex_unlock(e->memo->mutex);
    return claimed;
}

void kf_facts_memo_proven(kf_memo_entry *e, const kf_facts_proof *proof)
{
    apr_thread_mutex_lock(e->memo->mutex);
    e->proof = *proof;
    apr_thread_mutex_unlock(e->memo->mutex);
}

void kf_facts_memo_clear(kf_facts_memo *m)
{
    apr_thread_mutex_lock(m->mutex);
    for (int i = 0; i < m->nslots; i++) {
        if (m->slots[i]) {
            unref_locked(m->slots[i]);
            m->slots[i] = NULL;
        }
    }
    apr_thread_mutex_unlock(m->mutex);
}
