#ifndef MOD_KF_PUBLIC_H
#define MOD_KF_PUBLIC_H
/* Shared ground of the public booking API (API.md "Public booking API"): which tenant the
 * Host selects, the one-statement availability load used by both the availability
 * endpoint and the hold check, and raw JSON answers. */
#include "mod_kf_request.h"
#include "kf_catalog_rules.h"
#include "mod_kf_db.h"
#include "kf_slots.h"


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

/* The customer of a public booking or purchase (API.md "Public booking API"): name, email,
 * phone (E.164, the +57 rule when `country` is CO) and, when `terms_needed`, accepted_terms
 * true; each problem is added to `fields` (path -> message). mod_kf_bookings.c. */
void kfm_public_check_customer(kfm_req *kr, json_t *body, const char *country, int terms_needed,
                               json_t *fields, const char **name, const char **email,
                               const char **phone);

/* The ?token= of the address (GET pages and downloads name their booking so), or NULL. */
const char *kfm_public_query_token(kfm_req *kr);

/* The token of "Authorization: Bearer <token>" when it has a token's shape, else NULL. */
const char *kfm_public_bearer(kfm_req *kr);


/* An answer already serialized as JSON (same headers as kfm_reply_json). */
int kfm_public_reply_text(kfm_req *kr, int status, const char *json, apr_size_t len);

/* Status of a lookup ("ok" or an error code of API.md) -> HTTP status. */
int kfm_public_http_status(const char *code);

typedef struct kfm_availability {
    const char *status;          /* "ok", or link_not_found, link_expired, invalid_timezone,
                                    service_not_found, professional_not_found */
    const char *timezone;        /* the display zone */
    apr_int64_t from_day;        /* the first day shown (days since the epoch) */
    apr_int64_t now;             /* the database's clock (whole seconds, rounded down) */
    apr_int64_t runs_out_at;     /* first instant a busy range or the link runs out by
                                    itself (APR_INT64_MAX: none): the answer changes then */
    kf_slot_params params;
    int nprof;
    const char **prof_ids;       /* index -> professional id, sorted by id */
    const char **prof_calendars; /* index -> calendar connection status (none, connected, error) */
    apr_int64_t *prof_synced_at; /* index -> when its busy times were read (0: never) */
    int *prof_retry_pending;     /* index -> a failed read waits for its retry */
    apr_array_header_t *windows; /* kf_window */
    apr_array_header_t *busy;    /* kf_busy */
    apr_array_header_t *changes; /* kf_tz_change of the display zone, by instant */
    int active_holds;            /* kfm_hold_judge_load: live holds of the client address,
                                    counted up to the limit */
    apr_int64_t first_hold_ends_in; /* seconds until the first of them ends */
    const char *link_id, *tenant_id; /* kfm_hold_judge_load, status ok: the link and its tenant */
} kfm_availability;

/* One round trip reads the facts (mod_kf_public_sql.h): link (scoped by host), service,
 * professionals (one, or all of the service for professional_id NULL), their hours and busy
 * times; the working windows in UTC and the display zone's offsets are then computed here
 * (lib/availability/kf_hours.c, lib/availability/kf_zone.c). from_day NULL = today in the zone; tz NULL = the
 * tenant's zone.
 * APR_SUCCESS with av->status set, or an error (already logged: answer 500). */
apr_status_t kfm_availability_load(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *service_id, const char *professional_id,
                           const char *from_day, int days, const char *tz, kfm_availability *av);

/* Blocks the professionals whose calendar's busy times are not known (kf_calendar_busy_known)
 * and runs the slot engine. */
int kfm_availability_slots(kfm_req *kr, kfm_availability *av, kf_slots_mode mode, kf_slot **slots);

/* What judges one start of a hold, in one round trip: the rows of kfm_availability_load
 * for the period [start, start + 1 s) (working windows of the local dates around it, busy
 * times within a day of it: enough for the slot engine to decide that one start and "how
 * booked the day is" for "any"), and the live holds of client_ip (NULL: none counted),
 * counted up to `limit`. */
apr_status_t kfm_hold_judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                                 const char *service_id, const char *professional_id,
                                 apr_int64_t start, const char *client_ip, int limit,
                                 kfm_availability *av);

/* A hold taken by kfm_hold_take (strings in r->pool). */
typedef struct kfm_hold {
    const char *id, *token, *token_hash, *professional, *start, *end, *expires_at;
    long retry_after;            /* "active_hold_limit": seconds until the first hold ends */
} kfm_hold;

/* The one check of a start and the one way to take it (POST /api/public/holds and the
 * merchant's reschedule): `start` must be a slot the availability engine offers now through
 * the link (host-scoped by subdomain) for the service and the professional (NULL: any free
 * one); the slot is then held (KonfirmadoHoldTTL) by one insert the exclusion constraint
 * judges. `funnel`: the hold counts as the visit's slot_held. client_ip (NULL: no limit):
 * at most `active_limit` live holds per address, checked before anything else (answer
 * "active_hold_limit", out->retry_after set: 429). Answers "ok" with *out, an error code of
 * API.md (slot_unavailable, link_not_found, link_expired, service_not_found,
 * professional_not_found), or NULL after a database failure already logged (answer 500). */
const char *kfm_hold_take(kfm_req *kr, const char *link, const char *subdomain,
                          const char *service, const char *professional, apr_int64_t start,
                          int funnel, const char *client_ip, int active_limit, kfm_hold *out);

#endif
