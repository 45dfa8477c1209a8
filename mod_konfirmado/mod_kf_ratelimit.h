#ifndef MOD_KF_RATELIMIT_H
#define MOD_KF_RATELIMIT_H
/* Attempt limits of the auth endpoints (API.md "Merchant accounts"): counters in a
 * mod_socache instance (KonfirmadoRateLimitCache, shmcb by default) guarded by a global
 * mutex, so that every child of the server sees the same counts. The window arithmetic is
 * lib/kf_ratelimit.c. */
#include "mod_kf_request.h"

/* What a counter limits; each kind has its directive and window. */
typedef enum {
    KF_LIMIT_AUTH_ACCOUNT = 0, /* KonfirmadoAuthAccountLimit per KonfirmadoAuthLimitWindow */
    KF_LIMIT_AUTH_IP,          /* KonfirmadoAuthIPLimit per KonfirmadoAuthLimitWindow */
    KF_LIMIT_PUBLIC_READ,      /* KonfirmadoPublicReadLimit per minute */
    KF_LIMIT_PUBLIC_HOLD,      /* KonfirmadoHoldLimit per 10 minutes */
    KF_LIMIT_PUBLIC_BOOKING,   /* KonfirmadoBookingLimit per 10 minutes */
    KF_LIMIT_BAD_WEBHOOK       /* KonfirmadoBadWebhookLimit per minute */
} kf_limit_kind;

/* One counter an attempt is charged to. */
typedef struct kf_limit {
    const char *key;        /* socache key (see kf_limit_account / kf_limit_ip) */
    kf_limit_kind kind;
} kf_limit;

/* The counter of `kind` for the client IP (r->useragent_ip: mod_remoteip's when configured). */
kf_limit kf_limit_client(kf_req *kr, kf_limit_kind kind);

/* Public endpoints (API.md "Hosts and tenants"): charges one request of `kind` to the client
 * IP; 0, or the seconds to wait (answer kf_reply_too_many_requests). */
apr_int64_t kf_limit_public(kf_req *kr, kf_limit_kind kind);

/* 429 too_many_requests with Retry-After. */
int kf_reply_too_many_requests(kf_req *kr, apr_int64_t retry_after);

/* The counter of `scope` ("login", "register", "forgot") for an account: keyed by the
 * SHA-256 of the normalized email, so no address sits in shared memory. */
kf_limit kf_limit_account(kf_req *kr, const char *scope, const char *email);

/* The counter of the client IP, shared by every auth endpoint (one budget per address). */
kf_limit kf_limit_ip(kf_req *kr);

/* Charges one attempt to every counter, or to none when one of them is exhausted: returns
 * 0 (charged), or the seconds until the caller may try again (nothing charged). */
apr_int64_t kf_limit_take(kf_req *kr, const kf_limit *limits, int n);

/* Gives back an attempt that turned out not to be a failure (a correct password). */
void kf_limit_refund(kf_req *kr, const kf_limit *limits, int n);

/* 429 too_many_attempts with Retry-After. */
int kf_reply_too_many_attempts(kf_req *kr, apr_int64_t retry_after);

/* Hooks: mutex type (pre_config), cache and mutex creation (post_config, second pass),
 * mutex re-attachment in each child (child_init). */
int kf_ratelimit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int kf_ratelimit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                             server_rec *s);
void kf_ratelimit_child_init(apr_pool_t *p, server_rec *s);

#endif
