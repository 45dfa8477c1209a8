#ifndef KF_PG_OUTAGE_H
#define KF_PG_OUTAGE_H
/* A database outage as one process lives it: the first connection found lost says what
 * happened (one line, in words, not libpq's bare FATAL), the first one made ready again says
 * that the pool recovered and after how long. Connections are re-made one by one at their
 * next use, so without this the log has one line per connection and none that says "over".
 * Safe across the process's threads (atomics); zero-initialised it is "no outage". Reasons
 * are kf_pg_lost_reason's constants; times are the caller's clock, in any one unit. */
#include <apr.h>

typedef struct kf_pg_outage {
    apr_uint32_t on;                 /* 1 between the two lines */
    /* what the last connection found lost said, until a connection is usable again: the
     * reason an outage that follows is told with */
    volatile void *last_lost;
    apr_int64_t since;
    const char *volatile reason;
} kf_pg_outage;

/* A connection found lost: the database may still be up (a session PostgreSQL ended), so no
 * outage yet; what it said is kept, should reconnecting fail. */
void kf_pg_outage_connection_lost(kf_pg_outage *o, const char *message);

/* No connection could be had (`message`: libpq's words, NULL when mod_dbd gave none): the
 * outage's reason when this call began it (the caller says so, once), else NULL. */
const char *kf_pg_outage_begins(kf_pg_outage *o, const char *message, apr_int64_t now);

/* A connection is usable again: 1 when this call ended an outage (the caller says so, with
 * *lasted, in the unit of `now`), else 0. */
int kf_pg_outage_ends(kf_pg_outage *o, apr_int64_t now, apr_int64_t *lasted);

/* The reason while an outage lasts, or since a connection was found lost and until one is
 * usable again; NULL otherwise. */
const char *kf_pg_outage_reason(kf_pg_outage *o);

#endif
