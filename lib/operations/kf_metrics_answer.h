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
    KF_METRICS_COL_REVENUE,        /* "CUR:amount;..." approved in the range, by currency */
    KF_METRICS_COL_REFUNDS,        /* "CUR:amount;..." given back in the range, by currency */
    KF_METRICS_COLUMNS
};

/* The answer for the range from..to (YYYY-MM-DD). */
json_t *kf_metrics_answer_json(const char *from, const char *to, const char *const *row);

/* `current` (an answer, kept) with "previous" (`previous`, the same figures of the preceding
 * range of equal length; stolen) and "trend": for bookings (paid in the range), revenue (in
 * the tenant's currency), link_viewed, payment_approved, cancellations, reschedules,
 * completed and no_shows, the change in percent (kf_metrics_trend), null without a base. */
void kf_metrics_answer_compare(json_t *current, json_t *previous);

#endif
