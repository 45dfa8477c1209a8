/* Unit tests for lib/availability/kf_availability_notice.c: which cached answers a
 * notification from another server invalidates, and how the listener reconnects. */
#include "kf_check.h"
#include "kf_availability_notice.h"

#define A "11111111-1111-4111-8111-111111111111"
#define B "22222222-2222-4222-8222-222222222222"

START_TEST(a_list_of_professionals_names_only_them)
{
    apr_array_header_t *ids = NULL;
    ck_assert(kf_availability_notice_ids(pool, A "," B, &ids));
    ck_assert_int_eq(ids->nelts, 2);
    ck_assert_str_eq(((const char **)ids->elts)[0], A);
    ck_assert_str_eq(((const char **)ids->elts)[1], B);
    ck_assert(kf_availability_notice_ids(pool, A, &ids));
    ck_assert_int_eq(ids->nelts, 1);
}
END_TEST

START_TEST(anything_else_names_everything)
{
    apr_array_header_t *ids = NULL;
    ck_assert(!kf_availability_notice_ids(pool, "*", &ids));
    ck_assert(!kf_availability_notice_ids(pool, "", &ids));
    ck_assert(!kf_availability_notice_ids(pool, NULL, &ids));
    ck_assert(!kf_availability_notice_ids(pool, A ",not-a-professional", &ids));
    ck_assert_int_eq(ids->nelts, 0);
    ck_assert(!kf_availability_notice_ids(pool, A ",,"  B, &ids));
    ck_assert(!kf_availability_notice_ids(pool, "zzzzzzzz-1111-4111-8111-111111111111", &ids));
}
END_TEST

START_TEST(reconnection_waits_grow_to_five_seconds)
{
    ck_assert_int_eq(kf_availability_notice_retry_seconds(0), 1);
    ck_assert_int_eq(kf_availability_notice_retry_seconds(1), 2);
    ck_assert_int_eq(kf_availability_notice_retry_seconds(4), 5);
    ck_assert_int_eq(kf_availability_notice_retry_seconds(40), 5);
}
END_TEST

#define T0 apr_time_from_sec(1795000000)

START_TEST(a_listener_connects_again_later_after_each_failure)
{
    kf_avail_listener_clock k = {0};
    /* the first failure is told, the next ones wait longer and quietly */
    ck_assert_int_eq(kf_avail_listener_failed(&k, T0), 1);
    ck_assert(k.retry_at == T0 + apr_time_from_sec(1));
    ck_assert_int_eq(kf_avail_listener_failed(&k, T0), 0);
    ck_assert(k.retry_at == T0 + apr_time_from_sec(2));
    for (int i = 0; i < 10; i++) {
        kf_avail_listener_failed(&k, T0);
    }
    ck_assert(k.retry_at == T0 + apr_time_from_sec(5));
    ck_assert_int_eq(kf_avail_listener_connected(&k), 1);   /* heard again */
    ck_assert_int_eq(kf_avail_listener_connected(&k), 0);
    ck_assert_int_eq(kf_avail_listener_failed(&k, T0), 1);
}
END_TEST

START_TEST(a_listener_takes_every_20_ms_and_vacuums_at_most_each_second)
{
    kf_avail_listener_clock k = {0};
    ck_assert_int_eq(kf_avail_listener_take_due(&k, T0), 1);
    ck_assert(kf_avail_listener_wait(&k, T0) == apr_time_from_msec(20));
    ck_assert_int_eq(kf_avail_listener_take_due(&k, T0 + apr_time_from_msec(19)), 0);
    ck_assert(kf_avail_listener_wait(&k, T0 + apr_time_from_msec(25)) == 0);
    ck_assert_int_eq(kf_avail_listener_take_due(&k, T0 + apr_time_from_msec(20)), 1);
    /* nothing taken, or a role that does not own the table: no vacuum */
    ck_assert_int_eq(kf_avail_listener_vacuum_due(&k, 1, T0), 0);
    k.taken = 3;
    ck_assert_int_eq(kf_avail_listener_vacuum_due(&k, 0, T0), 0);
    ck_assert_int_eq(kf_avail_listener_vacuum_due(&k, 1, T0), 1);
    ck_assert_int_eq(k.taken, 0);
    k.taken = 5;
    ck_assert_int_eq(kf_avail_listener_vacuum_due(&k, 1, T0 + apr_time_from_msec(999)), 0);
    ck_assert_int_eq(kf_avail_listener_vacuum_due(&k, 1, T0 + apr_time_from_sec(1)), 1);
}
END_TEST

START_TEST(conninfo_values_are_quoted_for_libpq)
{
    const char *keys[] = {"host", "password", "port", "dbname"};
    const char *values[] = {"/run/pg", "it's a \\ secret", "", "kf"};
    ck_assert_str_eq(kf_conninfo_text(pool, keys, values, 4),
                     "host='/run/pg' password='it\\'s a \\\\ secret' dbname='kf'");
    ck_assert_str_eq(kf_conninfo_text(pool, keys, values, 0), "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("availability_notice");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_list_of_professionals_names_only_them);
    tcase_add_test(tc, anything_else_names_everything);
    tcase_add_test(tc, reconnection_waits_grow_to_five_seconds);
    tcase_add_test(tc, conninfo_values_are_quoted_for_libpq);
    tcase_add_test(tc, a_listener_connects_again_later_after_each_failure);
    tcase_add_test(tc, a_listener_takes_every_20_ms_and_vacuums_at_most_each_second);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
