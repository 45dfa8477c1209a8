#ifndef KF_METRICS_ANSWER_H
#define KF_METRICS_ANSWER_H
/* The answer of GET /api/admin/metrics (API.md "Admin API") from the one row its statement
 * returns: the funnel of distinct visits and the conversions between its steps
 * (kf_metrics_ratio), bookings and revenue per day, cancellations, reschedules, the median
 * lead time, webhook / callback latency percentiles (one decimal: what a person reads), and
 * the appointments completed and missed, with the no-show rate no_shows / (completed +
 * no_shows), null when neither happened. */
#include <jansson.h>

/* Columns of kf_metrics. */
enum {
    KF_METRICS_COL_VIEWED, KF_METRICS_COL_HELD, KF_METRICS_COL_DETAILS, KF_METRICS_COL_STARTED,
    KF_METRICS_COL_APPROVED,
    KF_METRICS_COL_PER_DAY,        /* "day,count,amount;..." every day of the range, in order */
    KF_METRICS_COL_CANCELLED, KF_METRICS_COL_RESCHEDULED, KF_METRICS_COL_LEAD_P50,
    KF_METRICS_COL_WEBHOOK_P50, KF_METRICS_COL_WEBHOOK_P95, KF_METRICS_COL_CALLBACK_P50,
    KF_METRICS_COL_CALLBACK_P95, KF_METRICS_COL_CURRENCY,
    KF_METRICS_COL_COMPLETED,      /* bookings marked (or become) completed in the range */
    KF_METRICS_COL_NO_SHOWS,       /* bookings marked no_show in the range */
    KF_METRICS_COLUMNS
};

/* The answer for the range from..to (YYYY-MM-DD). */
json_t *kf_metrics_answer_json(const char *from, const char *to, const char *const *row);

#endif
