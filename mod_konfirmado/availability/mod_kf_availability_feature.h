#ifndef MOD_KF_AVAILABILITY_FEATURE_H
#define MOD_KF_AVAILABILITY_FEATURE_H
/* Availability: free slots of a link, their caches, and the listener that keeps other servers'
 * caches current.
 * What the feature hands the module (its descriptor, mod_kf_availability_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_availability_feature;

/* endpoints */
int kfm_handle_public_availability(kfm_req *kr);

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_availability_notify_register(apr_pool_t *pconf, server_rec *s, const char *instance);
/* statement tables */
extern const kfm_sql kfm_availability_sql[];

#endif
