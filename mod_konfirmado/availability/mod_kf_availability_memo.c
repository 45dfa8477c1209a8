/* The child's memo of availability facts: see mod_kf_availability_memo.h. A fixed table of
 * slots under one mutex, held only to look up, reference, replace or release (never while
 * the database is asked). */
#include "mod_kf_availability_memo.h"
#include "mod_kf_availability_conf.h"
#include "mod_kf_config.h"
#include "kf_availability_entry.h"

#include <apr_strings.h>
#include <apr_thread_mutex.h>

typedef struct entry {
    kfm_memo_entry pub;        /* first: a kfm_memo_entry * is an entry * */
    char *key;                 /* in pub.pool */
    int refs;                  /* the table's, plus one per request using it */
    apr_time_t proving_until;  /* a request proves the facts again until then */
} entry;

static entry *slots[KFM_MEMO_SLOTS];
static apr_thread_mutex_t *memo_mutex;

static unsigned slot_of(const char *key)
{
    return kf_avail_hash(key) % KFM_MEMO_SLOTS;
}

/* With the mutex held: one reference less; the last one frees the entry. */
static void unref_locked(entry *e)
{
    if (--e->refs == 0) {
        apr_pool_destroy(e->pub.pool);
    }
}

static apr_status_t release(void *data)
{
    apr_thread_mutex_lock(memo_mutex);
    unref_locked(data);
    apr_thread_mutex_unlock(memo_mutex);
    return APR_SUCCESS;
}

int kfm_memo_enabled(kfm_req *kr)
{
    return memo_mutex &&
           kfm_availability_conf_facts_memo(kfm_availability_conf_of(kr->r->server));
}

const kfm_memo_entry *kfm_memo_get(kfm_req *kr, const char *key, kf_facts_proof *proof)
{
    if (!kfm_memo_enabled(kr)) {
        return NULL;
    }
    entry *found = NULL;
    apr_thread_mutex_lock(memo_mutex);
    entry *e = slots[slot_of(key)];
    if (e && strcmp(e->key, key) == 0) {
        e->refs++;
        found = e;
        if (proof) {
            *proof = e->pub.proof;
        }
    }
    apr_thread_mutex_unlock(memo_mutex);
    if (found) {
        apr_pool_cleanup_register(kr->r->pool, found, release, apr_pool_cleanup_null);
    }
    return found ? &found->pub : NULL;
}

kfm_memo_entry *kfm_memo_new(kfm_req *kr)
{
    apr_pool_t *pool = NULL;
    if (!kfm_memo_enabled(kr) || apr_pool_create_unmanaged_ex(&pool, NULL, NULL) != APR_SUCCESS) {
        return NULL;
    }
    apr_pool_tag(pool, "availability facts");
    entry *e = apr_pcalloc(pool, sizeof(*e));
    e->pub.pool = pool;
    e->refs = 1;
    apr_pool_cleanup_register(kr->r->pool, e, release, apr_pool_cleanup_null);
    return &e->pub;
}

void kfm_memo_proven(const kfm_memo_entry *pub, const kf_facts_proof *proof)
{
    apr_thread_mutex_lock(memo_mutex);
    ((entry *)pub)->pub.proof = *proof;
    apr_thread_mutex_unlock(memo_mutex);
}

int kfm_memo_claim_proof(const kfm_memo_entry *pub, apr_time_t now, apr_time_t until)
{
    entry *e = (entry *)pub;
    apr_thread_mutex_lock(memo_mutex);
    int claimed = e->proving_until <= now;
    if (claimed) {
        e->proving_until = until;
    }
    apr_thread_mutex_unlock(memo_mutex);
    return claimed;
}

void kfm_memo_put(const char *key, kfm_memo_entry *pub)
{
    entry *e = (entry *)pub;
    e->key = apr_pstrdup(pub->pool, key);
    unsigned slot = slot_of(key);
    apr_thread_mutex_lock(memo_mutex);
    entry *old = slots[slot];
    if (old != e) {
        e->refs++;
        slots[slot] = e;
        if (old) {
            unref_locked(old);
        }
    }
    apr_thread_mutex_unlock(memo_mutex);
}

/* The child ends: the table's references go (requests are over by then). */
static apr_status_t memo_child_exit(void *data)
{
    (void)data;
    for (int i = 0; i < KFM_MEMO_SLOTS; i++) {
        if (slots[i]) {
            unref_locked(slots[i]);
            slots[i] = NULL;
        }
    }
    memo_mutex = NULL;
    return APR_SUCCESS;
}

static void memo_child_init(apr_pool_t *p, server_rec *s)
{
    if (apr_thread_mutex_create(&memo_mutex, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "mod_konfirmado: availability facts are read "
                     "for every request in this child (no mutex)");
        memo_mutex = NULL;
        return;
    }
    apr_pool_cleanup_register(p, NULL, memo_child_exit, apr_pool_cleanup_null);
}

void kfm_memo_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_child_init(memo_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
