/* The status page (mod_kf_status_feature.h): the shared counters and the job queues as
 * Prometheus text (lib/status/kf_status.c writes the format). Read-only: a scrape changes
 * nothing, and while the database is down the counters are still answered. */
#include "mod_kf_status_feature.h"
#include "mod_kf_counters.h"
#include "mod_kf_db.h"
#include "mod_kf_host.h"
#include "kf_status.h"
#include "kf_version.h"

#include <apr_atomic.h>

enum { QUEUE_COL_JOB, QUEUE_COL_WAITING, QUEUE_COL_LAG_US, QUEUE_COLS };
enum { FAILED_COL_CHANNEL, FAILED_COL_GAVE_UP, FAILED_COLS };

/* Rows waiting per job are the rows its claim would take now (the same predicates as its
 * claim statement); the lag is how long the oldest of them has been due. */
#define QUEUE(job, table, due_column, waiting)                                                \
    "SELECT '" job "', count(*), COALESCE(floor(extract(epoch FROM now() - min(" due_column   \
    ")) * 1000000), 0)::bigint FROM " table " WHERE " waiting " AND " due_column " <= now()"

const kfm_sql kfm_status_sql[] = {
    {"kf_status_queues",
     QUEUE("mails", "mail_outbox", "next_attempt_at", "sent_at IS NULL AND failed_at IS NULL")
     " UNION ALL "
     QUEUE("texts", "message_outbox", "next_attempt_at", "status = 'queued'")
     " UNION ALL "
     QUEUE("callbacks", "merchant_callbacks", "next_attempt_at", "status = 'pending'")
     " UNION ALL "
     QUEUE("calendar_events", "calendar_events", "due_at", "due_at IS NOT NULL")
     " UNION ALL "
     QUEUE("reconciliation", "payments", "reconcile_next_at", "status = 'pending'")},
    {"kf_status_failed",
     "SELECT 'mail', count(*) FROM mail_outbox WHERE failed_at IS NOT NULL"
     " UNION ALL SELECT 'text', count(*) FROM message_outbox WHERE status = 'failed'"
     " UNION ALL SELECT 'callback', count(*) FROM merchant_callbacks WHERE status = 'failed'"},
    {"kf_status_schema", "SELECT COALESCE(MAX(version), 0) FROM kf_schema_migrations"},
    {NULL, NULL},
};

static void requests(kf_status_text *t, const kfm_counters *c)
{
    apr_pool_t *p = t->p;
    kf_status_family(t, "konfirmado_requests_total", "counter",
                     "API requests answered, by endpoint class and status class.");
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        for (int s = 0; s < KF_STATUS_CODE_CLASS_COUNT; s++) {
            const char *labels[] = {"class", kf_status_class_name((kf_status_class)k), "status",
                                    kf_status_code_class_name((kf_status_code_class)s), NULL};
            apr_uint64_t n = apr_atomic_read64((volatile apr_uint64_t *)&c->requests[k].count[s]);
            kf_status_sample(t, "konfirmado_requests_total", labels, kf_status_count(p, n));
        }
    }
    kf_status_family(t, "konfirmado_request_duration_seconds", "histogram",
                     "Time from a request's arrival to its logging, by endpoint class.");
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        unsigned long long counts[KF_STATUS_BUCKET_COUNT + 1];
        for (int b = 0; b <= KF_STATUS_BUCKET_COUNT; b++) {
            counts[b] = apr_atomic_read64((volatile apr_uint64_t *)&c->requests[k].bucket[b]);
        }
        const char *labels[] = {"class", kf_status_class_name((kf_status_class)k), NULL};
        kf_status_histogram(t, "konfirmado_request_duration_seconds", labels, counts,
                            apr_atomic_read64((volatile apr_uint64_t *)&c->requests[k].sum_us));
    }
}

static void single(kf_status_text *t, const char *name, const char *type, const char *help,
                   const char *value)
{
    kf_status_family(t, name, type, help);
    kf_status_sample(t, name, NULL, value);
}

static void shared(kf_status_text *t, const kfm_counters *c)
{
    apr_pool_t *p = t->p;
    single(t, "konfirmado_cache_hits_total", "counter",
           "Availability answers served from the shared cache.",
           kf_status_count(p, apr_atomic_read64((volatile apr_uint64_t *)&c->cache_hits)));
    single(t, "konfirmado_cache_misses_total", "counter",
           "Availability answers computed because the cache had none.",
           kf_status_count(p, apr_atomic_read64((volatile apr_uint64_t *)&c->cache_misses)));
    single(t, "konfirmado_rate_limited_total", "counter",
           "Requests answered 429 (a per-IP, per-tenant or attempt limit).",
           kf_status_count(p, apr_atomic_read64((volatile apr_uint64_t *)&c->rate_limited)));
    single(t, "konfirmado_db_pool_in_use", "gauge",
           "Database connections checked out of the pools of every child now.",
           kf_status_count(p, apr_atomic_read32((volatile apr_uint32_t *)&c->db_in_use)));
    single(t, "konfirmado_counters_since_seconds", "gauge",
           "When the counters started (Unix time): the server's start.",
           kf_status_count(p, (unsigned long long)apr_time_sec(c->since)));
}

