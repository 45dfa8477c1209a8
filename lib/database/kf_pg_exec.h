#ifndef KF_PG_EXEC_H
#define KF_PG_EXEC_H
/* Statements run on one libpq connection by the names they were prepared under (apr_dbd's
 * pgsql driver prepares a statement's label as that name): alone, or after what an open
 * transaction queued (kf_pg_tx), in one round trip through libpq's pipeline mode, selects
 * included; and a transaction's COMMIT and ROLLBACK.
 *
 * What a failure means for the session (its log line, the connection's prepared statements,
 * an outage, the request's answer) is the caller's: a run keeps every failed statement, in
 * order, with its label and libpq's message, for the caller to report. A statement the
 * pipeline skipped after an earlier failure is not kept again. */
#include <apr_tables.h>
#include <libpq-fe.h>
#include "kf_pg_session.h"
#include "kf_pg_rows.h"

/* A failed statement: its label (or its command, "COMMIT"), and libpq's message
 * (PQERRORS_VERBOSE: it may carry row values; what is logged is kf_pg_error_summary's). */
typedef struct kf_pg_fault {
    const char *label;
    const char *message;
} kf_pg_fault;

typedef struct kf_pg_run {
    PGconn *conn;                 /* NULL: no connection (every statement fails so) */
    apr_pool_t *p;                /* rows kept and messages copied until it is cleared */
    apr_array_header_t *faults;   /* kf_pg_fault, in the order they happened */
    int unusable;                 /* answers were left unread: not reusable as it is */
} kf_pg_run;

void kf_pg_run_start(kf_pg_run *run, PGconn *conn, apr_pool_t *p);

/* A statement's answer, taken (cleared, or kept with *rows until run->p is): APR_SUCCESS
 * with *affected (when asked) and *rows (when asked: a select's) set; for a failure, its
 * fault kept and what it means (kf_pg_failure_status). A select asked for rows that answers
 * none fails ("statement returned no rows"); one the pipeline skipped after an earlier
 * failure is APR_EGENERAL, not kept again. res NULL: the connection's own message. */
apr_status_t kf_pg_take_result(kf_pg_run *run, PGresult *res, const char *label, int *affected,
                               kf_pg_rows **rows);

/* One prepared statement: with whatever t has queued (t NULL: no transaction's books), in one
 * round trip, or alone. The first failure is returned (and ends the transaction's hopes, as
 * any failure in one). */
apr_status_t kf_pg_run_statement(kf_pg_run *run, kf_pg_tx *t, const char *label, int nargs,
                                 const char *const *args, int *affected, kf_pg_rows **rows);

/* Ends t with its COMMIT, after whatever is still queued, in one round trip (t NULL: COMMIT
 * alone). A transaction PostgreSQL never heard of sends nothing and succeeds; one in which a
 * statement failed, or whose COMMIT fails, is rolled back: APR_EGENERAL. */
apr_status_t kf_pg_run_commit(kf_pg_run *run, kf_pg_tx *t);

/* Ends t; a ROLLBACK goes to PostgreSQL only when it saw the BEGIN. Its failure needs no
 * report: on a lost connection, the next use reconnects. */
void kf_pg_roll_back(PGconn *conn, kf_pg_tx *t);

/* 1 when an idle connection's socket has something to read, or none is open: between
 * requests the server says nothing unless it is going away (its last words, then the closed
 * socket), so this notices a restart without a round trip, however recently the connection
 * was used. */
int kf_pg_idle_socket_speaks(PGconn *conn);

/* The same for a socket's descriptor (-1: none open). */
int kf_pg_fd_speaks(int fd);

#endif
