#ifndef MOD_KF_HOLDS_H
#define MOD_KF_HOLDS_H
/* The one way to take a slot. */
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"
#include "kf_assign.h"
#include "kf_hold_request.h"

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

/* ---- the steps of a hold, shared by a series' (mod_kf_hold_series.c) ---- */

/* A calendar read more than a minute ago may miss an appointment made since: those are read
 * again from the provider before the slot is judged (API.md "Calendar connection"), the
 * request's connection given back while the provider answers. 1 when any was read
 * (availability must be loaded again). */
int kfm_hold_refresh_busy(kfm_req *kr, const kfm_availability *av);

/* The professionals free at `start` (slots of the period, n of them), in the order they are
 * tried: with two or more (the link's "any"), the link's rule over their bookings this week
 * in the tenant's zone (kf_assign_order); *out from r->pool, each .slot its index in slots.
 * How many, or -1 after a database failure (logged). */
int kfm_hold_free_professionals(kfm_req *kr, const kfm_availability *av, const kf_slot *slots,
                                int n, apr_int64_t start, kf_assign_candidate **out);

/* Tries to take `slot` (av's professional slot->prof) in one statement, or in the caller's
 * transaction: 1 taken (made[] holds the new row, KFM_HOLD_COLUMNS), 0 taken by someone else
 * meanwhile, -1 database failure, KFM_HOLD_JUDGE_AGAIN when av was judged on kept facts
 * (kfm_hold_judge_load_kept) that the insert did not prove current: nothing taken. Its live
 * holds count within client_network (NULL: in none). The caller bumps the professional's
 * cached availability once it is committed. */
#define KFM_HOLD_JUDGE_AGAIN 2
int kfm_hold_try(kfm_req *kr, const char *service, int funnel, const char *client_network,
                 const kfm_availability *av, const kf_slot *slot, const char *token_hash,
                 const char **made);

/* In the caller's transaction, until its end: the one writer of many rows of professional
 * `professional` at a time (a series' hold, a series' rest moved). Two of them writing rows
 * that conflict in different orders would each wait for the other (the exclusion constraint
 * waits for an uncommitted overlapping row), and one would end as a deadlock; a single row
 * cannot close such a circle. */
apr_status_t kfm_hold_series_lock(kfm_req *kr, const char *professional);

/* A series' hold (API.md "Series, seats and teams"): every occurrence or none. */
typedef struct kfm_hold_series {
    kfm_hold first;              /* the first occurrence: what the token names */
    int count;
    const char **starts, **ends; /* each occurrence's, in order */
    const char *refused_at;      /* slot_unavailable: the first occurrence taken (RFC 3339) */
    const char *field, *why;     /* validation_failed: the field and its message id */
} kfm_hold_series;

/* kfm_hold_take for h's repeat and count: each occurrence must be a slot the engine offers
 * for the same professional (the horizon bounds the first only); all are held in one
 * transaction, tied as one series, or none. Answers "ok", "validation_failed" (out->field),
 * "slot_unavailable" (out->refused_at), "active_hold_limit", another error of API.md, or
 * NULL after a database failure. */
const char *kfm_hold_take_series(kfm_req *kr, const kf_hold_request *h, const char *subdomain,
                                 const char *client_network, int active_limit,
                                 kfm_hold_series *out);

#endif
