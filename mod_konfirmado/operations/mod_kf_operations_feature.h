#ifndef MOD_KF_OPERATIONS_FEATURE_H
#define MOD_KF_OPERATIONS_FEATURE_H
/* Operations: health, diagnostics, hosts, per-IP limits, zones, metrics, audit, static files.
 * What the feature hands the module (its descriptor, mod_kf_operations_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_operations_feature;

/* endpoints */
int kfm_handle_health(kfm_req *kr);
int kfm_handle_diagnostics_echo(kfm_req *kr);
int kfm_handle_diagnostics_db(kfm_req *kr);
int kfm_handle_admin_metrics(kfm_req *kr);
int kfm_handle_audit_list(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_host_sql[];
extern const kfm_sql kfm_static_sql[];   /* mod_kf_static.c */
extern const kfm_sql kfm_metrics_sql[];
extern const kfm_sql kfm_audit_list_sql[];
extern const kfm_sql kfm_purge_sql[];
/* post_read_request: the path the access log may keep (mod_kf_access_log.c) */
int kfm_access_log_note(request_rec *r);
int kfm_purge_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

/* the /book shell and /static files of KonfirmadoHtdocs (mod_kf_static.c) */
int kfm_static_translate(request_rec *r);
int kfm_static_map_to_storage(request_rec *r);

#endif
