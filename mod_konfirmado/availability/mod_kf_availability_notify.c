/* Several servers, one database (DESIGN.md "Scaling out"): every write that can change
 * availability is heard by every server's cache within tens of milliseconds, instead of after
 * KonfirmadoAvailabilityCacheTTL, and by the facts its children keep, which are trusted with
 * no database read only while the listener is heard (kfm_availability_heard:
 * kf_availability_trust.h).
 *
 * A reservation's or a calendar's write records its professional in the unlogged table
 * availability_changes (trigger of migration 025: no notification in the writer's own
 * transaction, whose commit PostgreSQL would then serialize with every other notifying one);
 * catalog and tenant edits notify '*' at once (migration 022). Each server's task here, every
 * ~20 ms, takes the recorded changes (kf_availability_changes_take: one notification naming
 * their professionals, comma-separated, or '*') and, when this server has a cache, hears the
 * notifications of every server, its own included, bumping the generations of its cached
 * answers and kept facts.
 * Any server taking the changes tells all of them, so one server without a cache still
 * empties the table for the others.
 *
 * A mod_watchdog singleton callback with a libpq connection of its own (not a mod_dbd one: it
 * is held for the life of the child, and mod_dbd's pool must be free when the child exits).
 * Its parameters are those of a mod_dbd connection (PQconninfo), so no other setting is
 * needed. A lost connection is opened again at the next run, and everything is bumped then
 * (what happened meanwhile is unknown); a child's first connection, as after a restart,
 * makes only kept facts proven again (kfm_availability_listening). A server's own writes
 * come back to it too: one more bump, never a stale one. */
#include "mod_kf_jobs.h"
#include "mod_kf_availability_feature.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_config.h"
#include "kf_availability_notice.h"
#include "kf_availability_trust.h"

#include <ap_mpm.h>
#include <apr_strings.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define CHANNEL "konfirmado_availability"
/* The most professionals one notification names (a payload stays far below PostgreSQL's
 * 8,000 bytes), and how long one watchdog run lasts. */
#define MAX_NAMED 100
#define RUN_SECONDS 10

typedef struct listener {
    server_rec *s;
    PGconn *conn;          /* touched only by the watchdog thread */
    char *conninfo;
    kf_avail_listener_clock clock;
    int may_vacuum;        /* the connection's role owns availability_changes */
    int listened;          /* this child listened before (a reconnection follows) */
} listener;

/* The parameters of a mod_dbd connection, as a conninfo string kept in `keep` (NULL when
 * none opens). */
static char *conninfo_of_dbd(listener *l, apr_pool_t *p, apr_pool_t *keep)
{
    ap_dbd_t *db = NULL;
    if (kfm_db_open(l->s, p, &db) != KFM_DB_OK) {
        return NULL;
    }
    PGconn *c = apr_dbd_native_handle(db->driver, db->handle);
    PQconninfoOption *opts = c ? PQconninfo(c) : NULL;
    char *out = NULL;
    if (opts) {
        int n = 0;
        while (opts[n].keyword) {
            n++;
        }
        const char **keywords = apr_palloc(p, sizeof(char *) * (apr_size_t)(n + 1));
        const char **values = apr_palloc(p, sizeof(char *) * (apr_size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            keywords[i] = opts[i].keyword;
            values[i] = opts[i].val;
        }
        out = apr_pstrdup(keep, kf_conninfo_text(p, keywords, values, n));
        PQconninfoFree(opts);
    }
    kfm_db_close(l->s, db);
    return out;
}

static void drop(listener *l)
{
    kfm_availability_heard(0);   /* kept facts read their versions until it listens again */
    if (l->conn) {
        PQfinish(l->conn);
        l->conn = NULL;
    }
}

/* PostgreSQL's notices on the listener's connection (a vacuum skipped while another holds
 * the table) would reach the error log raw, through libpq's default of writing to stderr. */
static void notice_to_debug(void *arg, const char *message)
{
    listener *l = arg;
    int len = (int)strcspn(message, "\n");
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, l->s, "mod_konfirmado: availability listener: %.*s",
                 len, message);
}

static int connect_and_listen(listener *l, apr_pool_t *p, apr_pool_t *keep)
{
    if (apr_time_now() < l->clock.retry_at) {
        return 0;
    }
    if (!l->conninfo) {
        l->conninfo = conninfo_of_dbd(l, p, keep);
        if (!l->conninfo) {
            l->clock.retry_at = apr_time_now() + apr_time_from_sec(1);
            return 0;
        }
    }
    l->conn = PQconnectdb(l->conninfo);
    PQsetNoticeProcessor(l->conn, notice_to_debug, l);
    /* without generations here there is nothing to bump: only the changes are taken */
    PGresult *res = PQstatus(l->conn) != CONNECTION_OK ? NULL
                  : PQexec(l->conn, kfm_availability_counters() ? "LISTEN " CHANNEL : "SELECT 1");
    int ok = res && (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
    PQclear(res);
    if (!ok) {
        if (kf_avail_listener_failed(&l->clock, apr_time_now())) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, l->s,
                         "mod_konfirmado: availability notifications not sent or heard (%s); "
                         "servers' writes are seen by the others after "
                         "KonfirmadoAvailabilityCacheTTL", 
                         PQerrorMessage(l->conn));
        }
        drop(l);
        return 0;
    }
    if (kf_avail_listener_connected(&l->clock)) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, l->s,
                     "mod_konfirmado: availability notifications heard again");
    }
    res = PQexec(l->conn, "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class"
                          " WHERE oid = 'availability_changes'::regclass");
    l->may_vacuum = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
                    strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    /* whatever changed while nobody listened is unknown */
    kfm_availability_listening(l->listened);
    l->listened = 1;
    return 1;
}

