#ifndef MOD_KF_CALLBACKS_FEATURE_H
#define MOD_KF_CALLBACKS_FEATURE_H
/* Merchant callbacks: the signed delivery queue, resends and the callback test.
 * What the feature hands the module (its descriptor, mod_kf_callbacks_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_callbacks_feature;

/* endpoints */
int kfm_handle_admin_callback_test(kfm_req *kr);
int kfm_handle_admin_booking_callback(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_callbacks_sql[];
extern const kfm_sql kfm_callback_queue_sql[];

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_callback_jobs_register(apr_pool_t *pconf, server_rec *s, const char *instance);

#endif
