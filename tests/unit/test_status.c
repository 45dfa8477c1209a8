/* Unit tests for lib/status/kf_status.c: what a Prometheus scrape of the status page reads. */
#include "kf_check.h"
#include "kf_status.h"

START_TEST(routes_fall_in_their_class)
{
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/public/links/{slug}/availability")),
                     "public");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/admin/bookings/{id}")), "admin");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/webhooks/wompi")), "webhooks");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/health")), "health");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/auth/login")), "auth");
    /* a prefix of a class's name is not that class */
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/pub/x")), "other");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/api/publicity")), "other");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of("/book")), "other");
    ck_assert_str_eq(kf_status_class_name(kf_status_class_of(NULL)), "unrouted");
}
END_TEST

START_TEST(status_codes_fall_in_their_class)
{
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(200)), "2xx");
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(204)), "2xx");
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(302)), "3xx");
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(429)), "4xx");
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(503)), "5xx");
    /* no final answer counts as a server error */
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(0)), "5xx");
    ck_assert_str_eq(kf_status_code_class_name(kf_status_code_class_of(101)), "5xx");
}
END_TEST

START_TEST(durations_fall_in_the_first_bucket_that_holds_them)
{
    ck_assert_int_eq(kf_status_bucket_of(0), 0);
    ck_assert_int_eq(kf_status_bucket_of(1000), 0);         /* le is inclusive */
    ck_assert_int_eq(kf_status_bucket_of(1001), 1);
    ck_assert_int_eq(kf_status_bucket_of(10000000), KF_STATUS_BUCKET_COUNT - 1);
    ck_assert_int_eq(kf_status_bucket_of(10000001), KF_STATUS_BUCKET_COUNT);
    for (int i = 1; i < KF_STATUS_BUCKET_COUNT; i++) {
        ck_assert(kf_status_bucket_us[i] > kf_status_bucket_us[i - 1]);
    }
}
END_TEST

START_TEST(a_family_and_its_samples)
{
    kf_status_text *t = kf_status_text_make(pool);
    kf_status_family(t, "konfirmado_x_total", "counter", "What\\ it counts\nsecond line.");
    const char *labels[] = {"class", "public", "status", "2xx", NULL};
    kf_status_sample(t, "konfirmado_x_total", labels, "3");
    kf_status_sample(t, "konfirmado_y", NULL, "0");
    const char *odd[] = {"version", "1.0 \"beta\"\\\n", NULL};
    kf_status_sample(t, "konfirmado_build_info", odd, "1");
    ck_assert_str_eq(kf_status_text_join(t),
                     "# HELP konfirmado_x_total What\\\\ it counts\\nsecond line.\n"
                     "# TYPE konfirmado_x_total counter\n"
                     "konfirmado_x_total{class=\"public\",status=\"2xx\"} 3\n"
                     "konfirmado_y 0\n"
                     "konfirmado_build_info{version=\"1.0 \\\"beta\\\"\\\\\\n\"} 1\n");
}
END_TEST

START_TEST(a_histogram_is_cumulative)
{
    unsigned long long counts[KF_STATUS_BUCKET_COUNT + 1] = {0};
    counts[0] = 2;                          /* two answers within 1 ms */
    counts[3] = 1;                          /* one within 10 ms */
    counts[KF_STATUS_BUCKET_COUNT] = 1;     /* one above the last bound */
    kf_status_text *t = kf_status_text_make(pool);
    const char *labels[] = {"class", "public", NULL};
    kf_status_histogram(t, "d_seconds", labels, counts, 12004500ULL);
    const char *text = kf_status_text_join(t);
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_bucket{class=\"public\",le=\"0.001000\"} 2\n"));
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_bucket{class=\"public\",le=\"0.005000\"} 2\n"));
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_bucket{class=\"public\",le=\"0.010000\"} 3\n"));
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_bucket{class=\"public\",le=\"10.000000\"} 3\n"));
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_bucket{class=\"public\",le=\"+Inf\"} 4\n"));
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_sum{class=\"public\"} 12.004500\n"));
    ck_assert_ptr_nonnull(strstr(text, "d_seconds_count{class=\"public\"} 4\n"));
}
END_TEST

START_TEST(seconds_from_microseconds)
{
    ck_assert_str_eq(kf_status_seconds(pool, 0), "0.000000");
    ck_assert_str_eq(kf_status_seconds(pool, 1500000), "1.500000");
    ck_assert_str_eq(kf_status_seconds(pool, 7), "0.000007");
    ck_assert_str_eq(kf_status_seconds(pool, -5), "0.000000");   /* a clock step back */
    ck_assert_str_eq(kf_status_count(pool, 18446744073709551615ULL), "18446744073709551615");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, routes_fall_in_their_class);
    tcase_add_test(tc, status_codes_fall_in_their_class);
    tcase_add_test(tc, durations_fall_in_the_first_bucket_that_holds_them);
    tcase_add_test(tc, a_family_and_its_samples);
    tcase_add_test(tc, a_histogram_is_cumulative);
    tcase_add_test(tc, seconds_from_microseconds);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
