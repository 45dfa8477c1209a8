/* Attempt limits in mod_socache or PostgreSQL: see mod_kf_ratelimit.h. */
#include "mod_kf_ratelimit.h"
#include "mod_kf_ratelimit_pg.h"
#include "mod_kf_operations_conf.h"
#include "kf_rl_counters.h"
#include "kf_directive.h"
#include "kf_rl_table.h"

#include "ap_socache.h"
#include "util_mutex.h"

#include <apr_global_mutex.h>

#define KFM_RL_MUTEX_TYPE "konfirmado-ratelimit"
#define KFM_RL_NAMESPACE "konfirmado-ratelimit"

/* Set once in post_config, before the children exist, and only read afterwards; the
 * cache itself is only touched with the mutex held. */
static const ap_socache_provider_t *cache_provider;
static ap_socache_instance_t *cache;
static apr_global_mutex_t *cache_mutex;
/* KonfirmadoRateLimitCache postgres: no cache, no mutex (mod_kf_ratelimit_pg.h) */
static int counters_in_db;
/* With shmcb (counters this server keeps to itself), the public limits' windows are counted
 * without the mutex (kf_rl_table.h), in anonymous shared memory every child inherits: the
 * mutex taken by every public read held cached availability to the rate of a database
 * round trip. Its hash's secret is drawn at each start, before the children exist. NULL
 * with a store shared by several servers. */
#define PUBLIC_PLACES 16384
static kf_rl_table public_table;
static const kf_rl_table *public_windows;

const char *kfm_limit_network(request_rec *r, const kfm_server_conf *conf)
{
    return kf_rl_client_network(r->pool, r->useragent_ip, kfm_operations_conf_ipv6_limit_prefix(kfm_operations_conf_of(r->server)));
}

kfm_limit kfm_limit_account(kfm_req *kr, const char *scope, const char *email)
{
    kfm_limit l = {kf_rl_account_key(kr->r->pool, scope, email), KFM_LIMIT_AUTH_ACCOUNT};
    return l;
}

kfm_limit kfm_limit_ip(kfm_req *kr)
{
    return kfm_limit_client(kr, KFM_LIMIT_AUTH_IP);
}

kfm_limit kfm_limit_client(kfm_req *kr, kfm_limit_kind kind)
{
    kfm_limit l = {kf_rl_client_key(kr->r->pool, (kf_rl_kind)kind,
                                    kfm_limit_network(kr->r, kr->conf)), kind};
    return l;
}

kfm_limit kfm_limit_subject(kfm_req *kr, kfm_limit_kind kind, const char *subject)
{
    kfm_limit l = {kf_rl_subject_key(kr->r->pool, (kf_rl_kind)kind, subject), kind};
    return l;
}

void kfm_limit_login(kfm_req *kr, const char *email, kfm_limit limits[KFM_LOGIN_LIMITS])
{
    apr_pool_t *p = kr->r->pool;
    limits[0].key = kf_rl_account_network_key(p, "login", email, kfm_limit_network(kr->r, kr->conf));
    limits[0].kind = KFM_LIMIT_AUTH_ACCOUNT;
    limits[1].key = kf_rl_account_key(p, "login", email);
    limits[1].kind = KFM_LIMIT_AUTH_ACCOUNT_CEILING;
    limits[2] = kfm_limit_ip(kr);
}

static kf_rl_rule rule_of(const server_rec *s, const kfm_limit *l)
{
    const kfm_operations_conf *oc = kfm_operations_conf_of(s);
    const kf_rl_limits limits = {
        kfm_operations_conf_auth_account_limit(oc), kfm_operations_conf_auth_ip_limit(oc),
        kfm_operations_conf_auth_limit_window(oc), kfm_operations_conf_public_read_limit(oc),
        kfm_operations_conf_hold_limit(oc), kfm_operations_conf_booking_limit(oc),
        kfm_operations_conf_bad_webhook_limit(oc), kfm_operations_conf_auth_account_ceiling(oc),
        kfm_operations_conf_unknown_host_limit(oc), kfm_operations_conf_oauth_start_limit(oc)};
    return kf_rl_rule_of((kf_rl_kind)l->kind, &limits);
}

/* A missing or expired entry is an empty bucket (APR_SUCCESS); another failure of the store
 * is returned. An unreadable entry is an empty bucket too. */
static apr_status_t load(request_rec *r, const char *key, kf_rl_bucket *b)
{
    unsigned char buf[KF_RL_ENCODED_MAX];
    unsigned int len = sizeof(buf);
    b->start = 0;
    b->count = 0;
    apr_status_t rv = cache_provider->retrieve(cache, r->server, (const unsigned char *)key,
                                               (unsigned int)strlen(key), buf, &len, r->pool);
    if (rv == APR_SUCCESS) {
        kf_rl_decode((const char *)buf, len, b);
    }
    return rv == APR_NOTFOUND ? APR_SUCCESS : rv;
}

