#ifndef MOD_KF_AVAILABILITY_FACTS_H
#define MOD_KF_AVAILABILITY_FACTS_H
/* The one-statement read of what availability depends on, used by both the availability
 * endpoint and the judgement of a hold's start, and the slot engine run over it. */
#include "mod_kf_request.h"
#include "kf_catalog_rules.h"
#include "kf_slots.h"
#include "kf_availability_facts.h"

/* The slot engine's input (lib/availability/kf_availability_facts.h). */
typedef kf_availability kfm_availability;

/* One round trip reads the facts (mod_kf_availability_sql.h): link (scoped by host), service,
 * professionals (one, or all of the service for professional_id NULL), their hours and busy
 * times; lib/availability/kf_availability_facts.c sorts them and makes the engine's input. from_day NULL = today in the zone; tz NULL = the
 * tenant's zone. Facts this child keeps may answer with no round trip
 * (mod_kf_availability_memo.h): kr->db may be NULL, and APR_EAGAIN then says that the
 * database is to be asked (take a connection and call again).
 * APR_SUCCESS with av->status set, or an error (already logged: answer 500). */
apr_status_t kfm_availability_load(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *service_id, const char *professional_id,
                           const char *from_day, int days, const char *tz, kfm_availability *av);

/* Blocks the professionals whose calendar's busy times are not known (kf_calendar_busy_known)
 * and runs the slot engine. */
int kfm_availability_slots(kfm_req *kr, kfm_availability *av, kf_slots_mode mode, kf_slot **slots);

/* The same for the first starts of a series (kf_availability_series_slots). */
int kfm_availability_series_slots(kfm_req *kr, kfm_availability *av, kf_series_every every,
                                  int count, apr_int64_t from, apr_int64_t to, kf_slots_mode mode,
                                  kf_slot **slots);

/* The instant the first `days` days of av's answer end: its display zone's midnight after
 * the last of them (a series' starts are offered up to it, its later occurrences past it). */
apr_int64_t kfm_availability_days_end(kfm_req *kr, const kfm_availability *av, int days);

/* What judges one start of a hold, in one round trip: the rows of kfm_availability_load
 * for the period [start, start + 1 s) (working windows of the local dates around it, busy
 * times within a day of it: enough for the slot engine to decide that one start and "how
 * booked the day is" for "any"), and the live holds within client_network (NULL: none
 * counted; kf_rl_client_network), counted up to `limit`. */
apr_status_t kfm_hold_judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                                 const char *service_id, const char *professional_id,
                                 apr_int64_t start, const char *client_network, int limit,
                                 kfm_availability *av);

/* The same, but facts kept in this process judge the hold without the round trip that
 * proves them current (kf_hold_check_one): av->unchecked_versions is then set, and the
 * hold's insert must prove them (kf_hold_insert_unchecked), or the hold be judged again by
 * kfm_hold_judge_load. */
apr_status_t kfm_hold_judge_load_kept(kfm_req *kr, const char *slug, const char *subdomain,
                                      const char *service_id, const char *professional_id,
                                      apr_int64_t start, const char *client_network, int limit,
                                      kfm_availability *av);

#endif
