/* Several servers, one database (DESIGN.md "Scaling out"): every write that can change
 * availability notifies channel konfirmado_availability in its transaction (triggers of migration
 * 022: the professional's id, or "*" for catalog changes), and each server listens and bumps
 * its own cached answers' generations as the notification arrives, so another server's
 * write is seen at once instead of after KonfirmadoAvailabilityCacheTTL.
 *
 * The listener is a mod_watchdog singleton callback with a libpq connection of its own (not
 * a mod_dbd one: it is held for the life of the child, and mod_dbd's pool must be free when
 * the child exits). Its parameters are those of a mod_dbd connection (PQconninfo), so no
 * other setting is needed. Each run waits up to 250 ms for notifications; a lost connection
 * is opened again at the next run, and everything is bumped then (what happened meanwhile
 * is unknown). A server's own writes come back to it too: one more bump, never a stale one. */
#include "mod_kf_jobs.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_config.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <libpq-fe.h>
#include <sys/select.h>

#define CHANNEL "konfirmado_availability"
#define WAIT_MS 250

typedef struct listener {
    server_rec *s;
    PGconn *conn;          /* touched only by the watchdog thread */
    char *conninfo;
    int failures;
    apr_time_t retry_at;   /* after a failed connection: not before this (1 s, 2 s ... 5 s) */
} listener;

/* The parameters of a mod_dbd connection, as a conninfo string kept in `keep` (NULL when
 * none opens). */
static char *conninfo_of_dbd(listener *l, apr_pool_t *p, apr_pool_t *keep)
{
    ap_dbd_t *db = NULL;
    if (kfm_db_open(l->s, p, &db) != KF_DB_OK) {
        return NULL;
    }
    PGconn *c = apr_dbd_native_handle(db->driver, db->handle);
    PQconninfoOption *opts = c ? PQconninfo(c) : NULL;
    char *out = NULL;
    if (opts) {
        const char *text = "";
        for (PQconninfoOption *o = opts; o->keyword; o++) {
            if (!o->val || !*o->val) {
                continue;
            }
            /* values quoted as libpq wants: single quotes, \\ and \' escaped */
            const char *v = o->val, *q = "";
            for (; *v; v++) {
                q = apr_psprintf(p, "%s%s%c", q, (*v == '\'' || *v == '\\') ? "\\" : "", *v);
            }
            text = apr_psprintf(p, "%s%s%s='%s'", text, *text ? " " : "", o->keyword, q);
        }
        out = apr_pstrdup(keep, text);
        PQconninfoFree(opts);
    }
    kfm_db_close(l->s, db);
    return out;
}

static void drop(listener *l)
{
    if (l->conn) {
        PQfinish(l->conn);
        l->conn = NULL;
    }
}

static int connect_and_listen(listener *l, apr_pool_t *p, apr_pool_t *keep)
{
    if (apr_time_now() < l->retry_at) {
        return 0;
    }
    if (!l->conninfo) {
        l->conninfo = conninfo_of_dbd(l, p, keep);
        if (!l->conninfo) {
            l->retry_at = apr_time_now() + apr_time_from_sec(1);
            return 0;
        }
    }
    l->conn = PQconnectdb(l->conninfo);
    PGresult *res = PQstatus(l->conn) == CONNECTION_OK ? PQexec(l->conn, "LISTEN " CHANNEL) : NULL;
    int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        l->retry_at = apr_time_now() + apr_time_from_sec(l->failures < 5 ? l->failures + 1 : 5);
        if (l->failures++ == 0) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, l->s,
                         "mod_konfirmado: availability notifications not heard (%s); other "
                         "servers' writes are seen after KonfirmadoAvailabilityCacheTTL",
                         PQerrorMessage(l->conn));
        }
        drop(l);
        return 0;
    }
    if (l->failures) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, l->s,
                     "mod_konfirmado: availability notifications heard again");
    }
    l->failures = 0;
    /* whatever changed while nobody listened is unknown */
    kfm_availability_cache_bump_all_job();
    return 1;
}

static void hear(listener *l)
{
    int fd = PQsocket(l->conn);
    fd_set in;
    FD_ZERO(&in);
    FD_SET(fd, &in);
    struct timeval tv = {0, WAIT_MS * 1000};
    if (fd < 0 || select(fd + 1, &in, NULL, NULL, &tv) < 0 || !PQconsumeInput(l->conn)) {
        drop(l);
        return;
    }
    PGnotify *n;
    while ((n = PQnotifies(l->conn)) != NULL) {
        if (n->extra && kf_is_uuid(n->extra)) {
            kfm_availability_cache_bump_professional_job(n->extra);
        }
        else {
            kfm_availability_cache_bump_all_job();
        }
        PQfreemem(n);
    }
}

static apr_status_t listen_run(int state, void *data, apr_pool_t *pool)
{
    listener *l = data;
    if (state == AP_WATCHDOG_STATE_STOPPING) {
        drop(l);
        return APR_SUCCESS;
    }
    if (state != AP_WATCHDOG_STATE_RUNNING || !kfm_availability_cache_enabled()) {
        return APR_SUCCESS;
    }
    apr_pool_t *p = NULL;
    if (apr_pool_create(&p, pool) != APR_SUCCESS) {
        return APR_SUCCESS;
    }
    /* the watchdog's pool lives as long as its thread: the conninfo is kept there */
    if (l->conn || connect_and_listen(l, p, pool)) {
        hear(l);
    }
    apr_pool_destroy(p);
    return APR_SUCCESS;
}

int kfm_availability_notify_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    listener *l = apr_pcalloc(pconf, sizeof(*l));
    l->s = s;
    apr_status_t rv = kfm_job_register(pconf, instance, apr_time_from_msec(10), l, listen_run);
    if (rv == APR_ENOTIMPL) {
        return OK;   /* the other jobs already said what a server without mod_watchdog loses */
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "mod_konfirmado: cannot register the availability listener");
        return !OK;
    }
    return OK;
}
