/* The shared cache of availability answers: see mod_kf_availability_cache.h. */
#include "mod_kf_availability_cache.h"
#include "mod_kf_availability_conf.h"
#include "kf_availability_fresh.h"
#include "kf_availability_entry.h"
#include "kf_availability_front.h"
#include "kf_availability_trust.h"
#include "mod_kf_availability_kept.h"

#include "ap_socache.h"
#include "util_mutex.h"
#include <apr_atomic.h>
#include <apr_shm.h>
#include "mod_kf_counters.h"

#define MUTEX_TYPE "konfirmado-availability-cache"
#define NAMESPACE "konfirmado-availability"
#define REFILL_NOTE "kf-avail-refill"  /* r->notes: this request claimed a refill */
#define REFRESH_AFTER_NOTE "kf-avail-refresh-after" /* r->notes: ... served it, refills after */
/* First fill of a missing entry (kf_availability_fill_decide): how long the others wait for
 * the filler's answer at most, and how often they look. A fill takes a few ms; a waiter is
 * an idle worker thread, not CPU. */
#define FILL_WAIT apr_time_from_msec(250)
#define FILL_POLL apr_time_from_msec(2)
/* Each child's own copies of the entries it served last (kf_availability_front.h): a few
 * dozen answers of tens of KB. */
#define FRONT_PLACES 64
#define FRONT_BUDGET (4 * 1024 * 1024)

struct kfm_availability_gens {
    kf_avail_gens gens;
};

static const ap_socache_provider_t *provider;
static ap_socache_instance_t *instance;
static apr_global_mutex_t *mutex;      /* NULL when the provider is safe without one */
static kf_availability_front *front;     /* this child's; NULL: every look is the shared one's */
static apr_uint32_t *gens;             /* [0] everything, [1 + slot] a professional */
static kfm_availability_words *words;  /* the listener's (mod_kf_availability_kept.h) */
static int ttl;
static int listener;                   /* a change listener was registered (mod_watchdog) */
static const apr_time_t grace = apr_time_from_sec(KFM_AVAIL_CACHE_GRACE);

int kfm_availability_cache_enabled(void)
{
    return instance != NULL;
}

static apr_status_t lock(void)
{
    return mutex ? apr_global_mutex_lock(mutex) : APR_SUCCESS;
}

static void unlock(void)
{
    if (mutex) {
        apr_global_mutex_unlock(mutex);
    }
}

/* The socache as the markers' store (kf_avail_marker_store), used under the mutex. */
static void read_marker(void *r_, const char *mkey, kf_avail_marker *m)
{
    request_rec *r = r_;
    unsigned char buf[KF_AVAIL_MARKER_SIZE];
    unsigned int got = sizeof(buf);
    apr_status_t rv = provider->retrieve(instance, r->server, (const unsigned char *)mkey,
                                         (unsigned int)strlen(mkey), buf, &got, r->pool);
    if (rv != APR_SUCCESS || !kf_avail_marker_decode(buf, got, m)) {
        m->refills = m->until = 0;
    }
}

static apr_status_t store_marker(void *r_, const char *mkey, const kf_avail_marker *m)
{
    request_rec *r = r_;
    unsigned char buf[KF_AVAIL_MARKER_SIZE];
    kf_avail_marker_encode(m, buf);
    return provider->store(instance, r->server, (const unsigned char *)mkey,
                           (unsigned int)strlen(mkey), m->until, buf, sizeof(buf), r->pool);
}

static void remove_marker(void *r_, const char *mkey)
{
    request_rec *r = r_;
    provider->remove(instance, r->server, (const unsigned char *)mkey,
                     (unsigned int)strlen(mkey), r->pool);
}

static kf_avail_marker_store markers_of(request_rec *r)
{
    kf_avail_marker_store s = {read_marker, store_marker, remove_marker, r};
    return s;
}

/* The entry lapsed by time only: under the mutex, see that another request refills it
 * (serve stale) or claim the refill. */
static kf_availability_fresh claim_refill(request_rec *r, const char *key, apr_time_t valid_until)
{
    kf_avail_marker_store markers = markers_of(r);
    if (lock() != APR_SUCCESS) {
        return KF_AVAIL_MISS;
    }
    kf_availability_fresh d = kf_avail_claim_refill(&markers, kf_avail_marker_key(r->pool, key),
                                                    apr_time_now(), valid_until, grace);
    unlock();
    if (d == KF_AVAIL_REFILL) {
        apr_table_setn(r->notes, REFILL_NOTE, "1");
    }
    return d;
}

