#ifndef MOD_KF_RATELIMIT_H
#define MOD_KF_RATELIMIT_H
/* Attempt limits of the auth endpoints (API.md "Merchant accounts"): counters in a
 * mod_socache instance (KonfirmadoRateLimitCache, shmcb by default) guarded by a global
 * mutex, so that every child of the server sees the same counts. The window arithmetic is
 * lib/net/kf_ratelimit.c. */
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
    KFM_LIMIT_CALLBACK_TEST = KF_RL_CALLBACK_TEST,   /* per tenant (kf_ratelimit.h) */
    KFM_LIMIT_PAYMENT_LOOKUP = KF_RL_PAYMENT_LOOKUP  /* per booking or purchase, likewise */
} kfm_limit_kind;

/* One counter an attempt is charged to. */
typedef struct kfm_limit {
    const char *key;        /* socache key (see kfm_limit_account / kfm_limit_ip) */
    kfm_limit_kind kind;
} kfm_limit;

/* The counter of `kind` for the client IP (r->useragent_ip: mod_remoteip's when configured). */
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

/* The counter of `scope` ("login", "register", "forgot") for an account: keyed by the
 * SHA-256 of the normalized email, so no address sits in shared memory. */
kfm_limit kfm_limit_account(kfm_req *kr, const char *scope, const char *email);

/* The counter of the client IP, shared by every auth endpoint (one budget per address). */
kfm_limit kfm_limit_ip(kfm_req *kr);

/* Charges one attempt to every counter, or to none when one of them is exhausted: returns
 * 0 (charged), or the seconds until the caller may try again (nothing charged). */
apr_int64_t kfm_limit_take(kfm_req *kr, const kfm_limit *limits, int n);

/* Gives back an attempt that turned out not to be a failure (a correct password). */
void kfm_limit_refund(kfm_req *kr, const kfm_limit *limits, int n);

/* 429 too_many_attempts with Retry-After. */
int kfm_reply_too_many_attempts(kfm_req *kr, apr_int64_t retry_after);

/* Hooks: mutex type (pre_config), cache and mutex creation (post_config, second pass),
 * mutex re-attachment in each child (child_init). */
int kfm_ratelimit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int kfm_ratelimit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s);
void kfm_ratelimit_child_init(apr_pool_t *p, server_rec *s);

#endif
