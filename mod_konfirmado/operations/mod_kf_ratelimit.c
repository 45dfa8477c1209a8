/* Attempt limits in mod_socache: see mod_kf_ratelimit.h. */
#include "mod_kf_ratelimit.h"

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
    kfm_limit l = {kf_rl_client_key(kr->r->pool, (kf_rl_kind)kind, kr->r->useragent_ip), kind};
    return l;
}

kfm_limit kfm_limit_subject(kfm_req *kr, kfm_limit_kind kind, const char *subject)
{
    kfm_limit l = {kf_rl_subject_key(kr->r->pool, (kf_rl_kind)kind, subject), kind};
    return l;
}

static kf_rl_rule rule_of(const kfm_req *kr, const kfm_limit *l)
{
    const kf_rl_limits limits = {
        kfm_conf_auth_account_limit(kr->conf), kfm_conf_auth_ip_limit(kr->conf),
        kfm_conf_auth_limit_window(kr->conf), kfm_conf_public_read_limit(kr->conf),
        kfm_conf_hold_limit(kr->conf), kfm_conf_booking_limit(kr->conf),
        kfm_conf_bad_webhook_limit(kr->conf)};
    return kf_rl_rule_of((kf_rl_kind)l->kind, &limits);
}

/* A missing, expired or unreadable entry is an empty bucket. */
static kf_rl_bucket load(kfm_req *kr, const kfm_limit *l)
{
    unsigned char buf[KF_RL_ENCODED_MAX];
    unsigned int len = sizeof(buf);
    kf_rl_bucket b = {0, 0};
    apr_status_t rv = cache_provider->retrieve(cache, kr->r->server, (const unsigned char *)l->key,
                                               (unsigned int)strlen(l->key), buf, &len,
                                               kr->r->pool);
    if (rv == APR_SUCCESS) {
        kf_rl_decode((const char *)buf, len, &b);
    }
    return b;
}

static void save(kfm_req *kr, const kfm_limit *l, kf_rl_bucket b, const kf_rl_rule *rule)
{
    char buf[KF_RL_ENCODED_MAX];
    kf_rl_encode(b, buf);
    apr_status_t rv = cache_provider->store(cache, kr->r->server, (const unsigned char *)l->key,
                                            (unsigned int)strlen(l->key),
                                            apr_time_from_sec(kf_rl_expires(b, rule)),
                                            (unsigned char *)buf, (unsigned int)strlen(buf),
                                            kr->r->pool);
    if (rv != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "attempt counter not stored (socache %s)", cache_provider->name);
    }
}

static int lock(kfm_req *kr)
{
    if (!cache) {
        kfm_log(kr, APLOG_WARNING, "attempt limits inactive: no counter cache in this server");
        return 0;
    }
    apr_status_t rv = apr_global_mutex_lock(cache_mutex);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, kr->r, "[req %s] attempt counter mutex",
                      kr->id);
        return 0;
    }
    return 1;
}

#define KFM_LIMITS_MAX 4

apr_int64_t kfm_limit_take(kfm_req *kr, const kfm_limit *limits, int n)
{
    kf_rl_bucket buckets[KFM_LIMITS_MAX];
    kf_rl_rule rules[KFM_LIMITS_MAX];
    kf_rl_bucket *bp[KFM_LIMITS_MAX];
    const kf_rl_rule *rp[KFM_LIMITS_MAX];
    apr_int64_t now = apr_time_sec(apr_time_now());

    if (n > KFM_LIMITS_MAX || !lock(kr)) {
        return 0;   /* without counters, the request is let through (and the line logged) */
    }
    for (int i = 0; i < n; i++) {
        rules[i] = rule_of(kr, &limits[i]);
        buckets[i] = load(kr, &limits[i]);
        bp[i] = &buckets[i];
        rp[i] = &rules[i];
    }
    apr_int64_t wait = kf_rl_take(bp, rp, n, now);
    if (wait == 0) {
        for (int i = 0; i < n; i++) {
            save(kr, &limits[i], buckets[i], &rules[i]);
        }
    }
    apr_global_mutex_unlock(cache_mutex);
    return wait;
}

void kfm_limit_refund(kfm_req *kr, const kfm_limit *limits, int n)
{
    apr_int64_t now = apr_time_sec(apr_time_now());
    if (!lock(kr)) {
        return;
    }
    for (int i = 0; i < n; i++) {
        kf_rl_rule rule = rule_of(kr, &limits[i]);
        kf_rl_bucket b = load(kr, &limits[i]);
        kf_rl_bucket before = b;
        kf_rl_refund(&b, &rule, now);
        if (b.count != before.count) {
            save(kr, &limits[i], b, &rule);
        }
    }
    apr_global_mutex_unlock(cache_mutex);
}

apr_int64_t kfm_limit_public(kfm_req *kr, kfm_limit_kind kind)
{
    kfm_limit l = kfm_limit_client(kr, kind);
    return kfm_limit_take(kr, &l, 1);
}

int kfm_reply_too_many_requests(kfm_req *kr, apr_int64_t retry_after)
{
    apr_table_setn(kr->r->err_headers_out, "Retry-After",
                   apr_psprintf(kr->r->pool, "%" APR_INT64_T_FMT, retry_after));
    return kfm_reply_error(kr, HTTP_TOO_MANY_REQUESTS, "too_many_requests");
}

int kfm_reply_too_many_attempts(kfm_req *kr, apr_int64_t retry_after)
{
    apr_table_setn(kr->r->err_headers_out, "Retry-After",
                   apr_psprintf(kr->r->pool, "%" APR_INT64_T_FMT, retry_after));
    return kfm_reply_error(kr, HTTP_TOO_MANY_REQUESTS, "too_many_attempts");
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

int kfm_ratelimit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s)
{
    static const struct ap_socache_hints hints = {64, 32, 60 * APR_USEC_PER_SEC};
    if (!engine_anywhere(s)) {
        return OK;
    }
    const char *spec = kfm_conf_ratelimit_cache(kfm_conf_get(s));
    const char *colon = strchr(spec, ':');
    const char *name = colon ? apr_pstrmemdup(ptemp, spec, (apr_size_t)(colon - spec)) : spec;
    const ap_socache_provider_t *provider = kfm_conf_socache_provider(name);
    if (!provider) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: KonfirmadoRateLimitCache: "
                     "socache provider '%s' is not loaded", name);
        return !OK;
    }
    ap_socache_instance_t *instance = NULL;
    const char *err = provider->create(&instance, colon ? colon + 1 : NULL, ptemp, pconf);
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
