/* Unit suite for lib/database/kf_pg_session.c: what the logs keep of a PostgreSQL error. */
#include "kf_check.h"
#include "kf_pg_session.h"

#include <string.h>

START_TEST(row_values_never_reach_the_summary)
{
    const char *m = "ERROR:  23505: duplicate key value violates unique constraint "
                    "\"users_email_key\"\nDETAIL:  Key (email)=(ana@example.com) already exists.\n"
                    "SCHEMA NAME:  public\nLOCATION:  _bt_check_unique, nbtinsert.c:664\n";
    const char *s = kf_pg_error_summary(pool, m);
    ck_assert_str_eq(s, "SQLSTATE 23505, constraint users_email_key");
    ck_assert_ptr_null(strstr(s, "ana@"));
    ck_assert(kf_pg_error_is_sql(m));
    ck_assert(kf_pg_error_is_constraint(m));

    /* values in the primary message itself stay out too */
    m = "ERROR:  22P02: invalid input syntax for type uuid: \"ana@example.com\"\n";
    ck_assert_str_eq(kf_pg_error_summary(pool, m), "SQLSTATE 22P02");
    ck_assert(!kf_pg_error_is_constraint(m));

    m = "ERROR:  23P01: conflicting key value violates exclusion constraint "
        "\"reservations_no_overlap\"\nDETAIL:  Key (professional_id, blocked)=(...) conflicts\n";
    ck_assert_str_eq(kf_pg_error_summary(pool, m),
                     "SQLSTATE 23P01, constraint reservations_no_overlap");
    ck_assert(kf_pg_error_is_constraint(m));

    /* a constraint named only in DETAIL is not taken from there */
    m = "ERROR:  40001: could not serialize access\nDETAIL:  constraint \"x\" whatever\n";
    ck_assert_str_eq(kf_pg_error_summary(pool, m), "SQLSTATE 40001");

    /* terse messages (no SQLSTATE) */
    m = "ERROR:  duplicate key value violates unique constraint \"users_email_key\"\n"
        "DETAIL:  Key (email)=(ana@example.com) already exists.\n";
    ck_assert_str_eq(kf_pg_error_summary(pool, m), "SQL error (no SQLSTATE), constraint users_email_key");
    ck_assert(kf_pg_error_is_constraint(m));
}
END_TEST

START_TEST(a_failure_is_a_refusal_a_bug_or_a_lost_session)
{
    ck_assert_int_eq(kf_pg_error_kind("ERROR:  23505: duplicate key value violates unique "
                                      "constraint \"users_email_key\"\n"), KF_PG_REFUSED);
    ck_assert_int_eq(kf_pg_error_kind("ERROR:  42703: column \"nme\" does not exist\n"),
                     KF_PG_FAILED);
    ck_assert_int_eq(kf_pg_error_kind("server closed the connection unexpectedly\n"), KF_PG_LOST);
    ck_assert_int_eq(kf_pg_error_kind("FATAL:  57P01: terminating connection due to "
                                      "administrator command\n"), KF_PG_LOST);
    ck_assert_int_eq(kf_pg_error_kind(NULL), KF_PG_LOST);
    ck_assert(kf_pg_error_no_migrations("ERROR:  42P01: relation \"kf_schema_migrations\" "
                                        "does not exist\n"));
    ck_assert(!kf_pg_error_no_migrations("ERROR:  42P01: relation \"tenants\" does not exist\n"));
    ck_assert(!kf_pg_error_no_migrations(NULL));
}
END_TEST

START_TEST(a_statement_takes_one_argument_per_placeholder)
{
    ck_assert_int_eq(kf_pg_placeholder_count("SELECT 1"), 0);
    ck_assert_int_eq(kf_pg_placeholder_count("SELECT %s::uuid, %d, %pDi"), 3);
    ck_assert_int_eq(kf_pg_placeholder_count("SELECT 'a%%b' LIKE %s"), 1);   /* %% is literal */
    ck_assert_int_eq(kf_pg_placeholder_count("SELECT 100 % 7, '%'"), 0);     /* no letter */
    ck_assert_int_eq(kf_pg_placeholder_count("SELECT %s%"), 1);
    ck_assert_int_eq(kf_pg_placeholder_count(NULL), 0);
}
END_TEST

START_TEST(connection_failures_keep_their_first_line)
{
    const char *m = "server closed the connection unexpectedly\n\tThis probably means...\n";
    ck_assert_str_eq(kf_pg_error_summary(pool, m), "server closed the connection unexpectedly");
    ck_assert(!kf_pg_error_is_sql(m));
    ck_assert(!kf_pg_error_is_constraint(m));
    ck_assert_str_eq(kf_pg_error_summary(pool, "FATAL:  57P01: terminating\x01 connection"),
                     "FATAL:  57P01: terminating  connection");
    ck_assert_str_eq(kf_pg_error_summary(pool, NULL), "");
    char longline[400];
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    ck_assert_uint_eq(strlen(kf_pg_error_summary(pool, longline)), 200);
}
END_TEST

