/* Unit tests for lib/database/kf_pg_session.c: one line when a database outage begins, one
 * when it ends, whatever the number of connections that find it. */
#include "kf_check.h"
#include "kf_pg_session.h"

START_TEST(an_outage_is_told_once_at_each_end)
{
    kf_pg_outage o = {0};
    apr_int64_t lasted = -1;
    ck_assert_ptr_null(kf_pg_outage_reason(&o));
    ck_assert(!kf_pg_outage_ends(&o, 100, &lasted));   /* nothing to end */
    ck_assert_str_eq(kf_pg_outage_begins(&o, "FATAL:  57P01: terminating connection due to "
                                         "administrator command", 100),
                     "PostgreSQL was shut down or restarted");
    /* the next connections that fail say nothing more */
    ck_assert_ptr_null(kf_pg_outage_begins(&o, "could not connect: Connection refused", 105));
    ck_assert_str_eq(kf_pg_outage_reason(&o), "PostgreSQL was shut down or restarted");
    ck_assert(kf_pg_outage_ends(&o, 130, &lasted));
    ck_assert_int_eq(lasted, 30);
    ck_assert(!kf_pg_outage_ends(&o, 131, &lasted));
    ck_assert_ptr_null(kf_pg_outage_reason(&o));
}
END_TEST

START_TEST(a_lost_connection_gives_the_outage_its_reason)
{
    kf_pg_outage o = {0};
    apr_int64_t lasted;
    /* a session ended: no outage yet, but its reason is known */
    kf_pg_outage_connection_lost(&o, "FATAL:  57P02: terminating connection because of crash");
    ck_assert_str_eq(kf_pg_outage_reason(&o), "PostgreSQL crashed and is restarting");
    /* reconnecting fails without libpq's words: the reason is the lost connection's */
    ck_assert_str_eq(kf_pg_outage_begins(&o, NULL, 10), "PostgreSQL crashed and is restarting");
    ck_assert(kf_pg_outage_ends(&o, 12, &lasted));
    /* a connection found lost and made again at once is no outage, and leaves no reason */
    kf_pg_outage_connection_lost(&o, "server closed the connection unexpectedly");
    ck_assert_str_eq(kf_pg_outage_reason(&o), "the connection to PostgreSQL broke");
    ck_assert(!kf_pg_outage_ends(&o, 20, &lasted));
    ck_assert_ptr_null(kf_pg_outage_reason(&o));
    /* words of its own win over the last lost connection's */
    kf_pg_outage_connection_lost(&o, "server closed the connection unexpectedly");
    ck_assert_str_eq(kf_pg_outage_begins(&o, "the database system is starting up", 30),
                     "PostgreSQL is starting up");
}
END_TEST

START_TEST(an_outage_is_told_in_two_lines)
{
    kf_pg_outage o = {0};
    ck_assert_ptr_null(kf_pg_outage_ends_line(&o, pool, apr_time_from_sec(5)));
    const char *lost = kf_pg_outage_begins_line(
        &o, pool, "FATAL:  57P01: terminating connection due to administrator command",
        apr_time_from_sec(100));
    ck_assert_str_eq(lost, "database connection lost: PostgreSQL was shut down or restarted "
                           "(FATAL:  57P01: terminating connection due to administrator "
                           "command); requests answer 503 and jobs pause until it is back, "
                           "and each pooled connection is made again at its next use");
    /* once per outage */
    ck_assert_ptr_null(kf_pg_outage_begins_line(&o, pool, NULL, apr_time_from_sec(101)));
    ck_assert_str_eq(kf_pg_outage_ends_line(&o, pool, apr_time_from_sec(142)),
                     "database reachable again after 42 s: the connection pool recovered");
    ck_assert_ptr_null(kf_pg_outage_ends_line(&o, pool, apr_time_from_sec(143)));
    /* no words of libpq's: mod_dbd's line before has them */
    ck_assert_ptr_nonnull(strstr(kf_pg_outage_begins_line(&o, pool, NULL, 0),
                                 "(mod_dbd could not open a connection: its line before gives "
                                 "libpq's words)"));
}
END_TEST

START_TEST(an_exiting_process_lends_no_more_job_connections_and_counts_those_held)
{
    kf_pg_holders h = {0, 0};
    ck_assert_int_eq(kf_pg_holders_take(&h), 1);
    ck_assert_int_eq(kf_pg_holders_take(&h), 1);
    ck_assert_uint_eq(kf_pg_holders_held(&h), 2);
    kf_pg_holders_release(&h);
    kf_pg_holders_stop(&h);
    /* refused from now on, and not counted: the exit waits only for the one still held */
    ck_assert_int_eq(kf_pg_holders_take(&h), 0);
    ck_assert_uint_eq(kf_pg_holders_held(&h), 1);
    kf_pg_holders_release(&h);
    ck_assert_uint_eq(kf_pg_holders_held(&h), 0);
    /* an exit with none held has nothing to wait for */
    kf_pg_holders h2 = {0, 0};
    kf_pg_holders_drain(&h2, apr_time_from_sec(3600));
    ck_assert_int_eq(kf_pg_holders_take(&h2), 0);
    ck_assert_uint_eq(kf_pg_holders_held(&h2), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_outage");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_outage_is_told_once_at_each_end);
    tcase_add_test(tc, a_lost_connection_gives_the_outage_its_reason);
    tcase_add_test(tc, an_outage_is_told_in_two_lines);
    tcase_add_test(tc, an_exiting_process_lends_no_more_job_connections_and_counts_those_held);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
