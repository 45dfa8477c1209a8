/* Unit tests for lib/kf_http (URL policy, vtable) and lib/net/kf_http_curl.c against loopback
 * servers started in a thread: plain HTTP/1.1, and TLS with a throwaway self-signed
 * certificate to prove that certificate verification is on. */
#include "kf_check.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <stdio.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <poll.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <curl/curl.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kf_http.h"
#include "kf_netaddr.h"
#include "kf_version.h"


/* ------------------------------------------------------------------------------------------
 * libssl, loaded at run time. The build links the core against libcrypto only (configure
 * checks libcrypto, not libssl); libcurl already pulls libssl into the process, so the TLS
 * test server borrows it with dlopen instead of changing the build. */

typedef struct {
    void *handle;
    const SSL_METHOD *(*server_method)(void);
    SSL_CTX *(*ctx_new)(const SSL_METHOD *);
    void (*ctx_free)(SSL_CTX *);
    int (*ctx_use_cert)(SSL_CTX *, X509 *);
    int (*ctx_use_key)(SSL_CTX *, EVP_PKEY *);
    SSL *(*ssl_new)(SSL_CTX *);
    void (*ssl_free)(SSL *);
    int (*set_fd)(SSL *, int);
    int (*accept)(SSL *);
    int (*read)(SSL *, void *, int);
    int (*write)(SSL *, const void *, int);
    int (*shutdown)(SSL *);
} libssl_api;

static libssl_api ssl_api; /* filled once in main before any thread starts, then read-only */

#define LOAD_SYM(field, name)                                                                \
    do {                                                                                     \
        void *sym_ = dlsym(ssl_api.handle, name);                                            \
        if (!sym_) return 0;                                                                 \
        memcpy(&ssl_api.field, &sym_, sizeof(sym_));                                         \
    } while (0)

static int load_libssl(void)
{
    static const char *const names[] = { "libssl.so.3", "libssl.so.1.1", "libssl.so" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !ssl_api.handle; i++) {
        ssl_api.handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (!ssl_api.handle) {
        return 0;
    }
    LOAD_SYM(server_method, "TLS_server_method");
    LOAD_SYM(ctx_new, "SSL_CTX_new");
    LOAD_SYM(ctx_free, "SSL_CTX_free");
    LOAD_SYM(ctx_use_cert, "SSL_CTX_use_certificate");
    LOAD_SYM(ctx_use_key, "SSL_CTX_use_PrivateKey");
    LOAD_SYM(ssl_new, "SSL_new");
    LOAD_SYM(ssl_free, "SSL_free");
    LOAD_SYM(set_fd, "SSL_set_fd");
    LOAD_SYM(accept, "SSL_accept");
    LOAD_SYM(read, "SSL_read");
    LOAD_SYM(write, "SSL_write");
    LOAD_SYM(shutdown, "SSL_shutdown");
    return 1;
}

/* A P-256 key and a self-signed certificate for 127.0.0.1 (CN and subjectAltName IP), so
 * that the only thing wrong with it is that nobody trusts it. */
static void make_self_signed(EVP_PKEY **key_out, X509 **cert_out)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
    ck_assert_ptr_nonnull(kctx);
    ck_assert_int_eq(EVP_PKEY_keygen_init(kctx), 1);
    ck_assert_int_eq(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(kctx, NID_X9_62_prime256v1), 1);
    ck_assert_int_eq(EVP_PKEY_keygen(kctx, &key), 1);
    EVP_PKEY_CTX_free(kctx);

    X509 *x = X509_new();
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(X509_set_version(x, 2), 1);
    ck_assert_int_eq(ASN1_INTEGER_set(X509_get_serialNumber(x), 4242), 1);
    ck_assert_ptr_nonnull(X509_gmtime_adj(X509_getm_notBefore(x), -3600));
    ck_assert_ptr_nonnull(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
    ck_assert_int_eq(X509_set_pubkey(x, key), 1);
    X509_NAME *name = X509_get_subject_name(x);
    ck_assert_int_eq(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)"127.0.0.1", -1, -1, 0), 1);
    ck_assert_int_eq(X509_set_issuer_name(x, name), 1);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
    ck_assert_ptr_nonnull(ext);
    ck_assert_int_eq(X509_add_ext(x, ext, -1), 1);
    X509_EXTENSION_free(ext);
    ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
    *key_out = key;
    *cert_out = x;
}

/* ------------------------------------------------------------------------------------------
 * Loopback HTTP/1.1 server: one thread, one connection at a time, "Connection: close" except
 * for /keep, answered on a connection left open for the next request. */

typedef struct {
    int listen_fd;
    int port;
    SSL_CTX *tls;            /* NULL: plain HTTP */
    pthread_t thread;
    atomic_int stop;
    atomic_int connections;  /* accepted so far */
    atomic_int handshakes_failed;
} test_server;

typedef struct {
    int fd;
    SSL *ssl;
} conn;

static long conn_read(conn *c, char *buf, size_t n)
{
    if (c->ssl) {
        int r = ssl_api.read(c->ssl, buf, (int)n);
        return r > 0 ? r : -1;
    }
    ssize_t r = recv(c->fd, buf, n, 0);
    return r > 0 ? (long)r : -1;
}

