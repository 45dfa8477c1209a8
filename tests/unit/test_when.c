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

START_TEST(amounts_as_people_write_them)
{
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 12000000, "COP"), "COP 120.000");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 12000000, "COP"), "COP 120,000");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 99, "COP"), "COP 0");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 123456789, "USD"), "USD 1,234,567.89");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 1250, "EUR"), "EUR 12,50");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 5, "USD"), "USD 0.05");
    /* currencies without minor units, or with three: amounts are minor units of each */
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 15000, "CLP"), "CLP 15.000");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 1500, "JPY"), "JPY 1,500");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 1250, "KWD"), "KWD 1,250");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 1234567, "KWD"), "KWD 1,234.567");
}
END_TEST

START_TEST(exact_amounts_show_every_decimal_of_the_currency)
{
    /* where a cent matters (the least a price may be): COP keeps its decimals */
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 1, "COP"), "COP 0,01");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, 1, "COP"), "COP 0.01");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 0, "COP"), "COP 0,00");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 100000000000000LL, "COP"),
                     "COP 1.000.000.000.000,00");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, 100000000000000LL, "USD"),
                     "USD 1,000,000,000,000.00");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 12000050, "COP"), "COP 120.000,50");
    /* the currency's own exponent: none for CLP, three for KWD */
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 1500, "CLP"), "CLP 1.500");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 1234, "KWD"), "KWD 1,234");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, 5, "KWD"), "KWD 0.005");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, -250, "USD"), "USD -2.50");
}
END_TEST

static Suite *when_suite(void)
{
    Suite *s = suite_create("when");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, long_dates_in_both_languages);
    tcase_add_test(tc, impossible_times_are_refused);
    tcase_add_test(tc, amounts_as_people_write_them);
    tcase_add_test(tc, exact_amounts_show_every_decimal_of_the_currency);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(when_suite());
}
