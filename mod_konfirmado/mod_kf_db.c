/* mod_dbd adapter: see mod_kf_db.h for why statements are prepared per connection. */
#include "mod_kf_db.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_tenant.h"
#include "mod_kf_payments.h"
#include "mod_kf_callbacks.h"
#include "kf_version.h"

#include <apr_optional.h>

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire_fn;

/* Every statement of the module, in one list of tables; each feature adds its table here
 * (one line each, in its own section, so that features merge without touching others). */
static const kf_sql foundation_sql[] = {
    {"kf_ping", "SELECT 1"},
    {NULL, NULL},
};
static const kf_sql *const all_sql[] = {
    foundation_sql,
    kf_session_sql,
    kf_audit_sql,
    /* accounts */

    /* mail */

    /* tenant settings */
    kf_tenant_sql, kf_tenant_logo_sql, kf_tenant_payments_sql, kf_audit_list_sql,

    /* catalog */

    /* payments */
    kf_payments_sql, kf_callbacks_sql,

    NULL,
};

/* Asked before any prepared statement exists, so it is a constant query. */
static const char schema_version_sql[] =
    "SELECT COALESCE(MAX(version), 0) FROM kf_schema_migrations";

/* Marker stored in the connection's own statement hash once it is ready. */
#define READY_KEY "kf:ready"
#define STATE_KEY "kf:state"

/* Per-connection bookkeeping kept in the connection's own pool. */
typedef struct conn_state {
    apr_time_t last_used;
    int in_tx;        /* between kf_db_begin and commit/rollback */
    int tx_failed;    /* a statement failed inside it: the driver will roll back */
    apr_dbd_transaction_t *open_trans;
} conn_state;

static conn_state *state_of(ap_dbd_t *db)
{
    return apr_hash_get(db->prepared, STATE_KEY, APR_HASH_KEY_STRING);
}

static int end_tx_state(ap_dbd_t *db)
{
    conn_state *cs = state_of(db);
    int failed = cs ? cs->tx_failed : 0;
    if (cs) {
        cs->in_tx = 0;
        cs->tx_failed = 0;
        cs->open_trans = NULL;
    }
    return failed;
}


int kf_db_available(void)
{
    return APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire) != NULL;
}

void kf_db_bind(void)
{
    dbd_acquire_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
}

static const char *db_error(ap_dbd_t *db, int rv)
{
    const char *msg = apr_dbd_error(db->driver, db->handle, rv);
    return msg ? msg : "(no message)";
}

/* Forget what this session had prepared: after a failure the session may be gone, and
 * mod_dbd's reconnect (PQreset) starts a new one without our statements. */
static void mark_not_ready(ap_dbd_t *db)
{
    void *state = apr_hash_get(db->prepared, STATE_KEY, APR_HASH_KEY_STRING);
    apr_hash_clear(db->prepared);
    if (state) {
        apr_hash_set(db->prepared, STATE_KEY, APR_HASH_KEY_STRING, state);
    }
}

/* After a reset nothing is prepared yet: ask with a constant query. */
static int ping_quietly_unprepared(request_rec *r, ap_dbd_t *db)
{
    apr_dbd_results_t *res = NULL;
    return apr_dbd_select(db->driver, r->pool, db->handle, &res, "SELECT 1", 1) == 0;
}

static kf_db_state read_schema_version(request_rec *r, ap_dbd_t *db, int *version)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rv = apr_dbd_select(db->driver, r->pool, db->handle, &res, schema_version_sql, 1);
    if (rv != 0) {
        const char *msg = db_error(db, rv);
        /* undefined_table: a database that never saw a migration */
        if (strstr(msg, "kf_schema_migrations")) {
            *version = 0;
            return KF_DB_OK;
        }
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "database unreachable: %s", msg);
        mark_not_ready(db);
        return KF_DB_DOWN;
    }
    if (apr_dbd_get_row(db->driver, r->pool, res, &row, 1) != 0) {
        return KF_DB_DOWN;
    }
    const char *v = apr_dbd_get_entry(db->driver, row, 0);
    *version = v ? atoi(v) : 0;
    return KF_DB_OK;
}

static kf_db_state prepare_all(request_rec *r, ap_dbd_t *db)
{
    for (int t = 0; all_sql[t]; t++) {
        for (const kf_sql *q = all_sql[t]; q->label; q++) {
            apr_dbd_prepared_t *stmt = NULL;
            int rv = apr_dbd_prepare(db->driver, db->pool, db->handle, q->sql, q->label, &stmt);
            if (rv != 0) {
                ap_log_rerror(APLOG_MARK, APLOG_CRIT, 0, r,
                              "statement %s does not prepare: %s", q->label, db_error(db, rv));
                mark_not_ready(db);
                return KF_DB_BROKEN;
            }
            apr_hash_set(db->prepared, q->label, APR_HASH_KEY_STRING, stmt);
        }
    }
    apr_hash_set(db->prepared, READY_KEY, APR_HASH_KEY_STRING, READY_KEY);
    return KF_DB_OK;
}