static int conn_write(conn *c, const char *buf, size_t n)
{
    while (n > 0) {
        long w;
        if (c->ssl) {
            int r = ssl_api.write(c->ssl, buf, (int)n);
            w = r > 0 ? r : -1;
        }
        else {
            ssize_t r = send(c->fd, buf, n, MSG_NOSIGNAL);
            w = r > 0 ? (long)r : -1;
        }
        if (w < 0) {
            return -1; /* the client went away (e.g. it refused a too large body): fine */
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Value of header name in the raw head (after the request line), copied into out. */
static int find_header(const char *head, const char *name, char *out, size_t outlen)
{
    size_t nlen = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line && line[2] != '\r' && line[2] != '\0') {
        line += 2;
        const char *eol = strstr(line, "\r\n");
        if (!eol) break;
        if ((size_t)(eol - line) > nlen && strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            while (*v == ' ') v++;
            size_t vlen = (size_t)(eol - v);
            if (vlen >= outlen) vlen = outlen - 1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return 1;
        }
        line = eol;
    }
    return 0;
}

static void respond(conn *c, int status, const char *extra_headers, const char *body,
                    size_t body_len, int with_length)
{
    char head[1024];
    int n = snprintf(head, sizeof(head), "HTTP/1.1 %d Whatever\r\nConnection: close\r\n%s",
                     status, extra_headers ? extra_headers : "");
    if (with_length) {
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n", body_len);
    }
    n += snprintf(head + n, sizeof(head) - (size_t)n, "\r\n");
    if (conn_write(c, head, (size_t)n) == 0 && body_len) {
        conn_write(c, body, body_len);
    }
}

static void respond_text(conn *c, int status, const char *extra_headers, const char *body)
{
    respond(c, status, extra_headers, body, strlen(body), 1);
}

#define ECHO_BODY "{\"a\":\"\xc3\xb1/\xc3\xbc\",\"b\":1}"

/* Answers one request; 1 when the connection stays open for another. */
static int serve(conn *c)
{
    char req[65536];
    size_t len = 0;
    char *end = NULL;

    while (!end) {
        if (len + 1 >= sizeof(req)) return 0;
        long r = conn_read(c, req + len, sizeof(req) - 1 - len);
        if (r <= 0) return 0;
        len += (size_t)r;
        req[len] = '\0';
        end = strstr(req, "\r\n\r\n");
    }
    char method[16] = "", path[512] = "", value[1024];
    if (sscanf(req, "%15s %511s", method, path) != 2) return 0;
    path[strcspn(path, "?")] = '\0';
    size_t head_len = (size_t)(end - req) + 4;
    size_t content_length = 0;
    if (find_header(req, "Content-Length", value, sizeof(value))) {
        content_length = (size_t)strtoul(value, NULL, 10);
    }
    while (len < head_len + content_length && len + 1 < sizeof(req)) {
        long r = conn_read(c, req + len, sizeof(req) - 1 - len);
        if (r <= 0) return 0;
        len += (size_t)r;
    }
    req[len] = '\0';
    const char *body = req + head_len;
    size_t body_len = len - head_len;

    if (strcmp(path, "/keep") == 0) {
        static const char kept[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nkept";
        return conn_write(c, kept, sizeof(kept) - 1) == 0;
    }
    if (strcmp(path, "/hello") == 0) {
        respond_text(c, 200, "Content-Type: text/plain\r\nX-Test-Header: Hello-Value\r\n",
                     "hello world");
    }
    else if (strcmp(path, "/echo") == 0) {
        /* The server checks what it received and says what was wrong. */
        const char *problem = NULL;
        char custom[256] = "";
        if (strcmp(method, "POST") != 0) problem = "method";
        else if (!find_header(req, "Content-Type", value, sizeof(value)) ||
                 strcmp(value, "application/json") != 0) problem = "content-type";
        else if (!find_header(req, "X-Custom", custom, sizeof(custom)) ||
                 strcmp(custom, "abc-123") != 0) problem = "x-custom";
        else if (!find_header(req, "User-Agent", value, sizeof(value)) ||
                 strcmp(value, "Konfirmado/" KF_VERSION) != 0) problem = "user-agent";
        else if (find_header(req, "Expect", value, sizeof(value))) problem = "expect";
        else if (body_len != strlen(ECHO_BODY) || memcmp(body, ECHO_BODY, body_len) != 0)
            problem = "body";
        if (problem) {
            respond_text(c, 400, NULL, problem);
        }
        else {
            char hdr[300];
            snprintf(hdr, sizeof(hdr), "Content-Type: application/json\r\nX-Echo-Custom: %s\r\n",
                     custom);
            respond(c, 200, hdr, body, body_len, 1);
        }
    }
    else if (strcmp(path, "/ua") == 0) {
        if (!find_header(req, "User-Agent", value, sizeof(value))) strcpy(value, "(none)");
        respond_text(c, 200, NULL, value);
    }
    else if (strcmp(path, "/method") == 0) {
        char out[600];
        snprintf(out, sizeof(out), "%s %zu", method, body_len);
        respond_text(c, 200, NULL, out);
    }
    else if (strcmp(path, "/status/404") == 0) {
        respond_text(c, 404, "Content-Type: application/json\r\n", "{\"error\":\"not_found\"}");
    }
    else if (strcmp(path, "/status/500") == 0) {
        respond_text(c, 500, NULL, "boom");
    }
    else if (strcmp(path, "/redirect") == 0) {
        respond_text(c, 302, "Location: /hello\r\n", "");
    }
    else if (strcmp(path, "/slow") == 0) {
        /* Answer after 5 s, or give up as soon as the client hangs up. */
        struct pollfd pfd = { c->fd, POLLIN, 0 };
        if (poll(&pfd, 1, 5000) == 0) {
            respond_text(c, 200, NULL, "late");
        }
    }
    else if (strncmp(path, "/bytes/", 7) == 0) {
        /* /bytes/N/cl or /bytes/N/close: N bytes, with or without Content-Length. */
        size_t n = (size_t)strtoul(path + 7, NULL, 10);
        int with_length = strstr(path, "/cl") != NULL;
        char *big = malloc(n ? n : 1);
        memset(big, 'x', n);
        respond(c, 200, NULL, big, n, with_length);
        free(big);
    }
    else {
        respond_text(c, 404, NULL, "no such test path");
    }
    return 0;
}

static void *server_main(void *arg)
{
    test_server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd pfd = { s->listen_fd, POLLIN, 0 };
        if (poll(&pfd, 1, 50) <= 0) continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0) continue;
        atomic_fetch_add(&s->connections, 1);
        struct timeval tv = { 5, 0 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        conn c = { fd, NULL };
        if (s->tls) {
            c.ssl = ssl_api.ssl_new(s->tls);
            ssl_api.set_fd(c.ssl, fd);
            if (ssl_api.accept(c.ssl) == 1) {
                while (serve(&c)) {
                }
                ssl_api.shutdown(c.ssl);
            }
            else {
                atomic_fetch_add(&s->handshakes_failed, 1);
            }
            ssl_api.ssl_free(c.ssl);
        }
        else {
            while (serve(&c)) {
            }
        }
        close(fd);
    }
    return NULL;
}

static void server_start(test_server *s, SSL_CTX *tls)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);

    memset(s, 0, sizeof(*s));
    s->tls = tls;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(s->listen_fd, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    ck_assert_int_eq(bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(s->listen_fd, 16), 0);
    ck_assert_int_eq(getsockname(s->listen_fd, (struct sockaddr *)&sa, &salen), 0);
    s->port = ntohs(sa.sin_port);
    ck_assert_int_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_stop(test_server *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
}

/* ------------------------------------------------------------------------------------------ */

static test_server srv;
static kf_http_client *client;

static void http_setup(void)
{
    kf_test_setup();
    server_start(&srv, NULL);
    client = kf_http_curl_client_create(pool);
    kf_http_allow_insecure_prefix(client, apr_psprintf(pool, "http://127.0.0.1:%d", srv.port));
}

static void http_teardown(void)
{
    server_stop(&srv);
    client = NULL;
    kf_test_teardown();
}

static const char *url(const char *path)
{
    return apr_psprintf(pool, "http://127.0.0.1:%d%s", srv.port, path);
}

static kf_http_response *do_get(const char *path, apr_size_t max, apr_status_t *rv,
                                const char **why)
{
    static kf_http_response dummy;
    kf_http_response *resp = &dummy; /* kf_http_perform must reset it on failure */
    kf_http_request *req = kf_http_request_make(pool, "GET", url(path));
    req->max_response_bytes = max;
    *rv = kf_http_perform(client, pool, req, &resp, why);
    if (*rv == APR_SUCCESS) {
        ck_assert_ptr_nonnull(resp);
        ck_assert_ptr_null(*why);
    }
    else {
        ck_assert_ptr_null(resp);
        ck_assert_ptr_nonnull(*why);
        ck_assert_ptr_null(strchr(*why, '\n'));
    }
    return resp;
}

START_TEST(get_200)
{
    apr_status_t rv;
    const char *why = "x";
    kf_http_response *resp = do_get("/hello", 0, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_int_eq(resp->status, 200);
    ck_assert_str_eq(resp->body, "hello world");
    ck_assert_uint_eq(resp->body_len, 11);
    ck_assert_str_eq(apr_table_get(resp->headers, "x-test-header"), "Hello-Value");
    ck_assert_str_eq(apr_table_get(resp->headers, "X-TEST-HEADER"), "Hello-Value");
    ck_assert_str_eq(apr_table_get(resp->headers, "content-type"), "text/plain");
    /* Names are stored lowercased. */
    const apr_array_header_t *arr = apr_table_elts(resp->headers);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    int seen = 0;
    for (int i = 0; i < arr->nelts; i++) {
        if (strcmp(e[i].key, "x-test-header") == 0) seen = 1;
        for (const char *k = e[i].key; *k; k++) ck_assert(!(*k >= 'A' && *k <= 'Z'));
    }
    ck_assert(seen);
    ck_assert_int_gt(resp->elapsed, 0);
    ck_assert_int_lt(resp->elapsed, apr_time_from_sec(5));
}
END_TEST

START_TEST(post_json_echo)
{
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(pool, "POST", url("/echo"));
    apr_table_set(req->headers, "Content-Type", "application/json");
    apr_table_set(req->headers, "X-Custom", "abc-123");
    req->body = ECHO_BODY;
    req->body_len = strlen(ECHO_BODY);
    apr_status_t rv = kf_http_perform(client, pool, req, &resp, &why);
    ck_assert_msg(rv == APR_SUCCESS, "perform failed: %s", why ? why : "?");
    ck_assert_msg(resp->status == 200, "server refused: %d %s", resp->status, resp->body);
    ck_assert_str_eq(resp->body, ECHO_BODY);
    ck_assert_str_eq(apr_table_get(resp->headers, "x-echo-custom"), "abc-123");
    ck_assert_str_eq(apr_table_get(resp->headers, "content-type"), "application/json");
}
END_TEST

START_TEST(methods_and_user_agent)
{
    kf_http_response *resp = NULL;
    const char *why = NULL;

    kf_http_request *req = kf_http_request_make(pool, "GET", url("/ua"));
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_str_eq(resp->body, "Konfirmado/" KF_VERSION);

    apr_table_set(req->headers, "User-Agent", "Merchant-Test/1");
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_str_eq(resp->body, "Merchant-Test/1");

    req = kf_http_request_make(pool, "PUT", url("/method"));
    req->body = "12345";
    req->body_len = 3; /* only the first 3 bytes */
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_str_eq(resp->body, "PUT 3");

    req = kf_http_request_make(pool, "DELETE", url("/method"));
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_str_eq(resp->body, "DELETE 0");

    req = kf_http_request_make(pool, "POST", url("/method"));
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_str_eq(resp->body, "POST 0");

    /* A zeroed request gets the defaults. */
    kf_http_request zero;
    memset(&zero, 0, sizeof(zero));
    zero.method = "GET";
    zero.url = url("/hello");
    ck_assert_int_eq(kf_http_perform(client, pool, &zero, &resp, &why), APR_SUCCESS);
    ck_assert_int_eq(resp->status, 200);
}
END_TEST

START_TEST(error_statuses_pass_through)
{
    apr_status_t rv;
    const char *why;
    kf_http_response *resp = do_get("/status/404", 0, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_int_eq(resp->status, 404);
    ck_assert_str_eq(resp->body, "{\"error\":\"not_found\"}");
    resp = do_get("/status/500", 0, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_int_eq(resp->status, 500);
    ck_assert_str_eq(resp->body, "boom");
    /* Redirects are not followed. */
    resp = do_get("/redirect", 0, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_int_eq(resp->status, 302);
    ck_assert_str_eq(apr_table_get(resp->headers, "location"), "/hello");
    ck_assert_str_eq(resp->body, "");
    ck_assert_uint_eq(resp->body_len, 0);
}
END_TEST

START_TEST(total_timeout)
{
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(pool, "GET", url("/slow"));
    req->timeout_ms = 1000;
    apr_time_t start = apr_time_now();
    apr_status_t rv = kf_http_perform(client, pool, req, &resp, &why);
    apr_interval_time_t took = apr_time_now() - start;
    ck_assert_int_eq(rv, APR_TIMEUP);
    ck_assert_ptr_null(resp);
    ck_assert_ptr_nonnull(strstr(why, "timed out"));
    ck_assert_msg(took >= apr_time_from_msec(900), "returned too early: %ld us", (long)took);
    ck_assert_msg(took < apr_time_from_msec(2000), "returned too late: %ld us", (long)took);
}
END_TEST

START_TEST(response_cap)
{
    apr_status_t rv;
    const char *why;
    kf_http_response *resp;

    /* Exactly at the cap: fine, with or without Content-Length. */
    resp = do_get("/bytes/5000/cl", 5000, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_uint_eq(resp->body_len, 5000);
    ck_assert_uint_eq(strlen(resp->body), 5000);
    resp = do_get("/bytes/5000/close", 5000, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_uint_eq(resp->body_len, 5000);

    /* One byte over: refused, announced (Content-Length) or not. */
    do_get("/bytes/5001/cl", 5000, &rv, &why);
    ck_assert_int_eq(rv, APR_ENOSPC);
    ck_assert_str_eq(why, "response body larger than 5000 bytes");
    do_get("/bytes/5001/close", 5000, &rv, &why);
    ck_assert_int_eq(rv, APR_ENOSPC);
    ck_assert_str_eq(why, "response body larger than 5000 bytes");

    /* The default cap is 1 MiB. */
    resp = do_get("/bytes/1048576/close", 0, &rv, &why);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_uint_eq(resp->body_len, 1048576);
    do_get("/bytes/1048577/close", 0, &rv, &why);
    ck_assert_int_eq(rv, APR_ENOSPC);
    ck_assert_str_eq(why, "response body larger than 1048576 bytes");
}
END_TEST

START_TEST(response_cut_instead_of_refused)
{
    const char *paths[] = {"/bytes/5001/cl", "/bytes/200000/close", "/bytes/1048577/close"};
    for (int i = 0; i < 3; i++) {
        kf_http_response *resp = NULL;
        const char *why = NULL;
        kf_http_request *req = kf_http_request_make(pool, "GET", url(paths[i]));
        req->max_response_bytes = 1024;
        req->truncate_response = 1;
        ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
        ck_assert_int_eq(resp->status, 200);
        ck_assert_uint_eq(resp->body_len, 1024);
        ck_assert(resp->truncated);
    }
    /* what fits is not marked */
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(pool, "GET", url("/bytes/1024/cl"));
    req->max_response_bytes = 1024;
    req->truncate_response = 1;
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_uint_eq(resp->body_len, 1024);
    ck_assert(!resp->truncated);
}
END_TEST

START_TEST(http_allowed_only_by_prefix)
{
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_client *strict = kf_http_curl_client_create(pool);
    kf_http_request *req = kf_http_request_make(pool, "GET", url("/hello?token=SECRET"));

    ck_assert_int_eq(kf_http_perform(strict, pool, req, &resp, &why), APR_EINVAL);
    ck_assert_ptr_null(resp);
    ck_assert_ptr_nonnull(strstr(why, "http://"));
    ck_assert_ptr_null(strstr(why, "SECRET"));
    ck_assert_int_eq(atomic_load(&srv.connections), 0); /* refused before any I/O */

    /* A prefix for another port or path does not help. */
    kf_http_allow_insecure_prefix(strict, apr_psprintf(pool, "http://127.0.0.1:%d/other", srv.port));
    kf_http_allow_insecure_prefix(strict, "http://127.0.0.1:1");
    ck_assert_int_eq(kf_http_perform(strict, pool, req, &resp, &why), APR_EINVAL);
    ck_assert_int_eq(atomic_load(&srv.connections), 0);

    kf_http_allow_insecure_prefix(strict, apr_psprintf(pool, "http://127.0.0.1:%d/hello", srv.port));
    ck_assert_int_eq(kf_http_perform(strict, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_int_eq(resp->status, 200);
    ck_assert_int_eq(atomic_load(&srv.connections), 1);
}
END_TEST

START_TEST(address_filter_on_the_connected_address)
{
    /* the local server is 127.0.0.1: an address of the server's own networks */
    int before = atomic_load(&srv.connections);
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(pool, "GET", url("/hello"));
    req->filter_addresses = 1;
    apr_status_t rv = kf_http_perform(client, pool, req, &resp, &why);
    ck_assert_int_eq(rv, KF_HTTP_EBLOCKED);
    ck_assert_str_eq(kf_http_error_kind(rv), "blocked_address");
    ck_assert_ptr_null(resp);
    ck_assert_int_eq(atomic_load(&srv.connections), before);   /* never connected */

    /* "localhost" is a name: judged on what it resolves to */
    req = kf_http_request_make(pool, "GET",
                               apr_psprintf(pool, "http://localhost:%d/hello", srv.port));
    req->filter_addresses = 1;
    kf_http_allow_insecure_prefix(client, apr_psprintf(pool, "http://localhost:%d", srv.port));
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), KF_HTTP_EBLOCKED);

    /* an operator's range lets it through */
    apr_array_header_t *allow = apr_array_make(pool, 1, sizeof(kf_cidr));
    ck_assert_ptr_null(kf_cidr_parse("127.0.0.0/8", apr_array_push(allow)));
    req = kf_http_request_make(pool, "GET", url("/hello"));
    req->filter_addresses = 1;
    req->outbound_allow = allow;
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);
    ck_assert_int_eq(resp->status, 200);
    /* without the filter (operator-configured provider URLs) nothing is judged */
    req = kf_http_request_make(pool, "GET", url("/hello"));
    ck_assert_int_eq(kf_http_perform(client, pool, req, &resp, &why), APR_SUCCESS);

    /* a client for URLs people choose (CalDAV servers) filters every request it makes */
    kf_http_client *chosen = kf_http_curl_client_create(pool);
    kf_http_allow_insecure_prefix(chosen, url(""));
    kf_http_filter_addresses(chosen, NULL);
    req = kf_http_request_make(pool, "GET", url("/hello"));
    ck_assert_int_eq(kf_http_perform(chosen, pool, req, &resp, &why), KF_HTTP_EBLOCKED);
    kf_http_filter_addresses(chosen, allow);
    ck_assert_int_eq(kf_http_perform(chosen, pool, req, &resp, &why), APR_SUCCESS);
}
END_TEST

/* A GET of /keep on client c: the server's answer, which leaves the connection open. */
static void get_kept(kf_http_client *c, apr_pool_t *p, int filter, const apr_array_header_t *allow,
                     apr_status_t expected)
{
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(p, "GET", url("/keep"));
    req->filter_addresses = filter;
    req->outbound_allow = allow;
    ck_assert_int_eq(kf_http_perform(c, p, req, &resp, &why), expected);
    if (expected == APR_SUCCESS) {
        ck_assert_int_eq(resp->status, 200);
        ck_assert_str_eq(resp->body, "kept");
    }
}

START_TEST(keepalive_client_reuses_its_connection)
{
    int before = atomic_load(&srv.connections);
    apr_pool_t *kp = NULL;
    ck_assert_int_eq(apr_pool_create(&kp, pool), APR_SUCCESS);
    kf_http_client *kept = kf_http_curl_client_keepalive(kp);
    kf_http_allow_insecure_prefix(kept, url(""));
    for (int i = 0; i < 3; i++) {
        get_kept(kept, kp, 0, NULL, APR_SUCCESS);
    }
    ck_assert_int_eq(atomic_load(&srv.connections), before + 1);
    apr_pool_destroy(kp);           /* closes it: the server waits for the next one */

    /* a client of its own handle per request opens a connection for each */
    get_kept(client, pool, 0, NULL, APR_SUCCESS);
    get_kept(client, pool, 0, NULL, APR_SUCCESS);
    ck_assert_int_eq(atomic_load(&srv.connections), before + 3);
}
END_TEST

START_TEST(keepalive_client_never_reuses_a_connection_the_filter_did_not_judge)
{
    apr_pool_t *kp = NULL;
    ck_assert_int_eq(apr_pool_create(&kp, pool), APR_SUCCESS);
    kf_http_client *kept = kf_http_curl_client_keepalive(kp);
    kf_http_allow_insecure_prefix(kept, url(""));
    apr_array_header_t *allow = apr_array_make(pool, 1, sizeof(kf_cidr));
    ck_assert_ptr_null(kf_cidr_parse("127.0.0.0/8", apr_array_push(allow)));

    int before = atomic_load(&srv.connections);
    get_kept(kept, kp, 0, NULL, APR_SUCCESS);            /* unfiltered: a provider's URL */
    /* the same server as a merchant's URL: the open connection is not the filter's to reuse */
    get_kept(kept, kp, 1, NULL, KF_HTTP_EBLOCKED);
    ck_assert_int_eq(atomic_load(&srv.connections), before + 1);
    /* allowed by the operator's range: judged again, then kept under that rule */
    get_kept(kept, kp, 1, allow, APR_SUCCESS);
    get_kept(kept, kp, 1, allow, APR_SUCCESS);
    ck_assert_int_eq(atomic_load(&srv.connections), before + 2);
    apr_pool_destroy(kp);
}
END_TEST

START_TEST(error_kinds_for_merchants)
{
    ck_assert_str_eq(kf_http_error_kind(APR_TIMEUP), "timeout");
    ck_assert_str_eq(kf_http_error_kind(APR_ECONNREFUSED), "connection_refused");
    ck_assert_str_eq(kf_http_error_kind(KF_HTTP_EDNS), "dns_error");
    ck_assert_str_eq(kf_http_error_kind(KF_HTTP_ETLS), "tls_error");
    ck_assert_str_eq(kf_http_error_kind(KF_HTTP_EBLOCKED), "blocked_address");
    /* no answer over an open connection: one of the contract's five, never a sixth */
    ck_assert_str_eq(kf_http_error_kind(APR_EOF), "connection_refused");
    ck_assert_str_eq(kf_http_error_kind(APR_EGENERAL), "connection_refused");
}
END_TEST

START_TEST(connection_refused)
{
    /* A port that was just free: bind, learn it, close. */
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
    close(fd);

    const char *base = apr_psprintf(pool, "http://127.0.0.1:%d", ntohs(sa.sin_port));
    kf_http_client *c = kf_http_curl_client_create(pool);
    kf_http_allow_insecure_prefix(c, base);
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(pool, "GET",
                                                apr_pstrcat(pool, base, "/x?token=SECRET", NULL));
    apr_status_t rv = kf_http_perform(c, pool, req, &resp, &why);
    ck_assert_int_eq(rv, APR_ECONNREFUSED);
    ck_assert_ptr_null(resp);
    ck_assert_msg(strstr(why, "connect") != NULL, "reason: %s", why);
    ck_assert_ptr_null(strstr(why, "SECRET"));
    ck_assert_ptr_null(strstr(why, "/x"));
}
END_TEST

START_TEST(tls_verification_on)
{
    if (!ssl_api.handle) {
        fprintf(stderr, "tls_verification_on: libssl could not be loaded, skipped\n");
        return;
    }
    EVP_PKEY *key;
    X509 *cert;
    make_self_signed(&key, &cert);
    SSL_CTX *ctx = ssl_api.ctx_new(ssl_api.server_method());
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(ssl_api.ctx_use_cert(ctx, cert), 1);
    ck_assert_int_eq(ssl_api.ctx_use_key(ctx, key), 1);

    test_server tls;
    server_start(&tls, ctx);
    const char *https_url = apr_psprintf(pool, "https://127.0.0.1:%d/hello?token=SECRET", tls.port);

    kf_http_client *c = kf_http_curl_client_create(pool);
    kf_http_response *resp = NULL;
    const char *why = NULL;
    kf_http_request *req = kf_http_request_make(pool, "GET", https_url);
    /* the handshake is what is tested, not its speed: under valgrind on a busy machine both
     * ends of it take seconds */
    req->connect_timeout_ms = 20000;
    req->timeout_ms = 40000;
    apr_status_t rv = kf_http_perform(c, pool, req, &resp, &why);

    /* Control: the same server is fine for a client that trusts this certificate, so the
     * refusal above is about trust and nothing else. */
    long control_status = 0;
#if LIBCURL_VERSION_NUM >= 0x074d00 /* CURLOPT_CAINFO_BLOB: 7.77.0 */
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char *pem;
    long pem_len = BIO_get_mem_data(bio, &pem);
    struct curl_blob blob = { pem, (size_t)pem_len, CURL_BLOB_COPY };
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, https_url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fwrite);
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(h, CURLOPT_WRITEDATA, devnull);
    CURLcode crc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &control_status);
    curl_easy_cleanup(h);
    fclose(devnull);
    BIO_free(bio);
    ck_assert_msg(crc == CURLE_OK, "control request failed: %s", curl_easy_strerror(crc));
#else
    control_status = 200;
#endif

    server_stop(&tls);
    int handshakes_failed = atomic_load(&tls.handshakes_failed);
    ssl_api.ctx_free(ctx);
    X509_free(cert);
    EVP_PKEY_free(key);

    ck_assert_int_eq(rv, KF_HTTP_ETLS);
    ck_assert_str_eq(kf_http_error_kind(rv), "tls_error");
    ck_assert_ptr_null(resp);
    ck_assert_msg(strstr(why, "certificate") != NULL, "reason: %s", why);
    ck_assert_ptr_null(strstr(why, "SECRET"));
    ck_assert_int_eq(handshakes_failed, 1);
    ck_assert_int_eq(control_status, 200);
}
END_TEST

/* ------------------------------------------------------------------------------------------
 * URL policy and the vtable, with a fake implementation (no I/O). */

typedef struct {
    int calls;
    kf_http_request seen;
} fake_state;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_state *f = baton;
    f->calls++;
    f->seen = *req;
    if (strstr(req->url, "/fail")) {
        *why = "fake failure";
        return APR_EGENERAL;
    }
    if (strstr(req->url, "/null")) {
        return APR_SUCCESS; /* a broken implementation: success without a response */
    }
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = 204;
    r->headers = apr_table_make(p, 1);
    r->body = "";
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = { "fake", fake_perform };

static int url_ok(const kf_http_client *c, const char *u)
{
    const char *why = NULL;
    apr_status_t rv = kf_http_check_url(c, u, &why);
    if (rv == APR_SUCCESS) {
        ck_assert_ptr_null(why);
        return 1;
    }
    ck_assert_int_eq(rv, APR_EINVAL);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_null(strstr(why, "SECRET"));
    return 0;
}

START_TEST(url_policy)
{
    fake_state f = { 0 };
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);

    ck_assert(url_ok(c, "https://api.wompi.co/v1/transactions?a=SECRET"));
    ck_assert(url_ok(c, "HTTPS://Example.COM"));
    ck_assert(url_ok(c, "https://127.0.0.1:8443/x#frag"));
    ck_assert(url_ok(NULL, "https://example.com/"));

    ck_assert(!url_ok(c, "http://example.com/?token=SECRET"));
    ck_assert(!url_ok(c, "ftp://example.com/file"));
    ck_assert(!url_ok(c, "file:///etc/passwd"));
    ck_assert(!url_ok(c, "gopher://example.com/"));
    ck_assert(!url_ok(c, "javascript:alert(1)"));
    ck_assert(!url_ok(c, "garbage"));
    ck_assert(!url_ok(c, "//example.com/x"));
    ck_assert(!url_ok(c, ""));
    ck_assert(!url_ok(c, NULL));
    ck_assert(!url_ok(c, "https://"));
    ck_assert(!url_ok(c, "https:///path"));
    ck_assert(!url_ok(c, "https://:443/path"));
    ck_assert(!url_ok(c, "https://user:SECRET@example.com/"));
    ck_assert(!url_ok(c, "https://example.com/a b"));
    ck_assert(!url_ok(c, "https://example.com/\r\nX: y"));
    ck_assert(!url_ok(c, "https://example.com\\@evil.example/"));
    ck_assert(!url_ok(c, "https://ex\xc3\xa1mple.com/"));
    ck_assert(!url_ok(c, " https://example.com/"));

    kf_http_allow_insecure_prefix(c, "http://127.0.0.1:8080/wompi");
    kf_http_allow_insecure_prefix(c, "http://localhost:9000");
    kf_http_allow_insecure_prefix(c, "http://fakes:7000/mail/");
    kf_http_allow_insecure_prefix(c, NULL);
    kf_http_allow_insecure_prefix(c, "");
    ck_assert(url_ok(c, "http://127.0.0.1:8080/wompi"));
    ck_assert(url_ok(c, "http://127.0.0.1:8080/wompi/v1/transactions/12"));
    ck_assert(url_ok(c, "http://127.0.0.1:8080/wompi?x=1"));
    ck_assert(url_ok(c, "http://localhost:9000/anything"));
    ck_assert(url_ok(c, "http://localhost:9000"));
    ck_assert(url_ok(c, "http://fakes:7000/mail/send"));
    ck_assert(!url_ok(c, "http://127.0.0.1:8080/wompix"));
    ck_assert(!url_ok(c, "http://127.0.0.1:8080/other"));
    ck_assert(!url_ok(c, "http://127.0.0.1:8080"));
    ck_assert(!url_ok(c, "http://localhost:90001/"));
    ck_assert(!url_ok(c, "http://localhost:9000@evil.example/"));
    ck_assert(!url_ok(c, "http://localhost:9000.evil.example/"));
    ck_assert(!url_ok(c, "http://fakes:7000/mailbox"));
    ck_assert(!url_ok(c, "HTTP://localhost:9000/x")); /* prefixes compare exactly */
    ck_assert(!url_ok(c, "ftp://localhost:9000/x"));
    ck_assert_int_eq(f.calls, 0);
}
END_TEST

START_TEST(vtable_and_request_checks)
{
    fake_state f = { 0 };
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_http_response *resp = NULL;
    const char *why = NULL;

    /* Defaults are filled in before the implementation sees the request. */
    kf_http_request req;
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.url = "https://example.com/ok";
    ck_assert_int_eq(kf_http_perform(c, pool, &req, &resp, &why), APR_SUCCESS);
    ck_assert_int_eq(resp->status, 204);
    ck_assert_int_eq(f.calls, 1);
    ck_assert_int_eq(f.seen.connect_timeout_ms, 5000);
    ck_assert_int_eq(f.seen.timeout_ms, 10000);
    ck_assert_uint_eq(f.seen.max_response_bytes, 1024 * 1024);

    kf_http_request *made = kf_http_request_make(pool, "GET", "https://example.com/ok");
    ck_assert_int_eq(made->connect_timeout_ms, KF_HTTP_DEFAULT_CONNECT_TIMEOUT_MS);
    ck_assert_int_eq(made->timeout_ms, KF_HTTP_DEFAULT_TIMEOUT_MS);
    ck_assert_uint_eq(made->max_response_bytes, KF_HTTP_DEFAULT_MAX_RESPONSE_BYTES);
    ck_assert_ptr_nonnull(made->headers);
    made->timeout_ms = 1234;
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_SUCCESS);
    ck_assert_int_eq(f.seen.timeout_ms, 1234);
    ck_assert_int_eq(f.calls, 2);

    /* Refused before the implementation is called. */
    made->url = "ftp://example.com/";
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EINVAL);
    ck_assert_ptr_null(resp);
    ck_assert_ptr_nonnull(why);
    made->url = "https://example.com/ok";
    apr_table_set(made->headers, "X-Injected", "a\r\nEvil: 1");
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EINVAL);
    ck_assert_str_eq(why, "invalid request header");
    apr_table_clear(made->headers);
    apr_table_set(made->headers, "Bad Name", "x");
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EINVAL);
    apr_table_clear(made->headers);
    made->method = "get";
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EINVAL);
    ck_assert_str_eq(why, "invalid HTTP method");
    made->method = NULL;
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EINVAL);
    made->method = "POST";
    made->body_len = 3;
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EINVAL);
    made->body_len = 0;
    ck_assert_int_eq(f.calls, 2);

    /* Implementation failures come back as they are; a missing response is an error. */
    made->url = "https://example.com/fail";
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EGENERAL);
    ck_assert_str_eq(why, "fake failure");
    made->url = "https://example.com/null";
    ck_assert_int_eq(kf_http_perform(c, pool, made, &resp, &why), APR_EGENERAL);
    ck_assert_ptr_null(resp);
    ck_assert_ptr_nonnull(why);
    ck_assert_int_eq(f.calls, 4);

    ck_assert_int_eq(kf_http_perform(NULL, pool, made, &resp, &why), APR_EINVAL);
    ck_assert_str_eq(kf_http_curl_impl()->name, "curl");
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* Loopback tests must not be sent to a proxy from the environment. */
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("https_proxy");
    unsetenv("HTTPS_PROXY");
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    const char *why = NULL;
    if (kf_http_curl_global_init(&why) != APR_SUCCESS) {
        fprintf(stderr, "kf_http_curl_global_init: %s\n", why);
        return EXIT_FAILURE;
    }
    if (!load_libssl()) {
        fprintf(stderr, "note: libssl not loadable, the TLS test will be skipped\n");
    }

    Suite *s = suite_create("http");
    TCase *tp = tcase_create("policy");
    tcase_add_checked_fixture(tp, kf_test_setup, kf_test_teardown);
    tcase_add_test(tp, url_policy);
    tcase_add_test(tp, vtable_and_request_checks);
    suite_add_tcase(s, tp);

    TCase *tc = tcase_create("curl");
    tcase_add_checked_fixture(tc, http_setup, http_teardown);
    tcase_set_timeout(tc, 60); /* valgrind is slow; the timeout test measures its own bound */
    tcase_add_test(tc, get_200);
    tcase_add_test(tc, post_json_echo);
    tcase_add_test(tc, methods_and_user_agent);
    tcase_add_test(tc, error_statuses_pass_through);
    tcase_add_test(tc, total_timeout);
    tcase_add_test(tc, response_cap);
    tcase_add_test(tc, response_cut_instead_of_refused);
    tcase_add_test(tc, http_allowed_only_by_prefix);
    tcase_add_test(tc, connection_refused);
    tcase_add_test(tc, address_filter_on_the_connected_address);
    tcase_add_test(tc, keepalive_client_reuses_its_connection);
    tcase_add_test(tc, keepalive_client_never_reuses_a_connection_the_filter_did_not_judge);
    tcase_add_test(tc, error_kinds_for_merchants);
    tcase_add_test(tc, tls_verification_on);
    suite_add_tcase(s, tc);

    int rc = kf_run_suite(s);
    kf_http_curl_global_cleanup();
    if (ssl_api.handle) {
        dlclose(ssl_api.handle);
    }
    return rc;
}