static apr_status_t store(request_rec *r, const char *key, const char *value, apr_int64_t until)
{
    apr_status_t rv = cache_provider->store(cache, r->server, (const unsigned char *)key,
                                            (unsigned int)strlen(key), apr_time_from_sec(until),
                                            (unsigned char *)value, (unsigned int)strlen(value),
                                            r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r, "attempt counter not stored (socache %s)",
                      cache_provider->name);
    }
    return rv;
}

/* The socache as the counters' store (kf_rl_counters.h), used with the mutex held. */
static apr_status_t cache_load(void *data, const char *key, kf_rl_bucket *b)
{
    return load(data, key, b);
}

static apr_status_t cache_save(void *data, const char *key, kf_rl_bucket b, apr_int64_t until)
{
    char buf[KF_RL_ENCODED_MAX];
    kf_rl_encode(b, buf);
    return store(data, key, buf, until);
}

/* PostgreSQL as the store: each row locked as it is read, in the transaction of kfm_rl_pg. */
static apr_status_t db_load(void *data, const char *key, kf_rl_bucket *b)
{
    return kfm_rl_pg_lock(data, key, b);
}

static apr_status_t db_save(void *data, const char *key, kf_rl_bucket b, apr_int64_t until)
{
    return kfm_rl_pg_save(data, key, b, until);
}

static int lock(request_rec *r)
{
    if (!cache) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "attempt counters out of reach: no "
                      "counter cache in this server");
        return 0;
    }
    apr_status_t rv = apr_global_mutex_lock(cache_mutex);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r, "attempt counter mutex");
        return 0;
    }
    return 1;
}

/* The counters could not be used: refused when one of them fails closed, else let through. */
static apr_int64_t unavailable(request_rec *r, const kfm_limit *limits, int n)
{
    for (int i = 0; i < n; i++) {
        if (kf_rl_fails_closed((kf_rl_kind)limits[i].kind)) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "attempt refused: its counters are "
                          "out of reach");
            return KFM_LIMIT_UNAVAILABLE;
        }
    }
    return 0;
}

/* The limits as the core's counters: their keys and this server's rules. */
static void counters_of(request_rec *r, const kfm_limit *limits, int n,
                        kf_rl_counter counters[KF_RL_COUNTERS_MAX])
{
    for (int i = 0; i < n && i < KF_RL_COUNTERS_MAX; i++) {
        counters[i].key = limits[i].key;
        counters[i].rule = rule_of(r->server, &limits[i]);
    }
}

/* Takes an attempt in PostgreSQL (the rows locked and read, the core's decision, the new
 * counts written, in one transaction) or under the socache's mutex. APR_SUCCESS with *wait
 * set, or an error. */
static apr_status_t take_counted(request_rec *r, ap_dbd_t *db, const kfm_limit *limits, int n,
                                 apr_int64_t now, apr_int64_t *wait)
{
    kf_rl_counter counters[KF_RL_COUNTERS_MAX];
    counters_of(r, limits, n, counters);
    if (counters_in_db) {
        kfm_rl_pg pg;
        apr_status_t rv = kfm_rl_pg_begin(&pg, r, db);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        kf_rl_store s = {db_load, db_save, &pg};
        rv = kf_rl_counters_take(&s, counters, n, now, wait);
        apr_status_t ended = kfm_rl_pg_end(&pg, rv == APR_SUCCESS && *wait == 0);
        return rv == APR_SUCCESS ? ended : rv;
    }
    if (!lock(r)) {
        return APR_EGENERAL;
    }
    kf_rl_store s = {cache_load, cache_save, r};
    apr_status_t rv = kf_rl_counters_take(&s, counters, n, now, wait);
    apr_global_mutex_unlock(cache_mutex);
    return rv;
}

static apr_int64_t take(request_rec *r, ap_dbd_t *db, const kfm_limit *limits, int n)
{
    apr_int64_t now = apr_time_sec(apr_time_now()), wait = 0;
    if (n > KF_RL_COUNTERS_MAX) {
        return unavailable(r, limits, n);
    }
    apr_status_t rv = take_counted(r, db, limits, n, now, &wait);
    return rv == APR_SUCCESS ? wait : unavailable(r, limits, n);
}

apr_int64_t kfm_limit_take_r(request_rec *r, const kfm_server_conf *conf,
                             const kfm_limit *limits, int n)
{
    return take(r, NULL, limits, n);
}

