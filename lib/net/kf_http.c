/* Outbound HTTP interface: URL policy and request checks in front of a pluggable implementation. */
#include "kf_http.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

struct kf_http_client {
    apr_pool_t *pool;
    const kf_http_impl *impl;
    void *baton;
    apr_array_header_t *insecure_prefixes; /* const char * */
    int filter_addresses;                  /* every request: kf_http_filter_addresses */
    const apr_array_header_t *outbound_allow;
};

kf_http_client *kf_http_client_create(apr_pool_t *p, const kf_http_impl *impl, void *baton)
{
    kf_http_client *c = apr_pcalloc(p, sizeof(*c));
    c->pool = p;
    c->impl = impl;
    c->baton = baton;
    c->insecure_prefixes = apr_array_make(p, 4, sizeof(const char *));
    return c;
}

void kf_http_allow_insecure_prefix(kf_http_client *c, const char *prefix)
{
    if (c && prefix && *prefix) {
        APR_ARRAY_PUSH(c->insecure_prefixes, const char *) = apr_pstrdup(c->pool, prefix);
    }
}

void kf_http_filter_addresses(kf_http_client *c, const apr_array_header_t *outbound_allow)
{
    if (c) {
        c->filter_addresses = 1;
        c->outbound_allow = outbound_allow;
    }
}

kf_http_request *kf_http_request_make(apr_pool_t *p, const char *method, const char *url)
{
    kf_http_request *req = apr_pcalloc(p, sizeof(*req));
    req->method = method;
    req->url = url;
    req->headers = apr_table_make(p, 4);
    req->connect_timeout_ms = KF_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    req->timeout_ms = KF_HTTP_DEFAULT_TIMEOUT_MS;
    req->max_response_bytes = KF_HTTP_DEFAULT_MAX_RESPONSE_BYTES;
    return req;
}

static int starts_with_nocase(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The prefix matches and ends at a boundary of the URL (see kf_http.h). */
static int prefix_matches(const char *url, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(url, prefix, n) != 0) {
        return 0;
    }
    char next = url[n];
    return prefix[n - 1] == '/' || next == '\0' || next == '/' || next == '?' || next == '#';
}

/* The authority (between "://" and the path) is present and carries no credentials. */
static const char *check_authority(const char *after_scheme)
{
    size_t n = strcspn(after_scheme, "/?#");
    if (n == 0) {
        return "URL has no host";
    }
    if (memchr(after_scheme, '@', n)) {
        return "URL must not carry credentials";
    }
    if (after_scheme[0] == ':') {
        return "URL has no host";
    }
    return NULL;
}

apr_status_t kf_http_check_url(const kf_http_client *c, const char *url, const char **why)
{
    const char *reason = NULL;

    if (!url || !*url) {
        reason = "no URL";
        goto refuse;
    }
    for (const unsigned char *s = (const unsigned char *)url; *s; s++) {
        /* Spaces, controls, non-ASCII and backslashes: parsers disagree on them. */
        if (*s <= 0x20 || *s >= 0x7f || *s == '\\') {
            reason = "URL contains characters that are not allowed";
            goto refuse;
        }
    }
    if (starts_with_nocase(url, "https://")) {
        reason = check_authority(url + 8);
        if (reason) {
            goto refuse;
        }
        return APR_SUCCESS;
    }
    if (starts_with_nocase(url, "http://")) {
        reason = check_authority(url + 7);
        if (reason) {
            goto refuse;
        }
        if (c) {
            for (int i = 0; i < c->insecure_prefixes->nelts; i++) {
                if (prefix_matches(url, APR_ARRAY_IDX(c->insecure_prefixes, i, const char *))) {
                    return APR_SUCCESS;
                }
            }
        }
        reason = "plain http:// URL not allowed (https:// only, except configured insecure URLs)";
        goto refuse;
    }
    if (strstr(url, "://")) {
        reason = "URL scheme not allowed (https:// only)";
    }
    else {
        reason = "not an absolute https:// URL";
    }
refuse:
    if (why) {
        *why = reason;
    }
    return APR_EINVAL;
}

static int valid_method(const char *m)
{
    size_t n = m ? strlen(m) : 0;
    if (n == 0 || n > 16) {
        return 0;
    }
    return strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n;
}

static int valid_header_name(const char *s)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~0123456789"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    return s && *s && strspn(s, tchar) == strlen(s);
}

static int valid_header_value(const char *s)
{
    for (; s && *s; s++) {
        if ((unsigned char)*s < 0x20 && *s != '\t') {
            return 0;
        }
        if (*s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static const char *check_request(const kf_http_request *req)
{
    if (!valid_method(req->method)) {
        return "invalid HTTP method";
    }
    if (req->body_len > 0 && !req->body) {
        return "request body length without a body";
    }
    if (req->headers) {
        const apr_array_header_t *arr = apr_table_elts(req->headers);
        const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
        for (int i = 0; i < arr->nelts; i++) {
            if (!valid_header_name(e[i].key) || !valid_header_value(e[i].val)) {
                return "invalid request header";
            }
        }
    }
    return NULL;
}

apr_status_t kf_http_perform(kf_http_client *c, apr_pool_t *p, const kf_http_request *req,
                             kf_http_response **resp, const char **why)
{
    const char *reason = NULL;
    apr_status_t rv;

    *resp = NULL;
    *why = NULL;
    if (!c || !c->impl || !c->impl->perform || !req) {
        *why = "HTTP client not configured";
        return APR_EINVAL;
    }
    rv = kf_http_check_url(c, req->url, &reason);
    if (rv != APR_SUCCESS) {
        *why = reason;
        return rv;
    }
    reason = check_request(req);
    if (reason) {
        *why = reason;
        return APR_EINVAL;
    }

    kf_http_request effective = *req;
    if (c->filter_addresses && !effective.filter_addresses) {
        effective.filter_addresses = 1;
        effective.outbound_allow = c->outbound_allow;
    }
    if (effective.connect_timeout_ms <= 0) {
        effective.connect_timeout_ms = KF_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    }
    if (effective.timeout_ms <= 0) {
        effective.timeout_ms = KF_HTTP_DEFAULT_TIMEOUT_MS;
    }
    if (effective.max_response_bytes == 0) {
        effective.max_response_bytes = KF_HTTP_DEFAULT_MAX_RESPONSE_BYTES;
    }

    rv = c->impl->perform(c->baton, p, &effective, resp, why);
    if (rv == APR_SUCCESS && !*resp) {
        rv = APR_EGENERAL;
        *why = "HTTP implementation returned no response";
    }
    if (rv != APR_SUCCESS) {
        *resp = NULL;
        if (!*why) {
            *why = "HTTP request failed";
        }
    }
    return rv;
}

const char *kf_http_error_kind(apr_status_t rv)
{
    switch (rv) {
    case APR_TIMEUP:
        return "timeout";
    case APR_ECONNREFUSED:
        return "connection_refused";
    case KF_HTTP_EDNS:
        return "dns_error";
    case KF_HTTP_ETLS:
        return "tls_error";
    case KF_HTTP_EBLOCKED:
        return "blocked_address";
    default:
        /* connected, but no HTTP answer came back (reset, closed, garbled): to the merchant
         * the server would not take the request, and the contract names only five kinds */
        return "connection_refused";
    }
}