/* A connection idle for longer than this is checked with a ping before it is handed out:
 * PostgreSQL may have restarted meanwhile, and mod_dbd's own check (PQstatus) cannot know. */
#define IDLE_CHECK_AFTER apr_time_from_sec(1)

static int ping_quietly(request_rec *r, ap_dbd_t *db)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_prepared_t *stmt = apr_hash_get(db->prepared, "kf_ping", APR_HASH_KEY_STRING);
    return stmt && apr_dbd_pselect(db->driver, r->pool, db->handle, &res, stmt, 1, 0, NULL) == 0;
}

/* Schema check then statements: what makes a connection (new or reset) ready. */
static kf_db_state make_ready(request_rec *r, ap_dbd_t *db, int *schema_version)
{
    int version = -1;
    kf_db_state st = read_schema_version(r, db, &version);
    if (schema_version) {
        *schema_version = version;
    }
    if (st != KF_DB_OK) {
        return st;
    }
    if (version < KF_SCHEMA_VERSION) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "database schema is at version %d, this module needs %d: "
                      "run konfirmado-migrate", version, KF_SCHEMA_VERSION);
        return KF_DB_SCHEMA_OUTDATED;
    }
    return prepare_all(r, db);
}

typedef struct open_tx_guard {
    request_rec *r;
    ap_dbd_t *db;
} open_tx_guard;

/* Runs before mod_dbd returns the connection to the pool (cleanups run last-in first-out):
 * a transaction some path forgot to end is rolled back instead of leaking into the next
 * request that gets this connection. */
static apr_status_t roll_back_forgotten_tx(void *data)
{
    open_tx_guard *g = data;
    conn_state *cs = state_of(g->db);
    if (cs && cs->in_tx && cs->open_trans) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, g->r, "a transaction was left open: rolled back");
        apr_dbd_transaction_t *trans = cs->open_trans;
        end_tx_state(g->db);
        apr_dbd_transaction_mode_set(g->db->driver, trans, APR_DBD_TRANSACTION_ROLLBACK);
        apr_dbd_transaction_end(g->db->driver, g->r->pool, trans);
    }
    return APR_SUCCESS;
}

kf_db_state kf_db_acquire(request_rec *r, ap_dbd_t **out, int *schema_version)
{
    *out = NULL;
    ap_dbd_t *db = dbd_acquire_fn ? dbd_acquire_fn(r) : NULL;
    if (!db) {
        return KF_DB_DOWN;
    }
    conn_state *cs = state_of(db);
    if (!cs) {
        cs = apr_pcalloc(db->pool, sizeof(*cs));
    }
    apr_time_t now = apr_time_now();
    int ready = apr_hash_get(db->prepared, READY_KEY, APR_HASH_KEY_STRING) != NULL;

    if (ready && now - cs->last_used > IDLE_CHECK_AFTER && !ping_quietly(r, db)) {
        /* Stale session: reconnect (the driver's check resets a broken connection). */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "idle database connection was lost; reconnecting");
        mark_not_ready(db);
        ready = 0;
        if (apr_dbd_check_conn(db->driver, r->pool, db->handle) != APR_SUCCESS ||
            !ping_quietly_unprepared(r, db)) {
            return KF_DB_DOWN;
        }
    }
    /* A ready connection passed the schema check when it became ready: no extra round
     * trip per request. One that is not ready checks again, so migrating a running
     * system takes effect without a restart. */
    if (!ready) {
        kf_db_state st = make_ready(r, db, schema_version);
        if (st != KF_DB_OK) {
            return st;
        }
    }
    else if (schema_version) {
        *schema_version = KF_SCHEMA_VERSION;
    }
    cs->last_used = now;
    apr_hash_set(db->prepared, STATE_KEY, APR_HASH_KEY_STRING, cs);
    if (!apr_table_get(r->notes, "kf-db-guard")) {
        open_tx_guard *g = apr_palloc(r->pool, sizeof(*g));
        g->r = r;
        g->db = db;
        apr_pool_cleanup_register(r->pool, g, roll_back_forgotten_tx, apr_pool_cleanup_null);
        apr_table_setn(r->notes, "kf-db-guard", "1");
    }
    *out = db;
    return KF_DB_OK;
}

