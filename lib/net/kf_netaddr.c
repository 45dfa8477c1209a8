/* The outbound address rule: see kf_netaddr.h. */
#include "kf_netaddr.h"

#include <apr_strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static void map_v4(const unsigned char v4[4], kf_ipaddr *out)
{
    memset(out->b, 0, 10);
    out->b[10] = out->b[11] = 0xff;
    memcpy(out->b + 12, v4, 4);
}

int kf_ipaddr_from_sockaddr(const struct sockaddr *sa, kf_ipaddr *out)
{
    if (!sa) {
        return 0;
    }
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        map_v4((const unsigned char *)&in->sin_addr.s_addr, out);
        return 1;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        memcpy(out->b, in6->sin6_addr.s6_addr, 16);
        return 1;
    }
    return 0;
}

int kf_ipaddr_parse(const char *text, kf_ipaddr *out)
{
    char buf[64];
    if (!text) {
        return 0;
    }
    apr_size_t n = strlen(text);
    if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
        text++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(buf)) {
        return 0;
    }
    memcpy(buf, text, n);
    buf[n] = '\0';
    for (apr_size_t i = 0; i < n; i++) {
        /* inet_aton stops at white space and ignores the rest: nothing of that here */
        if ((unsigned char)buf[i] <= ' ' || buf[i] == '%') {
            return 0;
        }
    }
    struct in6_addr a6;
    if (strchr(buf, ':')) {
        if (inet_pton(AF_INET6, buf, &a6) != 1) {
            return 0;
        }
        memcpy(out->b, a6.s6_addr, 16);
        return 1;
    }
    /* every spelling the resolver itself would accept: 127.1, 2130706433, 0x7f.1, 0177.0.0.1 */
    struct in_addr a4;
    if (inet_aton(buf, &a4) == 0) {
        return 0;
    }
    map_v4((const unsigned char *)&a4.s_addr, out);
    return 1;
}

static int v4_is_internal(const unsigned char *v)
{
    return v[0] == 0                                   /* 0.0.0.0/8 "this network" */
           || v[0] == 10                               /* RFC 1918 */
           || v[0] == 127                              /* loopback */
           || (v[0] == 100 && (v[1] & 0xc0) == 64)     /* 100.64.0.0/10 CGNAT */
           || (v[0] == 169 && v[1] == 254)             /* link-local (cloud metadata) */
           || (v[0] == 172 && (v[1] & 0xf0) == 16)     /* RFC 1918 */
           || (v[0] == 192 && v[1] == 168)             /* RFC 1918 */
           || (v[0] == 192 && v[1] == 0 && v[2] == 0)  /* 192.0.0.0/24 IETF protocol */
           || (v[0] == 198 && (v[1] & 0xfe) == 18)     /* 198.18.0.0/15 benchmarking */
           || v[0] >= 224;                             /* multicast, reserved, broadcast */
}

static const unsigned char nat64_prefix[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

int kf_ipaddr_is_internal(const kf_ipaddr *a)
{
    static const unsigned char zero[16] = {0};
    const unsigned char *b = a->b;
    if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
        return v4_is_internal(b + 12);                 /* IPv4, or IPv4-mapped IPv6 */
    }
    if (memcmp(b, zero, 12) == 0) {
        /* ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d */
        return memcmp(b, zero, 15) == 0 || v4_is_internal(b + 12);
    }
    if (memcmp(b, nat64_prefix, 12) == 0) {
        return v4_is_internal(b + 12);                 /* 64:ff9b::/96 reaches IPv4 */
    }
    return (b[0] & 0xfe) == 0xfc                       /* fc00::/7 unique local */
           || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)  /* fe80::/10 link-local */
           || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)  /* fec0::/10 old site-local */
           || b[0] == 0xff;                            /* multicast */
}

const char *kf_cidr_parse(const char *text, kf_cidr *out)
{
    if (!text || !*text) {
        return "an address or address/bits is required";
    }
    const char *slash = strchr(text, '/');
    char addr[64];
    apr_size_t n = slash ? (apr_size_t)(slash - text) : strlen(text);
    if (n == 0 || n >= sizeof(addr)) {
        return "not an IPv4 or IPv6 address";
    }
    memcpy(addr, text, n);
    addr[n] = '\0';
    /* ranges are written canonically: no inet_aton short forms here */
    unsigned char v4[4];
    int is_v4 = inet_pton(AF_INET, addr, v4) == 1;
    struct in6_addr a6;
    if (is_v4) {
        map_v4(v4, &out->net);
    }
    else if (inet_pton(AF_INET6, addr, &a6) == 1) {
        memcpy(out->net.b, a6.s6_addr, 16);
    }
    else {
        return "not an IPv4 or IPv6 address";
    }
    int max = is_v4 ? 32 : 128;
    int bits = max;
    if (slash) {
        char *end = NULL;
        long v = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || v < 0 || v > max) {
            return is_v4 ? "the prefix length must be 0 to 32" : "the prefix length must be 0 to 128";
        }
        bits = (int)v;
    }
    out->bits = bits + (is_v4 ? 96 : 0);
    /* clear the host bits, so that 10.1.2.3/8 means 10.0.0.0/8 */
    for (int i = 0; i < 16; i++) {
        int keep = out->bits - i * 8;
        unsigned char mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
        out->net.b[i] &= mask;
    }
    return NULL;
}

static int in_range(const kf_cidr *c, const kf_ipaddr *a)
{
    for (int i = 0; i < 16; i++) {
        int keep = c->bits - i * 8;
        if (keep <= 0) {
            return 1;
        }
        unsigned char mask = keep >= 8 ? 0xff : (unsigned char)(0xff << (8 - keep));
        if ((a->b[i] & mask) != c->net.b[i]) {
            return 0;
        }
    }
    return 1;
}

int kf_cidr_list_contains(const apr_array_header_t *ranges, const kf_ipaddr *a)
{
    for (int i = 0; ranges && i < ranges->nelts; i++) {
        if (in_range(&APR_ARRAY_IDX(ranges, i, kf_cidr), a)) {
            return 1;
        }
    }
    return 0;
}

int kf_outbound_address_ok(const apr_array_header_t *allow, const kf_ipaddr *a)
{
    return !kf_ipaddr_is_internal(a) || kf_cidr_list_contains(allow, a);
}

int kf_outbound_host_ok(const apr_array_header_t *allow, const char *host)
{
    kf_ipaddr a;
    return !kf_ipaddr_parse(host, &a) || kf_outbound_address_ok(allow, &a);
}
