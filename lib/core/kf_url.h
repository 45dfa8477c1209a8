#ifndef KF_URL_H
#define KF_URL_H
/* URL checks for directives and tenant settings. */
#include <apr_pools.h>

typedef enum {
    KF_URL_HTTPS_ONLY = 0,   /* tenant-facing URLs in production */
    KF_URL_ALLOW_HTTP = 1    /* KonfirmadoAllowInsecureURLs On (tests, demo) */
} kf_url_policy;

/* Checks an absolute http(s) URL: scheme http or https (per policy), a non-empty host
 * (DNS name, IPv4, or [IPv6]), optional port 1..65535, no userinfo, no whitespace or
 * control bytes, no fragment, at most 2048 bytes. Returns NULL when valid, else a short
 * English reason such as "scheme must be https". Also refused: non-ASCII bytes (IDN hosts
 * must be given in punycode), "http:" / "https:" without "//", a DNS label outside
 * [A-Za-z0-9-]{1,63} or starting/ending with '-', a host whose last label is numeric but
 * that is no dotted-quad IPv4, an empty port, and path/query bytes outside RFC 3986 pchar,
 * '/', '?' or a well-formed %HH. The scheme is matched case-insensitively. The reason is a
 * static string; p is not used. */
const char *kf_url_check(apr_pool_t *p, const char *url, kf_url_policy policy);

/* The host of an absolute URL as written ("https://[::1]:8443/x" -> "[::1]",
 * "http://Example.com:80" -> "Example.com"), or NULL when there is no "scheme://". */
const char *kf_url_host(apr_pool_t *p, const char *url);

/* Percent-encodes everything except unreserved characters (RFC 3986), for query values.
 * Each other byte becomes %HH with uppercase hex (space -> "%20", "ñ" -> "%C3%B1").
 * NULL -> "". */
const char *kf_url_encode(apr_pool_t *p, const char *s);

/* Strips one trailing '/' so that base URLs concatenate with "/path" predictably.
 * Always returns a copy in p ("https://x.co//" -> "https://x.co/"); NULL -> NULL. */
const char *kf_url_trim_slash(apr_pool_t *p, const char *url);

/* A request's path as an access log may keep it: the segment that is a secret (a calendar
 * invitation's token: /connect-calendar/<token>, /api/public/invitations/<token>[/...])
 * replaced by "***"; every other path as it is. The query string is never part of it.
 * NULL -> "-". */
const char *kf_url_path_for_log(apr_pool_t *p, const char *path);

/* The root of a tenant's own host under the public URL's scheme and port:
 * https://example.com:8443 and "demo", "example.com" -> https://demo.example.com:8443.
 * NULL when public_url is no http(s) URL. */
const char *kf_url_tenant_root(apr_pool_t *p, const char *public_url, const char *subdomain,
                               const char *base_domain);

#endif
