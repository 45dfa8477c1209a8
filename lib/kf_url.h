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
 * English reason such as "scheme must be https". */
const char *kf_url_check(apr_pool_t *p, const char *url, kf_url_policy policy);

/* Percent-encodes everything except unreserved characters (RFC 3986), for query values. */
const char *kf_url_encode(apr_pool_t *p, const char *s);

/* Strips one trailing '/' so that base URLs concatenate with "/path" predictably. */
const char *kf_url_trim_slash(apr_pool_t *p, const char *url);

#endif
