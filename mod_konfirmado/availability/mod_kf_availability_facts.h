#ifndef MOD_KF_AVAILABILITY_FACTS_H
#define MOD_KF_AVAILABILITY_FACTS_H
/* The one-statement read of what availability depends on, used by both the availability
 * endpoint and the judgement of a hold's start, and the slot engine run over it. */
#include "mod_kf_request.h"
#include "kf_catalog_rules.h"
#include "kf_slots.h"

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

/* One round trip reads the facts (mod_kf_availability_sql.h): link (scoped by host), service,
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

#endif
