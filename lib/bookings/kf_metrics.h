#ifndef KF_METRICS_H
#define KF_METRICS_H
/* The merchant's metrics (API.md: GET /api/admin/metrics): the visit id the wizard sends
 * with every public call, the date range of a query, and the funnel's conversions. Pure. */
#include <apr_pools.h>
#include <apr_tables.h>

/* Header the wizard sends its visit id in. */
#define KF_VISIT_HEADER "X-Konfirmado-Visit"
/* Days a metrics query may span (both ends included). */
#define KF_METRICS_MAX_DAYS 366
/* Default range: the last 30 days, today included. */
#define KF_METRICS_DEFAULT_DAYS 30

/* 1 for a visit id we record: 16..64 characters out of A-Z a-z 0-9 _ -. Anything else is not
 * recorded (the request itself is never refused for it). */
int kf_visit_id_ok(const char *visit);

/* The range of a query: `from` and `to` as given (NULL = not given), `today` the tenant's
 * date. Defaults: to = today, from = to - 29 days. Returns 0 with *from_out and *to_out
 * (YYYY-MM-DD), or -1 with *bad the parameter's name and *why a message id
 * ("param_date", "param_date_range", "param_range_too_long"). */
int kf_metrics_range(apr_pool_t *p, const char *from, const char *to, const char *today,
                     const char **from_out, const char **to_out, const char **bad,
                     const char **why);

/* What a metrics query asks (API.md: ?period=7d|30d|90d, or ?from&to, and the filters
 * ?service=&professional=): its range, the preceding range of the same length (what
 * "previous" and "trend" compare with), and the filters (NULL: all). */
typedef struct kf_metrics_query {
    const char *from, *to;            /* YYYY-MM-DD, the tenant's dates */
    const char *previous_from, *previous_to;
    const char *service, *professional;
} kf_metrics_query;

/* Reads the query's parameters (each NULL when not given) for the tenant's `today`: a
 * period (7d, 30d or 90d, ending today) or a range (kf_metrics_range), never both; a
 * filter must be a uuid. 0 with *q, or -1 with *bad the parameter and *why a message id
 * ("param_period", "param_period_and_range", "param_id" or kf_metrics_range's). */
int kf_metrics_query_read(apr_pool_t *p, const char *period, const char *from, const char *to,
                          const char *service, const char *professional, const char *today,
                          kf_metrics_query *q, const char **bad, const char **why);

/* The change from `previous` to `current` in percent, one decimal; -1 and *none set when
 * previous is 0 (JSON null: no base to compare with). */
double kf_metrics_trend(double current, double previous, int *none);

/* part / base as a ratio 0..1, or -1 when the base is 0 (JSON null). */
double kf_metrics_ratio(long part, long base);

#endif
