/* Unit tests for lib/operations/kf_rl_table.c: a public limit's window counted without a
 * lock admits exactly its limit per window, keeps clients apart, and hands a client back to
 * the caller's store when its places are all another client's. */
#include "kf_check.h"
#include "kf_rl_table.h"

#include <stdio.h>
#include <string.h>

#define T0 1800000000       /* a fixed "now": the answers do not depend on the hour */

static apr_uint64_t table[64];
static const kf_rl_rule per_minute = {3, 60};

static void empty(void)
{
    kf_test_setup();
    memset(table, 0, sizeof(table));
}

START_TEST(a_client_gets_its_limit_per_window_then_waits_for_the_next)
{
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0 + i, &wait), 1);
        ck_assert_int_eq(wait, 0);
    }
    /* the fourth within the minute: refused until the minute that began at T0 ends */
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0 + 20, &wait), 1);
    ck_assert_int_eq(wait, 40);
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0 + 59, &wait), 1);
    ck_assert_int_eq(wait, 1);
    /* a new window at its end */
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0 + 60, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(clients_are_counted_apart)
{
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0, &wait);
    }
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0, &wait), 1);
    ck_assert_int_gt(wait, 0);
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.2", &per_minute, T0, &wait), 1);
    ck_assert_int_eq(wait, 0);
    ck_assert_int_eq(kf_rl_table_take(table, 64, "hold:10.0.0.1", &per_minute, T0, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_client_whose_places_are_all_taken_is_left_to_the_caller)
{
    /* a table of as many places as a key looks at: four other clients fill it */
    char key[32];
    apr_int64_t wait = -1;
    int counted = 0;
    for (int i = 0; counted < KF_RL_TABLE_PROBES && i < 64; i++) {
        snprintf(key, sizeof(key), "read:10.0.1.%d", i);
        counted += kf_rl_table_take(table, KF_RL_TABLE_PROBES, key, &per_minute, T0, &wait);
    }
    ck_assert_int_eq(counted, KF_RL_TABLE_PROBES);
    ck_assert_int_eq(kf_rl_table_take(table, KF_RL_TABLE_PROBES, "read:192.0.2.7", &per_minute,
                                      T0 + 1, &wait), 0);
    /* once their windows end, their places are free again */
    ck_assert_int_eq(kf_rl_table_take(table, KF_RL_TABLE_PROBES, "read:192.0.2.7", &per_minute,
                                      T0 + 60, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_clock_gone_back_starts_an_empty_window)
{
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0, &wait);
    }
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &per_minute, T0 - 5, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(limits_beyond_a_place_are_left_to_the_caller)
{
    apr_int64_t wait = -1;
    const kf_rl_rule huge = {20000000, 60}, none = {0, 60}, long_window = {5, 20000000};
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &huge, T0, &wait), 0);
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &none, T0, &wait), 0);
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &long_window, T0, &wait), 0);
    /* a million a minute (what a benchmark sets) still fits */
    const kf_rl_rule bench = {1000000, 60};
    ck_assert_int_eq(kf_rl_table_take(table, 64, "read:10.0.0.1", &bench, T0, &wait), 1);
    ck_assert_int_eq(kf_rl_table_size(64), 64 * sizeof(apr_uint64_t));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rl_table");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, empty, kf_test_teardown);
    tcase_add_test(tc, a_client_gets_its_limit_per_window_then_waits_for_the_next);
    tcase_add_test(tc, clients_are_counted_apart);
    tcase_add_test(tc, a_client_whose_places_are_all_taken_is_left_to_the_caller);
    tcase_add_test(tc, a_clock_gone_back_starts_an_empty_window);
    tcase_add_test(tc, limits_beyond_a_place_are_left_to_the_caller);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
