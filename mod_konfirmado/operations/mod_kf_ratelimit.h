#ifndef MOD_KF_RATELIMIT_H
#define MOD_KF_RATELIMIT_H
/* Attempt limits of the auth endpoints (API.md "Merchant accounts") and per-IP limits of
 * the public ones. The counters live in a mod_socache instance (KonfirmadoRateLimitCache,
 * shmcb by default) read and written under a global mutex, so that every child of the server
 * sees the same counts and no two children update one counter at once (several servers
 * sharing a memcache each hold their own mutex: there an update may be lost); or, with
 * KonfirmadoRateLimitCache postgres, in the database (mod_kf_ratelimit_pg.h), where each
 * update locks its rows and is atomic across every server. The window arithmetic, the keys
 * and which limits fail closed are lib/net/kf_ratelimit.c. With postgres, a call uses the
 * connection the request holds (kr->db, or the db it is given) and must then be made
 * outside any transaction of the caller; without one it takes a connection for the call
 * alone, so that no request waits for a second pooled connection while it holds one. */
#include "mod_kf_request.h"
#include "kf_ratelimit.h"

/* What a counter limits (kf_rl_kind); each kind has its directive and window. */
typedef enum {
    KFM_LIMIT_AUTH_ACCOUNT = KF_RL_AUTH_ACCOUNT, /* KonfirmadoAuthAccountLimit per KonfirmadoAuthLimitWindow */
    KFM_LIMIT_AUTH_IP = KF_RL_AUTH_IP,           /* KonfirmadoAuthIPLimit per KonfirmadoAuthLimitWindow */
    KFM_LIMIT_PUBLIC_READ = KF_RL_PUBLIC_READ,   /* KonfirmadoPublicReadLimit per minute */
    KFM_LIMIT_PUBLIC_HOLD = KF_RL_PUBLIC_HOLD,   /* KonfirmadoHoldLimit per 10 minutes */
    KFM_LIMIT_PUBLIC_BOOKING = KF_RL_PUBLIC_BOOKING, /* KonfirmadoBookingLimit per 10 minutes */
    KFM_LIMIT_BAD_WEBHOOK = KF_RL_BAD_WEBHOOK,   /* KonfirmadoBadWebhookLimit per minute */
    KFM_LIMIT_AUTH_ACCOUNT_CEILING = KF_RL_AUTH_ACCOUNT_CEILING, /* KonfirmadoAuthAccountCeiling */
    KFM_LIMIT_UNKNOWN_HOST = KF_RL_UNKNOWN_HOST, /* KonfirmadoUnknownHostLimit per minute */
    KFM_LIMIT_OAUTH_START = KF_RL_OAUTH_START,   /* KonfirmadoOAuthStartLimit per 10 minutes */
    KFM_LIMIT_LOCK_NOTICE = KF_RL_LOCK_NOTICE,   /* one mail of a locked account per window */
    KFM_LIMIT_CALLBACK_TEST = KF_RL_CALLBACK_TEST,   /* per tenant (kf_ratelimit.h) */
    KFM_LIMIT_PAYMENT_LOOKUP = KF_RL_PAYMENT_LOOKUP  /* per booking or purchase, likewise */
} kfm_limit_kind;

/* What kfm_limit_take answers when the counters cannot be read or written and one of the
 * limits fails closed (kf_rl_fails_closed): answer kfm_reply_limits_unavailable. */
#define KFM_LIMIT_UNAVAILABLE ((apr_int64_t)-1)

/* One counter an attempt is charged to. */
typedef struct kfm_limit {
    const char *key;        /* the counter's key (see kfm_limit_account / kfm_limit_ip) */
    kfm_limit_kind kind;
} kfm_limit;

/* The network the client is counted as: r->useragent_ip (mod_remoteip's when configured),
 * an IPv6 one cut to KonfirmadoIPv6LimitPrefix bits (kf_rl_client_network). */
const char *kfm_limit_network(request_rec *r, const kfm_server_conf *conf);

/* The counter of `kind` for the client's network. */
kfm_limit kfm_limit_client(kfm_req *kr, kfm_limit_kind kind);

/* The counter of `kind` for what it counts per (a tenant's id, a booking's id). */
kfm_limit kfm_limit_subject(kfm_req *kr, kfm_limit_kind kind, const char *subject);

