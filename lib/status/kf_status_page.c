/* The status page's families: see kf_status_page.h. */
#include "kf_status_page.h"
#include "kf_mail_fault.h"
#include "kf_payment.h"
#include "kf_version.h"
#include "kf_pg_rows.h"

#include <string.h>

static void single(kf_status_text *t, const char *name, const char *type, const char *help,
                   const char *value)
{
    kf_status_family(t, name, type, help);
    kf_status_sample(t, name, NULL, value);
}

static void requests(kf_status_text *t, const kf_status_series *series)
{
    kf_status_family(t, "konfirmado_requests_total", "counter",
                     "API requests answered, by endpoint class and status class.");
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        for (int s = 0; s < KF_STATUS_CODE_CLASS_COUNT; s++) {
            const char *labels[] = {"class", kf_status_class_name((kf_status_class)k), "status",
                                    kf_status_code_class_name((kf_status_code_class)s), NULL};
            kf_status_sample(t, "konfirmado_requests_total", labels,
                             kf_status_count(t->p, series[k].count[s]));
        }
    }
    kf_status_family(t, "konfirmado_request_duration_seconds", "histogram",
                     "Time from a request's arrival to its logging, by endpoint class.");
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        const char *labels[] = {"class", kf_status_class_name((kf_status_class)k), NULL};
        kf_status_histogram(t, "konfirmado_request_duration_seconds", labels, series[k].bucket,
                            series[k].sum_us);
    }
}

void kf_status_page_counts(kf_status_text *t, const kf_status_counts *c)
{
    apr_pool_t *p = t->p;
    requests(t, c->requests);
    single(t, "konfirmado_cache_hits_total", "counter",
           "Availability answers served from the shared cache.", kf_status_count(p, c->cache_hits));
    single(t, "konfirmado_cache_misses_total", "counter",
           "Availability answers computed because the cache had none.",
           kf_status_count(p, c->cache_misses));
    single(t, "konfirmado_rate_limited_total", "counter",
           "Requests answered 429 (a per-IP, per-tenant or attempt limit).",
           kf_status_count(p, c->rate_limited));
    single(t, "konfirmado_db_pool_in_use", "gauge",
           "Database connections checked out of the pools of every child now.",
           kf_status_count(p, c->db_in_use));
    single(t, "konfirmado_counters_since_seconds", "gauge",
           "When the counters started (Unix time): the server's start.",
           kf_status_count(p, c->since));
}

void kf_status_page_database(kf_status_text *t, int up, int schema, int outdated)
{
    single(t, "konfirmado_database_up", "gauge",
           "1 when this server reached PostgreSQL for this scrape.", up ? "1" : "0");
    kf_status_family(t, "konfirmado_build_info", "gauge",
                     "The module's version and the schema version it needs.");
    const char *build[] = {"version", KF_VERSION, "schema",
                           apr_psprintf(t->p, "%d", KF_SCHEMA_VERSION), NULL};
    kf_status_sample(t, "konfirmado_build_info", build, "1");
    if (schema >= 0) {
        single(t, "konfirmado_database_schema_version", "gauge",
               "The newest migration the database has.", apr_psprintf(t->p, "%d", schema));
    }
    single(t, "konfirmado_schema_outdated", "gauge",
           "1 when the database lacks migrations this module needs (every request 503).",
           outdated ? "1" : "0");
}

void kf_status_page_queues(kf_status_text *t, const char *const *const *rows, int n)
{
    kf_status_family(t, "konfirmado_job_queue", "gauge",
                     "Rows due now that a job has not yet taken, by job.");
    for (int i = 0; i < n; i++) {
        const char *labels[] = {"job", rows[i][KF_STATUS_QUEUE_COL_JOB], NULL};
        kf_status_sample(t, "konfirmado_job_queue", labels, rows[i][KF_STATUS_QUEUE_COL_WAITING]);
    }
    kf_status_family(t, "konfirmado_job_lag_seconds", "gauge",
                     "How long the oldest row due has waited for its job (0: none due).");
    for (int i = 0; i < n; i++) {
        const char *labels[] = {"job", rows[i][KF_STATUS_QUEUE_COL_JOB], NULL};
        long long lag_us = (long long)kf_pg_number(rows[i][KF_STATUS_QUEUE_COL_LAG_US]);
        kf_status_sample(t, "konfirmado_job_lag_seconds", labels,
                         kf_status_seconds(t->p, lag_us));
    }
}

void kf_status_page_failed(kf_status_text *t, const char *const *const *rows, int n)
{
    kf_status_family(t, "konfirmado_deliveries_failed_total", "counter",
                     "Mails, texts and merchant callbacks that gave up, by channel (rows "
                     "kept: the purge of old rows lowers it).");
    for (int i = 0; i < n; i++) {
        const char *labels[] = {"channel", rows[i][KF_STATUS_FAILED_COL_CHANNEL], NULL};
        kf_status_sample(t, "konfirmado_deliveries_failed_total", labels,
                         rows[i][KF_STATUS_FAILED_COL_GAVE_UP]);
    }
}

void kf_status_page_mail_retrying(kf_status_text *t, const char *const *const *rows, int n)
{
    kf_status_family(t, "konfirmado_mail_retrying", "gauge",
                     "Mails waiting for another attempt, by why the last one failed: sender "
                     "(the mail service refuses us: its key, our sender), busy, unreachable.");
    for (int f = 0; f < KF_MAIL_FAULTS; f++) {
        kf_mail_verdict v = kf_mail_fault_verdict((kf_mail_fault)f);
        if (v != KF_MAIL_RETRY && v != KF_MAIL_HOLD) {
            continue;
        }
        const char *name = kf_mail_fault_name((kf_mail_fault)f);
        const char *waiting = "0";
        for (int i = 0; i < n; i++) {
            const char *fault = rows[i][KF_STATUS_RETRYING_COL_FAULT];
            if (fault && strcmp(fault, name) == 0) {
                waiting = rows[i][KF_STATUS_RETRYING_COL_WAITING];
            }
        }
        const char *labels[] = {"reason", name, NULL};
        kf_status_sample(t, "konfirmado_mail_retrying", labels, waiting);
    }
}

void kf_status_page_provider_errors(kf_status_text *t, const char *const *const *rows, int n)
{
    kf_status_family(t, "konfirmado_payment_provider_errors", "gauge",
                     "Checkouts the payment provider did not make in the last hour (timeout, "
                     "connection, 5xx, refused key), by provider.");
    for (int k = 0; kf_payment_providers[k]; k++) {
        const char *name = kf_payment_providers[k]->name;
        const char *failed = "0";
        for (int i = 0; i < n; i++) {
            const char *provider = rows[i][KF_STATUS_PROVIDER_ERRORS_COL_PROVIDER];
            if (provider && strcmp(provider, name) == 0) {
                failed = rows[i][KF_STATUS_PROVIDER_ERRORS_COL_FAILED];
            }
        }
        const char *labels[] = {"provider", name, NULL};
        kf_status_sample(t, "konfirmado_payment_provider_errors", labels, failed);
    }
}
