#ifndef MOD_KF_ALERTS_FEATURE_H
#define MOD_KF_ALERTS_FEATURE_H
/* Merchant alerts (sql/053_merchant_alerts.sql, lib/alerts/kf_alerts.h): the job that
 * raises, keeps, resolves and mails them (mod_kf_alerts_job.c), the merchant's list and
 * dismissal (mod_kf_alerts_api.c), and the count of payment webhooks refused for their
 * signature per business (mod_kf_signature_tally.c). What the feature hands the module is
 * its descriptor, mod_kf_alerts_feature.c. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_alerts_feature;

/* statement tables */
extern const kfm_sql kfm_alerts_job_sql[];
extern const kfm_sql kfm_alerts_api_sql[];

/* jobs */
int kfm_alerts_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

/* handlers */
int kfm_handle_admin_alerts(kfm_req *kr);
int kfm_handle_admin_alert_dismiss(kfm_req *kr);

#endif
