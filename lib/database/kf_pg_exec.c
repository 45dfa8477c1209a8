/* Statements on a libpq connection, alone or in one round trip: see kf_pg_exec.h. */
#include "kf_pg_exec.h"

#include <apr_strings.h>
#include <poll.h>
#include <stdlib.h>

void kf_pg_run_start(kf_pg_run *run, PGconn *conn, apr_pool_t *p)
{
    run->conn = conn;
    run->p = p;
    run->faults = apr_array_make(p, 1, sizeof(kf_pg_fault));
    run->unusable = 0;
}

/* A failed statement kept for the caller (the message copied: libpq's own buffer is
 * rewritten by the next call), and what it means. */
static apr_status_t fault(kf_pg_run *run, const char *label, const char *message)
{
    kf_pg_fault *f = apr_array_push(run->faults);
    f->label = label;
    f->message = apr_pstrdup(run->p, message);
    return kf_pg_failure_status(message);
}

apr_status_t kf_pg_take_result(kf_pg_run *run, PGresult *res, const char *label, int *affected,
                               kf_pg_rows **rows)
{
    if (!res) {
        return fault(run, label, PQerrorMessage(run->conn));
    }
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK && rows) {
        *rows = kf_pg_rows_keep(run->p, res);
        return APR_SUCCESS;
    }
    apr_status_t rv = APR_SUCCESS;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (affected) {
            *affected = atoi(PQcmdTuples(res));
        }
        if (rows) {
            rv = fault(run, label, "statement returned no rows");
        }
    }
    else if (st == PGRES_PIPELINE_ABORTED) {
        rv = APR_EGENERAL;
    }
    else {
        rv = fault(run, label, PQresultErrorMessage(res));
    }
    PQclear(res);
    return rv;
}

static int send_one(PGconn *conn, const char *label, const char *command, int nargs,
                    const char *const *args)
{
    return label ? PQsendQueryPrepared(conn, label, nargs, args, NULL, NULL, 0)
                 : PQsendQueryParams(conn, command, 0, NULL, NULL, NULL, NULL, 0);
}

/* Sends what t has queued, then `label` (a prepared statement) or `command` (NULL, NULL:
 * nothing more), in one round trip through libpq's pipeline mode, and reads every answer.
 * The first failure is returned. */
static apr_status_t send_queued(kf_pg_run *run, kf_pg_tx *t, const char *label,
                                const char *command, int nargs, const char *const *args,
                                int *affected, kf_pg_rows **rows)
{
    apr_array_header_t *q = kf_pg_tx_take_queue(t);
    const char *what = label ? label : command ? command : "queued statements";
    PGconn *conn = run->conn;
    if (!conn || PQenterPipelineMode(conn) != 1) {
        return fault(run, what, conn ? PQerrorMessage(conn) : "no connection");
    }
    int sent = 0, ok = 1;
    for (int i = 0; ok && q && i < q->nelts; i++, sent++) {
        const kf_pg_queued *w = &APR_ARRAY_IDX(q, i, kf_pg_queued);
        ok = send_one(conn, w->label, w->command, w->nargs, w->args) == 1;
    }
    int last_is_ours = label || command;
    if (ok && last_is_ours) {
        ok = send_one(conn, label, command, nargs, args) == 1;
        sent++;
    }
    ok = ok && PQpipelineSync(conn) == 1;
    apr_status_t rv = ok ? APR_SUCCESS : fault(run, what, PQerrorMessage(conn));
    for (int i = 0; ok && i < sent; i++) {
        int last = last_is_ours && i == sent - 1;
        const kf_pg_queued *w = last ? NULL : &APR_ARRAY_IDX(q, i, kf_pg_queued);
        const char *name = last ? what : w->label ? w->label : w->command;
        apr_status_t one = kf_pg_take_result(run, PQgetResult(conn), name,
                                             last ? affected : NULL,
                                             last && rv == APR_SUCCESS ? rows : NULL);
        PGresult *rest;
        while ((rest = PQgetResult(conn)) != NULL) {   /* the end of this statement's results */
            PQclear(rest);
        }
        rv = rv == APR_SUCCESS ? one : rv;
    }
    if (ok) {
        PQclear(PQgetResult(conn));   /* PGRES_PIPELINE_SYNC */
    }
    if (PQexitPipelineMode(conn) != 1) {
        run->unusable = 1;            /* answers left unread */
        rv = rv == APR_SUCCESS ? APR_EGENERAL : rv;
    }
    return rv;
}

apr_status_t kf_pg_run_statement(kf_pg_run *run, kf_pg_tx *t, const char *label, int nargs,
                                 const char *const *args, int *affected, kf_pg_rows **rows)
{
    if (t && t->queued) {
        return send_queued(run, t, label, NULL, nargs, args, affected, rows);
    }
    if (!run->conn) {
        return fault(run, label, "no connection");
    }
    return kf_pg_take_result(run, PQexecPrepared(run->conn, label, nargs, args, NULL, NULL, 0),
                             label, affected, rows);
}

/* A statement whose failure needs no report (ROLLBACK on a connection that may be lost:
 * the next use reconnects it). */
static void run_quietly(PGconn *conn, const char *sql)
{
    if (conn) {
        PQclear(PQexec(conn, sql));
    }
}

/* COMMIT, after whatever is still queued, in one round trip. */
static apr_status_t send_commit(kf_pg_run *run, kf_pg_tx *t)
{
    if (t && t->queued) {
        return send_queued(run, t, NULL, "COMMIT", 0, NULL, NULL, NULL);
    }
    return run->conn ? kf_pg_take_result(run, PQexec(run->conn, "COMMIT"), "COMMIT", NULL, NULL)
                     : fault(run, "COMMIT", "no connection");
}

apr_status_t kf_pg_run_commit(kf_pg_run *run, kf_pg_tx *t)
{
    kf_pg_commit plan = t ? kf_pg_tx_commit_plan(t) : KF_PG_COMMIT_SEND;
    if (plan == KF_PG_COMMIT_NOTHING_RAN) {
        kf_pg_tx_end(t);      /* PostgreSQL never heard of it */
        return APR_SUCCESS;
    }
    apr_status_t rv = plan == KF_PG_COMMIT_REFUSED ? APR_EGENERAL : send_commit(run, t);
    if ((t && kf_pg_tx_end(t)) || rv != APR_SUCCESS) {
        /* a statement failed: PostgreSQL turns COMMIT into ROLLBACK, or is still waiting */
        run_quietly(run->conn, "ROLLBACK");
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

void kf_pg_roll_back(PGconn *conn, kf_pg_tx *t)
{
    int sent = kf_pg_tx_reached_server(t);
    kf_pg_tx_end(t);
    if (sent) {
        run_quietly(conn, "ROLLBACK");
    }
}

int kf_pg_fd_speaks(int fd)
{
    if (fd < 0) {
        return 1;
    }
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    return poll(&pfd, 1, 0) != 0;
}

int kf_pg_idle_socket_speaks(PGconn *conn)
{
    return kf_pg_fd_speaks(conn ? PQsocket(conn) : -1);
}