/* The child's own copy of the entry, when it is a fresh hit: 1 with *json, *len. Anything
 * else (lapsed, a generation moved, none) is the shared cache's to judge. */
static int front_hit(kfm_req *kr, const char *key, const char **json, apr_size_t *len)
{
    const unsigned char *entry = NULL;
    apr_size_t size = front ? kf_availability_front_lend(front, key, kr->r->pool, &entry) : 0;
    apr_time_t valid_until = 0;
    int generations_match = 0;
    return size && kf_avail_entry_decode(entry, size, gens, json, len, &valid_until, NULL,
                                         &generations_match) &&
           kf_availability_fresh_decide(generations_match, apr_time_now(), valid_until, grace,
                                        0, 0) == KF_AVAIL_HIT;
}

/* One look at the entry, read into buf (KF_AVAIL_ENTRY_MAX bytes): 1 serve it (*json, *len), 0
 * compute (this request claimed its refill, or the cache cannot be read), -1 no usable
 * entry. A fresh hit is kept in the child's own copies too. Without `fills` (answers are not
 * stored now) nobody claims the refill of an entry lapsed by time: it is served while the
 * clock has not changed it, else computed anew here (kf_availability_unstored_lapse). */
static int lookup(kfm_req *kr, const char *key, unsigned char *buf, const char **json,
                  apr_size_t *len, int fills)
{
    request_rec *r = kr->r;
    unsigned int got = KF_AVAIL_ENTRY_MAX;
    apr_status_t rv = lock();
    if (rv != APR_SUCCESS) {
        return 0;
    }
    rv = provider->retrieve(instance, r->server, (const unsigned char *)key,
                            (unsigned int)strlen(key), buf, &got, r->pool);
    unlock();
    const char *answer = NULL;
    apr_size_t answer_len = 0;
    apr_time_t valid_until = 0, clock_until = 0;
    int generations_match = 0;
    if (rv != APR_SUCCESS || !kf_avail_entry_decode(buf, got, gens, &answer, &answer_len,
                                                    &valid_until, &clock_until,
                                                    &generations_match)) {
        return -1;
    }
    /* without a marker, REFILL means "lapsed by time only, within the grace": ask it */
    kf_availability_fresh d = kf_availability_fresh_decide(generations_match, apr_time_now(),
                                                           valid_until, grace, 0, 0);
    if (d == KF_AVAIL_REFILL && !fills) {
        /* no refill could be stored: served as it is, or computed for this request alone */
        d = kf_availability_unstored_lapse(apr_time_now(), clock_until);
        if (d == KF_AVAIL_REFILL) {
            return 0;
        }
    }
    else if (d == KF_AVAIL_REFILL) {
        d = claim_refill(r, key, valid_until);
    }
    if (d == KF_AVAIL_REFILL) {
        d = kf_availability_refill_when(apr_time_now(), clock_until);
    }
    if (d == KF_AVAIL_REFILL) {
        return 0;
    }
    if (d == KF_AVAIL_REFRESH_AFTER) {
        apr_table_setn(r->notes, REFRESH_AFTER_NOTE, "1");
    } else if (d != KF_AVAIL_HIT && d != KF_AVAIL_STALE_SERVE) {
        return -1;
    }
    if (d == KF_AVAIL_HIT && front) {
        kf_availability_front_keep(front, key, buf, got);
    }
    *json = answer;
    *len = answer_len;
    return 1;
}

typedef struct fill_claim {
    request_rec *r;
    const char *mkey;
    apr_time_t until;
} fill_claim;

/* At the end of the request that claimed a first fill, its marker goes (kf_avail_release_fill). */
static apr_status_t release_fill(void *data)
{
    fill_claim *c = data;
    if (!instance || lock() != APR_SUCCESS) {
        return APR_SUCCESS;
    }
    kf_avail_marker_store markers = markers_of(c->r);
    kf_avail_release_fill(&markers, c->mkey, c->until);
    unlock();
    return APR_SUCCESS;
}

/* No usable entry: under the mutex, claim its first fill (KF_AVAIL_FILL: compute it) or see
 * that another request fills it (KF_AVAIL_WAIT). */
