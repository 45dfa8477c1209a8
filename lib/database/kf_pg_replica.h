#ifndef KF_PG_REPLICA_H
#define KF_PG_REPLICA_H
/* A read replica as the module judges it (KonfirmadoReadDatabase, KonfirmadoReadMaxLag): read
 * only while it lags the primary by at most the allowed lag, and told in the error log once
 * when that stops and once when it holds again, whatever the number of connections that find
 * it. Lags are in milliseconds. */
#include <apr_pools.h>

/* The lag of a standby that receives nothing from its primary: stale by an unknown amount. */
#define KF_PG_REPLICA_CUT_OFF (-1)

/* 1 when reads may go to a replica that lags `lag_ms` (KF_PG_REPLICA_CUT_OFF: never). */
int kf_pg_replica_within(apr_int64_t lag_ms, apr_int64_t max_lag_ms);

/* Whether a process's replica is read now. Safe across the process's threads (atomics);
 * zero-initialised it is read. */
typedef struct kf_pg_replica_watch {
    apr_uint32_t lagging;
} kf_pg_replica_watch;

/* A connection found this lag: the line that says what changed, NULL when nothing did. */
const char *kf_pg_replica_told(kf_pg_replica_watch *w, apr_pool_t *p, apr_int64_t lag_ms,
                               apr_int64_t max_lag_ms);

#endif
