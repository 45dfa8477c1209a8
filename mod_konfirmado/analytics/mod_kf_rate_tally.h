#ifndef MOD_KF_RATE_TALLY_H
#define MOD_KF_RATE_TALLY_H
/* The 429s of each tenant's public pages, counted in memory every child shares (kf_tally)
 * and written by the metrics job: no database write per refused request. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"

/* post_config: the shared table, inherited by every child. */
int kfm_rate_tally_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s);

/* Counts one refused request of the tenant the Host names (none on the platform host). */
void kfm_rate_tally_count(kfm_req *kr);

/* Writes what was counted since the last call (one row per tenant); the counts go back to
 * the table when the write fails. APR_SUCCESS or the database's error. */
apr_status_t kfm_rate_tally_flush(server_rec *s, apr_pool_t *p, ap_dbd_t *db);

#endif