static apr_dbd_prepared_t *statement(request_rec *r, ap_dbd_t *db, const char *label)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(db->prepared, label, APR_HASH_KEY_STRING);
    if (!stmt) {
        ap_log_rerror(APLOG_MARK, APLOG_CRIT, 0, r, "unknown statement label %s", label);
    }
    return stmt;
}

/* libpq reports SQL errors as "ERROR:  ..."; anything else (FATAL, "server closed the
 * connection", "no connection to the server") means the session is gone. */
static apr_status_t classify_failure(request_rec *r, ap_dbd_t *db, const char *label, int rv)
{
    const char *msg = db_error(db, rv);
    conn_state *cs = state_of(db);
    if (cs && cs->in_tx) {
        cs->tx_failed = 1;
    }
    if (strncmp(msg, "ERROR:", 6) == 0) {
        if (strstr(msg, "violates")) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s refused by a constraint: %s", label, msg);
            return KF_DB_ECONSTRAINT;
        }
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s failed: %s", label, msg);
        return APR_EGENERAL;
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s failed, connection lost: %s", label, msg);
    mark_not_ready(db);
    return APR_EGENERAL;
}

apr_status_t kf_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                          apr_dbd_results_t **res, int nargs, const char *const *args)
{
    apr_dbd_prepared_t *stmt = statement(r, db, label);
    if (!stmt) {
        return APR_EGENERAL;
    }
    *res = NULL;
    int rv = apr_dbd_pselect(db->driver, r->pool, db->handle, res, stmt, 1, nargs,
                             (const char **)args);
    return rv == 0 ? APR_SUCCESS : classify_failure(r, db, label, rv);
}

apr_status_t kf_db_exec(request_rec *r, ap_dbd_t *db, const char *label, int *affected,
                        int nargs, const char *const *args)
{
    apr_dbd_prepared_t *stmt = statement(r, db, label);
    int n = 0;
    if (!stmt) {
        return APR_EGENERAL;
    }
    int rv = apr_dbd_pquery(db->driver, r->pool, db->handle, &n, stmt, nargs,
                            (const char **)args);
    if (rv != 0) {
        return classify_failure(r, db, label, rv);
    }
    if (affected) {
        *affected = n;
    }
    return APR_SUCCESS;
}

apr_status_t kf_db_begin(request_rec *r, ap_dbd_t *db, kf_tx *tx)
{
    conn_state *cs = state_of(db);
    tx->db = db;
    tx->trans = NULL;
    int rv = apr_dbd_transaction_start(db->driver, r->pool, db->handle, &tx->trans);
    if (rv != 0) {
        return classify_failure(r, db, "BEGIN", rv);
    }
    if (cs) {
        cs->in_tx = 1;
        cs->tx_failed = 0;
        cs->open_trans = tx->trans;
    }
    return APR_SUCCESS;
}


apr_status_t kf_db_commit(request_rec *r, kf_tx *tx)
{
    if (!tx->trans) {
        return APR_EGENERAL;
    }
    /* the driver rolls back instead when a statement of the transaction failed */
    int failed = end_tx_state(tx->db);
    int rv = apr_dbd_transaction_end(tx->db->driver, r->pool, tx->trans);
    tx->trans = NULL;
    if (rv != 0) {
        return classify_failure(r, tx->db, "COMMIT", rv);
    }
    return failed ? APR_EGENERAL : APR_SUCCESS;
}

void kf_db_rollback(request_rec *r, kf_tx *tx)
{
    if (!tx->trans) {
        return;
    }
    end_tx_state(tx->db);
    apr_dbd_transaction_mode_set(tx->db->driver, tx->trans, APR_DBD_TRANSACTION_ROLLBACK);
    apr_dbd_transaction_end(tx->db->driver, r->pool, tx->trans);
    tx->trans = NULL;
}

int kf_db_rows(ap_dbd_t *db, apr_dbd_results_t *res)
{
    return apr_dbd_num_tuples(db->driver, res);
}

const char *kf_db_value(ap_dbd_t *db, apr_pool_t *p, apr_dbd_results_t *res, int rownum, int col)
{
    apr_dbd_row_t *row = NULL;
    const char *value = NULL;
    /* rows are numbered from 1 in apr_dbd's random access mode */
    if (apr_dbd_get_row(db->driver, p, res, &row, rownum + 1) != 0) {
        return NULL;
    }
    /* apr_dbd_datum_get tells SQL NULL (APR_ENOENT) apart from an empty string */
    if (apr_dbd_datum_get(db->driver, row, col, APR_DBD_TYPE_STRING, &value) != APR_SUCCESS) {
        return NULL;
    }
    return value;
}
