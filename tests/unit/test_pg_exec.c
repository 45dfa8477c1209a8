/* Unit tests for lib/database/kf_pg_exec.c: what a statement's answer comes to, which failures
 * the caller is told of and under which label, and a transaction's COMMIT and ROLLBACK. No
 * server: answers are built with libpq's own calls (PQmakeEmptyPGresult), and a connection
 * that is gone is one libpq could not open (a socket directory that does not exist). */
#include "kf_check.h"
#include "kf_pg_exec.h"

#include <sys/socket.h>
#include <unistd.h>

static kf_pg_run run;

static const kf_pg_fault *fault_at(int i)
{
    ck_assert_int_gt(run.faults->nelts, i);
    return &APR_ARRAY_IDX(run.faults, i, kf_pg_fault);
}

/* A libpq connection that never reached a server. */
static PGconn *gone(void)
{
    PGconn *conn = PQconnectdb("host=/nonexistent/konfirmado-test port=1 connect_timeout=1");
    ck_assert_int_eq(PQstatus(conn), CONNECTION_BAD);
    return conn;
}

START_TEST(a_select_answer_is_kept_as_its_rows)
{
    kf_pg_run_start(&run, NULL, pool);
    kf_pg_rows *rows = NULL;
    int affected = -1;
    ck_assert_int_eq(kf_pg_take_result(&run, PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK),
                                       "kf_x", &affected, &rows), APR_SUCCESS);
    ck_assert_ptr_nonnull(rows);
    ck_assert_int_eq(kf_pg_rows_count(rows), 0);
    ck_assert_int_eq(run.faults->nelts, 0);
}
END_TEST

START_TEST(a_write_answer_gives_its_count)
{
    kf_pg_run_start(&run, NULL, pool);
    int affected = -1;
    ck_assert_int_eq(kf_pg_take_result(&run, PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK),
                                       "kf_x", &affected, NULL), APR_SUCCESS);
    ck_assert_int_eq(affected, 0);
    /* a select's answer taken without its rows (a queued one's) is a success too */
    ck_assert_int_eq(kf_pg_take_result(&run, PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK),
                                       "kf_x", NULL, NULL), APR_SUCCESS);
    ck_assert_int_eq(run.faults->nelts, 0);
}
END_TEST

START_TEST(a_select_that_answers_no_rows_fails)
{
    kf_pg_run_start(&run, NULL, pool);
    kf_pg_rows *rows = NULL;
    ck_assert_int_eq(kf_pg_take_result(&run, PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK),
                                       "kf_select", NULL, &rows), APR_EGENERAL);
    ck_assert_ptr_null(rows);
    ck_assert_str_eq(fault_at(0)->label, "kf_select");
    ck_assert_str_eq(fault_at(0)->message, "statement returned no rows");
}
END_TEST

START_TEST(a_failed_statement_is_kept_with_its_label)
{
    kf_pg_run_start(&run, NULL, pool);
    kf_pg_rows *rows = NULL;
    ck_assert_int_eq(kf_pg_take_result(&run, PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR),
                                       "kf_a", NULL, &rows), APR_EGENERAL);
    ck_assert_ptr_null(rows);
    /* no answer at all: the connection's own words */
    ck_assert_int_eq(kf_pg_take_result(&run, NULL, "kf_b", NULL, NULL), APR_EGENERAL);
    ck_assert_int_eq(run.faults->nelts, 2);
    ck_assert_str_eq(fault_at(0)->label, "kf_a");
    ck_assert_str_eq(fault_at(1)->label, "kf_b");
    ck_assert_str_eq(fault_at(1)->message, PQerrorMessage(NULL));
}
END_TEST

START_TEST(a_statement_the_pipeline_skipped_is_not_told_again)
{
    kf_pg_run_start(&run, NULL, pool);
    ck_assert_int_eq(kf_pg_take_result(&run, PQmakeEmptyPGresult(NULL, PGRES_PIPELINE_ABORTED),
                                       "kf_after", NULL, NULL), APR_EGENERAL);
    ck_assert_int_eq(run.faults->nelts, 0);
}
END_TEST

START_TEST(without_a_connection_a_statement_fails_under_its_label)
{
    kf_pg_run_start(&run, NULL, pool);
    ck_assert_int_eq(kf_pg_run_statement(&run, NULL, "kf_x", 0, NULL, NULL, NULL), APR_EGENERAL);
    ck_assert_str_eq(fault_at(0)->label, "kf_x");
    ck_assert_str_eq(fault_at(0)->message, "no connection");
    ck_assert(!run.unusable);
}
END_TEST

START_TEST(what_a_transaction_queued_goes_first)
{
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    kf_pg_run_start(&run, NULL, pool);
    ck_assert_int_eq(kf_pg_run_statement(&run, &t, "kf_x", 0, NULL, NULL, NULL), APR_EGENERAL);
    /* the queue went (and with it the BEGIN): a ROLLBACK is owed from now on */
    ck_assert_ptr_null(t.queued);
    ck_assert(kf_pg_tx_reached_server(&t));
    ck_assert_int_eq(run.faults->nelts, 1);
    ck_assert_str_eq(fault_at(0)->label, "kf_x");
}
END_TEST