apr_int64_t kfm_limit_take(kfm_req *kr, const kfm_limit *limits, int n)
{
    return take(kr->r, kr->db, limits, n);
}

static void refund(request_rec *r, ap_dbd_t *db, const kfm_limit *limits, int n)
{
    apr_int64_t now = apr_time_sec(apr_time_now());
    kf_rl_counter counters[KF_RL_COUNTERS_MAX];
    int changed = 0;
    counters_of(r, limits, n, counters);
    if (counters_in_db) {
        kfm_rl_pg pg;
        if (n <= KF_RL_COUNTERS_MAX && kfm_rl_pg_begin(&pg, r, db) == APR_SUCCESS) {
            kf_rl_store s = {db_load, db_save, &pg};
            apr_status_t rv = kf_rl_counters_refund(&s, counters, n, now, &changed);
            kfm_rl_pg_end(&pg, changed && rv == APR_SUCCESS);
        }
    }
    else if (lock(r)) {
        kf_rl_store s = {cache_load, cache_save, r};
        kf_rl_counters_refund(&s, counters, n, now, &changed);
        apr_global_mutex_unlock(cache_mutex);
    }
}

void kfm_limit_refund_r(request_rec *r, const kfm_server_conf *conf, ap_dbd_t *db,
                        const kfm_limit *limits, int n)
{
    refund(r, db, limits, n);
}

void kfm_limit_refund(kfm_req *kr, const kfm_limit *limits, int n)
{
    refund(kr->r, kr->db, limits, n);
}

int kfm_limit_exhausted(kfm_req *kr, const kfm_limit *limit)
{
    apr_int64_t now = apr_time_sec(apr_time_now());
    kf_rl_rule rule = rule_of(kr->r->server, limit);
    kf_rl_bucket b;
    if (counters_in_db) {
        return kfm_rl_pg_read(kr->r, kr->db, limit->key, &b) == APR_SUCCESS &&
               kf_rl_retry_after(b, &rule, now) > 0;
    }
    if (!lock(kr->r)) {
        return 0;
    }
    int exhausted = load(kr->r, limit->key, &b) == APR_SUCCESS &&
                    kf_rl_retry_after(b, &rule, now) > 0;
    apr_global_mutex_unlock(cache_mutex);
    return exhausted;
}

void kfm_limit_remember(request_rec *r, ap_dbd_t *db, const char *key, int seconds)
{
    apr_int64_t until = apr_time_sec(apr_time_now()) + seconds;
    if (counters_in_db) {
        kfm_rl_pg_remember(r, db, key, until);
    }
    else if (lock(r)) {
        store(r, key, "1", until);
        apr_global_mutex_unlock(cache_mutex);
    }
}

int kfm_limit_remembers(request_rec *r, const char *key)
{
    unsigned char buf[8];
    unsigned int len = sizeof(buf);
    if (counters_in_db) {
        return kfm_rl_pg_remembers(r, key);
    }
    if (!lock(r)) {
        return 0;
    }
    apr_status_t rv = cache_provider->retrieve(cache, r->server, (const unsigned char *)key,
                                               (unsigned int)strlen(key), buf, &len, r->pool);
    apr_global_mutex_unlock(cache_mutex);
    return rv == APR_SUCCESS;
}

void kfm_limit_forget(request_rec *r, const char *key)
{
    if (counters_in_db) {
        kfm_rl_pg_forget(r, key);
    }
    else if (lock(r)) {
        cache_provider->remove(cache, r->server, (const unsigned char *)key,
                               (unsigned int)strlen(key), r->pool);
        apr_global_mutex_unlock(cache_mutex);
    }
}

apr_int64_t kfm_limit_unproven_webhook(kfm_req *kr)
{
    return kfm_limit_public(kr, KFM_LIMIT_BAD_WEBHOOK);
}

int kfm_reply_limits_unavailable(kfm_req *kr)
{
    apr_table_setn(kr->r->err_headers_out, "Retry-After", "30");
    return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
}

apr_int64_t kfm_limit_public(kfm_req *kr, kfm_limit_kind kind)
{
    kfm_limit l = kfm_limit_client(kr, kind);
    kf_rl_rule rule = rule_of(kr->r->server, &l);
    apr_int64_t wait = 0;
    if (public_windows && kf_rl_table_take(public_windows, l.key, &rule,
                                           apr_time_sec(apr_time_now()), &wait)) {
        return wait;
    }
    return kfm_limit_take(kr, &l, 1);   /* the table's places for it are all taken */
}

static kfm_limit_refused_fn *when_refused;

void kfm_ratelimit_when_refused(kfm_limit_refused_fn *fn)
{
    when_refused = fn;
}

