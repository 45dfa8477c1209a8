/* Unit tests for lib/status/kf_status_counters.c: what one answered request, a cache look and
 * a connection checked out add to the counters every process shares, as the page reads them. */
#include "kf_check.h"
#include "kf_status_counters.h"

static kf_status_counters block;

START_TEST(a_request_counts_in_its_class_status_and_bucket)
{
    kf_status_counters_start(&block, apr_time_from_sec(1700000000));
    kf_status_counters_request(&block, KF_STATUS_CLASS_PUBLIC, 201, 3000);     /* 3 ms */
    kf_status_counters_request(&block, KF_STATUS_CLASS_PUBLIC, 404, 700);
    kf_status_counters_request(&block, KF_STATUS_CLASS_ADMIN, 503, 20000000);  /* 20 s */
    kf_status_counts c;
    kf_status_counters_read(&block, &c);
    const kf_status_series *pub = &c.requests[KF_STATUS_CLASS_PUBLIC];
    ck_assert_uint_eq(pub->count[KF_STATUS_2XX], 1);
    ck_assert_uint_eq(pub->count[KF_STATUS_4XX], 1);
    ck_assert_uint_eq(pub->bucket[kf_status_bucket_of(3000)], 1);
    ck_assert_uint_eq(pub->bucket[0], 1);                                     /* <= 1 ms */
    ck_assert_uint_eq(pub->sum_us, 3700);
    const kf_status_series *admin = &c.requests[KF_STATUS_CLASS_ADMIN];
    ck_assert_uint_eq(admin->count[KF_STATUS_5XX], 1);
    ck_assert_uint_eq(admin->bucket[KF_STATUS_BUCKET_COUNT], 1);              /* above all */
    ck_assert_uint_eq(c.requests[KF_STATUS_CLASS_AUTH].count[KF_STATUS_2XX], 0);
    ck_assert_uint_eq(c.since, 1700000000);
    ck_assert_uint_eq(c.rate_limited, 0);
}
END_TEST

START_TEST(a_refusal_for_a_limit_counts_as_rate_limited)
{
    kf_status_counters_start(&block, 0);
    kf_status_counters_request(&block, KF_STATUS_CLASS_PUBLIC, 429, 100);
    kf_status_counters_request(&block, KF_STATUS_CLASS_AUTH, 429, 100);
    kf_status_counts c;
    kf_status_counters_read(&block, &c);
    ck_assert_uint_eq(c.rate_limited, 2);
    ck_assert_uint_eq(c.requests[KF_STATUS_CLASS_PUBLIC].count[KF_STATUS_4XX], 1);
}
END_TEST

START_TEST(what_cannot_be_counted_is_not)
{
    kf_status_counters_start(&block, 0);
    /* a clock that went back counts as no time */
    kf_status_counters_request(&block, KF_STATUS_CLASS_HEALTH, 200, -5000);
    /* a class out of range: nothing anywhere */
    kf_status_counters_request(&block, KF_STATUS_CLASS_COUNT, 200, 10);
    kf_status_counters_request(&block, (kf_status_class)-1, 200, 10);
    kf_status_counts c;
    kf_status_counters_read(&block, &c);
    const kf_status_series *health = &c.requests[KF_STATUS_CLASS_HEALTH];
    ck_assert_uint_eq(health->count[KF_STATUS_2XX], 1);
    ck_assert_uint_eq(health->bucket[0], 1);
    ck_assert_uint_eq(health->sum_us, 0);
    unsigned long long all = 0;
    for (int k = 0; k < KF_STATUS_CLASS_COUNT; k++) {
        all += c.requests[k].count[KF_STATUS_2XX];
    }
    ck_assert_uint_eq(all, 1);
}
END_TEST

START_TEST(the_cache_and_the_connections_in_use)
{
    kf_status_counters_start(&block, 0);
    kf_status_counters_cache(&block, 1);
    kf_status_counters_cache(&block, 1);
    kf_status_counters_cache(&block, 0);
    kf_status_counters_db(&block, 1);
    kf_status_counters_db(&block, 1);
    kf_status_counters_db(&block, -1);
    kf_status_counts c;
    kf_status_counters_read(&block, &c);
    ck_assert_uint_eq(c.cache_hits, 2);
    ck_assert_uint_eq(c.cache_misses, 1);
    ck_assert_uint_eq(c.db_in_use, 1);
    /* a new block starts from nothing */
    kf_status_counters_start(&block, 0);
    kf_status_counters_read(&block, &c);
    ck_assert_uint_eq(c.cache_hits, 0);
    ck_assert_uint_eq(c.db_in_use, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status_counters");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_request_counts_in_its_class_status_and_bucket);
    tcase_add_test(tc, a_refusal_for_a_limit_counts_as_rate_limited);
    tcase_add_test(tc, what_cannot_be_counted_is_not);
    tcase_add_test(tc, the_cache_and_the_connections_in_use);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
