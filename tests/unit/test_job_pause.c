/* Unit tests for lib/operations/kf_job_pause.c: a job's pauses while the database is away. */
#include "kf_check.h"
#include "kf_job_pause.h"

#include <apr_time.h>

START_TEST(pauses_double_up_to_five_seconds)
{
    kf_job_pause j = {0, 0};
    apr_int64_t now = apr_time_from_sec(1000);
    ck_assert(kf_job_pause_due(&j, now));
    ck_assert(kf_job_pause_failed(&j, now));          /* the first failure is told */
    ck_assert_int_eq(j.until, now + apr_time_from_sec(1));
    ck_assert(!kf_job_pause_due(&j, now + apr_time_from_msec(999)));
    ck_assert(kf_job_pause_due(&j, now + apr_time_from_sec(1)));
    const int waits[] = {2, 4, 5, 5, 5, 5};
    for (int i = 0; i < 6; i++) {
        ck_assert(!kf_job_pause_failed(&j, now));    /* the next ones are not */
        ck_assert_int_eq(j.until, now + apr_time_from_sec(waits[i]));
    }
}
END_TEST

START_TEST(a_run_that_works_ends_the_pause_once)
{
    kf_job_pause j = {0, 0};
    ck_assert(!kf_job_pause_worked(&j));              /* nothing to end */
    kf_job_pause_failed(&j, 5);
    kf_job_pause_failed(&j, 6);
    ck_assert(kf_job_pause_worked(&j));
    ck_assert_int_eq(j.failures, 0);
    ck_assert(kf_job_pause_due(&j, 0));
    ck_assert(!kf_job_pause_worked(&j));
    ck_assert(kf_job_pause_failed(&j, 7));            /* a new outage is told again */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("job_pause");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, pauses_double_up_to_five_seconds);
    tcase_add_test(tc, a_run_that_works_ends_the_pause_once);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
