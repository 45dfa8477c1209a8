/* Attempt-limit windows (see kf_ratelimit.h). Pure functions, no state. */
#include "kf_ratelimit.h"
#include "kf_crypto.h"
#include "kf_netaddr.h"

#include <arpa/inet.h>

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

kf_rl_bucket kf_rl_current(kf_rl_bucket b, const kf_rl_rule *rule, apr_int64_t now)
{
    kf_rl_bucket empty = {0, 0};
    if (b.start <= 0 || b.count == 0 || b.start > now || now >= b.start + rule->window) {
        return empty;
    }
    return b;
}

apr_int64_t kf_rl_retry_after(kf_rl_bucket b, const kf_rl_rule *rule, apr_int64_t now)
{
    kf_rl_bucket cur = kf_rl_current(b, rule, now);
    if (cur.count < rule->limit) {
        return 0;
    }
    apr_int64_t left = cur.start + rule->window - now;
    return left > 0 ? left : 1;
}

apr_int64_t kf_rl_take(kf_rl_bucket *const *buckets, const kf_rl_rule *const *rules, int n,
                       apr_int64_t now)
{
    apr_int64_t wait = 0;
    for (int i = 0; i < n; i++) {
        apr_int64_t w = kf_rl_retry_after(*buckets[i], rules[i], now);
        if (w > wait) {
            wait = w;
        }
    }
    if (wait > 0) {
        return wait;
    }
    for (int i = 0; i < n; i++) {
        kf_rl_bucket cur = kf_rl_current(*buckets[i], rules[i], now);
        if (cur.count == 0) {
            cur.start = now;
        }
        cur.count++;
        *buckets[i] = cur;
    }
    return 0;
}

void kf_rl_refund(kf_rl_bucket *b, const kf_rl_rule *rule, apr_int64_t now)
{
    kf_rl_bucket cur = kf_rl_current(*b, rule, now);
    if (cur.count > 0) {
        cur.count--;
        *b = cur;
    }
}

apr_int64_t kf_rl_expires(kf_rl_bucket b, const kf_rl_rule *rule)
{
    return b.start + rule->window;
}

void kf_rl_encode(kf_rl_bucket b, char out[KF_RL_ENCODED_MAX])
{
    apr_snprintf(out, KF_RL_ENCODED_MAX, "%" APR_INT64_T_FMT " %u", b.start, b.count);
}

/* Decimal digits only, no sign, no leading zeros beyond "0", at most 19 digits. */
static int parse_uint(const char *s, apr_size_t len, apr_uint64_t max, apr_uint64_t *out)
{
    apr_uint64_t v = 0;
    if (len == 0 || len > 19 || (len > 1 && s[0] == '0')) {
        return 0;
    }
    for (apr_size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (apr_uint64_t)(s[i] - '0');
    }
    if (v > max) {
        return 0;
    }
    *out = v;
    return 1;
}

int kf_rl_decode(const char *buf, apr_size_t len, kf_rl_bucket *b)
{
    apr_uint64_t start = 0, count = 0;
    const char *space = buf ? memchr(buf, ' ', len) : NULL;
    b->start = 0;
    b->count = 0;
    if (!space) {
        return 0;
    }
    apr_size_t first = (apr_size_t)(space - buf);
    if (!parse_uint(buf, first, APR_INT64_MAX, &start) ||
        !parse_uint(space + 1, len - first - 1, 0xFFFFFFFFu, &count)) {
        return 0;
    }
    b->start = (apr_int64_t)start;
    b->count = (unsigned int)count;
    return 1;
}

