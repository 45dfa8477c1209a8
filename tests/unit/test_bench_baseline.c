/* Unit tests for lib/status/kf_bench_baseline.c: the body size a benchmark asks for, and every
 * other query refused. */
#include "kf_check.h"
#include "kf_bench_baseline.h"

START_TEST(a_whole_number_of_bytes_within_the_limit)
{
    ck_assert_int_eq(kf_bench_baseline_bytes("bytes=1"), 1);
    ck_assert_int_eq(kf_bench_baseline_bytes("bytes=48700"), 48700);
    ck_assert_int_eq(kf_bench_baseline_bytes("bytes=1048576"), KF_BENCH_BASELINE_MAX_BYTES);
}
END_TEST

START_TEST(anything_else_asks_for_nothing)
{
    const char *refused[] = {NULL, "", "bytes=", "bytes=0", "bytes=-5", "bytes=12x",
                             "bytes=1048577", "size=10", "bytes=5&x=1", "x=1&bytes=5",
                             "bytes=99999999999999999999"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        ck_assert_msg(kf_bench_baseline_bytes(refused[i]) == 0, "%s",
                      refused[i] ? refused[i] : "(none)");
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bench_baseline");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_whole_number_of_bytes_within_the_limit);
    tcase_add_test(tc, anything_else_asks_for_nothing);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