START_TEST(only_a_constraint_refusal_is_the_callers_to_answer)
{
    ck_assert_int_eq(kf_pg_failure_status("ERROR:  23505: duplicate key value violates unique "
                                          "constraint \"users_email_key\""), KF_PG_ECONSTRAINT);
    ck_assert_int_eq(kf_pg_failure_status("ERROR:  23P01: conflicting key value violates "
                                          "exclusion constraint \"no_overlap\""),
                     KF_PG_ECONSTRAINT);
    ck_assert_int_eq(kf_pg_failure_status("ERROR:  42P01: relation \"x\" does not exist"),
                     APR_EGENERAL);
    ck_assert_int_eq(kf_pg_failure_status("server closed the connection unexpectedly"),
                     APR_EGENERAL);
    ck_assert_int_eq(kf_pg_failure_status(NULL), APR_EGENERAL);
}
END_TEST

START_TEST(a_failed_statement_is_logged_by_its_label_without_row_values)
{
    ck_assert_str_eq(kf_pg_failure_line(pool, "kf_user_insert",
                                        "ERROR:  23505: duplicate key value violates unique "
                                        "constraint \"users_email_key\"\nDETAIL:  Key (email)="
                                        "(ana@example.com) already exists."),
                     "kf_user_insert refused by a constraint: SQLSTATE 23505, constraint "
                     "users_email_key");
    ck_assert_str_eq(kf_pg_failure_line(pool, "kf_x", "ERROR:  42P01: relation \"x\" does not "
                                        "exist"),
                     "kf_x failed: SQLSTATE 42P01");
    ck_assert_str_eq(kf_pg_failure_line(pool, "COMMIT", "server closed the connection "
                                        "unexpectedly\n\tThis probably means"),
                     "COMMIT failed, connection lost: server closed the connection unexpectedly");
}
END_TEST

START_TEST(a_lost_connection_says_what_happened)
{
    /* what libpq reports after `pg_ctl restart` or `systemctl restart postgresql` */
    ck_assert_str_eq(kf_pg_lost_reason("FATAL:  57P01: terminating connection due to "
                                       "administrator command\nLOCATION:  ProcessInterrupts"),
                     "PostgreSQL was shut down or restarted");
    ck_assert_str_eq(kf_pg_lost_reason("connection to server on socket \"/run/.s.PGSQL.5432\" "
                                       "failed: FATAL:  the database system is shutting down"),
                     "PostgreSQL is shutting down");
    /* with the verbose error's code beside the words, the words still decide */
    ck_assert_str_eq(kf_pg_lost_reason("FATAL:  57P03: the database system is shutting down"),
                     "PostgreSQL is shutting down");
    ck_assert_str_eq(kf_pg_lost_reason("FATAL:  57P03: the database system is starting up"),
                     "PostgreSQL is starting up");
    ck_assert_str_eq(kf_pg_lost_reason("FATAL:  57P03: the database system is not accepting "
                                       "connections"),
                     "PostgreSQL is starting up or shutting down");
    ck_assert_str_eq(kf_pg_lost_reason("connection to server at \"127.0.0.1\", port 5432 "
                                       "failed: Connection refused\n\tIs the server running"),
                     "PostgreSQL refuses connections (not running?)");
    ck_assert_str_eq(kf_pg_lost_reason("FATAL:  53300: sorry, too many clients already"),
                     "PostgreSQL has no connection slot left (max_connections)");
    ck_assert_str_eq(kf_pg_lost_reason("server closed the connection unexpectedly"),
                     "the connection to PostgreSQL broke");
    ck_assert_str_eq(kf_pg_lost_reason(NULL), "the connection to PostgreSQL broke");
}
END_TEST

START_TEST(a_read_only_server_is_left_for_a_writable_one)
{
    /* a pooled session on a server that became a standby, or a primary being demoted: the
     * session works but can write nothing, so it is dropped, not retried there */
    const char *m = "ERROR:  25006: cannot execute INSERT in a read-only transaction\n"
                    "LOCATION:  PreventCommandIfReadOnly, utility.c:414\n";
    ck_assert_int_eq(kf_pg_error_kind(m), KF_PG_READ_ONLY);
    ck_assert_int_eq(kf_pg_failure_status(m), APR_EGENERAL);
    ck_assert_int_eq(kf_pg_error_kind("ERROR:  cannot execute UPDATE in a read-only "
                                      "transaction\n"), KF_PG_READ_ONLY);
    ck_assert_str_eq(kf_pg_failure_line(pool, "kf_hold_insert", m),
                     "kf_hold_insert failed, the server is read-only (a standby, or a primary "
                     "being demoted): its connection is dropped: SQLSTATE 25006");
    ck_assert_str_eq(kf_pg_lost_reason(m),
                     "PostgreSQL's server is read-only (a standby, or a primary being demoted)");
    /* libpq's words when target_session_attrs=read-write finds no writable server */
    ck_assert_str_eq(kf_pg_lost_reason("connection to server at \"127.0.0.1\", port 5433 "
                                       "failed: session is read-only"),
                     "no PostgreSQL server accepts writes yet (a failover under way?)");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pgerror");
    TCase *tc = tcase_create("summary");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, row_values_never_reach_the_summary);
    tcase_add_test(tc, connection_failures_keep_their_first_line);
    tcase_add_test(tc, a_failure_is_a_refusal_a_bug_or_a_lost_session);
    tcase_add_test(tc, a_statement_takes_one_argument_per_placeholder);
    tcase_add_test(tc, only_a_constraint_refusal_is_the_callers_to_answer);
    tcase_add_test(tc, a_failed_statement_is_logged_by_its_label_without_row_values);
    tcase_add_test(tc, a_lost_connection_says_what_happened);
    tcase_add_test(tc, a_read_only_server_is_left_for_a_writable_one);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
