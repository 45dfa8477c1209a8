/* The read replica's connections (mod_kf_db_read.h). */
#include "mod_kf_db_read.h"
#include "mod_kf_config.h"
#include "kf_pg_replica.h"

#include <apr_reslist.h>
#include <libpq-fe.h>
#include <http_main.h> /* ap_server_conf */

/* A replica connection and what it said of its lag. The ap_dbd_t comes first: the module's
 * statements run on it as on mod_dbd's. */
typedef struct replica_conn {
    ap_dbd_t db;
    apr_time_t lag_asked_at;
    int within_lag;
} replica_conn;

/* This child's pool (NULL: no read database) and what its connections are made with. */
static apr_reslist_t *replicas;
static const apr_dbd_driver_t *driver;
static const char *conninfo;
static apr_int64_t max_lag_ms;

/* Whether this process's replica is read now: one line when that changes. */
static kf_pg_replica_watch watch;

#define LAG_ASKED_EVERY apr_time_from_msec(100)
/* A request waits this long at most for one of the pool's connections, then reads on the
 * primary. */
#define TAKE_WAIT apr_time_from_msec(50)
#define POOL_MAX 16

/* The replica's lag in milliseconds: 0 on a primary (prefer-standby found none) and on a
 * standby that replayed all it received; -1, KF_PG_REPLICA_CUT_OFF, when it receives nothing
 * (the module's role needs pg_read_all_stats to see that). */
static const char lag_sql[] =
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN (SELECT status FROM pg_stat_wal_receiver) IS DISTINCT FROM 'streaming' THEN -1"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000, -1)"
    " END::bigint";

static apr_status_t replica_open(void **resource, void *params, apr_pool_t *pool)
{
    (void)params;
    apr_pool_t *p = NULL;
    apr_status_t rv = apr_pool_create(&p, pool);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    replica_conn *c = apr_pcalloc(p, sizeof(*c));
    const char *why = NULL;
    rv = apr_dbd_open_ex(driver, p, conninfo, &c->db.handle, &why);
    if (rv != APR_SUCCESS || !c->db.handle) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, ap_server_conf,
                     "mod_konfirmado: read replica unreachable (%s): reads go to the primary",
                     why ? kf_pg_lost_reason(why) : "no connection");
        apr_pool_destroy(p);
        return rv != APR_SUCCESS ? rv : APR_EGENERAL;
    }
    c->db.driver = driver;
    c->db.pool = p;
    c->db.prepared = apr_hash_make(p);
    *resource = c;
    return APR_SUCCESS;
}

static apr_status_t replica_close(void *resource, void *params, apr_pool_t *pool)
{
    (void)params;
    (void)pool;
    replica_conn *c = resource;
    apr_dbd_close(c->db.driver, c->db.handle);
    apr_pool_destroy(c->db.pool);
    return APR_SUCCESS;
}

void kfm_db_read_child_init(apr_pool_t *pchild, server_rec *s)
{
    const kfm_server_conf *c = kfm_conf_get(s);
    conninfo = kfm_conf_read_database(c);
    if (!conninfo) {
        return;
    }
    max_lag_ms = (apr_int64_t)kfm_conf_read_max_lag(c) * 1000;
    if (apr_dbd_init(pchild) != APR_SUCCESS ||
        apr_dbd_get_driver(pchild, "pgsql", &driver) != APR_SUCCESS ||
        apr_reslist_create(&replicas, 0, 2, POOL_MAX, apr_time_from_sec(60), replica_open,
                           replica_close, NULL, pchild) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "mod_konfirmado: no pool for "
                     "KonfirmadoReadDatabase: every read goes to the primary");
        replicas = NULL;
        return;
    }
    apr_reslist_timeout_set(replicas, TAKE_WAIT);
}

/* Whether c's server is within the lag: asked again when the last answer is older than
 * LAG_ASKED_EVERY. */
static int within_lag(request_rec *r, replica_conn *c)
{
    apr_time_t now = apr_time_now();
    if (now - c->lag_asked_at < LAG_ASKED_EVERY) {
        return c->within_lag;
    }
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_int64_t lag_ms = KF_PG_REPLICA_CUT_OFF;
    if (apr_dbd_select(driver, r->pool, c->db.handle, &res, lag_sql, 1) != 0 ||
        apr_dbd_get_row(driver, r->pool, res, &row, 1) != 0) {
        return 0;
    }
    const char *v = apr_dbd_get_entry(driver, row, 0);
    lag_ms = v ? apr_atoi64(v) : KF_PG_REPLICA_CUT_OFF;
    c->lag_asked_at = now;
    c->within_lag = kf_pg_replica_within(lag_ms, max_lag_ms);
    const char *line = kf_pg_replica_told(&watch, r->pool, lag_ms, max_lag_ms);
    if (line) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "mod_konfirmado: %s", line);
    }
    return c->within_lag;
}

/* Back to the pool; a connection whose session broke is closed instead. */
static void give_back(replica_conn *c)
{
    PGconn *conn = apr_dbd_native_handle(c->db.driver, c->db.handle);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        apr_reslist_invalidate(replicas, c);
    }
    else {
        apr_reslist_release(replicas, c);
    }
}

kfm_db_state kfm_db_read_take(request_rec *r, ap_dbd_t **db)
{
    *db = NULL;
    void *resource = NULL;
    if (!replicas || apr_reslist_acquire(replicas, &resource) != APR_SUCCESS) {
        return KFM_DB_DOWN;
    }
    replica_conn *c = resource;
    if (kfm_db_ready_replica(r, &c->db) != KFM_DB_OK || !within_lag(r, c)) {
        give_back(c);
        return KFM_DB_DOWN;
    }
    *db = &c->db;
    return KFM_DB_OK;
}

int kfm_db_read_max_lag(void)
{
    return (int)(max_lag_ms / 1000);
}

void kfm_db_read_give_back(ap_dbd_t *db)
{
    if (db && replicas) {
        give_back((replica_conn *)db);
    }
}
