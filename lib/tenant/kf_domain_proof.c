#include "kf_domain_proof.h"

#include <string.h>
#include <apr_strings.h>

const char *kf_domain_proof_url(apr_pool_t *p, const char *domain, int port)
{
    if (port == 80 || port <= 0) {
        return apr_pstrcat(p, "http://", domain, KF_DOMAIN_PROOF_PATH, NULL);
    }
    return apr_psprintf(p, "http://%s:%d%s", domain, port, KF_DOMAIN_PROOF_PATH);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int kf_domain_proof_fetch(kf_http_client *client, apr_pool_t *p, const char *url,
                          const apr_array_header_t *outbound_allow, const char **body,
                          apr_size_t *len, const char **why)
{
    kf_http_request *req = kf_http_request_make(p, "GET", url);
    req->filter_addresses = 1;
    req->outbound_allow = outbound_allow;
    req->timeout_ms = KF_DOMAIN_PROOF_TIMEOUT_MS;
    req->max_response_bytes = KF_DOMAIN_PROOF_MAX_BYTES;
    req->truncate_response = 1;
    kf_http_allow_insecure_prefix(client, "http://");
    kf_http_response *resp = NULL;
    *why = NULL;
    if (kf_http_perform(client, p, req, &resp, why) != APR_SUCCESS || !resp) {
        return 0;
    }
    *body = resp->body;
    *len = resp->body_len;
    return resp->status;
}

const char *kf_domain_proof_judge(int status, const char *body, apr_size_t len,
                                  const char *token)
{
    if (status == 0) {
        return "domain_proof_unreachable";
    }
    if (status != 200) {
        return "domain_proof_status";
    }
    if (!body || !token || !*token) {
        return "domain_proof_mismatch";
    }
    while (len > 0 && is_space(body[0])) {
        body++;
        len--;
    }
    while (len > 0 && is_space(body[len - 1])) {
        len--;
    }
    if (len != strlen(token) || memcmp(body, token, len) != 0) {
        return "domain_proof_mismatch";
    }
    return NULL;
}

json_t *kf_domain_proof_json(apr_pool_t *p, const char *domain, const char *token,
                             const char *verified_at, int port)
{
    if (!domain) {
        return json_null();
    }
    return json_pack("{s:s, s:s, s:s?, s:s, s:s?}", "domain", domain, "status",
                     verified_at ? "verified" : "pending", "token", token, "url",
                     kf_domain_proof_url(p, domain, port), "verified_at", verified_at);
}
