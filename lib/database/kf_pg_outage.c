/* A database outage's two log lines: see kf_pg_outage.h. */
#include "kf_pg_outage.h"
#include "kf_pgerror.h"

#include <apr_atomic.h>

void kf_pg_outage_connection_lost(kf_pg_outage *o, const char *message)
{
    apr_atomic_xchgptr(&o->last_lost, (void *)kf_pg_lost_reason(message));
}

const char *kf_pg_outage_begins(kf_pg_outage *o, const char *message, apr_int64_t now)
{
    if (apr_atomic_cas32(&o->on, 1, 0) != 0) {
        return NULL;
    }
    o->since = now;
    const char *before = apr_atomic_casptr(&o->last_lost, NULL, NULL);
    o->reason = !message && before ? before : kf_pg_lost_reason(message);
    return o->reason;
}

int kf_pg_outage_ends(kf_pg_outage *o, apr_int64_t now, apr_int64_t *lasted)
{
    if (apr_atomic_casptr(&o->last_lost, NULL, NULL)) {
        apr_atomic_xchgptr(&o->last_lost, NULL);
    }
    if (apr_atomic_read32(&o->on) == 0 || apr_atomic_cas32(&o->on, 0, 1) != 1) {
        return 0;
    }
    *lasted = now - o->since;
    return 1;
}

const char *kf_pg_outage_reason(kf_pg_outage *o)
{
    if (apr_atomic_read32(&o->on)) {
        return o->reason;
    }
    /* a connection found lost a moment ago, not yet made again */
    return apr_atomic_casptr(&o->last_lost, NULL, NULL);
}
