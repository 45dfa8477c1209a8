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

/* part / base as a ratio 0..1, or -1 when the base is 0 (JSON null). */
double kf_metrics_ratio(long part, long base);

#endif
