#ifndef MOD_KF_SHARED_TALLY_H
#define MOD_KF_SHARED_TALLY_H
/* A count per key in memory every child shares (kf_tally), made before the children fork and
 * drained by a job into one statement: no database write per counted request. */
#include "mod_kf_db.h"
#include "kf_tally.h"

#include <httpd.h>

/* post_config: a zeroed table inherited by every child, or NULL after logging that the counts
 * of `what` cannot be made. */
kf_tally *kfm_shared_tally_make(apr_pool_t *pconf, server_rec *s, const char *what);

/* Runs `statement` with what was counted since the last drain as two text arrays (the keys,
 * which must need no quoting as array items, and their counts); the counts go back to the
 * table when the statement fails. APR_SUCCESS or the database's error. */
apr_status_t kfm_shared_tally_drain(kf_tally *tally, apr_pool_t *p, ap_dbd_t *db,
                                    const char *statement);
#endif
