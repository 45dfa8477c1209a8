/* The status page (mod_kf_status_feature.h): the shared counters and the job queues as
 * Prometheus text, with the key ids each virtual host loaded (lib/status/kf_status_page.c and
 * kf_status_keys.c say what, kf_status.c writes the format).
 * Read-only: a scrape changes nothing, and while the database is down the counters are still
 * answered. */
#include "mod_kf_status_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_config.h"
#include "mod_kf_counters.h"
#include "mod_kf_db.h"
#include "mod_kf_host.h"
#include "kf_status_keys.h"
#include "kf_status_page.h"
#include "kf_payment_failure.h"

#include <http_main.h>

/* Rows waiting per job are the rows its claim would take now (the same predicates as its
 * claim statement); the lag is how long the oldest of them has been due. */
#define QUEUE(job, table, due_column, waiting)                                                \
    "SELECT '" job "' AS job, count(*) AS waiting, COALESCE(floor(extract(epoch FROM now()"   \
    " - min(" due_column ")) * 1000000), 0)::bigint AS lag_us FROM " table " WHERE " waiting  \
    " AND " due_column " <= now()"
/* Columns of kf_status_queues, of the QUEUE rows q. */
#define QUEUE_COLUMNS(FIRST, NEXT)                                                          \
    FIRST(QUEUE_COL_JOB, "q.job") NEXT(QUEUE_COL_WAITING, "q.waiting")                      \
    NEXT(QUEUE_COL_LAG_US, "q.lag_us")
enum { QUEUE_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) QUEUE_COLS };
/* Columns of kf_status_failed, of its rows f. */
#define FAILED_COLUMNS(FIRST, NEXT)                                                         \
    FIRST(FAILED_COL_CHANNEL, "f.channel") NEXT(FAILED_COL_GAVE_UP, "f.gave_up")
enum { FAILED_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) FAILED_COLS };
/* Columns of kf_status_mail_retrying. */
#define RETRYING_COLUMNS(FIRST, NEXT)                                                       \
    FIRST(RETRYING_COL_FAULT, "last_fault") NEXT(RETRYING_COL_WAITING, "count(*)")
enum { RETRYING_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) RETRYING_COLS };
/* Columns of kf_status_provider_errors. */
#define PROVIDER_ERRORS_COLUMNS(FIRST, NEXT)                                                \
    FIRST(PROVIDER_ERRORS_COL_PROVIDER, "changes->>'provider'")                             \
    NEXT(PROVIDER_ERRORS_COL_FAILED, "count(*)")
enum { PROVIDER_ERRORS_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) PROVIDER_ERRORS_COLS };

const kfm_sql kfm_status_sql[] = {
    {"kf_status_queues",
     "SELECT " KFM_SQL_COLUMNS(QUEUE_COLUMNS) " FROM ("
     QUEUE("mails", "mail_outbox", "next_attempt_at", "sent_at IS NULL AND failed_at IS NULL")
     " UNION ALL "
     QUEUE("texts", "message_outbox", "next_attempt_at", "status = 'queued'")
     " UNION ALL "
     QUEUE("callbacks", "merchant_callbacks", "next_attempt_at", "status = 'pending'")
     " UNION ALL "
     QUEUE("calendar_events", "calendar_events", "due_at", "due_at IS NOT NULL")
     " UNION ALL "
     QUEUE("reconciliation", "payments", "reconcile_next_at", "status = 'pending'") ") q"},
    {"kf_status_failed",
     "SELECT " KFM_SQL_COLUMNS(FAILED_COLUMNS) " FROM ("
     "SELECT 'mail' AS channel, count(*) AS gave_up FROM mail_outbox WHERE failed_at IS NOT NULL"
     " UNION ALL SELECT 'text', count(*) FROM message_outbox WHERE status = 'failed'"
     " UNION ALL SELECT 'callback', count(*) FROM merchant_callbacks WHERE status = 'failed'"
     ") f"},
    /* mails waiting after a failed attempt, by its fault (mail_outbox.last_fault) */
    {"kf_status_mail_retrying",
     "SELECT " KFM_SQL_COLUMNS(RETRYING_COLUMNS) " FROM mail_outbox"
     " WHERE sent_at IS NULL AND failed_at IS NULL AND last_fault IS NOT NULL GROUP BY 1"},
    /* checkouts the providers did not make in the last hour (kf_payment_failure.h) */
    {"kf_status_provider_errors",
     "SELECT " KFM_SQL_COLUMNS(PROVIDER_ERRORS_COLUMNS) " FROM audit_log"
     " WHERE action = '" KF_PAYMENT_FAILURE_ACTION "' AND created_at > now() - interval '1 hour'"
     " GROUP BY 1"},
    {"kf_status_schema", "SELECT COALESCE(MAX(version), 0) FROM kf_schema_migrations"},
    {NULL, NULL},
};

