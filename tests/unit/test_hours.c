/* Unit tests for lib/kf_hours.c: which ranges a date has, and their instants across DST. */
#include "kf_check_zone.h"
#include "kf_hours.h"
#include "kf_time.h"

START_TEST(iso_weekdays)
{
    ck_assert_int_eq(kf_iso_weekday(0), 4);                                   /* 1970-01-01 */
    ck_assert_int_eq(kf_iso_weekday(kf_days_from_civil(2026, 11, 23)), 1);   /* a Monday */
    ck_assert_int_eq(kf_iso_weekday(kf_days_from_civil(2026, 11, 29)), 7);
    ck_assert_int_eq(kf_iso_weekday(-1), 3);
    ck_assert_int_eq(kf_iso_weekday(-4), 7);
}
END_TEST

START_TEST(weekly_hours_and_exceptions)
{
    /* professional 0: Mon-Fri 09:00-12:00 and 13:00-17:00; professional 1: Monday 08:00-09:00 */
    kf_weekly_range weekly[11];
    int n = 0;
    for (int wd = 1; wd <= 5; wd++) {
        weekly[n++] = (kf_weekly_range){0, wd, 540, 720};
        weekly[n++] = (kf_weekly_range){0, wd, 780, 1020};
    }
    weekly[n++] = (kf_weekly_range){1, 1, 480, 540};
    apr_int64_t mon = kf_days_from_civil(2026, 11, 23);
    /* Tuesday closed, Wednesday 10:00-11:00 only, Saturday 10:00-14:00 */
    kf_day_exception ex[] = {{0, mon + 1, 1, 0, 0}, {0, mon + 2, 0, 600, 660},
                             {0, mon + 5, 0, 600, 840}, {1, mon + 1, 0, 0, 1440}};
    apr_array_header_t *w = apr_array_make(pool, 8, sizeof(kf_window));
    kf_hours_windows(zone("America/Bogota"), 0, weekly, n, ex, 4, mon, mon + 6, w);
    const kf_window *x = (const kf_window *)w->elts;
    /* Mon 2, Tue 0, Wed 1, Thu 2, Fri 2, Sat 1, Sun 0 */
    ck_assert_int_eq(w->nelts, 8);
    ck_assert_int_eq(x[0].start, mon * 86400 + (9 + 5) * 3600);
    ck_assert_int_eq(x[0].end, mon * 86400 + (12 + 5) * 3600);
    ck_assert_int_eq(x[0].day, mon);
    ck_assert_int_eq(x[2].day, mon + 2);
    ck_assert_int_eq(x[2].start, (mon + 2) * 86400 + 15 * 3600);
    ck_assert_int_eq(x[7].day, mon + 5);
    ck_assert_int_eq(x[7].end - x[7].start, 4 * 3600);
    for (int i = 0; i < w->nelts; i++) {
        ck_assert_int_eq(x[i].prof, 0);
    }
    /* professional 1: Monday's hour, and Tuesday's whole-day exception ends at midnight */
    w->nelts = 0;
    kf_hours_windows(zone("UTC"), 1, weekly, n, ex, 4, mon, mon + 1, w);
    ck_assert_int_eq(w->nelts, 2);
    ck_assert_int_eq(((kf_window *)w->elts)[1].end, (mon + 2) * 86400);
}
END_TEST

START_TEST(ranges_last_their_absolute_time_across_dst)
{
    kf_weekly_range night = {0, 7, 0, 240};   /* Sundays 00:00-04:00 */
    apr_array_header_t *w = apr_array_make(pool, 2, sizeof(kf_window));
    apr_int64_t spring = kf_days_from_civil(2026, 3, 8), fall = kf_days_from_civil(2026, 11, 1);
    kf_hours_windows(zone("America/New_York"), 0, &night, 1, NULL, 0, spring, spring, w);
    kf_hours_windows(zone("America/New_York"), 0, &night, 1, NULL, 0, fall, fall, w);
    const kf_window *x = (const kf_window *)w->elts;
    ck_assert_int_eq(w->nelts, 2);
    ck_assert_int_eq(x[0].end - x[0].start, 3 * 3600);
    ck_assert_int_eq(x[1].end - x[1].start, 5 * 3600);
    ck_assert_int_eq(x[0].start, spring * 86400 + 5 * 3600);
    ck_assert_int_eq(x[1].start, fall * 86400 + 4 * 3600);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hours");
    TCase *tc = tcase_create("hours");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, iso_weekdays);
    tcase_add_test(tc, weekly_hours_and_exceptions);
    tcase_add_test(tc, ranges_last_their_absolute_time_across_dst);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
