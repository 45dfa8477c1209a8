#ifndef KF_DOMAIN_PROOF_H
#define KF_DOMAIN_PROOF_H
/* A tenant's own domain is served only once its merchant proved to control it (API.md
 * "Hosts and tenants"; until then the host answers 404 unknown_host): the domain's web
 * server answers, over plain HTTP, KF_DOMAIN_PROOF_PATH with the tenant's token for that
 * domain, as ACME's http-01 challenge does. The merchant puts the file on the server the
 * domain points to now, proves it, then points the domain at Konfirmado. The token is made
 * by the database whenever custom_domain changes (sql/044), which also forgets an earlier
 * proof. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_http.h"

#define KF_DOMAIN_PROOF_PATH "/.well-known/konfirmado-domain.txt"
/* Read no more of the answer than this: a token is far shorter. */
#define KF_DOMAIN_PROOF_MAX_BYTES 4096
/* The whole fetch, connection included. */
#define KF_DOMAIN_PROOF_TIMEOUT_MS 5000

/* http://domain/.well-known/konfirmado-domain.txt; a port other than 80 is written out
 * (KonfirmadoDomainCheckPort, for test servers). */
const char *kf_domain_proof_url(apr_pool_t *p, const char *domain, int port);

/* GET of the proof at url with `client` (a new one, which this lets fetch plain HTTP, as
 * ACME does), through the address filter (outbound_allow: its exceptions), within
 * KF_DOMAIN_PROOF_TIMEOUT_MS, reading no more than KF_DOMAIN_PROOF_MAX_BYTES: its status
 * and the start of its body (*body, *len), or 0 when nothing answered (*why says why). */
int kf_domain_proof_fetch(kf_http_client *client, apr_pool_t *p, const char *url,
                          const apr_array_header_t *outbound_allow, const char **body,
                          apr_size_t *len, const char **why);

/* What the fetch answered, judged: NULL when it proves the domain (status 200 and a body
 * that is the token, surrounding whitespace aside), else the message id of why not:
 * "domain_proof_unreachable" (no answer: status 0), "domain_proof_status" (any status but
 * 200, redirects included: the proof is not followed elsewhere) or "domain_proof_mismatch". */
const char *kf_domain_proof_judge(int status, const char *body, apr_size_t len,
                                  const char *token);

/* The tenant's domain and its proof as GET /api/admin/tenant/custom-domain answers it:
 * {"domain", "status": "pending"|"verified", "token", "url", "verified_at": RFC 3339|null};
 * json null when the tenant has no domain. A new reference. */
json_t *kf_domain_proof_json(apr_pool_t *p, const char *domain, const char *token,
                             const char *verified_at, int port);

#endif
