/* libcurl implementation of kf_http (cf. httpd modules/md md_curl.c).
 *
 * One easy handle per request, or one kept by a client that a single thread uses at a time
 * (kf_http_curl_client_keepalive): no handle is ever shared between threads, nothing static
 * is mutable. TLS peer and host verification are always on; only http and https are spoken;
 * redirects are not followed; the response body is capped while it arrives. */
#include "kf_curl.h"
#include "kf_http.h"
#include "kf_netaddr.h"
#include "kf_version.h"

#include <apr_strings.h>
#include <curl/curl.h>
#include <string.h>

typedef struct {
    apr_pool_t *p;
    const kf_http_request *req;
    int blocked;               /* the address filter refused an address curl tried */
    int opened;                /* sockets opened (an allowed address was tried) */
    char *body;
    apr_size_t len;
    apr_size_t cap;
    apr_size_t max;
    int too_large;
    apr_table_t *headers;
} transfer;

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nmemb;

    if (n == 0) {
        return 0;
    }
    if (n > t->max || t->len > t->max - n) {
        t->too_large = 1;
        if (!(t->req && t->req->truncate_response) || t->len >= t->max) {
            return 0; /* makes curl stop with CURLE_WRITE_ERROR */
        }
        n = t->max - t->len;   /* truncate_response: keep what fits, then stop (below) */
    }
    if (t->len + n + 1 > t->cap) {
        apr_size_t cap = t->cap ? t->cap : 16384;
        while (cap < t->len + n + 1) {
            cap *= 2;
        }
        if (cap > t->max + 1) {
            cap = t->max + 1;
        }
        char *grown = apr_palloc(t->p, cap);
        if (t->len) {
            memcpy(grown, t->body, t->len);
        }
        t->body = grown;
        t->cap = cap;
    }
    memcpy(t->body + t->len, data, n);
    t->len += n;
    return t->too_large ? 0 : size * nmemb;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nmemb;

    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        /* A new response starts (after a 100 Continue, say): forget the previous headers. */
        apr_table_clear(t->headers);
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon || colon == data) {
        return n; /* blank line ending the headers, or junk */
    }
    size_t name_len = (size_t)(colon - data);
    const char *v = colon + 1;
    const char *end = data + n;
    while (v < end && (*v == ' ' || *v == '\t')) {
        v++;
    }
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    char *name = apr_pstrmemdup(t->p, data, name_len);
    for (char *c = name; *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    apr_table_addn(t->headers, name, apr_pstrmemdup(t->p, v, (apr_size_t)(end - v)));
    return n;
}

typedef struct {
    struct curl_slist *list;
    int failed;
} header_ctx;

static int add_header(void *rec, const char *key, const char *value)
{
    header_ctx *h = rec;
    char line[8192];
    int n;

    /* "Name;" is curl's way of sending a header with an empty value. */
    if (value && *value) {
        n = snprintf(line, sizeof(line), "%s: %s", key, value);
    }
    else {
        n = snprintf(line, sizeof(line), "%s;", key);
    }
    if (n < 0 || (size_t)n >= sizeof(line)) {
        h->failed = 1;
        return 0;
    }
    struct curl_slist *next = curl_slist_append(h->list, line);
    if (!next) {
        h->failed = 1;
        return 0;
    }
    h->list = next;
    return 1;
}

/* One line, printable, bounded; the messages come from curl's error buffer or its strerror. */
static const char *clean_reason(apr_pool_t *p, CURLcode code, const char *msg)
{
    char *s = apr_psprintf(p, "curl error %d: %.200s", (int)code, msg);
    for (char *c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f) {
            *c = ' ';
        }
    }
    apr_size_t len = strlen(s);
    while (len > 0 && s[len - 1] == ' ') {
        s[--len] = '\0';
    }
    return s;
}

/* curl's error buffer is more helpful than curl_easy_strerror, but for some codes it may
 * quote the URL; use it only for codes whose messages name at most the host and port. */
static int errbuf_is_safe(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
        return 1;
    default:
        return 0;
    }
}

/* Every socket curl opens goes through here: with filter_addresses, an address of the
 * server's own networks is refused before connecting, whatever name led to it (a DNS
 * answer that changed since any earlier check included). */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address)
{
    transfer *t = clientp;
    if (purpose == CURLSOCKTYPE_IPCXN && t->req->filter_addresses) {
        kf_ipaddr a;
        if (!kf_ipaddr_from_sockaddr(&address->addr, &a) ||
            !kf_outbound_address_ok(t->req->outbound_allow, &a)) {
            t->blocked = 1;
            return CURL_SOCKET_BAD;    /* curl goes on with the next address, if any */
        }
    }
    t->opened++;
    return socket(address->family, address->socktype, address->protocol);
}