/* Public endpoints (API.md "Hosts and tenants"): charges one request of `kind` to the client
 * IP; 0, or the seconds to wait (answer kfm_reply_too_many_requests). */
apr_int64_t kfm_limit_public(kfm_req *kr, kfm_limit_kind kind);

/* 429 too_many_requests with Retry-After. */
int kfm_reply_too_many_requests(kfm_req *kr, apr_int64_t retry_after);

/* A webhook whose signature (or channel secret) is bad: 401 invalid_signature, counted per
 * client IP; past KonfirmadoBadWebhookLimit a minute, 429 (a valid signature is never
 * limited: it is checked before this is reached). */
int kfm_reply_bad_signature(kfm_req *kr);

/* The counter of `scope` ("login", "forgot") for an account: keyed by the SHA-256 of the
 * normalized email, so no address sits in shared memory. */
kfm_limit kfm_limit_account(kfm_req *kr, const char *scope, const char *email);

/* The counters a log-in is charged to, in this order: the account's failures from the
 * client's network (KonfirmadoAuthAccountLimit), the account's from every network
 * (KonfirmadoAuthAccountCeiling), and the client's network's (KonfirmadoAuthIPLimit). */
#define KFM_LOGIN_LIMITS 3
void kfm_limit_login(kfm_req *kr, const char *email, kfm_limit limits[KFM_LOGIN_LIMITS]);

/* 1 when the counter admits no more attempts now (after a failure: the account is locked
 * for this network, or everywhere). */
int kfm_limit_exhausted(kfm_req *kr, const kfm_limit *limit);

/* The counter of the client IP, shared by every auth endpoint (one budget per address). */
kfm_limit kfm_limit_ip(kfm_req *kr);

/* Charges one attempt to every counter, or to none when one of them is exhausted: returns
 * 0 (charged), or the seconds until the caller may try again (nothing charged), or
 * KFM_LIMIT_UNAVAILABLE (the counters are out of reach and a limit fails closed; when none
 * does, the request is let through uncounted and 0 returned). */
apr_int64_t kfm_limit_take(kfm_req *kr, const kfm_limit *limits, int n);
apr_int64_t kfm_limit_take_r(request_rec *r, const kfm_server_conf *conf,
                             const kfm_limit *limits, int n);

/* Gives back an attempt that turned out not to be a failure (a correct password). */
void kfm_limit_refund(kfm_req *kr, const kfm_limit *limits, int n);
/* The same for a request without a kfm_req; db: the connection it holds (outside a
 * transaction), which the counters in postgres then use, or NULL. */
void kfm_limit_refund_r(request_rec *r, const kfm_server_conf *conf, ap_dbd_t *db,
                        const kfm_limit *limits, int n);

/* A fact kept in the counters' store for `seconds` (a host name no tenant has; db as for
 * kfm_limit_refund_r), whether it is kept, and forgetting it (the name now has a tenant). */
void kfm_limit_remember(request_rec *r, ap_dbd_t *db, const char *key, int seconds);
int kfm_limit_remembers(request_rec *r, const char *key);
void kfm_limit_forget(request_rec *r, const char *key);

/* A webhook that names nothing this server knows (no valid signature can be checked):
 * counted with the bad signatures; 0, or the seconds to wait (answer 429). */
apr_int64_t kfm_limit_unproven_webhook(kfm_req *kr);

/* 503 service_unavailable with Retry-After: the attempt counters are out of reach. */
int kfm_reply_limits_unavailable(kfm_req *kr);

/* 429 too_many_attempts with Retry-After. */
int kfm_reply_too_many_attempts(kfm_req *kr, apr_int64_t retry_after);

/* Hooks: mutex type (pre_config), cache and mutex creation (post_config, second pass),
 * mutex re-attachment in each child (child_init). */
int kfm_ratelimit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
/* Hand-off hook kfm_ratelimit_when_refused: who hears of every 429 the limits answer,
 * handed by the analytics feature (a kfm_handoff of its descriptor), which counts them per
 * tenant; called on the request before the answer is written. */
typedef void kfm_limit_refused_fn(kfm_req *kr);
void kfm_ratelimit_when_refused(kfm_limit_refused_fn *fn);

int kfm_ratelimit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s);
void kfm_ratelimit_child_init(apr_pool_t *p, server_rec *s);

#endif
