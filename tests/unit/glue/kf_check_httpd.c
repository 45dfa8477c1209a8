/* The stub of httpd under the glue's Check suites (kf_check_httpd.h). Each function below is
 * one httpd 2.4 exports, written after what httpd's own does (modules/http/http_filters.c,
 * http_protocol.c, server/protocol.c, util_cookies.c) for the part the plumbing relies on;
 * what httpd would do and the stub cannot is refused loudly rather than skipped. */
#include "kf_check_httpd.h"
#include "mod_kf_config.h"
#include "kf_json.h"

#include "http_log.h"
#include "http_protocol.h"
#include "util_cookies.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>

/* The module record the glue's headers name: one slot of the configuration vectors. */
module AP_MODULE_DECLARE_DATA konfirmado_module = {
    .version = MODULE_MAGIC_NUMBER_MAJOR,
    .minor_version = MODULE_MAGIC_NUMBER_MINOR,
    .module_index = 0,
    .name = "mod_konfirmado.c",
    .magic = MODULE_MAGIC_COOKIE,
};

/* A network read hands over at most what the core input filter reads at once. */
#define READ_AT_ONCE 8000

/* A request and what the test knows of it beside httpd's record. */
typedef struct stub_request {
    request_rec r;              /* first: the module is handed &stub->r */
    const char *body;           /* what the client sends */
    apr_size_t body_len;
    apr_size_t cut_at;          /* the client is gone after these bytes (body_len: never) */
    apr_size_t body_read;
    apr_array_header_t *sent;   /* the bytes of the answer (char) */
} stub_request;

static apr_pool_t *setup_pool;
static server_rec *server;
static conn_rec *connection;
static apr_array_header_t *log_lines;   /* const char * */

static stub_request *stub_of(const request_rec *r)
{
    return (stub_request *)r;
}

void kf_check_httpd_setup(apr_pool_t *p)
{
    setup_pool = p;
    log_lines = apr_array_make(p, 8, sizeof(const char *));

    kfm_server_conf *c = apr_pcalloc(p, sizeof(*c));
    KFM_MODULE_DIRECTIVES(KFM_CONF_UNSET_, kfm_conf)   /* every directive unset: defaults */
    void **config = apr_pcalloc(p, sizeof(void *));
    ap_set_module_config(config, &konfirmado_module, c);

    server = apr_pcalloc(p, sizeof(*server));
    server->server_hostname = "konfirmado.test";
    server->module_config = (struct ap_conf_vector_t *)config;
    server->log.level = APLOG_DEBUG;    /* every line the module writes reaches the log */

    connection = apr_pcalloc(p, sizeof(*connection));
    connection->pool = p;
    connection->base_server = server;
    connection->keepalive = AP_CONN_UNKNOWN;
}

server_rec *kf_check_server(void)
{
    return server;
}

static int method_number(const char *method)
{
    static const struct { const char *name; int number; } methods[] = {
        {"GET", M_GET}, {"HEAD", M_GET}, {"POST", M_POST}, {"PUT", M_PUT},
        {"DELETE", M_DELETE}, {"PATCH", M_PATCH}, {"OPTIONS", M_OPTIONS},
    };
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        if (strcmp(methods[i].name, method) == 0) {
            return methods[i].number;
        }
    }
    return M_INVALID;
}

request_rec *kf_check_request(const char *method, const char *uri, const char *args)
{
    apr_pool_t *p;
    apr_pool_create(&p, setup_pool);
    stub_request *stub = apr_pcalloc(p, sizeof(*stub));
    stub->sent = apr_array_make(p, 256, sizeof(char));
    request_rec *r = &stub->r;
    r->pool = p;
    r->server = server;
    r->connection = connection;
    r->method = apr_pstrdup(p, method);
    r->method_number = method_number(method);
    r->header_only = strcmp(method, "HEAD") == 0;
    r->protocol = apr_pstrdup(p, "HTTP/1.1");
    r->proto_num = HTTP_VERSION(1, 1);
    r->uri = apr_pstrdup(p, uri);
    r->args = args ? apr_pstrdup(p, args) : NULL;
    r->unparsed_uri = args ? apr_pstrcat(p, uri, "?", args, NULL) : r->uri;
    r->status = HTTP_OK;
    r->headers_in = apr_table_make(p, 8);
    r->headers_out = apr_table_make(p, 8);
    r->err_headers_out = apr_table_make(p, 8);
    r->notes = apr_table_make(p, 4);
    r->subprocess_env = apr_table_make(p, 4);
    apr_table_setn(r->headers_in, "Host", server->server_hostname);
    return r;
}

