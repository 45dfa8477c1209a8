/* Unit tests for lib/operations/kf_rl_table.c: a public limit's window counted without a
 * lock admits exactly its limit per window, keeps clients apart, never lets a client of a
 * shorter window take a longer window's place before it ends, places keys by a hash nobody
 * can aim without the table's secret, and hands a client back to the caller's store when its
 * places are all another client's. */
#include "kf_check.h"
#include "kf_rl_table.h"

#include <stdio.h>
#include <string.h>

#define T0 1800000000       /* a fixed "now": the answers do not depend on the hour */

static const unsigned char secret[KF_SIPHASH_KEY_LEN] = "a fixed secret.";
static const unsigned char other_secret[KF_SIPHASH_KEY_LEN] = "another secret!";
static apr_uint64_t memory[64];
static kf_rl_table table;       /* 64 places */
static kf_rl_table small;       /* as many places as a key looks at: every key meets every one */
static const kf_rl_rule per_minute = {3, 60};
static const kf_rl_rule per_10_minutes = {3, 600};

static void empty(void)
{
    kf_test_setup();
    memset(memory, 0xa5, sizeof(memory));      /* whatever was there: init empties it */
    kf_rl_table_init(&table, memory, 64, secret);
    small = table;
    small.size = KF_RL_TABLE_PROBES;
}

static int take(const kf_rl_table *t, const char *key, const kf_rl_rule *rule, apr_int64_t now,
                apr_int64_t *wait)
{
    *wait = -1;
    return kf_rl_table_take(t, key, rule, now, wait);
}

