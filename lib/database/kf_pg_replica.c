/* A read replica's lag judged, and its changes told once (kf_pg_replica.h). */
#include "kf_pg_replica.h"

#include <apr_atomic.h>
#include <apr_strings.h>

int kf_pg_replica_within(apr_int64_t lag_ms, apr_int64_t max_lag_ms)
{
    return lag_ms >= 0 && lag_ms <= max_lag_ms;
}

const char *kf_pg_replica_told(kf_pg_replica_watch *w, apr_pool_t *p, apr_int64_t lag_ms,
                               apr_int64_t max_lag_ms)
{
    apr_uint32_t lagging = !kf_pg_replica_within(lag_ms, max_lag_ms);
    if (apr_atomic_xchg32(&w->lagging, lagging) == lagging) {
        return NULL;
    }
    if (!lagging) {
        return "the read replica caught up: reads go there again";
    }
    if (lag_ms < 0) {
        return "the read replica receives nothing from its primary: its reads go to the primary";
    }
    return apr_psprintf(p, "the read replica lags %" APR_INT64_T_FMT " ms (more than "
                        "KonfirmadoReadMaxLag): its reads go to the primary", lag_ms);
}