static kf_availability_fill claim_fill(request_rec *r, const char *key)
{
    const char *mkey = kf_avail_marker_key(r->pool, key);
    kf_avail_marker_store markers = markers_of(r);
    apr_time_t claimed = 0;
    if (lock() != APR_SUCCESS) {
        return KF_AVAIL_FILL;
    }
    kf_availability_fill d = kf_avail_claim_fill(&markers, mkey, apr_time_now(), FILL_WAIT,
                                                 &claimed);
    if (claimed) {
        fill_claim *c = apr_palloc(r->pool, sizeof(*c));
        c->r = r;
        c->mkey = mkey;
        c->until = claimed;
        apr_pool_cleanup_register(r->pool, c, release_fill, apr_pool_cleanup_null);
    }
    unlock();
    return d;
}

/* Answers computed now may be stored (kf_avail_answer_cacheable). */
static int cacheable_now(void)
{
    return kf_avail_answer_cacheable(listener, apr_time_now(), kfm_availability_heard_until());
}

static int look_up_or_fill(kfm_req *kr, const char *key, const char **json, apr_size_t *len)
{
    if (front_hit(kr, key, json, len)) {
        return 1;
    }
    /* a waiter looks again every FILL_POLL, FILL_WAIT at most, then computes itself; while
     * answers are not stored, nobody fills: each request computes its own */
    int fills = cacheable_now();
    apr_time_t give_up = apr_time_now() + FILL_WAIT;
    unsigned char *buf = apr_palloc(kr->r->pool, KF_AVAIL_ENTRY_MAX);
    for (;;) {
        int found = lookup(kr, key, buf, json, len, fills);
        if (found >= 0 || !fills) {
            return found > 0;
        }
        if (claim_fill(kr->r, key) == KF_AVAIL_FILL || apr_time_now() >= give_up) {
            return 0;
        }
        apr_sleep(FILL_POLL);
    }
}

int kfm_availability_cache_get(kfm_req *kr, const char *key, const char **json, apr_size_t *len)
{
    if (!instance) {
        return 0;
    }
    int hit = look_up_or_fill(kr, key, json, len);
    kfm_counters_cache(hit);   /* the status page's hit ratio */
    return hit;
}

int kfm_availability_cache_refresh_due(const kfm_req *kr)
{
    return apr_table_get(kr->r->notes, REFRESH_AFTER_NOTE) != NULL;
}

kfm_availability_gens *kfm_availability_cache_snapshot(kfm_req *kr)
{
    if (!instance || !cacheable_now()) {
        return NULL;
    }
    kfm_availability_gens *g = apr_palloc(kr->r->pool, sizeof(*g));
    kf_avail_gens_read(gens, &g->gens);
    return g;
}

/* This request claimed the refill of the entry but cannot store its answer: remove the
 * lapsed entry, so that it is not served stale any longer while nothing replaces it. */
static void drop_refilled(request_rec *r, const char *key)
{
    if (!apr_table_get(r->notes, REFILL_NOTE) || lock() != APR_SUCCESS) {
        return;
    }
    provider->remove(instance, r->server, (const unsigned char *)key,
                     (unsigned int)strlen(key), r->pool);
    unlock();
}

void kfm_availability_cache_put(kfm_req *kr, const char *key, const kfm_availability_gens *snap,
                        const kfm_availability *av, apr_int64_t until, const char *json,
                        apr_size_t len)
{
    request_rec *r = kr->r;
    if (!instance) {
        return;
    }
    if (!snap) {            /* the listener went unheard since this request claimed a refill */
        drop_refilled(r, key);
        return;
    }
    apr_time_t now = apr_time_now();
    apr_time_t valid_until = kf_avail_entry_valid_until(now, ttl, until);
    apr_size_t size = 0;
    unsigned char *buf = valid_until <= now ? NULL
        : kf_avail_entry_encode(r->pool, &snap->gens, av->prof_ids, av->nprof, valid_until,
                                kf_avail_entry_clock_until(until), json, len, &size);
    if (!buf) {
        drop_refilled(r, key);
        return;
    }
    if (lock() != APR_SUCCESS) {
        return;
    }
    /* kept physically for the grace too, so that it can be served during its refill */
    apr_status_t rv = provider->store(instance, r->server, (const unsigned char *)key,
                                      (unsigned int)strlen(key), valid_until + grace, buf,
                                      (unsigned int)size, r->pool);
    unlock();
    if (rv == APR_SUCCESS && front) {
        kf_availability_front_keep(front, key, buf, size);
    }
    if (rv != APR_SUCCESS) {
        /* full or too large for the provider: served uncached */
        kfm_log(kr, APLOG_DEBUG, "availability answer not cached (%d bytes)", (int)size);
        drop_refilled(r, key);
    }
}

static void mark_bumped(request_rec *r)
{
    apr_table_setn(r->notes, "kf-avail-bumped", "1");
}