void kf_check_body(request_rec *r, const char *body)
{
    stub_request *stub = stub_of(r);
    stub->body = body;
    stub->body_len = stub->cut_at = strlen(body);
    apr_table_setn(r->headers_in, "Content-Length",
                   apr_off_t_toa(r->pool, (apr_off_t)stub->body_len));
}

void kf_check_body_chunked(request_rec *r, const char *body, apr_size_t len)
{
    stub_request *stub = stub_of(r);
    stub->body = body;
    stub->body_len = stub->cut_at = len;
    apr_table_setn(r->headers_in, "Transfer-Encoding", "chunked");
}

void kf_check_body_cut(request_rec *r, apr_size_t len)
{
    stub_of(r)->cut_at = len;
}

apr_size_t kf_check_body_read(const request_rec *r)
{
    return stub_of(r)->body_read;
}

const char *kf_check_header(const request_rec *r, const char *name)
{
    if (strcasecmp(name, "Content-Type") == 0) {
        return r->content_type;
    }
    const char *v = apr_table_get(r->err_headers_out, name);
    return v ? v : apr_table_get(r->headers_out, name);
}

const char *kf_check_sent(const request_rec *r, apr_size_t *len)
{
    const apr_array_header_t *sent = stub_of(r)->sent;
    if (len) {
        *len = (apr_size_t)sent->nelts;
    }
    return apr_pstrmemdup(r->pool, sent->elts, (apr_size_t)sent->nelts);
}

json_t *kf_check_sent_json(const request_rec *r)
{
    apr_size_t len;
    const char *text = kf_check_sent(r, &len);
    return kf_json_parse(r->pool, text, len, NULL);
}

int kf_check_log_count(const char *text)
{
    int n = 0;
    for (int i = 0; i < log_lines->nelts; i++) {
        n += strstr(APR_ARRAY_IDX(log_lines, i, const char *), text) != NULL;
    }
    return n;
}

const char *kf_check_log_last(void)
{
    return log_lines->nelts ? APR_ARRAY_IDX(log_lines, log_lines->nelts - 1, const char *) : NULL;
}

/* ---- httpd's functions ---- */

static void keep_log_line(int level, const char *fmt, va_list ap)
{
    const char *text = apr_pvsprintf(setup_pool, fmt, ap);
    APR_ARRAY_PUSH(log_lines, const char *) =
        apr_psprintf(setup_pool, "[%d] %s", level & APLOG_LEVELMASK, text);
}

AP_DECLARE(void) ap_log_error_(const char *file, int line, int module_index, int level,
                               apr_status_t status, const server_rec *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    keep_log_line(level, fmt, ap);
    va_end(ap);
}

AP_DECLARE(void) ap_log_rerror_(const char *file, int line, int module_index, int level,
                                apr_status_t status, const request_rec *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    keep_log_line(level, fmt, ap);
    va_end(ap);
}

AP_DECLARE(void) ap_set_content_type(request_rec *r, const char *ct)
{
    r->content_type = ct;
}

AP_DECLARE(void) ap_set_content_length(request_rec *r, apr_off_t clength)
{
    r->clength = clength;
    apr_table_setn(r->headers_out, "Content-Length", apr_off_t_toa(r->pool, clength));
}

AP_DECLARE(int) ap_rwrite(const void *buf, int nbyte, request_rec *r)
{
    if (nbyte < 0 || r->connection->aborted) {
        return -1;
    }
    apr_array_header_t *sent = stub_of(r)->sent;
    for (int i = 0; i < nbyte; i++) {
        APR_ARRAY_PUSH(sent, char) = ((const char *)buf)[i];
    }
    return nbyte;
}

/* Digits only, as ap_parse_strict_length takes them. */
static int strict_length(const char *text, apr_off_t *n)
{
    char *end;
    if (!apr_isdigit(*text) || apr_strtoff(n, text, &end, 10) != APR_SUCCESS || *end) {
        return 0;
    }
    return 1;
}

