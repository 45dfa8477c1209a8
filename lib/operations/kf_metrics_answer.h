#ifndef KF_METRICS_ANSWER_H
#define KF_METRICS_ANSWER_H
/* The answer of GET /api/admin/metrics (API.md "Admin API") from the one row its statement
 * returns: the funnel of distinct visits and the conversions between its steps
 * (kf_metrics_ratio), bookings and revenue per day, cancellations, reschedules, the median
 * lead time, webhook / callback latency percentiles (one decimal: what a person reads), and
 * the appointments completed and missed, with the no-show rate no_shows / (completed +
 * no_shows), null when neither happened. */
#include <apr_tables.h>
#include <jansson.h>

#include "kf_metrics.h"

/* The question of GET /api/admin/metrics from its decoded query: period, from, to, service
 * and professional, each empty one as absent, read by kf_metrics_query_read against the
 * tenant's `today`. NULL with *q, or the parameter refused with *why its message id. */
const char *kf_metrics_query_of(apr_pool_t *p, const apr_table_t *params, const char *today,
                                kf_metrics_query *q, const char **why);

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
    /* cancellations of paid bookings by whom (COL_CANCELLED is their sum) */
    KF_METRICS_COL_BY_CUSTOMER, KF_METRICS_COL_BY_MERCHANT, KF_METRICS_COL_BY_SYSTEM,
    KF_METRICS_COL_LEAD_AVG,       /* mean hours from paid to the start */
    KF_METRICS_COL_REMINDERS,      /* reminders sent in the range */
    KF_METRICS_COL_COMPLETED_REMINDED, KF_METRICS_COL_NO_SHOWS_REMINDED, /* of COMPLETED, NO_SHOWS */
    KF_METRICS_COL_RATE_LIMITED,   /* 429s of the tenant's public pages */
    KF_METRICS_COL_CALENDAR_FAILURES, KF_METRICS_COL_OAUTH_FAILURES,
    KF_METRICS_COL_ASSISTANT_OPENED, KF_METRICS_COL_ASSISTANT_ANSWERED,
    KF_METRICS_COL_ASSISTANT_SLOT_PICKED,
    /* group classes that started in the range with at least one booking: their places
     * booked and their places in all (each class's capacity) */
    KF_METRICS_COL_SEATS_BOOKED, KF_METRICS_COL_SEATS_OFFERED,
    KF_METRICS_COLUMNS
};

/* The answer for the range from..to (YYYY-MM-DD). Besides API.md's figures:
 * "cancellations_by" {"customer", "merchant", "system"}, "lead_time_hours_avg", and
 * "reminders" {"sent", "no_show_rate_reminded", "no_show_rate_not_reminded"}: the no-show
 * rate of the appointments that had a reminder and of those that had none (null without a
 * base), what the reminders do; "seat_fill" {"booked", "places", "rate"}: how full the group
 * classes that started in the range with at least one booking were (rate null without one). */
json_t *kf_metrics_answer_json(const char *from, const char *to, const char *const *row);

/* `current` (an answer, kept) with "previous" (`previous`, the same figures of the preceding
 * range of equal length; stolen) and "trend": for bookings (paid in the range), revenue (in
 * the tenant's currency), link_viewed, payment_approved, cancellations, reschedules,
 * completed, no_shows, rate_limited and calendar_failures, the change in percent (kf_metrics_trend), null without a base. */
void kf_metrics_answer_compare(json_t *current, json_t *previous);

#endif
