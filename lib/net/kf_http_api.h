/* Calls to the JSON APIs of providers (payments, calendars, texts) over kf_http: the headers
 * every such request carries, a body, and the answer read as a JSON object. Each provider
 * keeps its own URLs, credentials and reading of errors; these are the steps they share. */
#ifndef KF_HTTP_API_H
#define KF_HTTP_API_H

#include <apr_pools.h>
#include <jansson.h>

#include "kf_http.h"

/* A request that accepts JSON (Accept: application/json), authorized as "Bearer <bearer>"
 * when bearer is not NULL. Allocated from p, like its headers. */
kf_http_request *kf_http_api_request(apr_pool_t *p, const char *method, const char *url,
                                     const char *bearer);

/* Authorizes req as "Basic base64(user:password)" (RFC 7617); the header is never logged. */
void kf_http_request_set_basic_auth(apr_pool_t *p, kf_http_request *req, const char *user,
                                    const char *password);

/* Sets req's body to the NUL-terminated text `body`, sent as content_type. */
void kf_http_request_set_body(kf_http_request *req, const char *content_type, const char *body);

/* Performs req. APR_SUCCESS with *status the HTTP status (any) and *doc the answer's body
 * when it is a JSON object (owned by p), else NULL; a transport failure as kf_http_perform
 * returns it, with its *why, *status 0 and *doc NULL (no answer came). */
apr_status_t kf_http_api_exchange(kf_http_client *http, apr_pool_t *p, const kf_http_request *req,
                                  int *status, json_t **doc, const char **why);

#endif
