#ifndef KF_RATELIMIT_H
#define KF_RATELIMIT_H
/* Window arithmetic of the attempt limits (API.md "Merchant accounts": 5 failures per
 * 15 minutes per account, 30 per client IP). Pure: the counters themselves are stored by
 * the caller (mod_socache in the module), as the small text kf_rl_encode makes.
 *
 * Fixed windows that start at the first counted attempt: a bucket counts attempts from
 * `start` until start + window; once `limit` attempts are counted, further ones are
 * refused until the window ends, and then the count starts over. (At the boundary an
 * attacker can fit at most 2 x limit attempts into any one window length.) */
#include <apr.h>
#include <apr_pools.h>

typedef struct kf_rl_rule {
    unsigned int limit;     /* attempts admitted per window (> 0) */
    apr_int64_t window;     /* seconds (> 0) */
} kf_rl_rule;

typedef struct kf_rl_bucket {
    apr_int64_t start;      /* unix seconds of the first attempt of the window; 0: empty */
    unsigned int count;
} kf_rl_bucket;

/* The bucket as it stands at `now`: a finished window (or one that starts in the future,
 * after the clock went back) is an empty bucket. */
kf_rl_bucket kf_rl_current(kf_rl_bucket b, const kf_rl_rule *rule, apr_int64_t now);

/* Seconds until the bucket admits an attempt again: 0 when it admits one now, else at
 * least 1 (the time left of its window, rounded up to whole seconds by the caller's clock). */
apr_int64_t kf_rl_retry_after(kf_rl_bucket b, const kf_rl_rule *rule, apr_int64_t now);

/* Takes one attempt from every bucket, or from none: returns 0 and counts the attempt in
 * each bucket when all admit it; otherwise leaves every bucket untouched and returns the
 * largest retry-after (when the caller may try again). */
apr_int64_t kf_rl_take(kf_rl_bucket *const *buckets, const kf_rl_rule *const *rules,
                       int n, apr_int64_t now);

/* Gives back an attempt taken in the same window (an attempt that turned out not to be a
 * failure). A bucket of another window is left alone. */
void kf_rl_refund(kf_rl_bucket *b, const kf_rl_rule *rule, apr_int64_t now);

/* When a stored bucket can be forgotten (unix seconds): the end of its window. */
apr_int64_t kf_rl_expires(kf_rl_bucket b, const kf_rl_rule *rule);

/* What a counter limits, and per which window:
 * - attempts at the auth endpoints (the configured window): per account and client network
 *   (KF_RL_AUTH_ACCOUNT: failed log-ins; password-reset requests per account alone), per
 *   account from every network together (KF_RL_AUTH_ACCOUNT_CEILING, much higher, so that
 *   one network cannot lock the merchant out of another) and per client network;
 * - public reads, webhooks that prove nothing (a bad signature, an unknown reference) and
 *   look-ups of host names no tenant has, per client network and minute;
 * - holds, bookings and calendar connections started, per client network and 10 minutes;
 * - KF_RL_LOCK_NOTICE: the one mail an account's owner gets per window when it is locked;
 * - the test callbacks a tenant sends (KF_RL_CALLBACK_TESTS a minute: each one makes the
 *   server wait on the merchant's URL) and the provider look-ups a customer's return from
 *   the checkout makes for one booking or purchase (KF_RL_PAYMENT_LOOKUPS per
 *   KF_RL_PAYMENT_LOOKUP_WINDOW: a reload within it answers from what is known, so reloads
 *   never spend the merchant's quota at the provider). */
typedef enum kf_rl_kind {
    KF_RL_AUTH_ACCOUNT = 0, KF_RL_AUTH_IP, KF_RL_PUBLIC_READ, KF_RL_PUBLIC_HOLD,
    KF_RL_PUBLIC_BOOKING, KF_RL_BAD_WEBHOOK, KF_RL_AUTH_ACCOUNT_CEILING, KF_RL_UNKNOWN_HOST,
    KF_RL_OAUTH_START, KF_RL_LOCK_NOTICE, KF_RL_CALLBACK_TEST, KF_RL_PAYMENT_LOOKUP
} kf_rl_kind;

#define KF_RL_CALLBACK_TESTS 10
#define KF_RL_CALLBACK_TEST_WINDOW 60
#define KF_RL_PAYMENT_LOOKUPS 1
#define KF_RL_PAYMENT_LOOKUP_WINDOW 10

/* The configured limits (attempts per window) and the auth window (seconds). */
typedef struct kf_rl_limits {
    int auth_account, auth_ip;
    apr_int64_t auth_window;
    int public_read, hold, booking, bad_webhook;
    int auth_account_ceiling, unknown_host, oauth_start;
} kf_rl_limits;

kf_rl_rule kf_rl_rule_of(kf_rl_kind kind, const kf_rl_limits *limits);

/* 1 when a request of this kind is refused while its counters cannot be read or written
 * (the shared store is down): the auth endpoints, where an uncounted attempt is a free
 * password guess; 0 when it is served uncounted (public pages stay up). */
int kf_rl_fails_closed(kf_rl_kind kind);

/* The network a client is counted as: an IPv4 address is itself, written also IPv4-mapped
 * (::ffff:a.b.c.d); an IPv6 address counts as its network of `v6_prefix` bits (1..128;
 * providers hand one host a whole /64), written "2001:db8:1:2::/64". A text that is no
 * address is kept as it is. */
const char *kf_rl_client_network(apr_pool_t *p, const char *client_ip, int v6_prefix);

/* The counter's key: one per kind and client network (kf_rl_client_network), or per kind and
 * what else it counts for (kf_rl_subject_key: the tenant of KF_RL_CALLBACK_TEST, the booking
 * or purchase of KF_RL_PAYMENT_LOOKUP); an account's per scope ("login", "forgot",
 * "locked") and SHA-256 of its normalized email, so no address is stored; an account's
 * failed log-ins from one network; a host name no tenant has (by its SHA-256 too, so that
 * any name fits a memcache key). */
const char *kf_rl_client_key(apr_pool_t *p, kf_rl_kind kind, const char *network);
const char *kf_rl_subject_key(apr_pool_t *p, kf_rl_kind kind, const char *subject);
const char *kf_rl_account_key(apr_pool_t *p, const char *scope, const char *email);
const char *kf_rl_account_network_key(apr_pool_t *p, const char *scope, const char *email,
                                      const char *network);
const char *kf_rl_unknown_host_key(apr_pool_t *p, const char *host);

/* Storage form: "<start> <count>" (decimal). KF_RL_ENCODED_MAX bytes are enough with the
 * NUL. kf_rl_decode accepts exactly what kf_rl_encode writes (len bytes, no NUL needed)
 * and returns 1, else 0 with *b emptied. */
#define KF_RL_ENCODED_MAX 48
void kf_rl_encode(kf_rl_bucket b, char out[KF_RL_ENCODED_MAX]);
int kf_rl_decode(const char *buf, apr_size_t len, kf_rl_bucket *b);

#endif
