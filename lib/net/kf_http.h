/* Outbound HTTP: one interface, implementations behind a vtable (cf. httpd modules/md md_http.c).
 *
 * The libcurl implementation is kf_http_curl_client_create (lib/net/kf_http_curl.c); tests and
 * later code may substitute their own kf_http_impl. The URL policy (https only, except
 * operator-configured insecure prefixes) is enforced by kf_http_perform before the
 * implementation is called, whatever the implementation.
 *
 * Threads: configure a client (kf_http_allow_insecure_prefix) before it is shared; after that
 * it is read-only and kf_http_perform may be called from any number of threads at once, each
 * with its own pool. The curl implementation uses a fresh easy handle per request; its
 * keep-alive client (kf_http_curl_client_keepalive) keeps one, for one thread at a time.
 */
#ifndef KF_HTTP_H
#define KF_HTTP_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#define KF_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 5000
#define KF_HTTP_DEFAULT_TIMEOUT_MS 10000
#define KF_HTTP_DEFAULT_MAX_RESPONSE_BYTES ((apr_size_t)1024 * 1024)

typedef struct kf_http_request {
    const char *method;            /* "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" */
    const char *url;
    apr_table_t *headers;          /* may be NULL; names and values must not contain CR/LF */
    const char *body;              /* may be NULL; need not be NUL-terminated */
    apr_size_t body_len;
    long connect_timeout_ms;       /* <= 0: KF_HTTP_DEFAULT_CONNECT_TIMEOUT_MS */
    long timeout_ms;               /* whole exchange; <= 0: KF_HTTP_DEFAULT_TIMEOUT_MS */
    apr_size_t max_response_bytes; /* 0: KF_HTTP_DEFAULT_MAX_RESPONSE_BYTES; more is an error */
    /* URLs chosen by tenants (callbacks): 1 refuses to connect to an address of the server's
     * own networks unless it lies in outbound_allow (kf_netaddr.h), judged on the address
     * actually connected to, whatever the name resolved to (KF_HTTP_EBLOCKED). */
    int filter_addresses;
    const apr_array_header_t *outbound_allow;   /* kf_cidr ranges; may be NULL */
    /* 1: an answer longer than max_response_bytes is kept cut there (resp->truncated) and the
     * transfer stops, instead of failing with APR_ENOSPC: the status is what counts (merchant
     * callbacks keep an excerpt of the answer, whatever its size). */
    int truncate_response;
} kf_http_request;

/* Failures besides APR's own (see kf_http_perform). */
#define KF_HTTP_EBLOCKED (APR_OS_START_USERERR + 1301)  /* address refused by the filter */
#define KF_HTTP_EDNS (APR_OS_START_USERERR + 1302)      /* the host name did not resolve */
#define KF_HTTP_ETLS (APR_OS_START_USERERR + 1303)      /* TLS handshake or verification */

/* What a merchant is shown of a failure that is not an HTTP answer (API.md "Merchant
 * callback"): "timeout", "connection_refused", "dns_error", "tls_error" or
 * "blocked_address" — never the transport's own text. A connection that gave no HTTP answer
 * (reset, closed, garbled) is "connection_refused". */
const char *kf_http_error_kind(apr_status_t rv);

typedef struct kf_http_response {
    int status;                    /* any status the server sent: 404 and 500 are not errors */
    apr_table_t *headers;          /* names lowercased; apr_table lookups are case-insensitive */
    const char *body;              /* always NUL-terminated (may contain NULs: use body_len) */
    apr_size_t body_len;
    apr_interval_time_t elapsed;   /* microseconds, whole exchange */
    int truncated;                 /* with truncate_response: the body was cut at the limit */
} kf_http_response;

/* An implementation performs one exchange. The request it receives has been checked against
 * the URL policy and has its defaults filled in. On failure it returns an APR error and sets
 * *why to a one-line reason without the URL's path, query or any secret. */
typedef struct kf_http_impl {
    const char *name;
    apr_status_t (*perform)(void *baton, apr_pool_t *p, const kf_http_request *req,
                            kf_http_response **resp, const char **why);
} kf_http_impl;

typedef struct kf_http_client kf_http_client;

/* The client lives in p (typically pconf). impl must outlive it. */
kf_http_client *kf_http_client_create(apr_pool_t *p, const kf_http_impl *impl, void *baton);

/* Allows URLs that start with prefix even when they are not https:// (e.g. the provider base
 * URLs, when KonfirmadoAllowInsecureURLs is On). A match must end at a boundary: the prefix
 * ends with '/', or the URL continues with '/', '?', '#' or ends there, so that
 * "http://127.0.0.1:8080" allows neither "http://127.0.0.1:80801/" nor
 * "http://127.0.0.1:8080@evil.example/". The string is copied. */
void kf_http_allow_insecure_prefix(kf_http_client *c, const char *prefix);

/* Every request of the client filtered as kf_http_request.filter_addresses asks, with
 * outbound_allow (may be NULL; must outlive the client): for URLs people choose (a CalDAV
 * server). */
void kf_http_filter_addresses(kf_http_client *c, const apr_array_header_t *outbound_allow);

/* Checks url against the client's policy without any I/O. APR_SUCCESS, or APR_EINVAL with
 * *why set (why may be NULL). */
apr_status_t kf_http_check_url(const kf_http_client *c, const char *url, const char **why);

/* A request with the defaults; body and headers are left empty (headers is a new table). */
kf_http_request *kf_http_request_make(apr_pool_t *p, const char *method, const char *url);

/* Performs req; resp and why must not be NULL. On APR_SUCCESS *resp is allocated from p
 * (whatever the HTTP status) and *why is NULL. On error *resp is NULL and *why is a one-line
 * reason for the log; the status is APR_EINVAL (refused by the URL policy, or a bad request),
 * APR_TIMEUP (timeout), APR_ENOSPC (response larger than max_response_bytes),
 * APR_ECONNREFUSED, KF_HTTP_EDNS, KF_HTTP_ETLS, KF_HTTP_EBLOCKED (filter_addresses), or
 * APR_EGENERAL (other transport failures). Redirects are never followed. */
apr_status_t kf_http_perform(kf_http_client *c, apr_pool_t *p, const kf_http_request *req,
                             kf_http_response **resp, const char **why);

/* ---- libcurl implementation (lib/net/kf_http_curl.c) ---- */

/* Once per process before threads exist (httpd post_config). Fails when libcurl cannot do
 * HTTPS. why may be NULL. */
apr_status_t kf_http_curl_global_init(const char **why);
void kf_http_curl_global_cleanup(void);

const kf_http_impl *kf_http_curl_impl(void);

/* kf_http_client_create(p, kf_http_curl_impl(), NULL). */
kf_http_client *kf_http_curl_client_create(apr_pool_t *p);

/* A client that keeps its curl handle between requests, and with it the connections the
 * servers leave open (keep-alive), their TLS sessions and resolved names: consecutive
 * requests to one server reuse one connection. Every request is checked and set up as with
 * kf_http_curl_client_create (URL policy, timeouts, TLS verification, address filter); a
 * connection opened under one address rule (filter_addresses, outbound_allow) is never reused
 * under another. Used by one thread at a time (kf_http_perform is not reentrant on it); the
 * handle and its connections are closed when p is destroyed. */
kf_http_client *kf_http_curl_client_keepalive(apr_pool_t *p);

#endif