/* Every committed change becomes one notification to all servers. 0, or -1 when the
 * connection failed. */
static int take_changes(listener *l)
{
    if (!kf_avail_listener_take_due(&l->clock, apr_time_now())) {
        return 0;
    }
    PGresult *res = PQexec(l->conn, "SELECT kf_availability_changes_take(" APR_STRINGIFY(MAX_NAMED) ")");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok && PQstatus(l->conn) == CONNECTION_OK) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, l->s,
                     "mod_konfirmado: availability changes not taken: %s", PQerrorMessage(l->conn));
    }
    if (ok && PQntuples(res) == 1) {
        l->clock.taken += atol(PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return ok ? 0 : -1;
}

/* A take reads every page of availability_changes, dead rows included, and a burst of
 * writes leaves hundreds of pages of them until autovacuum comes (a minute or more): a take
 * of 20 rows then cost ~1 ms instead of ~0.1 ms, 50 times a second on every server. So the
 * taker vacuums what it took, at most once a second and only after taking something: the
 * emptied pages are then reused, and a take reads them empty. It does not give them back
 * (autovacuum does): that waits for a moment when no transaction is writing the table, in
 * 50 ms steps, and under a holds load the listener waited there 200-400 ms, deaf, every
 * second. A server whose database role does not own the table (VACUUM would only warn)
 * leaves it to autovacuum. */
static void vacuum_taken(listener *l)
{
    if (!kf_avail_listener_vacuum_due(&l->clock, l->may_vacuum, apr_time_now())) {
        return;
    }
    /* never behind autovacuum or another server's vacuum: the listener would not hear */
    PQclear(PQexec(l->conn, "VACUUM (SKIP_LOCKED, TRUNCATE false) availability_changes"));
}

/* Bumps what a notification's payload names (kf_availability_notice_ids). */
static void bump_named(apr_pool_t *p, const char *payload)
{
    apr_array_header_t *ids = NULL;
    if (!kf_availability_notice_ids(p, payload, &ids)) {
        kfm_availability_cache_bump_all_job();
        return;
    }
    for (int i = 0; i < ids->nelts; i++) {
        kfm_availability_cache_bump_professional_job(((const char **)ids->elts)[i]);
    }
}

/* Waits up to `wait` for notifications and bumps what they name. poll, not select: a
 * connection that broke has no socket (-1), and a busy child's may be past FD_SETSIZE. */
static void hear(listener *l, apr_pool_t *p, apr_interval_time_t wait)
{
    struct pollfd in = {.fd = PQsocket(l->conn), .events = POLLIN};
    if (in.fd < 0 || (poll(&in, 1, (int)apr_time_as_msec(wait)) < 0 && errno != EINTR) ||
        !PQconsumeInput(l->conn)) {
        drop(l);
        return;
    }
    apr_pool_t *scratch = NULL;
    if (apr_pool_create(&scratch, p) != APR_SUCCESS) {
        return;
    }
    PGnotify *n;
    while ((n = PQnotifies(l->conn)) != NULL) {
        bump_named(scratch, n->extra);
        PQfreemem(n);
    }
    apr_pool_destroy(scratch);
    /* every notice sent until now is heard (kf_availability_trust.h) */
    kfm_availability_heard(apr_time_now() + KF_AVAIL_HEARD_FOR);
}

static int child_stopping(void)
{
    int state = AP_MPMQ_STOPPING;
    return ap_mpm_query(AP_MPMQ_MPM_STATE, &state) != APR_SUCCESS || state == AP_MPMQ_STOPPING;
}

/* mod_watchdog calls back at most every 100 ms (its time slice): one run keeps taking and
 * hearing for RUN_SECONDS, so that a change waits KF_AVAIL_TAKE_EVERY, not a slice, and returns
 * at once when the child stops. */
static apr_status_t listen_run(int state, void *data, apr_pool_t *pool)
{
    listener *l = data;
    if (state == AP_WATCHDOG_STATE_STOPPING) {
        drop(l);
        return APR_SUCCESS;
    }
    if (state != AP_WATCHDOG_STATE_RUNNING) {
        return APR_SUCCESS;
    }
    apr_pool_t *p = NULL;
    if (apr_pool_create(&p, pool) != APR_SUCCESS) {
        return APR_SUCCESS;
    }
    apr_time_t until = apr_time_now() + apr_time_from_sec(RUN_SECONDS);
    while (!child_stopping() && apr_time_now() < until) {
        /* the watchdog's pool lives as long as its thread: the conninfo is kept there */
        if (!l->conn && !connect_and_listen(l, p, pool)) {
            break;
        }
        if (take_changes(l) < 0) {
            drop(l);
            break;
        }
        vacuum_taken(l);
        apr_interval_time_t wait = kf_avail_listener_wait(&l->clock, apr_time_now());
        if (kfm_availability_counters()) {
            hear(l, p, wait);
        }
        else {
            apr_sleep(wait);
        }
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
    kfm_availability_listener_registered();
    return OK;
}
