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

/* A job's queue: the rows due it has not taken yet, and how long the oldest has waited. */
typedef struct kf_status_queue {
    const char *job;
    const char *waiting;
    long long lag_us;
} kf_status_queue;

void kf_status_page_queues(kf_status_text *t, const kf_status_queue *queues, int n);

/* The deliveries of a channel (mail, text, callback) that gave up. */
typedef struct kf_status_failed {
    const char *channel;
    const char *gave_up;
} kf_status_failed;

void kf_status_page_failed(kf_status_text *t, const kf_status_failed *failed, int n);

/* Mails waiting for another attempt, by the fault of their last one (kf_mail_fault_name). */
typedef struct kf_status_retrying {
    const char *fault;
    const char *waiting;
} kf_status_retrying;

/* Every fault that is retried (kf_mail_fault.h) is answered as a reason, 0 when no row
 * names it; a row of another fault is not shown. */
void kf_status_page_mail_retrying(kf_status_text *t, const kf_status_retrying *rows, int n);

/* Checkouts a payment provider did not make in the last hour (audit action
 * payment.provider_error, kf_payment_failure.h), by provider. */
typedef struct kf_status_provider_errors {
    const char *provider;
    const char *failed;
} kf_status_provider_errors;

/* Every provider of the registry is answered, 0 when no row names it; a row of a name the
 * registry does not list is not shown. */
void kf_status_page_provider_errors(kf_status_text *t, const kf_status_provider_errors *rows,
                                    int n);

#endif