static apr_status_t map_error(apr_pool_t *p, CURLcode code, const char *errbuf,
                              const transfer *t, const char **why)
{
    if (t->blocked && !t->opened) {
        *why = "blocked_address: the host resolves to an address of the server's own networks";
        return KF_HTTP_EBLOCKED;
    }
    if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
        *why = apr_psprintf(p, "response body larger than %" APR_SIZE_T_FMT " bytes", t->max);
        return APR_ENOSPC;
    }
    const char *msg = (errbuf_is_safe(code) && errbuf[0]) ? errbuf : curl_easy_strerror(code);
    *why = clean_reason(p, code, msg);
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
        return APR_TIMEUP;
    case CURLE_COULDNT_CONNECT:
        return APR_ECONNREFUSED;
    case CURLE_COULDNT_RESOLVE_HOST:
        return KF_HTTP_EDNS;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        return KF_HTTP_ETLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return APR_EINVAL;
    default:
        return APR_EGENERAL;
    }
}

/* One exchange on h, a handle with every option at its default (new or reset); every option
 * the exchange needs is set here. */
static apr_status_t perform_on(CURL *h, apr_pool_t *p, const kf_http_request *req,
                               kf_http_response **resp, const char **why)
{
    char errbuf[CURL_ERROR_SIZE];
    header_ctx hdrs = { NULL, 0 };
    transfer t;
    CURLcode rc = CURLE_OK;
    apr_status_t rv = APR_SUCCESS;
    long status = 0;

    memset(&t, 0, sizeof(t));
    t.p = p;
    t.req = req;
    t.max = req->max_response_bytes;
    t.headers = apr_table_make(p, 16);
    errbuf[0] = '\0';

    if (req->headers) {
        apr_table_do(add_header, &hdrs, req->headers, NULL);
    }
    /* No "Expect: 100-continue" round trip for larger bodies unless the caller asks for it. */
    if (!hdrs.failed && !(req->headers && apr_table_get(req->headers, "Expect"))) {
        /* "Name:" with nothing after it tells curl to drop a header it would add itself. */
        struct curl_slist *next = curl_slist_append(hdrs.list, "Expect:");
        if (next) {
            hdrs.list = next;
        }
        else {
            hdrs.failed = 1;
        }
    }
    if (hdrs.failed) {
        *why = "cannot build request headers";
        rv = APR_EINVAL;
        goto done;
    }

    KF_CURL_SETOPT(h, CURLOPT_URL, req->url);
    KF_CURL_SETOPT(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    KF_CURL_SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
    KF_CURL_SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    KF_CURL_SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    KF_CURL_SETOPT(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    KF_CURL_SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
    KF_CURL_SETOPT(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    KF_CURL_SETOPT(h, CURLOPT_OPENSOCKETDATA, &t);
    if (req->filter_addresses) {
        /* no proxy from the environment: the filter must see the merchant's own address */
        KF_CURL_SETOPT(h, CURLOPT_PROXY, "");
    }
    KF_CURL_SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
    KF_CURL_SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
    KF_CURL_SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    KF_CURL_SETOPT(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    /* Refused up front when the server announces a larger Content-Length. */
    if (!req->truncate_response) {
        /* refused early when Content-Length announces too much (cut answers read up to it) */
        KF_CURL_SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_response_bytes);
    }
    KF_CURL_SETOPT(h, CURLOPT_WRITEFUNCTION, on_body);
    KF_CURL_SETOPT(h, CURLOPT_WRITEDATA, &t);
    KF_CURL_SETOPT(h, CURLOPT_HEADERFUNCTION, on_header);
    KF_CURL_SETOPT(h, CURLOPT_HEADERDATA, &t);
    KF_CURL_SETOPT(h, CURLOPT_ERRORBUFFER, errbuf);
    if (!(req->headers && apr_table_get(req->headers, "User-Agent"))) {
        KF_CURL_SETOPT(h, CURLOPT_USERAGENT, "Konfirmado/" KF_VERSION);
    }
    KF_CURL_SETOPT(h, CURLOPT_HTTPHEADER, hdrs.list);

    if (strcmp(req->method, "GET") == 0) {
        KF_CURL_SETOPT(h, CURLOPT_HTTPGET, 1L);
    }
    else if (strcmp(req->method, "HEAD") == 0) {
        KF_CURL_SETOPT(h, CURLOPT_NOBODY, 1L);
    }
    else {
        if (strcmp(req->method, "POST") != 0) {
            KF_CURL_SETOPT(h, CURLOPT_CUSTOMREQUEST, req->method);
        }
        if (req->body || strcmp(req->method, "POST") == 0) {
            /* POSTFIELDS is not copied: req->body outlives curl_easy_perform. */
            KF_CURL_SETOPT(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
            KF_CURL_SETOPT(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        }
    }
    if (rc != CURLE_OK) {
        *why = clean_reason(p, rc, curl_easy_strerror(rc));
        rv = APR_EGENERAL;
        goto done;
    }

    apr_time_t start = apr_time_now();
    rc = curl_easy_perform(h);
    apr_interval_time_t elapsed = apr_time_now() - start;
    int cut = rc != CURLE_OK && t.too_large && req->truncate_response;
    if (rc != CURLE_OK && !cut) {
        rv = map_error(p, rc, errbuf, &t, why);
        goto done;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);

    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = (int)status;
    r->headers = t.headers;
    if (t.body) {
        t.body[t.len] = '\0'; /* cap always leaves room for it */
        r->body = t.body;
    }
    else {
        r->body = "";
    }
    r->body_len = t.len;
    r->elapsed = elapsed;
    r->truncated = cut;
    *resp = r;

done:
    /* back to the defaults: nothing of this exchange (its buffers, its address filter)
     * stays on a handle that is kept */
    curl_easy_reset(h);
    curl_slist_free_all(hdrs.list);
    return rv;
}

static apr_status_t curl_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    (void)baton;
    CURL *h = curl_easy_init();
    if (!h) {
        *why = "cannot create a curl handle";
        return APR_ENOMEM;
    }
    apr_status_t rv = perform_on(h, p, req, resp, why);
    curl_easy_cleanup(h);
    return rv;
}

static const kf_http_impl curl_impl = { "curl", curl_perform };

/* A kept handle and the address rule its connections were opened under. */
typedef struct {
    CURL *h;
    int filter_addresses;
    const apr_array_header_t *outbound_allow;
} kept_handle;

static apr_status_t kept_handle_cleanup(void *data)
{
    kept_handle *k = data;
    if (k->h) {
        curl_easy_cleanup(k->h);
        k->h = NULL;
    }
    return APR_SUCCESS;
}

/* The kept handle's connections were each judged by the address filter when they were
 * opened; one opened under another rule (unfiltered, or another allowed range) is never
 * reused for this request: the handle and its connections are dropped first. */
static apr_status_t kept_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    kept_handle *k = baton;
    if (k->h && (k->filter_addresses != req->filter_addresses ||
                 k->outbound_allow != req->outbound_allow)) {
        kept_handle_cleanup(k);
    }
    if (!k->h && !(k->h = curl_easy_init())) {
        *why = "cannot create a curl handle";
        return APR_ENOMEM;
    }
    k->filter_addresses = req->filter_addresses;
    k->outbound_allow = req->outbound_allow;
    return perform_on(k->h, p, req, resp, why);
}

static const kf_http_impl kept_impl = { "curl-keepalive", kept_perform };

const kf_http_impl *kf_http_curl_impl(void)
{
    return &curl_impl;
}

kf_http_client *kf_http_curl_client_create(apr_pool_t *p)
{
    return kf_http_client_create(p, &curl_impl, NULL);
}

kf_http_client *kf_http_curl_client_keepalive(apr_pool_t *p)
{
    kept_handle *k = apr_pcalloc(p, sizeof(*k));
    apr_pool_cleanup_register(p, k, kept_handle_cleanup, apr_pool_cleanup_null);
    return kf_http_client_create(p, &kept_impl, k);
}

apr_status_t kf_http_curl_global_init(const char **why)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        if (why) {
            *why = "curl_global_init failed";
        }
        return APR_EGENERAL;
    }
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    int https = 0;
    for (const char *const *proto = info->protocols; proto && *proto; proto++) {
        if (strcmp(*proto, "https") == 0) {
            https = 1;
        }
    }
    if (!(info->features & CURL_VERSION_SSL) || !https) {
        curl_global_cleanup();
        if (why) {
            *why = "libcurl was built without HTTPS support";
        }
        return APR_ENOTIMPL;
    }
    return APR_SUCCESS;
}

void kf_http_curl_global_cleanup(void)
{
    curl_global_cleanup();
}