/* 429 with Retry-After, told to whoever counts the refusals. */
static int refuse(kfm_req *kr, apr_int64_t retry_after, const char *code)
{
    if (when_refused) {
        when_refused(kr);
    }
    apr_table_setn(kr->r->err_headers_out, "Retry-After",
                   apr_psprintf(kr->r->pool, "%" APR_INT64_T_FMT, retry_after));
    return kfm_reply_error(kr, HTTP_TOO_MANY_REQUESTS, code);
}

int kfm_reply_too_many_requests(kfm_req *kr, apr_int64_t retry_after)
{
    return refuse(kr, retry_after, "too_many_requests");
}

int kfm_reply_too_many_attempts(kfm_req *kr, apr_int64_t retry_after)
{
    return refuse(kr, retry_after, "too_many_attempts");
}

/* ---- hooks ---- */

int kfm_ratelimit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    return ap_mutex_register(pconf, KFM_RL_MUTEX_TYPE, NULL, APR_LOCK_DEFAULT, 0) == APR_SUCCESS
               ? OK : !OK;
}

static apr_status_t destroy_cache(void *data)
{
    server_rec *s = data;
    if (cache && cache_provider) {
        cache_provider->destroy(cache, s);
    }
    cache = NULL;
    cache_provider = NULL;
    cache_mutex = NULL;
    public_windows = NULL;
    return APR_SUCCESS;
}

static int engine_anywhere(server_rec *s)
{
    for (; s; s = s->next) {
        if (kfm_conf_engine(kfm_conf_get(s)) == 1) {
            return 1;
        }
    }
    return 0;
}

/* The lock-free table of the public limits, or NULL (they are then counted in the socache):
 * its memory shared by every child, its secret drawn now. */
static const kf_rl_table *public_table_create(apr_pool_t *pconf, server_rec *s)
{
    const char *why = NULL;
    apr_status_t rv = kf_rl_table_create(&public_table, pconf, PUBLIC_PLACES, &why);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s, "mod_konfirmado: %s for the public "
                     "limits' table: they are counted under the counter mutex", why);
        return NULL;
    }
    return &public_table;
}

int kfm_ratelimit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s)
{
    static const struct ap_socache_hints hints = {64, 32, 60 * APR_USEC_PER_SEC};
    if (!engine_anywhere(s)) {
        return OK;
    }
    const char *spec = kfm_conf_ratelimit_cache(kfm_conf_get(s));
    counters_in_db = strcmp(spec, KFM_RATELIMIT_POSTGRES) == 0;
    if (counters_in_db) {
        return OK;
    }
    const char *args = NULL;
    const char *name = kf_directive_socache_provider(ptemp, spec, &args);
    const ap_socache_provider_t *provider = kfm_conf_socache_provider(name);
    if (!provider) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: KonfirmadoRateLimitCache: "
                     "socache provider '%s' is not loaded", name);
        return !OK;
    }
    ap_socache_instance_t *instance = NULL;
    const char *err = provider->create(&instance, args, ptemp, pconf);
    if (err) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: KonfirmadoRateLimitCache "
                     "%s: %s", spec, err);
        return !OK;
    }
    apr_status_t rv = ap_global_mutex_create(&cache_mutex, NULL, KFM_RL_MUTEX_TYPE, NULL, s,
                                             pconf, 0);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s, "mod_konfirmado: cannot create the "
                     "attempt counter mutex");
        return !OK;
    }
    rv = provider->init(instance, KFM_RL_NAMESPACE, &hints, s, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s, "mod_konfirmado: cannot initialise the "
                     "attempt counter cache (%s)", spec);
        return !OK;
    }
    cache_provider = provider;
    cache = instance;
    apr_pool_cleanup_register(pconf, s, destroy_cache, apr_pool_cleanup_null);
    if (strcmp(name, "shmcb") == 0) {
        public_windows = public_table_create(pconf, s);
    }
    return OK;
}

void kfm_ratelimit_child_init(apr_pool_t *p, server_rec *s)
{
    if (!cache_mutex) {
        return;
    }
    apr_status_t rv = apr_global_mutex_child_init(&cache_mutex,
                                                  apr_global_mutex_lockfile(cache_mutex), p);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "mod_konfirmado: cannot attach the "
                     "attempt counter mutex in this child");
    }
}

int kfm_reply_bad_signature(kfm_req *kr)
{
    apr_int64_t wait = kfm_limit_public(kr, KFM_LIMIT_BAD_WEBHOOK);
    if (wait > 0) {
        return kfm_reply_too_many_requests(kr, wait);
    }
    return kfm_reply_error(kr, HTTP_UNAUTHORIZED, "invalid_signature");
}