/* The queues and failures, from the database. */
static void database(kf_status_text *t, request_rec *r, ap_dbd_t *db)
{
    apr_pool_t *p = t->p;
    kfm_rows *rows = NULL;
    if (kfm_db_select(r, db, "kf_status_queues", &rows, 0, NULL) == APR_SUCCESS) {
        int n = kfm_db_rows(db, rows);
        kf_status_family(t, "konfirmado_job_queue", "gauge",
                         "Rows due now that a job has not yet taken, by job.");
        for (int i = 0; i < n; i++) {
            const char *v[QUEUE_COLS];
            kfm_db_row(db, p, rows, i, v, QUEUE_COLS);
            const char *labels[] = {"job", v[QUEUE_COL_JOB], NULL};
            kf_status_sample(t, "konfirmado_job_queue", labels, v[QUEUE_COL_WAITING]);
        }
        kf_status_family(t, "konfirmado_job_lag_seconds", "gauge",
                         "How long the oldest row due has waited for its job (0: none due).");
        for (int i = 0; i < n; i++) {
            const char *v[QUEUE_COLS];
            kfm_db_row(db, p, rows, i, v, QUEUE_COLS);
            const char *labels[] = {"job", v[QUEUE_COL_JOB], NULL};
            kf_status_sample(t, "konfirmado_job_lag_seconds", labels,
                             kf_status_seconds(p, (long long)kfm_db_number(v[QUEUE_COL_LAG_US])));
        }
    }
    if (kfm_db_select(r, db, "kf_status_failed", &rows, 0, NULL) == APR_SUCCESS) {
        kf_status_family(t, "konfirmado_deliveries_failed_total", "counter",
                         "Mails, texts and merchant callbacks that gave up, by channel (rows "
                         "kept: the purge of old rows lowers it).");
        for (int i = 0; i < kfm_db_rows(db, rows); i++) {
            const char *v[FAILED_COLS];
            kfm_db_row(db, p, rows, i, v, FAILED_COLS);
            const char *labels[] = {"channel", v[FAILED_COL_CHANNEL], NULL};
            kf_status_sample(t, "konfirmado_deliveries_failed_total", labels, v[FAILED_COL_GAVE_UP]);
        }
    }
}

int kfm_status_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, KFM_STATUS_HANDLER) != 0) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    kf_status_text *t = kf_status_text_make(r->pool);
    const kfm_counters *c = kfm_counters_get();
    if (c) {
        requests(t, c);
        shared(t, c);
    }
    ap_dbd_t *db = NULL;
    int schema = -1;
    kfm_db_state st = kfm_db_acquire(r, &db, &schema);
    kfm_rows *rows = NULL;
    if (st == KFM_DB_OK && kfm_db_select(r, db, "kf_status_schema", &rows, 0, NULL) == APR_SUCCESS) {
        schema = (int)kfm_db_number(kfm_db_value(db, r->pool, rows, 0, 0));
    }
    else if (st == KFM_DB_OK) {
        st = KFM_DB_DOWN;
    }
    single(t, "konfirmado_database_up", "gauge",
           "1 when this server reached PostgreSQL for this scrape.",
           st == KFM_DB_DOWN || st == KFM_DB_STOPPING ? "0" : "1");
    kf_status_family(t, "konfirmado_build_info", "gauge",
                     "The module's version and the schema version it needs.");
    const char *build[] = {"version", KF_VERSION, "schema",
                           apr_psprintf(r->pool, "%d", KF_SCHEMA_VERSION), NULL};
    kf_status_sample(t, "konfirmado_build_info", build, "1");
    if (schema >= 0) {
        single(t, "konfirmado_database_schema_version", "gauge",
               "The newest migration the database has.", apr_psprintf(r->pool, "%d", schema));
    }
    single(t, "konfirmado_schema_outdated", "gauge",
           "1 when the database lacks migrations this module needs (every request 503).",
           st == KFM_DB_SCHEMA_OUTDATED ? "1" : "0");
    if (st == KFM_DB_OK) {
        database(t, r, db);
    }
    ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rputs(kf_status_text_join(t), r);
    return OK;
}

int kfm_status_count_request(request_rec *r)
{
    if (r->main || !r->handler || strcmp(r->handler, KFM_API_HANDLER) != 0) {
        return DECLINED;
    }
    request_rec *last = r;
    while (last->next) {
        last = last->next;   /* an internal redirect's status is the answer's */
    }
    kfm_counters_request(kf_status_class_of(apr_table_get(r->notes, KFM_ROUTE_NOTE)),
                         last->status, apr_time_now() - r->request_time);
    return DECLINED;
}
