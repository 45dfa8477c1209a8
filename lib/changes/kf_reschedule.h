#ifndef KF_RESCHEDULE_H
#define KF_RESCHEDULE_H
/* Moving a booking to another time (API.md "After booking"): what the customer (a hold's
 * token) or the merchant (a start and perhaps a professional) asks, the facts the state
 * machine is given, the answer and the audit's changes. The decision is
 * kf_change_next's (KF_RES_RESCHEDULE). */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_change.h"
#include "kf_series.h"
#include "kf_zone.h"

/* The columns of the booking as a reschedule reads it, locked. */
enum {
    KF_RESCHED_COL_ID, KF_RESCHED_COL_STATUS, KF_RESCHED_COL_TENANT, KF_RESCHED_COL_SERVICE,
    KF_RESCHED_COL_PROFESSIONAL, KF_RESCHED_COL_BEFORE_CUTOFF,
    KF_RESCHED_COL_LEFT,        /* how many more reschedules the tenant allows */
    KF_RESCHED_COL_LINK,        /* the booking link's slug, NULL without one */
    KF_RESCHED_COL_SUBDOMAIN,
    KF_RESCHED_COL_SERIES_INDEX, /* its place in its series (1..), NULL: no series */
    KF_RESCHED_COL_SERIES_RULE,  /* its service's series rule as stored (kf_series_from_stored) */
    KF_RESCHED_COL_STARTS_AT,    /* its start, seconds since the epoch */
    KF_RESCHED_COL_COUNT
};

/* The columns of the hold whose slot the booking takes. */
enum {
    KF_RESCHED_HOLD_COL_ID, KF_RESCHED_HOLD_COL_SERVICE, KF_RESCHED_HOLD_COL_TENANT,
    KF_RESCHED_HOLD_COL_PROFESSIONAL, KF_RESCHED_HOLD_COL_LIVE,
    KF_RESCHED_HOLD_COL_COUNT
};

/* The columns of where the booking is once moved. */
enum {
    KF_RESCHED_MOVED_COL_START, KF_RESCHED_MOVED_COL_END, KF_RESCHED_MOVED_COL_PROFESSIONAL,
    KF_RESCHED_MOVED_COL_COUNT
};

/* The customer's {"hold_token"}: the token's hash, or NULL after recording
 * "hold_token_invalid" in f. */
const char *kf_reschedule_hold_hash(apr_pool_t *p, kf_fields *f, const json_t *body);

/* Scope "rest" (API.md "Series, seats and teams"): occurrence `index` of a series moves from
 * `from` to `to` and its later occurrences indexes[0..n) (each > index) with it, at the
 * series' rhythm `every` from there, at that start's wall clock in the professional's `zone`
 * (NULL: UTC; across a change of offset the instant moves, the wall clock does not): out[i]
 * is where occurrence indexes[i] starts now. A service that no longer has a series rule
 * (KF_SERIES_NONE) moves each by the same wall-clock shift from where it is, olds[i]. */
void kf_reschedule_rest_starts(const kf_zone *zone, kf_series_every every, apr_int64_t from,
                               apr_int64_t to, int index, const int *indexes,
                               const apr_int64_t *olds, int n, apr_int64_t *out);

/* The merchant's {"start", "professional"?}: *start (seconds since the epoch) and
 * *professional (NULL: the booking's own), errors into f. */
void kf_reschedule_merchant_read(kf_fields *f, const json_t *body, apr_int64_t *start,
                                 const char **professional);

/* 1 when a hold's slot may pass to a booking of `service` of business `tenant` (a
 * reschedule, or paying again): the hold (a row of the columns above; NULL: no hold of that
 * token) is live and of that service and business (it already excludes everybody else). */
int kf_reschedule_hold_fits(const char *const *hold, const char *service, const char *tenant);

/* The state machine's facts from the booking's row and the hold's (NULL: no hold of that
 * token): the new slot is free when the hold holding it is live and of this booking's
 * service and business (the hold already excludes everybody else). */
kf_res_facts kf_reschedule_facts(const char *const *booking, const char *const *hold,
                                 int by_merchant);

/* What the policy says of the merchant's move of a booking stored as `status` before a slot
 * is taken for it (the move itself asks again, the booking locked): NULL, or the refusal. */
const char *kf_reschedule_merchant_refusal(const char *status);

/* {"booking": {id, status, start, end, professional}}: where it is now. */
json_t *kf_reschedule_reply(const char *const *booking, const char *const *moved);

/* The audit's changes: {start, professional_id, by}. */
json_t *kf_reschedule_audit_changes(const char *const *moved, int by_merchant);

#endif
