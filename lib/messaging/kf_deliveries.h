#ifndef KF_DELIVERIES_H
#define KF_DELIVERIES_H
/* What a merchant asks of the deliveries list (GET /api/admin/deliveries?status&page&per_page):
 * the mails, texts and callbacks about their bookings, by the state of each outbox; and how
 * a delivery reads in that list and in a booking's detail. */
#include <jansson.h>
#include <apr.h>

#define KF_DELIVERIES_PER_PAGE_DEFAULT 50
#define KF_DELIVERIES_PER_PAGE_MAX 100
#define KF_DELIVERIES_PAGE_MAX 100000

typedef struct kf_deliveries_query {
    const char *status;       /* "failed" | "pending" | "sent" | "suppressed", or NULL for all */
    int page;                 /* from 1 */
    int per_page;
    long offset;              /* rows before the page */
} kf_deliveries_query;

/* Reads the query's values (each NULL when absent) into *q. 1 when they are good; 0 for an
 * unknown status or a page or per_page that is not a whole number from 1 to its maximum. */
int kf_deliveries_query_read(const char *status, const char *page, const char *per_page,
                             kf_deliveries_query *q);

/* Columns of a delivery's row (the view `deliveries`). */
enum {
    KF_DELIVERY_COL_ID, KF_DELIVERY_COL_BOOKING, KF_DELIVERY_COL_CHANNEL, KF_DELIVERY_COL_KIND,
    KF_DELIVERY_COL_TO, KF_DELIVERY_COL_ERROR, KF_DELIVERY_COL_ATTEMPTS, KF_DELIVERY_COL_LAST,
    KF_DELIVERY_COL_STATUS, KF_DELIVERY_COL_FAULT, KF_DELIVERY_COLUMNS
};

/* One delivery as the merchant sees it: its texts (null when absent), its attempts, and why
 * it did not go (kf_delivery_reason.h: "reason" and "answer_code", null when none). The
 * fault is a mail's (mail_outbox.last_fault), NULL for the other channels. */
json_t *kf_delivery_json(const char *const *row);

/* n rows (KF_DELIVERY_COLUMNS values each) as deliveries, in their order. */
json_t *kf_delivery_items_json(const char *const *const *rows, int n);

/* Why one failure happened, as the merchant's screens word it: {"reason", "answer_code", "to"}
 * (kf_delivery_reason.h) for a failed delivery on `channel` to `to` with its mail fault and
 * error, or its HTTP status when the error is empty; NULL when nothing explains a failure. */
json_t *kf_delivery_failure_json(const char *channel, const char *to, const char *fault,
                                 const char *error, int http_status);

/* Each attempt of a booking's callback (its "status_code" and "error") gets "reason" and
 * "answer_code", null for an attempt the site took (2xx). */
void kf_callback_attempts_say_why(json_t *attempts);

/* The list's answer: items (taken), the total count and the page read. */
json_t *kf_deliveries_page_json(json_t *items, apr_int64_t total, const kf_deliveries_query *q);

#endif