kf_rl_rule kf_rl_rule_of(kf_rl_kind kind, const kf_rl_limits *limits)
{
    kf_rl_rule rule;
    switch (kind) {
    case KF_RL_AUTH_ACCOUNT:
        rule.limit = (unsigned int)limits->auth_account;
        rule.window = limits->auth_window;
        break;
    case KF_RL_AUTH_IP:
        rule.limit = (unsigned int)limits->auth_ip;
        rule.window = limits->auth_window;
        break;
    case KF_RL_PUBLIC_READ:
        rule.limit = (unsigned int)limits->public_read;
        rule.window = 60;
        break;
    case KF_RL_PUBLIC_HOLD:
        rule.limit = (unsigned int)limits->hold;
        rule.window = 600;
        break;
    case KF_RL_PUBLIC_BOOKING:
        rule.limit = (unsigned int)limits->booking;
        rule.window = 600;
        break;
    case KF_RL_AUTH_ACCOUNT_CEILING:
        rule.limit = (unsigned int)limits->auth_account_ceiling;
        rule.window = limits->auth_window;
        break;
    case KF_RL_UNKNOWN_HOST:
        rule.limit = (unsigned int)limits->unknown_host;
        rule.window = 60;
        break;
    case KF_RL_OAUTH_START:
        rule.limit = (unsigned int)limits->oauth_start;
        rule.window = 600;
        break;
    case KF_RL_LOCK_NOTICE:
        rule.limit = 1;
        rule.window = limits->auth_window;
        break;
    case KF_RL_CALLBACK_TEST:
        rule.limit = KF_RL_CALLBACK_TESTS;
        rule.window = KF_RL_CALLBACK_TEST_WINDOW;
        break;
    case KF_RL_PAYMENT_LOOKUP:
        rule.limit = KF_RL_PAYMENT_LOOKUPS;
        rule.window = KF_RL_PAYMENT_LOOKUP_WINDOW;
        break;
    default:
        rule.limit = (unsigned int)limits->bad_webhook;
        rule.window = 60;
    }
    return rule;
}

int kf_rl_fails_closed(kf_rl_kind kind)
{
    return kind == KF_RL_AUTH_ACCOUNT || kind == KF_RL_AUTH_IP ||
           kind == KF_RL_AUTH_ACCOUNT_CEILING;
}

static int is_ipv4_mapped(const kf_ipaddr *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a->b, mapped, sizeof(mapped)) == 0;
}

const char *kf_rl_client_network(apr_pool_t *p, const char *client_ip, int v6_prefix)
{
    kf_ipaddr a;
    char text[INET6_ADDRSTRLEN];
    if (!client_ip) {
        return "";
    }
    /* a link-local address's zone (fe80::1%eth0) is the server's interface, not the client */
    const char *zone = strchr(client_ip, '%');
    const char *address = zone ? apr_pstrmemdup(p, client_ip, (apr_size_t)(zone - client_ip))
                               : client_ip;
    if (!kf_ipaddr_parse(address, &a)) {
        return client_ip;
    }
    if (is_ipv4_mapped(&a)) {
        return inet_ntop(AF_INET, a.b + 12, text, sizeof(text)) ? apr_pstrdup(p, text)
                                                                  : client_ip;
    }
    int bits = v6_prefix < 1 ? 1 : v6_prefix > 128 ? 128 : v6_prefix;
    for (int i = 0; i < 16; i++) {
        int keep = bits - 8 * i;
        a.b[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
    }
    if (!inet_ntop(AF_INET6, a.b, text, sizeof(text))) {
        return client_ip;
    }
    return apr_psprintf(p, "%s/%d", text, bits);
}

/* key prefixes: one counter per kind and network */
static const char *const kind_prefix[] = {"acct:", "ip:", "read:", "hold:", "book:", "badhook:",
                                          "acct:", "nohost-ip:", "oauth:", "acct:", "cbtest:",
                                          "lookup:"};

const char *kf_rl_subject_key(apr_pool_t *p, kf_rl_kind kind, const char *subject)
{
    return apr_pstrcat(p, kind_prefix[kind], subject, NULL);
}

const char *kf_rl_client_key(apr_pool_t *p, kf_rl_kind kind, const char *network)
{
    return kf_rl_subject_key(p, kind, network);
}

const char *kf_rl_account_network_key(apr_pool_t *p, const char *scope, const char *email,
                                      const char *network)
{
    return apr_pstrcat(p, kf_rl_account_key(p, scope, email), "@", network, NULL);
}

const char *kf_rl_unknown_host_key(apr_pool_t *p, const char *host)
{
    /* hashed: a host name may be longer than a memcache key may be (250 bytes) */
    return apr_pstrcat(p, "nohost:", kf_sha256_hex(p, host, strlen(host)), NULL);
}

const char *kf_rl_account_key(apr_pool_t *p, const char *scope, const char *email)
{
    return apr_pstrcat(p, "acct:", scope, ":", kf_sha256_hex(p, email, strlen(email)), NULL);
}
