#include "kf_check.h"
#include "kf_when.h"

START_TEST(long_dates_in_both_languages)
{
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01T10:00:00-05:00", "America/Bogota"),
                     "martes 1 de diciembre de 2026, 10:00 (America/Bogota)");
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_EN, "2026-12-01T10:00:00-05:00", "America/Bogota"),
                     "Tuesday, December 1, 2026, 10:00 AM (America/Bogota)");
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_EN, "2026-03-29T00:05", NULL),
                     "Sunday, March 29, 2026, 12:05 AM");
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_EN, "2026-03-29T12:30", ""),
                     "Sunday, March 29, 2026, 12:30 PM");
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_ES, "2024-02-29 16:45", "Europe/Madrid"),
                     "jueves 29 de febrero de 2024, 16:45 (Europe/Madrid)");
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_ES, "1969-12-31T23:59", NULL),
                     "miércoles 31 de diciembre de 1969, 23:59");
}
END_TEST

START_TEST(impossible_times_are_refused)
{
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-02-31T10:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-13-01T10:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01T24:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026/12/01T10:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, NULL, NULL));
}
END_TEST

static Suite *when_suite(void)
{
    Suite *s = suite_create("when");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, long_dates_in_both_languages);
    tcase_add_test(tc, impossible_times_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(when_suite());
}
