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
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
