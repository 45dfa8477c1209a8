#ifndef KF_AVAILABILITY_NOTICE_H
#define KF_AVAILABILITY_NOTICE_H
/* The notifications servers sharing one database send each other when availability may
 * have changed (channel konfirmado_availability, sql/022 and sql/025): what a payload names,
 * the listener's clock (when it connects again after a failure, takes the recorded changes,
 * vacuums what it took), and how it reaches the database with the parameters of its own
 * pooled connections. */
#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

/* The professionals a payload names: their ids (canonical UUIDs, comma-separated) in
 * *ids (const char *, from p), returning 1; 0 when it names everything: '*', an empty
 * payload, or anything that is not such a list (an unknown payload may only cost
 * recomputations, never a stale answer). */
int kf_availability_notice_ids(apr_pool_t *p, const char *payload, apr_array_header_t **ids);

/* Seconds before listening again after `failures` failed connections in a row (0 the
 * first): 1, 2, ... at most 5. */
int kf_availability_notice_retry_seconds(int failures);

/* How often the recorded changes are taken (one short transaction each time), and how often,
 * at most, the rows taken are vacuumed away. */
#define KF_AVAIL_TAKE_EVERY apr_time_from_msec(20)
#define KF_AVAIL_VACUUM_EVERY apr_time_from_sec(1)

/* The listener's clock. Pure: "now" is an argument. */
typedef struct kf_avail_listener_clock {
    int failures;              /* failed connections in a row */
    apr_time_t retry_at;       /* after a failed connection: none before this */
    apr_time_t next_take;
    long taken;                /* rows taken since the last vacuum */
    apr_time_t next_vacuum;
} kf_avail_listener_clock;

/* A connection failed at now: none is tried again before kf_availability_notice_retry_seconds.
 * 1 when it is the first failure in a row (the one worth a log line). */
int kf_avail_listener_failed(kf_avail_listener_clock *k, apr_time_t now);

/* Connected: 1 when failures came before (heard again). */
int kf_avail_listener_connected(kf_avail_listener_clock *k);

/* 1 when the changes are to be taken at now (the next take is then KF_AVAIL_TAKE_EVERY
 * later). */
int kf_avail_listener_take_due(kf_avail_listener_clock *k, apr_time_t now);

/* 1 when the rows taken are to be vacuumed at now: some were taken, the server may vacuum
 * (its role owns the table) and KF_AVAIL_VACUUM_EVERY has passed since the last vacuum. */
int kf_avail_listener_vacuum_due(kf_avail_listener_clock *k, int may_vacuum, apr_time_t now);

/* How long to wait for notifications at now before the next take (never negative). */
apr_interval_time_t kf_avail_listener_wait(const kf_avail_listener_clock *k, apr_time_t now);

/* A libpq conninfo string of keyword/value pairs (NULL value or "": left out), values in
 * single quotes with \ and ' escaped, as libpq reads them. */
const char *kf_conninfo_text(apr_pool_t *p, const char *const *keywords,
                             const char *const *values, int n);

#endif
