#ifndef KF_HOLD_REQUEST_H
#define KF_HOLD_REQUEST_H
/* Holding a slot (API.md "Public booking API": POST /api/public/holds): what the request
 * asks, what its shape alone refuses, and the hold as the customer is told it. Whether the
 * start is offered is the availability engine's; taking it, the exclusion constraint's. */
#include <apr.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_slots.h"

typedef struct kf_hold_request {
    const char *link, *service, *professional, *start_text;
    apr_int64_t start;         /* seconds since the epoch */
    int any;                   /* professional "any": whoever is free */
    const char *repeat;        /* a series (kf_series.h): "week" | "2weeks" | "month", or NULL */
    const char *count;         /* its occurrences as text, or NULL: judged by kf_series_asked */
} kf_hold_request;

/* Reads link, service, professional and start (all required strings; start RFC 3339), and
 * the optional repeat (a string) and count (an integer) of a series, into *h, errors into f:
 * 400 validation_failed for what is missing, mistyped or unreadable. */
void kf_hold_request_read(kf_fields *f, const json_t *body, kf_hold_request *h);

/* What the request's shape alone refuses, in this order: link_not_found (no slug),
 * service_not_found (no uuid), professional_not_found (neither "any" nor a uuid),
 * slot_unavailable (a start with a fraction of a second is never on the grid); NULL when
 * the engine is to judge. */
const char *kf_hold_request_refusal(kf_hold_request *h);

/* The arguments of the hold's insert: the tenant, service, professional and link (args[0..3],
 * the caller's), then the slot's start and end, the range it blocks with sp's buffers (epoch
 * seconds), the token's hash, the hold's life (seconds), the client's network (what its live
 * holds are counted within: kf_rl_client_network), and the visit and whether the hold counts
 * in the funnel: a customer's does (`visit` of their page), a merchant's move does not (no
 * visit). */
#define KF_HOLD_INSERT_ARGS 13
void kf_hold_insert_args(apr_pool_t *p, const kf_slot_params *sp, const kf_slot *slot,
                         const char *token_hash, int ttl, const char *client_network, int funnel,
                         const char *visit, const char **args);

/* {"hold": {id, token, professional, start, end, expires_at}}. */
json_t *kf_hold_reply(const char *id, const char *token, const char *professional,
                      const char *start, const char *end, const char *expires_at);

/* The same of a series: its occurrences [{start, end}] in order added to the hold. */
json_t *kf_hold_series_reply(json_t *reply, const char *const *starts, const char *const *ends,
                             int n);

#endif
