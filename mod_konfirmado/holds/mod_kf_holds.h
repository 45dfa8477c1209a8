#ifndef MOD_KF_HOLDS_H
#define MOD_KF_HOLDS_H
/* The one way to take a slot. */
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"

/* A hold taken by kfm_hold_take (strings in r->pool). */
typedef struct kfm_hold {
    const char *id, *token, *token_hash, *professional, *start, *end, *expires_at;
    long retry_after;            /* "active_hold_limit": seconds until the first hold ends */
} kfm_hold;

/* The one check of a start and the one way to take it (POST /api/public/holds and the
 * merchant's reschedule): `start` must be a slot the availability engine offers now through
 * the link (host-scoped by subdomain) for the service and the professional (NULL: any free
 * one, tried in the order of the link's rule, kf_assign.h); the slot is then held (KonfirmadoHoldTTL) by one insert the exclusion constraint
 * judges; it keeps the client's network (kfm_limit_network). `funnel`: the hold counts as
 * the visit's slot_held. client_network (kfm_limit_network; NULL: no limit): at most
 * `active_limit` live holds within it, checked before anything else (answer
 * "active_hold_limit", out->retry_after set: 429). Answers "ok" with *out, an error code of
 * API.md (slot_unavailable, link_not_found, link_expired, service_not_found,
 * professional_not_found), or NULL after a database failure already logged (answer 500). */
const char *kfm_hold_take(kfm_req *kr, const char *link, const char *subdomain,
                          const char *service, const char *professional, apr_int64_t start,
                          int funnel, const char *client_network, int active_limit,
                          kfm_hold *out);

#endif
