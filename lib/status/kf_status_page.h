#ifndef KF_STATUS_PAGE_H
#define KF_STATUS_PAGE_H
/* What the operator's status page says (API.md "Operations"), from what the module read:
 * the shared counters at one moment, whether the database was reached and its schema, and
 * the job queues and failed deliveries it counted. Each family with its help text, in the
 * exposition format of kf_status.h. */
#include "kf_status.h"

/* The requests of one endpoint class: per status class, per latency bucket (the last: above
 * every bound), and their total time. */
typedef struct kf_status_series {
    unsigned long long count[KF_STATUS_CODE_CLASS_COUNT];
    unsigned long long bucket[KF_STATUS_BUCKET_COUNT + 1];
    unsigned long long sum_us;
} kf_status_series;

/* The shared counters as they were read. */
typedef struct kf_status_counts {
    kf_status_series requests[KF_STATUS_CLASS_COUNT];
    unsigned long long cache_hits, cache_misses, rate_limited, db_in_use;
    unsigned long long since;   /* unix seconds: when the counts started */
} kf_status_counts;

void kf_status_page_counts(kf_status_text *t, const kf_status_counts *c);

/* The database as this scrape found it: reached or not, its newest migration (< 0: not
 * known), whether it lacks migrations the module needs; and the module's build. */
void kf_status_page_database(kf_status_text *t, int up, int schema, int outdated);

/* The page reads the rows of the module's statements by these positions (NULL: SQL NULL),
 * each family from its statement's n rows. */

/* A job's queue: the rows due it has not taken yet, and how long the oldest has waited (in
 * microseconds). */
enum { KF_STATUS_QUEUE_COL_JOB, KF_STATUS_QUEUE_COL_WAITING, KF_STATUS_QUEUE_COL_LAG_US,
       KF_STATUS_QUEUE_COLUMNS };

void kf_status_page_queues(kf_status_text *t, const char *const *const *rows, int n);

/* The deliveries of a channel (mail, text, callback) that gave up. */
enum { KF_STATUS_FAILED_COL_CHANNEL, KF_STATUS_FAILED_COL_GAVE_UP, KF_STATUS_FAILED_COLUMNS };

void kf_status_page_failed(kf_status_text *t, const char *const *const *rows, int n);

/* Mails waiting for another attempt, by the fault of their last one (kf_mail_fault_name). */
enum { KF_STATUS_RETRYING_COL_FAULT, KF_STATUS_RETRYING_COL_WAITING, KF_STATUS_RETRYING_COLUMNS };

/* Every fault that is retried (kf_mail_fault.h) is answered as a reason, 0 when no row
 * names it; a row of another fault is not shown. */
void kf_status_page_mail_retrying(kf_status_text *t, const char *const *const *rows, int n);

/* Checkouts a payment provider did not make in the last hour (audit action
 * payment.provider_error, kf_payment_failure.h), by provider. */
enum { KF_STATUS_PROVIDER_ERRORS_COL_PROVIDER, KF_STATUS_PROVIDER_ERRORS_COL_FAILED,
       KF_STATUS_PROVIDER_ERRORS_COLUMNS };

/* Every provider of the registry is answered, 0 when no row names it; a row of a name the
 * registry does not list is not shown. */
void kf_status_page_provider_errors(kf_status_text *t, const char *const *const *rows, int n);

#endif