START_TEST(a_connection_that_is_gone_fails_as_lost)
{
    PGconn *conn = gone();
    kf_pg_run_start(&run, conn, pool);
    ck_assert_int_eq(kf_pg_run_statement(&run, NULL, "kf_x", 0, NULL, NULL, NULL), APR_EGENERAL);
    ck_assert_int_eq(run.faults->nelts, 1);
    ck_assert_str_eq(fault_at(0)->label, "kf_x");
    ck_assert_int_eq(kf_pg_error_kind(fault_at(0)->message), KF_PG_LOST);
    /* the same with a queue: one round trip, the failure told once, under the statement */
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    kf_pg_run_start(&run, conn, pool);
    ck_assert_int_eq(kf_pg_run_statement(&run, &t, "kf_y", 0, NULL, NULL, NULL), APR_EGENERAL);
    ck_assert_int_eq(run.faults->nelts, 1);
    ck_assert_str_eq(fault_at(0)->label, "kf_y");
    ck_assert_int_eq(kf_pg_error_kind(fault_at(0)->message), KF_PG_LOST);
    ck_assert_int_eq(PQpipelineStatus(conn), PQ_PIPELINE_OFF);
    kf_pg_roll_back(conn, &t);
    ck_assert(!t.open);
    PQfinish(conn);
}
END_TEST

START_TEST(a_transaction_that_ran_nothing_commits_without_a_word)
{
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    kf_pg_run_start(&run, NULL, pool);   /* no connection needed */
    ck_assert_int_eq(kf_pg_run_commit(&run, &t), APR_SUCCESS);
    ck_assert(!t.open);
    ck_assert_int_eq(run.faults->nelts, 0);
}
END_TEST

START_TEST(a_transaction_with_a_failed_statement_does_not_commit)
{
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    kf_pg_tx_take_queue(&t);
    kf_pg_tx_statement_failed(&t);
    kf_pg_run_start(&run, NULL, pool);
    ck_assert_int_eq(kf_pg_run_commit(&run, &t), APR_EGENERAL);
    ck_assert(!t.open);
    ck_assert_int_eq(run.faults->nelts, 0);    /* no COMMIT was sent to fail */
    /* the next one starts clean */
    kf_pg_tx_begin(&t, pool);
    ck_assert(!t.failed);
}
END_TEST

START_TEST(a_commit_that_fails_is_told_as_commit)
{
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    kf_pg_tx_defer_writes(&t);
    const char *args[] = {"1"};
    kf_pg_tx_queue(&t, pool, "kf_write", NULL, 1, args);
    kf_pg_run_start(&run, NULL, pool);
    ck_assert_int_eq(kf_pg_run_commit(&run, &t), APR_EGENERAL);
    ck_assert(!t.open);
    ck_assert_int_eq(run.faults->nelts, 1);
    ck_assert_str_eq(fault_at(0)->label, "COMMIT");
    ck_assert_str_eq(fault_at(0)->message, "no connection");
    /* nothing queued: COMMIT alone */
    kf_pg_tx_begin(&t, pool);
    kf_pg_tx_take_queue(&t);
    kf_pg_run_start(&run, NULL, pool);
    ck_assert_int_eq(kf_pg_run_commit(&run, &t), APR_EGENERAL);
    ck_assert_str_eq(fault_at(0)->label, "COMMIT");
    ck_assert(!t.open);
}
END_TEST

START_TEST(a_rollback_ends_the_transaction)
{
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    kf_pg_roll_back(NULL, &t);           /* never sent: nothing owed */
    ck_assert(!t.open);
    ck_assert_ptr_null(t.queued);
    kf_pg_tx_begin(&t, pool);
    kf_pg_tx_take_queue(&t);
    kf_pg_tx_statement_failed(&t);
    kf_pg_roll_back(NULL, &t);
    ck_assert(!t.open);
    ck_assert(!t.failed);
}
END_TEST

START_TEST(an_idle_socket_speaks_when_the_server_leaves)
{
    int fds[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ck_assert_int_eq(kf_pg_fd_speaks(fds[0]), 0);          /* quiet between requests */
    ck_assert_int_eq(write(fds[1], "E", 1), 1);            /* the server's last words */
    ck_assert_int_eq(kf_pg_fd_speaks(fds[0]), 1);
    char c;
    ck_assert_int_eq(read(fds[0], &c, 1), 1);
    ck_assert_int_eq(kf_pg_fd_speaks(fds[0]), 0);
    close(fds[1]);                                          /* then the closed socket */
    ck_assert_int_eq(kf_pg_fd_speaks(fds[0]), 1);
    close(fds[0]);
    /* no socket at all: checked, not trusted */
    ck_assert_int_eq(kf_pg_fd_speaks(-1), 1);
    ck_assert_int_eq(kf_pg_idle_socket_speaks(NULL), 1);
    PGconn *conn = gone();
    ck_assert_int_eq(kf_pg_idle_socket_speaks(conn), 1);
    PQfinish(conn);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_exec");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_select_answer_is_kept_as_its_rows);
    tcase_add_test(tc, a_write_answer_gives_its_count);
    tcase_add_test(tc, a_select_that_answers_no_rows_fails);
    tcase_add_test(tc, a_failed_statement_is_kept_with_its_label);
    tcase_add_test(tc, a_statement_the_pipeline_skipped_is_not_told_again);
    tcase_add_test(tc, without_a_connection_a_statement_fails_under_its_label);
    tcase_add_test(tc, what_a_transaction_queued_goes_first);
    tcase_add_test(tc, a_connection_that_is_gone_fails_as_lost);
    tcase_add_test(tc, a_transaction_that_ran_nothing_commits_without_a_word);
    tcase_add_test(tc, a_transaction_with_a_failed_statement_does_not_commit);
    tcase_add_test(tc, a_commit_that_fails_is_told_as_commit);
    tcase_add_test(tc, a_rollback_ends_the_transaction);
    tcase_add_test(tc, an_idle_socket_speaks_when_the_server_leaves);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
