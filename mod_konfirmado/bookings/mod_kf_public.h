#ifndef MOD_KF_PUBLIC_H
#define MOD_KF_PUBLIC_H
/* The one way to take a slot. */
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"

/* A booking as its status page reads it (KF_BSTATUS_COL_* of kf_booking_status.h), from
 * reservations r, tenants t, services s, professionals p and the active link l; the caller
 * adds its WHERE (the status endpoint: by id and token; the customer's portal: by address). */
#define KFM_BOOKING_STATUS_SELECT "SELECT " KFM_BOOKING_STATUS_COLUMNS KFM_BOOKING_STATUS_FROM
#define KFM_BOOKING_STATUS_COLUMNS \
    "r.id, r.status, COALESCE(" KFM_SQL_DUE("r") ", false)," \
    "  " KFM_SQL_RFC3339("r.starts_at") ", " KFM_SQL_RFC3339("r.ends_at") ", t.timezone," \
    "  s.id, s.name, s.duration_minutes, p.id, p.name, t.return_url, l.slug," \
    "  " KFM_SQL_BEFORE_CUTOFF("r", "t.cancel_cutoff_hours") "," \
    "  " KFM_SQL_BEFORE_CUTOFF("r", "t.reschedule_cutoff_hours") "," \
    "  t.max_reschedules - r.reschedule_count, s.location_type, s.location_value, p.video_url"
#define KFM_BOOKING_STATUS_FROM \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id" \
    " JOIN services s ON s.id = r.service_id JOIN professionals p ON p.id = r.professional_id" \
    " LEFT JOIN booking_links l ON l.id = r.link_id AND l.active"

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