/* The queues and failures, from the database. */
static void database(kf_status_text *t, request_rec *r, ap_dbd_t *db)
{
    apr_pool_t *p = t->p;
    kfm_rows *rows = NULL;
    if (kfm_db_select(r, db, "kf_status_queues", &rows, 0, NULL) == APR_SUCCESS) {
        int n = kfm_db_rows(db, rows);
        kf_status_queue *queues = apr_pcalloc(p, sizeof(*queues) * (apr_size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            const char *v[QUEUE_COLS];
            kfm_db_row(db, p, rows, i, v, QUEUE_COLS);
            kf_status_queue q = {v[QUEUE_COL_JOB], v[QUEUE_COL_WAITING],
                                 (long long)kfm_db_number(v[QUEUE_COL_LAG_US])};
            queues[i] = q;
        }
        kf_status_page_queues(t, queues, n);
    }
    if (kfm_db_select(r, db, "kf_status_failed", &rows, 0, NULL) == APR_SUCCESS) {
        int n = kfm_db_rows(db, rows);
        kf_status_failed *failed = apr_pcalloc(p, sizeof(*failed) * (apr_size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            failed[i].channel = kfm_db_value(db, p, rows, i, FAILED_COL_CHANNEL);
            failed[i].gave_up = kfm_db_value(db, p, rows, i, FAILED_COL_GAVE_UP);
        }
        kf_status_page_failed(t, failed, n);
    }
    if (kfm_db_select(r, db, "kf_status_mail_retrying", &rows, 0, NULL) == APR_SUCCESS) {
        int n = kfm_db_rows(db, rows);
        kf_status_retrying *retrying = apr_pcalloc(p, sizeof(*retrying) * (apr_size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            retrying[i].fault = kfm_db_value(db, p, rows, i, RETRYING_COL_FAULT);
            retrying[i].waiting = kfm_db_value(db, p, rows, i, RETRYING_COL_WAITING);
        }
        kf_status_page_mail_retrying(t, retrying, n);
    }
    if (kfm_db_select(r, db, "kf_status_provider_errors", &rows, 0, NULL) == APR_SUCCESS) {
        int n = kfm_db_rows(db, rows);
        kf_status_provider_errors *errors = apr_pcalloc(p, sizeof(*errors) * (apr_size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            errors[i].provider = kfm_db_value(db, p, rows, i, PROVIDER_ERRORS_COL_PROVIDER);
            errors[i].failed = kfm_db_value(db, p, rows, i, PROVIDER_ERRORS_COL_FAILED);
        }
        kf_status_page_provider_errors(t, errors, n);
    }
}

/* The key ids of every virtual host that serves Konfirmado (each seals with its own first
 * KonfirmadoKeyFile, as its jobs do), never a key: what konfirmado-reseal checks a rotation
 * against. */
static void keys(kf_status_text *t)
{
    apr_array_header_t *keys = apr_array_make(t->p, 4, sizeof(kf_status_key));
    for (server_rec *s = ap_server_conf; s; s = s->next) {
        const kfm_server_conf *c = kfm_conf_get(s);
        if (kfm_conf_engine(c) != 1 || !c->keyring) {
            continue;
        }
        apr_port_t port = s->port ? s->port : s->addrs ? s->addrs->host_port : 0;
        const char *server = apr_psprintf(t->p, "%s:%u", s->server_hostname ? s->server_hostname
                                          : "(main server)", (unsigned)port);
        const char *sealing = kf_keyring_primary_kid(c->keyring);
        const apr_array_header_t *kids = kf_keyring_kids(t->p, c->keyring);
        for (int i = 0; i < kids->nelts; i++) {
            const char *kid = APR_ARRAY_IDX(kids, i, const char *);
            kf_status_key key = {server, kid, sealing && strcmp(kid, sealing) == 0};
            APR_ARRAY_PUSH(keys, kf_status_key) = key;
        }
    }
    kf_status_page_keys(t, (const kf_status_key *)keys->elts, keys->nelts);
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
    kf_status_counts counts;
    if (kfm_counters_read(&counts)) {
        kf_status_page_counts(t, &counts);
    }
    keys(t);
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
    kf_status_page_database(t, st != KFM_DB_DOWN && st != KFM_DB_STOPPING, schema,
                            st == KFM_DB_SCHEMA_OUTDATED);
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
