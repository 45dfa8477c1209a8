/* Cross-site requests (see kf_origin.h). */
#include "kf_origin.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An origin's parts, pointing into the text they were read from. */
typedef struct where {
    const char *host;
    size_t host_len;
    long port;
} where;

static long default_port(const char *scheme, size_t len)
{
    if (len == 5 && strncasecmp(scheme, "https", 5) == 0) {
        return 443;
    }
    if (len == 4 && strncasecmp(scheme, "http", 4) == 0) {
        return 80;
    }
    return -1;
}

/* "host[:port]" (an IPv6 literal in brackets, one trailing dot of a name ignored) with
 * `fallback` as the port when none is written; 0 when it is not that. */
static int read_authority(const char *s, size_t len, long fallback, where *out)
{
    size_t host_len;
    if (len && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close) {
            return 0;
        }
        host_len = (size_t)(close - s) + 1;
    }
    else {
        const char *colon = memchr(s, ':', len);
        host_len = colon ? (size_t)(colon - s) : len;
    }
    out->host = s;
    out->host_len = host_len;
    if (host_len > 1 && s[host_len - 1] == '.') {
        out->host_len--;
    }
    if (out->host_len == 0) {
        return 0;
    }
    out->port = fallback;
    if (host_len == len) {
        return fallback > 0;
    }
    if (s[host_len] != ':' || host_len + 1 == len || len - host_len - 1 > 5) {
        return 0;
    }
    char digits[6] = {0};
    memcpy(digits, s + host_len + 1, len - host_len - 1);
    if (strspn(digits, "0123456789") != strlen(digits)) {
        return 0;
    }
    out->port = strtol(digits, NULL, 10);
    return out->port > 0 && out->port < 65536;
}

/* The origin is `host` reached with the scheme of `scheme` (its first `scheme_len` bytes). */
static int origin_is(const char *origin, const char *host, const char *scheme, size_t scheme_len)
{
    const char *sep = strstr(origin, "://");
    if (!scheme || !sep || (size_t)(sep - origin) != scheme_len ||
        strncasecmp(origin, scheme, scheme_len) != 0) {
        return 0;
    }
    long port = default_port(scheme, scheme_len);
    where page, target;
    const char *authority = sep + 3;
    return read_authority(authority, strlen(authority), port, &page) &&
           read_authority(host, strlen(host), port, &target) && page.port == target.port &&
           page.host_len == target.host_len &&
           strncasecmp(page.host, target.host, page.host_len) == 0;
}

int kf_request_cross_site(const char *origin, const char *sec_fetch_site, const char *host,
                          const char *scheme, const char *public_url)
{
    if (sec_fetch_site && strcasecmp(sec_fetch_site, "cross-site") == 0) {
        return 1;
    }
    if (!origin) {
        return 0;
    }
    if (!host || !*host) {
        return 1;
    }
    const char *public_end = public_url ? strstr(public_url, "://") : NULL;
    return !((scheme && origin_is(origin, host, scheme, strlen(scheme))) ||
             (public_end && origin_is(origin, host, public_url, (size_t)(public_end - public_url))));
}
