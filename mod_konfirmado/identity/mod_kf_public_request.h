#ifndef MOD_KF_PUBLIC_REQUEST_H
#define MOD_KF_PUBLIC_REQUEST_H
/* What every public endpoint (API.md "Public booking API") reads of its request: which
 * tenant the Host selects, the visit, the booking's token, and raw JSON answers. */
#include "mod_kf_request.h"
#include "kf_api_error.h"

/* 1 and *subdomain: the tenant the request's host names (a subdomain, or a tenant's own
 * domain mapped to its subdomain), NULL on the platform host (every tenant). Any other host
 * was answered 404 unknown_host by the router (mod_kf_host.h); 0 is kept for callers. */
int kfm_public_host(kfm_req *kr, const char **subdomain);

/* The wizard's visit id (header X-Konfirmado-Visit) when it has the right shape, else NULL:
 * the funnel counts visits; a missing or odd one never fails the request. */
const char *kfm_public_visit(kfm_req *kr);

/* The booking a public call names, as every "booking by token" statement takes it:
 * args[5] = {the path's {id}, the token's hash twice (it may be the booking token or its
 * mails' token), the host's subdomain twice}. 0 when the call cannot name a booking: answer
 * 404 booking_not_found. */
int kfm_public_booking_args(kfm_req *kr, const char *token, const char *args[5]);

/* 1 when the booking those args name exists but its tokens stopped opening it
 * (kf_booking_token_open): answer 410 token_expired. 0 otherwise (unknown: the caller's own
 * statement answers 404). */
int kfm_public_booking_token_expired(kfm_req *kr, const char *args[5]);
extern const kfm_sql kfm_public_request_sql[];

/* The ?token= of the address (GET pages and downloads name their booking so), or NULL. */
const char *kfm_public_query_token(kfm_req *kr);

/* The token of "Authorization: Bearer <token>" when it has a token's shape, else NULL. */
const char *kfm_public_bearer(kfm_req *kr);






/* The customer of a public booking or purchase (API.md "Public booking API"): name, email,
 * phone (E.164, the +57 rule when `country` is CO) and, when `terms_needed`, accepted_terms
 * true; each problem is added to `fields` (path -> message). */
void kfm_public_check_customer(kfm_req *kr, json_t *body, const char *country, int terms_needed,
                               json_t *fields, const char **name, const char **email,
                               const char **phone);

#endif
