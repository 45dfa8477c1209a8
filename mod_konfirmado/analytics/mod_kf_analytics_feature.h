#ifndef MOD_KF_ANALYTICS_FEATURE_H
#define MOD_KF_ANALYTICS_FEATURE_H
/* Analytics: the merchant's figures per day (sql/047_metrics_daily.sql) and the counts that
 * leave no other trace (the 429s of a tenant's public pages). What the feature hands the
 * module (its descriptor, mod_kf_analytics_feature.c), and the statement tables and jobs that
 * descriptor lists. GET /api/admin/metrics reads the days (operations, mod_kf_metrics.c). */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_analytics_feature;

/* statement tables */
extern const kfm_sql kfm_metrics_daily_sql[];

/* jobs */
int kfm_metrics_daily_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

#endif
