/* Calls to providers' JSON APIs: see kf_http_api.h. */
#include "kf_http_api.h"
#include "kf_json.h"

#include <apr_base64.h>
#include <apr_strings.h>
#include <string.h>

kf_http_request *kf_http_api_request(apr_pool_t *p, const char *method, const char *url,
                                     const char *bearer)
{
    kf_http_request *req = kf_http_request_make(p, method, url);
    apr_table_setn(req->headers, "Accept", "application/json");
    if (bearer) {
        apr_table_setn(req->headers, "Authorization", apr_pstrcat(p, "Bearer ", bearer, NULL));
    }
    return req;
}

void kf_http_request_set_basic_auth(apr_pool_t *p, kf_http_request *req, const char *user,
                                    const char *password)
{
    const char *plain = apr_pstrcat(p, user ? user : "", ":", password ? password : "", NULL);
    int len = (int)strlen(plain);
    char *encoded = apr_palloc(p, (apr_size_t)apr_base64_encode_len(len));
    apr_base64_encode(encoded, plain, len);
    apr_table_setn(req->headers, "Authorization", apr_pstrcat(p, "Basic ", encoded, NULL));
}

void kf_http_request_set_body(kf_http_request *req, const char *content_type, const char *body)
{
    apr_table_setn(req->headers, "Content-Type", content_type);
    req->body = body;
    req->body_len = strlen(body);
}

apr_status_t kf_http_api_exchange(kf_http_client *http, apr_pool_t *p, const kf_http_request *req,
                                  int *status, json_t **doc, const char **why)
{
    kf_http_response *resp = NULL;
    apr_status_t rv = kf_http_perform(http, p, req, &resp, why);
    if (rv != APR_SUCCESS) {
        *status = 0;
        *doc = NULL;
        return rv;
    }
    *status = resp->status;
    *doc = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    return APR_SUCCESS;
}
