#include "kf_check.h"
#include "kf_metrics.h"

#include <string.h>

START_TEST(visit_ids_have_one_shape)
{
    ck_assert(kf_visit_id_ok("abcdefghijklmnop"));
    ck_assert(kf_visit_id_ok("v-2f1c_9A0b7e3d4c5b6a7f8e9d0c1b2a3"));
    ck_assert(!kf_visit_id_ok("short"));
    ck_assert(!kf_visit_id_ok("abcdefghijklmnop!"));
    ck_assert(!kf_visit_id_ok("abcdefghijklmnop\r\nX: y"));
    ck_assert(!kf_visit_id_ok(NULL));
    char longer[66];
    memset(longer, 'a', 65);
    longer[65] = '\0';
    ck_assert(!kf_visit_id_ok(longer));
    longer[64] = '\0';
    ck_assert(kf_visit_id_ok(longer));
}
END_TEST

START_TEST(ranges_default_to_the_last_30_days_and_are_checked)
{
    const char *f = NULL, *t = NULL, *bad = NULL, *why = NULL;
    ck_assert_int_eq(kf_metrics_range(pool, NULL, NULL, "2026-03-01", &f, &t, &bad, &why), 0);
    ck_assert_str_eq(f, "2026-01-31");
    ck_assert_str_eq(t, "2026-03-01");
    ck_assert_int_eq(kf_metrics_range(pool, "2026-02-01", NULL, "2026-03-01", &f, &t, &bad, &why), 0);
    ck_assert_str_eq(f, "2026-02-01");
    ck_assert_str_eq(t, "2026-03-01");
    ck_assert_int_eq(kf_metrics_range(pool, NULL, "2024-03-01", "2026-03-01", &f, &t, &bad, &why), 0);
    ck_assert_str_eq(f, "2024-02-01");   /* leap year: 29 February is one of the 30 days */
    ck_assert_int_eq(kf_metrics_range(pool, "2026-03-01", "2026-03-01", "x", &f, &t, &bad, &why), 0);
    ck_assert_str_eq(f, "2026-03-01");
    ck_assert_int_eq(kf_metrics_range(pool, "2026-03-02", "2026-03-01", "x", &f, &t, &bad, &why), -1);
    ck_assert_str_eq(bad, "to");
    ck_assert_str_eq(why, "param_date_range");
    ck_assert_int_eq(kf_metrics_range(pool, "2026-02-30", NULL, "2026-03-01", &f, &t, &bad, &why), -1);
    ck_assert_str_eq(bad, "from");
    ck_assert_str_eq(why, "param_date");
    ck_assert_int_eq(kf_metrics_range(pool, NULL, "tomorrow", "2026-03-01", &f, &t, &bad, &why), -1);
    ck_assert_str_eq(bad, "to");
    /* 366 days is the most (a leap year whole) */
    ck_assert_int_eq(kf_metrics_range(pool, "2024-01-01", "2024-12-31", "x", &f, &t, &bad, &why), 0);
    ck_assert_int_eq(kf_metrics_range(pool, "2024-01-01", "2025-01-01", "x", &f, &t, &bad, &why), -1);
    ck_assert_str_eq(why, "param_range_too_long");
}
END_TEST

START_TEST(periods_their_previous_range_and_filters)
{
    kf_metrics_query q;
    const char *bad = NULL, *why = NULL;
    const char *svc = "6f1c2a9e-1b2c-4d3e-8f90-0a1b2c3d4e5f";
    /* 7 days ending today, compared with the 7 before */
    ck_assert_int_eq(kf_metrics_query_read(pool, "7d", NULL, NULL, svc, NULL, "2026-03-31", &q,
                                           &bad, &why), 0);
    ck_assert_str_eq(q.from, "2026-03-25");
    ck_assert_str_eq(q.to, "2026-03-31");
    ck_assert_str_eq(q.previous_from, "2026-03-18");
    ck_assert_str_eq(q.previous_to, "2026-03-24");
    ck_assert_str_eq(q.service, svc);
    ck_assert_ptr_null(q.professional);
    /* 90 days across a year's turn; a custom range of 3 days is compared with its 3 before */
    ck_assert_int_eq(kf_metrics_query_read(pool, "90d", NULL, NULL, NULL, NULL, "2026-01-15", &q,
                                           &bad, &why), 0);
    ck_assert_str_eq(q.from, "2025-10-18");
    ck_assert_str_eq(q.previous_to, "2025-10-17");
    ck_assert_str_eq(q.previous_from, "2025-07-20");
    ck_assert_int_eq(kf_metrics_query_read(pool, NULL, "2026-03-01", "2026-03-03", NULL, NULL,
                                           "2026-03-31", &q, &bad, &why), 0);
    ck_assert_str_eq(q.previous_from, "2026-02-26");
    ck_assert_str_eq(q.previous_to, "2026-02-28");
    /* refusals name their parameter */
    ck_assert_int_eq(kf_metrics_query_read(pool, "14d", NULL, NULL, NULL, NULL, "2026-03-31", &q,
                                           &bad, &why), -1);
    ck_assert_str_eq(bad, "period");
    ck_assert_str_eq(why, "param_period");
    ck_assert_int_eq(kf_metrics_query_read(pool, "30d", "2026-03-01", NULL, NULL, NULL,
                                           "2026-03-31", &q, &bad, &why), -1);
    ck_assert_str_eq(why, "param_period_and_range");
    ck_assert_int_eq(kf_metrics_query_read(pool, NULL, NULL, NULL, NULL, "ana", "2026-03-31", &q,
                                           &bad, &why), -1);
    ck_assert_str_eq(bad, "professional");
    ck_assert_str_eq(why, "param_id");
}
END_TEST

START_TEST(trends_in_percent_or_none)
{
    int none = 0;
    ck_assert_double_eq_tol(kf_metrics_trend(15, 10, &none), 50.0, 1e-9);
    ck_assert(!none);
    ck_assert_double_eq_tol(kf_metrics_trend(2, 3, &none), -33.3, 1e-9);
    ck_assert_double_eq_tol(kf_metrics_trend(0, 4, &none), -100.0, 1e-9);
    kf_metrics_trend(5, 0, &none);
    ck_assert(none);
}
END_TEST

START_TEST(ratios_are_null_without_a_base)
{
    ck_assert(kf_metrics_ratio(0, 0) < 0);
    ck_assert(kf_metrics_ratio(3, 0) < 0);
    ck_assert_double_eq_tol(kf_metrics_ratio(1, 4), 0.25, 1e-12);
    ck_assert_double_eq_tol(kf_metrics_ratio(4, 4), 1.0, 1e-12);
    ck_assert_double_eq_tol(kf_metrics_ratio(0, 7), 0.0, 1e-12);
}
END_TEST

static Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, visit_ids_have_one_shape);
    tcase_add_test(tc, ranges_default_to_the_last_30_days_and_are_checked);
    tcase_add_test(tc, ratios_are_null_without_a_base);
    tcase_add_test(tc, periods_their_previous_range_and_filters);
    tcase_add_test(tc, trends_in_percent_or_none);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(metrics_suite());
}
