#ifndef KF_AVAILABILITY_NOTICE_H
#define KF_AVAILABILITY_NOTICE_H
/* The notifications servers sharing one database send each other when availability may
 * have changed (channel konfirmado_availability, sql/022 and sql/025): what a payload names,
 * how long a server waits before listening again after a failure, and how it reaches the
 * database with the parameters of its own pooled connections. */
#include <apr_pools.h>
#include <apr_tables.h>

/* The professionals a payload names: their ids (canonical UUIDs, comma-separated) in
 * *ids (const char *, from p), returning 1; 0 when it names everything: '*', an empty
 * payload, or anything that is not such a list (an unknown payload may only cost
 * recomputations, never a stale answer). */
int kf_availability_notice_ids(apr_pool_t *p, const char *payload, apr_array_header_t **ids);

/* Seconds before listening again after `failures` failed connections in a row (0 the
 * first): 1, 2, ... at most 5. */
int kf_availability_notice_retry_seconds(int failures);

/* A libpq conninfo string of keyword/value pairs (NULL value or "": left out), values in
 * single quotes with \ and ' escaped, as libpq reads them. */
const char *kf_conninfo_text(apr_pool_t *p, const char *const *keywords,
                             const char *const *values, int n);

#endif