void kfm_availability_cache_bump_professional(kfm_req *kr, const char *professional_id)
{
    mark_bumped(kr->r);
    kfm_availability_cache_bump_professional_job(professional_id);
}

void kfm_availability_cache_bump_professional_job(const char *professional_id)
{
    if (gens) {
        apr_atomic_inc32(&gens[1 + kf_avail_prof_slot(professional_id)]);
    }
}

void kfm_availability_cache_bump_all(request_rec *r)
{
    mark_bumped(r);
    kfm_availability_cache_bump_all_job();
}

void kfm_availability_cache_bump_all_job(void)
{
    if (gens) {
        apr_atomic_inc32(&gens[0]);
    }
}

void kfm_availability_cache_after_write(kfm_req *kr)
{
    request_rec *r = kr->r;
    int is_read = r->method_number == M_GET || r->method_number == M_OPTIONS || r->header_only;
    if (kf_avail_write_bumps_all(is_read, apr_table_get(r->notes, "kf-avail-bumped") != NULL,
                                 kr->leaves_availability, r->status)) {
        kfm_availability_cache_bump_all(r);
    }
}

/* ---- set-up ---- */

static int cache_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    return ap_mutex_register(pconf, MUTEX_TYPE, NULL, APR_LOCK_DEFAULT, 0) == APR_SUCCESS
           ? OK : !OK;
}

static int setup_error(server_rec *s, apr_status_t rv, const char *what, const char *detail)
{
    ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s, "mod_konfirmado: KonfirmadoAvailabilityCache: "
                 "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
    return !OK;
}

/* A provider made from pconf (kept_by_restarts is 0): gone with its configuration. */
static apr_status_t cache_destroy(void *data)
{
    if (instance && provider) {
        provider->destroy(instance, (server_rec *)data);
    }
    return APR_SUCCESS;
}

/* This configuration's view of the shared memory ends with it; the memory is kept
 * (mod_kf_availability_kept.h) unless it was made from pconf. */
static apr_status_t forget_shared(void *data)
{
    (void)data;
    instance = NULL;
    provider = NULL;
    mutex = NULL;
    front = NULL;
    gens = NULL;
    words = NULL;
    listener = 0;
    return APR_SUCCESS;
}

volatile apr_uint32_t *kfm_availability_counters(void)
{
    return gens;
}

void kfm_availability_heard(apr_time_t until)
{
    if (words) {
        apr_atomic_set64(&words->heard_until, (apr_uint64_t)until);
    }
}

apr_time_t kfm_availability_heard_until(void)
{
    return words ? (apr_time_t)apr_atomic_read64(&words->heard_until) : 0;
}

void kfm_availability_listening(int again)
{
    if (words) {
        apr_atomic_inc32(&words->listens);
    }
    if (again) {
        kfm_availability_cache_bump_all_job();
    }
}

void kfm_availability_listener_registered(void)
{
    listener = 1;
}

apr_uint32_t kfm_availability_listens(void)
{
    return words ? apr_atomic_read32(&words->listens) : 0;
}

/* The generations and the listener's words: anonymous shared memory, inherited by every
 * child; kept whether or not answers are cached (kept facts are judged by them too). */
static int counters_create(server_rec *s, kfm_availability_kept *k)
{
    apr_shm_t *shm = NULL, *heard = NULL;
    apr_size_t size = sizeof(apr_uint32_t) * (1 + KF_AVAIL_GENS);
    apr_status_t rv = apr_shm_create(&shm, size, NULL, k->pool);
    if (rv == APR_SUCCESS) {
        rv = apr_shm_create(&heard, sizeof(kfm_availability_words), NULL, k->pool);
    }
    if (rv != APR_SUCCESS) {
        return setup_error(s, rv, "cannot create the generation counters", NULL);
    }
    k->gens = apr_shm_baseaddr_get(shm);
    memset(k->gens, 0, size);
    k->words = apr_shm_baseaddr_get(heard);
    memset(k->words, 0, sizeof(kfm_availability_words));
    return OK;
}

