#ifndef MOD_KF_DB_H
#define MOD_KF_DB_H
/* PostgreSQL through mod_dbd: connection checkout, schema check, prepared statements.
 *
 * Statements are declared once, in tables of (label, SQL) with apr_dbd placeholders. A
 * pooled connection is made ready when first used (schema version check); the first one of
 * each process (its warm-up's as the child starts: mod_kf_db_warm.h) then prepares every
 * statement (a deploy whose SQL and schema disagree fails at once), the others prepare each
 * statement at its first use there. They are not handed
 * to ap_dbd_prepare at startup on purpose: mod_dbd refuses the whole connection when one
 * statement fails to prepare, so an outdated schema would look like a dead database instead
 * of answering 503 schema_outdated. */
#include "mod_kf.h"
#include <apr_dbd.h>
#include "mod_dbd.h"
#include "kf_pg_session.h"

/* The rows of a select, fully fetched (random access), kept until the pool of the request
 * or job run that asked for them is cleared. Read with kfm_db_rows/value/row. */
typedef struct kfm_rows kfm_rows;

typedef struct kfm_sql {
    const char *label;
    const char *sql;
} kfm_sql;

typedef enum {
    KFM_DB_OK = 0,
    KFM_DB_DOWN,            /* no connection, or the connection broke */
    KFM_DB_SCHEMA_OUTDATED, /* migrations pending */
    KFM_DB_BROKEN,          /* a statement does not prepare: a bug, logged with its label */
    KFM_DB_STOPPING         /* (jobs) the process is exiting: no new connection, not logged */
} kfm_db_state;

/* child_init: before the process's pools go at exit (mod_dbd's connection pool among them),
 * job connections are refused and the ones held are waited for (at most 15 s), so no job
 * thread still holds a connection when mod_dbd destroys its pool. */
void kfm_db_child_init(apr_pool_t *pchild, server_rec *s);

/* What this process found the database's outage to be ("PostgreSQL was shut down or
 * restarted": kf_pg_lost_reason), while one lasts or since a connection was found lost and
 * until one is usable again; NULL otherwise. */
const char *kfm_db_outage_reason(void);

/* 1 when mod_dbd is loaded (its optional functions are registered). */
int kfm_db_available(void);

/* Retrieves mod_dbd's optional functions; called from post_config. */
void kfm_db_bind(void);

struct kfm_feature;

/* post_config (both passes): the module's own statements and those every feature's
 * descriptor lists (mod_kf_feature.h), which are the ones prepared. Every label is non-empty, has SQL and is
 * declared once; each one's placeholder count is recorded so that kfm_db_select/exec
 * refuse (and log) a call with another number of arguments. !OK, logged, otherwise:
 * httpd does not start. (tests/unit/test_sql_labels checks at build time that every
 * label the code names is declared, and every declared one used.) */
int kfm_db_check_statements(apr_pool_t *p, server_rec *s,
                            const struct kfm_feature *const *features);

/* 1 when `label` is declared in the list (after kfm_db_check_statements). */
int kfm_db_statement_known(const char *label);

/* Checks out the request's connection and makes it ready (schema checked; statements
 * prepared as above). On anything but KFM_DB_OK, *db is NULL and the reason was logged. */
kfm_db_state kfm_db_acquire(request_rec *r, ap_dbd_t **db, int *schema_version);

/* Background jobs (watchdog callbacks) have no request: kfm_db_open checks a connection
 * out of mod_dbd's pool for server s (ap_dbd_open) and makes it ready exactly as
 * kfm_db_acquire does; p is the pool of the job's run, used for results and temporary
 * allocations. Until kfm_db_close(s, db) gives it back (rolling back a transaction left
 * open), pass r = NULL to kfm_db_select/exec/begin/commit/rollback with this connection.
 * On anything but KFM_DB_OK, *db is NULL (already given back) and the reason was logged. */
kfm_db_state kfm_db_open(server_rec *s, apr_pool_t *p, ap_dbd_t **db);
/* The same for a request that gives its connection back before it ends (kfm_req_db_own):
 * r's pool and server; checked with a ping only when it sat idle, as kfm_db_acquire's. */
kfm_db_state kfm_db_open_for_request(request_rec *r, ap_dbd_t **db);
void kfm_db_close(server_rec *s, ap_dbd_t *db);