AP_DECLARE(int) ap_setup_client_block(request_rec *r, int read_policy)
{
    const char *tenc = apr_table_get(r->headers_in, "Transfer-Encoding");
    const char *lenp = apr_table_get(r->headers_in, "Content-Length");
    r->read_body = read_policy;
    r->read_chunked = 0;
    r->remaining = 0;
    if (tenc) {
        if (strcasecmp(tenc, "chunked") != 0) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "Unknown Transfer-Encoding %s", tenc);
            return HTTP_NOT_IMPLEMENTED;
        }
        if (read_policy == REQUEST_CHUNKED_ERROR) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "chunked Transfer-Encoding forbidden: %s",
                          r->uri);
            return lenp ? HTTP_BAD_REQUEST : HTTP_LENGTH_REQUIRED;
        }
        r->read_chunked = 1;
    }
    else if (lenp && !strict_length(lenp, &r->remaining)) {
        r->remaining = 0;
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "Invalid Content-Length '%s'", lenp);
        return HTTP_BAD_REQUEST;
    }
    if (read_policy == REQUEST_NO_BODY && (r->read_chunked || r->remaining > 0)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s with body is not allowed for %s",
                      r->method, r->uri);
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    /* no LimitRequestBody in the stub: the module's own limits are what is tested */
    return OK;
}

AP_DECLARE(int) ap_should_client_block(request_rec *r)
{
    return !(r->read_length || (!r->read_chunked && r->remaining <= 0));
}

/* Once the last byte is handed over httpd marks the body read (its EOS); a client gone
 * before that is an error, after which httpd closes the connection. A Content-Length is
 * never read past, as httpd's HTTP_IN filter does not. */
AP_DECLARE(long) ap_get_client_block(request_rec *r, char *buffer, apr_size_t bufsiz)
{
    stub_request *stub = stub_of(r);
    if (r->remaining < 0 || (!r->read_chunked && r->remaining == 0)) {
        return 0;
    }
    apr_size_t end = r->read_chunked ? stub->body_len : (apr_size_t)r->remaining;
    if (stub->body_read >= stub->cut_at && stub->body_read < end) {
        r->connection->keepalive = AP_CONN_CLOSE;
        return -1;
    }
    apr_size_t n = end - stub->body_read;
    n = n < bufsiz ? n : bufsiz;
    n = n < READ_AT_ONCE ? n : READ_AT_ONCE;
    if (stub->cut_at < stub->body_read + n) {
        n = stub->cut_at - stub->body_read;
    }
    memcpy(buffer, stub->body + stub->body_read, n);
    stub->body_read += n;
    r->read_length += (apr_off_t)n;
    if (stub->body_read == end) {
        r->remaining = r->read_chunked ? -1 : 0;
    }
    return (long)n;
}

/* Each "name=value" of the Cookie and Cookie2 headers, split at ',' and ';' with leading
 * blanks dropped; the same name twice with two values is refused (httpd logs it). */
typedef struct cookie_search {
    request_rec *r;
    const char *prefix;     /* "name=" */
    const char *value;
    int duplicated;
} cookie_search;

static int find_cookie(void *data, const char *key, const char *line)
{
    cookie_search *search = data;
    char *last1, *last2;
    apr_size_t len = strlen(search->prefix);
    for (char *part = apr_strtok(apr_pstrdup(search->r->pool, line), ",", &last1); part;
         part = apr_strtok(NULL, ",", &last1)) {
        for (char *pair = apr_strtok(part, ";", &last2); pair; pair = apr_strtok(NULL, ";", &last2)) {
            while (apr_isspace(*pair)) {
                pair++;
            }
            if (strncmp(pair, search->prefix, len) == 0) {
                search->duplicated |= search->value && strcmp(search->value, pair + len) != 0;
                search->value = pair + len;
            }
        }
    }
    return 1;
}

AP_DECLARE(apr_status_t) ap_cookie_read(request_rec *r, const char *name, const char **val,
                                        int remove)
{
    if (remove) {
        /* httpd would rewrite the Cookie header; the module never asks it to */
        fprintf(stderr, "kf_check_httpd: ap_cookie_read(remove) is not stubbed\n");
        abort();
    }
    cookie_search search = {r, apr_pstrcat(r->pool, name, "=", NULL), NULL, 0};
    apr_table_do(find_cookie, &search, r->headers_in, "Cookie", "Cookie2", NULL);
    if (search.duplicated) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "client submitted cookie '%s' more than once: %s", name, r->uri);
        return APR_EGENERAL;
    }
    *val = search.value;
    return APR_SUCCESS;
}

/* httpd's core without mod_ssl: every request is "http". */
AP_DECLARE(const char *) ap_run_http_scheme(const request_rec *r)
{
    return "http";
}
