/* The status page (mod_kf_status_feature.h): the shared counters and the job queues as
 * Prometheus text, with the key ids each virtual host loaded (lib/status/kf_status_page.c and
 * kf_status_keys.c say what, kf_status.c writes the format).
 * Read-only: a scrape changes nothing, and while the database is down the counters are still
 * answered. */
#include "mod_kf_status_feature.h"
#include "mod_kf_status_columns.h"
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
const kfm_sql kfm_status_sql[] = {
    {"kf_status_queues",
     "SELECT " KFM_SQL_COLUMNS(KFM_STATUS_QUEUE_COLUMNS) " FROM ("
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
     "SELECT " KFM_SQL_COLUMNS(KFM_STATUS_FAILED_COLUMNS) " FROM ("
     "SELECT 'mail' AS channel, count(*) AS gave_up FROM mail_outbox WHERE failed_at IS NOT NULL"
     " UNION ALL SELECT 'text', count(*) FROM message_outbox WHERE status = 'failed'"
     " UNION ALL SELECT 'callback', count(*) FROM merchant_callbacks WHERE status = 'failed'"
     ") f"},
    /* mails waiting after a failed attempt, by its fault (mail_outbox.last_fault) */
    {"kf_status_mail_retrying",
     "SELECT " KFM_SQL_COLUMNS(KFM_STATUS_RETRYING_COLUMNS) " FROM mail_outbox"
     " WHERE sent_at IS NULL AND failed_at IS NULL AND last_fault IS NOT NULL GROUP BY 1"},
    /* checkouts the providers did not make in the last hour (kf_payment_failure.h) */
    {"kf_status_provider_errors",
     "SELECT " KFM_SQL_COLUMNS(KFM_STATUS_PROVIDER_ERRORS_COLUMNS) " FROM audit_log"
     " WHERE action = '" KF_PAYMENT_FAILURE_ACTION "' AND created_at > now() - interval '1 hour'"
     " GROUP BY 1"},
    {"kf_status_schema", "SELECT COALESCE(MAX(version), 0) FROM kf_schema_migrations"},
    {NULL, NULL},
};

/* The queues and failures, from the database: each family from its statement's rows. */
static void database(kf_status_text *t, request_rec *r, ap_dbd_t *db)
{
    static const struct {
        void (*family)(kf_status_text *t, const char *const *const *rows, int n);
        const char *label;
        int columns;
    } families[] = {
        {kf_status_page_queues, "kf_status_queues", KF_STATUS_QUEUE_COLUMNS},
        {kf_status_page_failed, "kf_status_failed", KF_STATUS_FAILED_COLUMNS},
        {kf_status_page_mail_retrying, "kf_status_mail_retrying", KF_STATUS_RETRYING_COLUMNS},
        {kf_status_page_provider_errors, "kf_status_provider_errors",
         KF_STATUS_PROVIDER_ERRORS_COLUMNS},
    };
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        kfm_rows *res = NULL;
        if (kfm_db_select(r, db, families[i].label, &res, 0, NULL) == APR_SUCCESS) {
            int n = 0;
            const char *const *const *rows =
                kfm_db_all_rows(db, t->p, res, families[i].columns, &n);
            families[i].family(t, rows, n);
        }
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