/* The answers' store and its mutex, made from `pool` (the kept record's, or pconf). */
static int instance_create(server_rec *s, const ap_socache_provider_t *prov, const char *args,
                           apr_pool_t *ptemp, apr_pool_t *pool, ap_socache_instance_t **inst,
                           apr_global_mutex_t **mx)
{
    const char *err = prov->create(inst, args, ptemp, pool);
    if (err) {
        return setup_error(s, 0, "bad provider arguments", err);
    }
    /* answers of tens of KB: shmcb sizes its subcaches from this hint */
    struct ap_socache_hints hints = {150, 32 * 1024, 60};
    apr_status_t rv = prov->init(*inst, NAMESPACE, &hints, s, pool);
    if (rv != APR_SUCCESS) {
        return setup_error(s, rv, "cannot initialise the cache", NULL);
    }
    if (prov->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
        rv = ap_global_mutex_create(mx, NULL, MUTEX_TYPE, NULL, s, pool, 0);
        if (rv != APR_SUCCESS) {
            return setup_error(s, rv, "cannot create its mutex", NULL);
        }
    }
    return OK;
}

/* Only shmcb's memory is kept across restarts: it is plain shared memory whose only cleanup
 * is APR's. Another provider keeps its entries where it keeps them, and may register code of
 * its own module in the pool it is given, which a restart unloads. */
static int kept_by_restarts(const char *name)
{
    return strcmp(name, "shmcb") == 0;
}

static int cache_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *main_s)
{
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    server_rec *s = main_s;
    while (s && kfm_conf_engine(kfm_conf_get(s)) != 1) {
        s = s->next;
    }
    if (!s) {
        return OK;
    }
    const kfm_availability_conf *conf = kfm_availability_conf_of(s);
    const char *spec = kfm_availability_conf_cache(conf);
    ttl = kfm_availability_conf_cache_ttl(conf);
    if (ttl > KF_AVAIL_TTL_MAX) {
        return setup_error(s, 0, "KonfirmadoAvailabilityCacheTTL is at most 10 seconds",
                           NULL);
    }
    const char *name = NULL, *args = NULL;
    const ap_socache_provider_t *prov = NULL;
    if (kf_avail_cache_spec(ptemp, spec, &name, &args)) {
        prov = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name, AP_SOCACHE_PROVIDER_VERSION);
        if (!prov) {
            return setup_error(s, 0, apr_psprintf(ptemp, "socache provider '%s' is not loaded "
                                                  "(LoadModule socache_%s_module, or Off)",
                                                  name, name), NULL);
        }
    }
    int keep = prov && kept_by_restarts(name);
    /* the settings that shape the memory: any change makes it all anew (counters started
     * again beside a kept answer would match that answer's generations wrongly) */
    const char *made_for = apr_psprintf(ptemp, "generations %d, entries %d, cache %s%s%s",
                                        KF_AVAIL_GENS, KF_AVAIL_ENTRY_MAX, prov ? name : "off",
                                        keep ? ":" : "", keep && args ? args : "");
    kfm_availability_kept *k = kfm_availability_kept_for(s, made_for);
    if (!k) {
        return setup_error(s, APR_ENOMEM, "cannot keep its shared memory", NULL);
    }
    if (!k->gens) {
        if (counters_create(s, k) != OK ||
            (keep && instance_create(s, prov, args, ptemp, k->pool, &k->instance,
                                     &k->mutex) != OK)) {
            kfm_availability_kept_drop(k);
            return !OK;
        }
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "mod_konfirmado: availability cache "
                     "made (%s)", made_for);
    }
    else {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "mod_konfirmado: availability cache "
                     "kept across the restart (%s)", made_for);
    }
    gens = k->gens;
    words = k->words;
    instance = k->instance;
    mutex = k->mutex;
    provider = prov;
    apr_pool_cleanup_register(pconf, NULL, forget_shared, apr_pool_cleanup_null);
    if (prov && !keep) {
        ap_socache_instance_t *inst = NULL;
        apr_global_mutex_t *mx = NULL;
        if (instance_create(s, prov, args, ptemp, pconf, &inst, &mx) != OK) {
            return !OK;
        }
        instance = inst;
        mutex = mx;
        /* registered after forget_shared: cleanups run last first, so this sees instance */
        apr_pool_cleanup_register(pconf, s, cache_destroy, apr_pool_cleanup_null);
    }
    return OK;
}

static void cache_child_init(apr_pool_t *p, server_rec *s)
{
    if (instance) {
        front = kf_availability_front_create(p, FRONT_PLACES, FRONT_BUDGET);
    }
    if (mutex) {
        apr_status_t rv = apr_global_mutex_child_init(&mutex, apr_global_mutex_lockfile(mutex), p);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "mod_konfirmado: availability cache "
                         "mutex unusable in this child: cache off");
            instance = NULL;
        }
    }
}

void kfm_availability_cache_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(cache_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cache_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(cache_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
