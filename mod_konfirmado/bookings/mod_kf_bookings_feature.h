#ifndef MOD_KF_BOOKINGS_FEATURE_H
#define MOD_KF_BOOKINGS_FEATURE_H
/* Bookings: a booking made of a hold, its state machine and executor, its payment's moves,
 * expiry. Holds, the merchant's side (booking_admin/: list, detail, CSV, customer correction,
 * refund) and a booking's later changes are features of their own (holds/, booking_admin/,
 * changes/) that stand on it.
 * What the feature hands the module (its descriptor, mod_kf_bookings_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_bookings_feature;

/* endpoints */
int kfm_handle_public_booking_create(kfm_req *kr);
int kfm_handle_public_booking_status(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_bookings_sql[];
extern const kfm_sql kfm_booking_status_sql[];
extern const kfm_sql kfm_booking_state_sql[];
extern const kfm_sql kfm_booking_payments_sql[];
extern const kfm_sql kfm_booking_paid_sql[];
extern const kfm_sql kfm_expiry_sql[];

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_expiry_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);
int kfm_checkouts_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

/* Adds "series" and "occurrences" to the JSON of booking `id` (the object inside
 * "booking") when it is an occurrence of a series. APR_SUCCESS, or the database's error. */
apr_status_t kfm_booking_series_add(kfm_req *kr, const char *id, json_t *booking);

#endif
