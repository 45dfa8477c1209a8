#ifndef MOD_KF_CHANGES_FEATURE_H
#define MOD_KF_CHANGES_FEATURE_H
/* Changes: what happens to a booking once it is made — its cancellation and reschedule (by
 * its customer or the merchant), paying again for one whose payment failed or ran out (by
 * its customer), and after its end its mark as completed or no-show (by the merchant, or the
 * auto-complete job), changed or taken back by the merchant within a day.
 * What the feature hands the module (its descriptor, mod_kf_changes_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_changes_feature;

/* endpoints */
int kfm_handle_admin_booking_cancel(kfm_req *kr);
int kfm_handle_admin_booking_reschedule(kfm_req *kr);
int kfm_handle_admin_booking_complete(kfm_req *kr);
int kfm_handle_admin_booking_no_show(kfm_req *kr);
int kfm_handle_admin_booking_unmark(kfm_req *kr);
int kfm_handle_public_booking_cancel(kfm_req *kr);
int kfm_handle_public_booking_reschedule(kfm_req *kr);
int kfm_handle_public_booking_pay(kfm_req *kr);

/* A booking cancelled in its professional's calendar (handed to the calendars feature):
 * cancelled by the merchant's side, the tenant's refund policy, in its own transaction. */
apr_status_t kfm_booking_cancelled_in_calendar(kfm_req *kr, const char *booking_id,
                                               const char *note);
/* A booking moved in its professional's calendar to `start` (its length kept): moved by the
 * merchant's side when the time is free here (else APR_EBUSY, nothing changed). */
apr_status_t kfm_booking_moved_in_calendar(kfm_req *kr, const char *booking_id,
                                           apr_int64_t start, const char *note);

/* statement tables */
extern const kfm_sql kfm_cancel_sql[];
extern const kfm_sql kfm_reschedule_sql[];
extern const kfm_sql kfm_reschedule_rest_sql[];
extern const kfm_sql kfm_attendance_sql[];
extern const kfm_sql kfm_pay_again_sql[];

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_auto_complete_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

#endif
