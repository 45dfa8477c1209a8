#ifndef MOD_KF_DB_READ_H
#define MOD_KF_DB_READ_H
/* KonfirmadoReadDatabase: a pool of each child's connections to a read replica (a streaming
 * standby: docs/high-availability.md), for the reads that decide nothing (availability, the
 * dashboard's lists and metrics). A connection is handed out only while its server lags the
 * primary by less than KonfirmadoReadMaxLag (asked at most every 100 ms per connection);
 * otherwise, or when the replica cannot be reached, the caller reads on the primary
 * (DBDParams' connection) instead. The process says once when its replica starts to lag and
 * once when it is back. Every write, and every read that judges (a hold's start, a booking,
 * an approval, a refund), stays on the primary: a slot a lagging replica shows free is
 * refused 409 slot_unavailable by the primary. */
#include "mod_kf_db.h"

/* child_init: the pool, when the main server names a read database. */
void kfm_db_read_child_init(apr_pool_t *pchild, server_rec *s);

/* A ready replica connection for r within the lag (KFM_DB_OK), else KFM_DB_DOWN and *db NULL
 * (not configured, unreachable, lagging): read on the primary. Given back with
 * kfm_db_read_give_back before r ends. */
kfm_db_state kfm_db_read_take(request_rec *r, ap_dbd_t **db);
void kfm_db_read_give_back(ap_dbd_t *db);

/* KonfirmadoReadMaxLag, in seconds: how much older than the primary's a replica's answer may
 * be (a cached one lives no longer than that past it). */
int kfm_db_read_max_lag(void);

#endif
