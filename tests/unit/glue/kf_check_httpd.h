#ifndef KF_CHECK_HTTPD_H
#define KF_CHECK_HTTPD_H
/* A request as httpd hands it to the module's handler, made without a server, for the Check
 * suites of the glue's request plumbing (tests/unit/test_glue_*.c). kf_check_httpd.c
 * defines the few httpd functions the plumbing calls, each doing what httpd 2.4 does for
 * the part the plumbing uses: the client's body through ap_get_client_block, the answer
 * through ap_set_content_type / ap_set_content_length / ap_rwrite, cookies through
 * ap_cookie_read, and the error log, whose lines are kept for the test to read. */
#include "httpd.h"
#include "http_config.h"

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

/* Per test, before any request: a server whose configuration is the module's defaults (every
 * directive unset), a connection, an empty error log. Everything lives in p. */
void kf_check_httpd_setup(apr_pool_t *p);

/* The stub server, as post_config hooks get it. */
server_rec *kf_check_server(void);

/* A request of the stub server and connection, in a subpool of the setup's: "GET", "/api/x",
 * args NULL or the query string (without '?'). No body unless one is given. */
request_rec *kf_check_request(const char *method, const char *uri, const char *args);

/* The client's body, sent with its Content-Length. */
void kf_check_body(request_rec *r, const char *body);
/* The same in chunks, with Transfer-Encoding: chunked and no length (len bytes of body). */
void kf_check_body_chunked(request_rec *r, const char *body, apr_size_t len);
/* The client goes away after sending `len` bytes of what it announced: the next read fails
 * as httpd's does (-1, the connection to be closed). */
void kf_check_body_cut(request_rec *r, apr_size_t len);
/* Bytes of the client's body the module read. */
apr_size_t kf_check_body_read(const request_rec *r);

/* The answer as the client receives it. A header: Content-Type from r->content_type, others
 * from err_headers_out then headers_out, as httpd merges them to send an answer (NULL when
 * absent). The body the module wrote (NUL-terminated; *len may be NULL), and that body
 * parsed as JSON (NULL when it is not; owned by the request's pool). */
const char *kf_check_header(const request_rec *r, const char *name);
const char *kf_check_sent(const request_rec *r, apr_size_t *len);
json_t *kf_check_sent_json(const request_rec *r);

/* The error log since setup: how many lines contain `text`, and the last line (NULL: none). */
int kf_check_log_count(const char *text);
const char *kf_check_log_last(void);

#endif