/* A read replica's connection (mod_kf_db_read.h) made ready for r as kfm_db_acquire makes
 * the primary's (schema checked, statements prepared at their first use); what happens to it
 * is no outage of the database. */
kfm_db_state kfm_db_ready_replica(request_rec *r, ap_dbd_t *db);

/* A statement refused by a constraint (unique, foreign key, check, exclusion): the
 * connection is fine and the caller decides what it means (409, 400, ...). Prefer
 * "ON CONFLICT DO NOTHING" + affected rows where the SQL allows it. */
#define KFM_DB_ECONSTRAINT KF_PG_ECONSTRAINT

/* r->notes key set when the database connection was lost during the request: its 500
 * internal_error is answered 503 service_unavailable instead (the client may retry). */
#define KFM_DB_LOST_NOTE "konfirmado-db-lost"

/* Asks the server whether the connection still answers (SELECT 1), as a statement run:
 * a failure is logged, and a broken connection marked, as any statement's is. */
apr_status_t kfm_db_ping(request_rec *r, ap_dbd_t *db);

/* Runs a prepared statement by label with string arguments (NULL = SQL NULL); r is the
 * request, or NULL on a job's connection (kfm_db_open). Ids must
 * be validated (kf_is_uuid) before they get here. Results are fully fetched (random
 * access). APR_SUCCESS, KFM_DB_ECONSTRAINT (logged at info), or APR_EGENERAL (logged as
 * an error; if the connection broke, it is marked for re-initialisation because a new
 * session has none of our prepared statements). */
apr_status_t kfm_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                          kfm_rows **res, int nargs, const char *const *args);
apr_status_t kfm_db_exec(request_rec *r, ap_dbd_t *db, const char *label, int *affected,
                        int nargs, const char *const *args);

/* Explicit transactions: every begin is ended by commit or rollback on every path. After
 * a failed statement the transaction can only roll back; commit then reports failure. */
typedef struct kfm_tx {
    ap_dbd_t *db;
    int open;
} kfm_tx;
/* BEGIN itself is queued: it goes to PostgreSQL with the transaction's first statement, in
 * one round trip (libpq's pipeline mode); a transaction that ran nothing costs none. */
apr_status_t kfm_db_begin(request_rec *r, ap_dbd_t *db, kfm_tx *tx);
/* Until the open transaction ends, a kfm_db_exec that asks for no affected count is queued
 * and reported successful; the queue goes to PostgreSQL in one round trip with the next
 * statement that needs an answer: a select, an exec with an affected count, or the COMMIT. A queued write that fails makes that statement (or the commit) fail,
 * and the transaction roll back. For transactions whose writes are checked only as a whole
 * (a payment event's); never before a write whose own failure the caller acts on. */
void kfm_db_defer_writes(ap_dbd_t *db);
apr_status_t kfm_db_commit(request_rec *r, kfm_tx *tx);
void kfm_db_rollback(request_rec *r, kfm_tx *tx);

/* Value of column `col` of row `row` (from 0), or NULL for SQL NULL / no such row. */
const char *kfm_db_value(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int row, int col);

/* An integer as a statement's argument (apr_dbd passes every argument as text). */
const char *kfm_db_int64(apr_pool_t *p, apr_int64_t n);
/* A value as apr_dbd hands it back: an integer column's number (NULL: 0); a boolean
 * column's truth is kf_text_true's. */
apr_int64_t kfm_db_number(const char *v);
int kfm_db_rows(ap_dbd_t *db, kfm_rows *res);

/* The values of columns 0..n-1 of row `row` into v[] (NULL for SQL NULL): a statement's row
 * read through its column enum, v[COL_X]. */
void kfm_db_row(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int row, const char **v,
                int n);

/* The one row `label` selects, its columns 0..ncols-1 read into v[] (allocated from p):
 * APR_SUCCESS; APR_NOTFOUND when it selects no row or more than one (v untouched); else the
 * statement's failure, as kfm_db_select's. */
apr_status_t kfm_db_select_row(request_rec *r, ap_dbd_t *db, apr_pool_t *p, const char *label,
                               int nargs, const char *const *args, const char **v, int ncols);

/* Every row of `res`, its columns 0..ncols-1 each (NULL for SQL NULL), as the core's readers
 * of a statement's rows take them; *n the number of rows. */
const char *const *const *kfm_db_all_rows(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int ncols,
                                          int *n);

#endif
