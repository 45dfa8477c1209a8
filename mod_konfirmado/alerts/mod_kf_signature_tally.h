#ifndef MOD_KF_SIGNATURE_TALLY_H
#define MOD_KF_SIGNATURE_TALLY_H
/* The payment webhooks refused for their signature, per tenant, counted in memory every
 * child shares (kf_tally, keyed by the tenant's id) and written by the alerts job as
 * metrics_incidents 'webhook_signature': no database write per refused request. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"

/* post_config: the shared table, inherited by every child. */
int kfm_signature_tally_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                    server_rec *s);

/* Counts one refused webhook of tenant_id. */
void kfm_signature_tally_count(const char *tenant_id);

/* Writes what was counted since the last call (one row per tenant); the counts go back to
 * the table when the write fails. APR_SUCCESS or the database's error. */
apr_status_t kfm_signature_tally_flush(apr_pool_t *p, ap_dbd_t *db);

#endif
