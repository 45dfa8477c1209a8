#ifndef MOD_KF_PRIVACY_FEATURE_H
#define MOD_KF_PRIVACY_FEATURE_H
/* Privacy: a customer's data exported or erased by the merchant, customers' erasure
 * requests, and the retention job. What the feature hands the module (its descriptor,
 * mod_kf_privacy_feature.c), and the handlers, statement tables and jobs it lists. */
#include "mod_kf_feature.h"
#include "mod_kf_privacy.h"

extern const kfm_feature kfm_privacy_feature;

/* endpoints */
int kfm_handle_customer_export(kfm_req *kr);
int kfm_handle_customer_erase(kfm_req *kr);
int kfm_handle_erasure_requests_list(kfm_req *kr);
int kfm_handle_erasure_request_confirm(kfm_req *kr);
int kfm_handle_portal_export(kfm_req *kr);
int kfm_handle_portal_erasure(kfm_req *kr);
int kfm_handle_portal_erasure_pending(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_privacy_export_sql[];
extern const kfm_sql kfm_privacy_erase_sql[];
extern const kfm_sql kfm_privacy_retention_sql[];

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_privacy_retention_register(apr_pool_t *pconf, server_rec *s, const char *instance);

#endif