/* A table made for the server: empty, counting, and each one's secret its own. */
START_TEST(a_made_table_counts_and_has_a_secret_of_its_own)
{
    kf_rl_table a, b;
    const char *why = NULL;
    ck_assert_int_eq(kf_rl_table_create(&a, pool, 64, &why), APR_SUCCESS);
    ck_assert_int_eq(kf_rl_table_create(&b, pool, 64, &why), APR_SUCCESS);
    ck_assert_int_ne(memcmp(a.secret, b.secret, sizeof a.secret), 0);
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(take(&a, "198.51.100.7", &per_minute, T0, &wait), 1);
        ck_assert_int_eq(wait, 0);
    }
    ck_assert_int_eq(take(&a, "198.51.100.7", &per_minute, T0, &wait), 1);
    ck_assert_int_gt(wait, 0);
    ck_assert_int_eq(take(&b, "198.51.100.7", &per_minute, T0, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_client_gets_its_limit_per_window_then_waits_for_the_next)
{
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0 + i, &wait), 1);
        ck_assert_int_eq(wait, 0);
    }
    /* the fourth within the minute: refused until the minute that began at T0 ends */
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0 + 20, &wait), 1);
    ck_assert_int_eq(wait, 40);
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0 + 59, &wait), 1);
    ck_assert_int_eq(wait, 1);
    /* a new window at its end */
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0 + 60, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(clients_are_counted_apart)
{
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        take(&table, "read:10.0.0.1", &per_minute, T0, &wait);
    }
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0, &wait), 1);
    ck_assert_int_gt(wait, 0);
    ck_assert_int_eq(take(&table, "read:10.0.0.2", &per_minute, T0, &wait), 1);
    ck_assert_int_eq(wait, 0);
    ck_assert_int_eq(take(&table, "hold:10.0.0.1", &per_minute, T0, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_client_whose_places_are_all_taken_is_left_to_the_caller)
{
    char key[32];
    apr_int64_t wait = -1;
    int counted = 0;
    for (int i = 0; counted < KF_RL_TABLE_PROBES && i < 64; i++) {
        snprintf(key, sizeof(key), "read:10.0.1.%d", i);
        counted += take(&small, key, &per_minute, T0, &wait);
    }
    ck_assert_int_eq(counted, KF_RL_TABLE_PROBES);
    ck_assert_int_eq(take(&small, "read:192.0.2.7", &per_minute, T0 + 1, &wait), 0);
    /* once their windows end, their places are free again */
    ck_assert_int_eq(take(&small, "read:192.0.2.7", &per_minute, T0 + 60, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_short_window_never_takes_a_live_longer_one)
{
    char key[32];
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(take(&small, "hold:10.0.0.1", &per_10_minutes, T0, &wait), 1);
    }
    /* a minute later: the hold's window has 9 minutes to run, whatever a read's minute says */
    for (int i = 0; i < 2 * KF_RL_TABLE_PROBES; i++) {
        snprintf(key, sizeof(key), "read:10.0.2.%d", i);
        take(&small, key, &per_minute, T0 + 61, &wait);
    }
    ck_assert_int_eq(take(&small, "hold:10.0.0.1", &per_10_minutes, T0 + 62, &wait), 1);
    ck_assert_int_eq(wait, 538);
    /* and its place is free once those 10 minutes are over */
    ck_assert_int_eq(take(&small, "hold:10.0.0.1", &per_10_minutes, T0 + 600, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_short_window_sharing_a_longer_ones_print_counts_in_it_until_its_end)
{
    /* a read key whose hash agrees with the hold's in the 16 bits a place keeps: with the
     * hold's window full, it is refused until that window's end instead of restarting it */
    char key[32];
    apr_int64_t wait = -1;
    int found = 0;
    for (unsigned int i = 0; !found && i < (1u << 22); i++) {
        kf_rl_table_init(&small, memory, KF_RL_TABLE_PROBES, secret);
        for (int n = 0; n < 3; n++) {
            take(&small, "hold:10.0.0.1", &per_10_minutes, T0, &wait);
        }
        snprintf(key, sizeof(key), "read:10.%u.%u.%u", i >> 16, (i >> 8) & 0xff, i & 0xff);
        found = take(&small, key, &per_minute, T0 + 61, &wait) == 1 && wait > 0;
    }
    ck_assert_msg(found, "no read key shares the hold's print");
    ck_assert_int_eq(wait, 539);
    ck_assert_int_eq(take(&small, "hold:10.0.0.1", &per_10_minutes, T0 + 62, &wait), 1);
    ck_assert_int_eq(wait, 538);
}
END_TEST

/* Keys that whoever knows the secret can make fall on the victim's home place. */
static int aimed_keys(const unsigned char *known, const char *victim, char keys[][32], int n)
{
    apr_uint64_t home = kf_siphash24(known, victim, strlen(victim)) & 63;
    int found = 0;
    for (unsigned int i = 0; found < n && i < (1u << 20); i++) {
        snprintf(keys[found], 32, "read:10.%u.%u.%u", i >> 16, (i >> 8) & 0xff, i & 0xff);
        found += (kf_siphash24(known, keys[found], strlen(keys[found])) & 63) == home;
    }
    return found;
}

START_TEST(keys_aimed_without_the_secret_miss)
{
    char keys[KF_RL_TABLE_PROBES][32];
    apr_int64_t wait = -1;
    ck_assert_int_eq(aimed_keys(secret, "read:192.0.2.7", keys, KF_RL_TABLE_PROBES),
                     KF_RL_TABLE_PROBES);
    /* aimed with the table's own secret, they take every place the victim looks at */
    for (int i = 0; i < KF_RL_TABLE_PROBES; i++) {
        ck_assert_int_eq(take(&table, keys[i], &per_minute, T0, &wait), 1);
    }
    ck_assert_int_eq(take(&table, "read:192.0.2.7", &per_minute, T0, &wait), 0);
    /* a table of another secret (another server start) places them elsewhere */
    kf_rl_table_init(&table, memory, 64, other_secret);
    for (int i = 0; i < KF_RL_TABLE_PROBES; i++) {
        ck_assert_int_eq(take(&table, keys[i], &per_minute, T0, &wait), 1);
    }
    ck_assert_int_eq(take(&table, "read:192.0.2.7", &per_minute, T0, &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(a_clock_gone_back_keeps_a_window_to_its_end_at_most_the_longest_window)
{
    apr_int64_t wait = -1;
    for (int i = 0; i < 3; i++) {
        take(&table, "read:10.0.0.1", &per_minute, T0, &wait);
    }
    /* 5 seconds back: the window still ends at T0 + 60, 65 seconds away now */
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0 - 5, &wait), 1);
    ck_assert_int_eq(wait, 65);
    /* further back than any window reaches: that window is over */
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &per_minute, T0 - KF_RL_TABLE_WINDOW_MAX,
                          &wait), 1);
    ck_assert_int_eq(wait, 0);
}
END_TEST

START_TEST(limits_beyond_a_place_are_left_to_the_caller)
{
    apr_int64_t wait = -1;
    const kf_rl_rule huge = {20000000, 60}, none = {0, 60},
                     long_window = {5, KF_RL_TABLE_WINDOW_MAX + 1};
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &huge, T0, &wait), 0);
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &none, T0, &wait), 0);
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &long_window, T0, &wait), 0);
    /* a million a minute (what a benchmark sets) still fits */
    const kf_rl_rule bench = {1000000, 60};
    ck_assert_int_eq(take(&table, "read:10.0.0.1", &bench, T0, &wait), 1);
    ck_assert_int_eq(kf_rl_table_size(64), 64 * sizeof(apr_uint64_t));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rl_table");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, empty, kf_test_teardown);
    tcase_add_test(tc, a_client_gets_its_limit_per_window_then_waits_for_the_next);
    tcase_add_test(tc, a_made_table_counts_and_has_a_secret_of_its_own);
    tcase_add_test(tc, clients_are_counted_apart);
    tcase_add_test(tc, a_client_whose_places_are_all_taken_is_left_to_the_caller);
    tcase_add_test(tc, a_short_window_never_takes_a_live_longer_one);
    tcase_add_test(tc, a_short_window_sharing_a_longer_ones_print_counts_in_it_until_its_end);
    tcase_add_test(tc, keys_aimed_without_the_secret_miss);
    tcase_add_test(tc, a_clock_gone_back_keeps_a_window_to_its_end_at_most_the_longest_window);
    tcase_add_test(tc, limits_beyond_a_place_are_left_to_the_caller);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
