/* Unit tests for the kinds of lib/net/kf_ratelimit.c: which window each limit counts in,
 * and that every kind and account has a counter of its own. */
#include "kf_check.h"
#include "kf_ratelimit.h"

#include <string.h>

static const kf_rl_limits limits = {5, 30, 900, 120, 10, 20, 40};

START_TEST(each_kind_counts_its_limit_in_its_window)
{
    kf_rl_rule r = kf_rl_rule_of(KF_RL_AUTH_ACCOUNT, &limits);
    ck_assert_uint_eq(r.limit, 5);
    ck_assert_int_eq(r.window, 900);
    r = kf_rl_rule_of(KF_RL_AUTH_IP, &limits);
    ck_assert_uint_eq(r.limit, 30);
    ck_assert_int_eq(r.window, 900);
    r = kf_rl_rule_of(KF_RL_PUBLIC_READ, &limits);
    ck_assert_uint_eq(r.limit, 120);
    ck_assert_int_eq(r.window, 60);
    r = kf_rl_rule_of(KF_RL_PUBLIC_HOLD, &limits);
    ck_assert_uint_eq(r.limit, 10);
    ck_assert_int_eq(r.window, 600);
    r = kf_rl_rule_of(KF_RL_PUBLIC_BOOKING, &limits);
    ck_assert_uint_eq(r.limit, 20);
    ck_assert_int_eq(r.window, 600);
    r = kf_rl_rule_of(KF_RL_BAD_WEBHOOK, &limits);
    ck_assert_uint_eq(r.limit, 40);
    ck_assert_int_eq(r.window, 60);
    r = kf_rl_rule_of(KF_RL_CALLBACK_TEST, &limits);
    ck_assert_uint_eq(r.limit, 10);
    ck_assert_int_eq(r.window, 60);
    r = kf_rl_rule_of(KF_RL_PAYMENT_LOOKUP, &limits);
    ck_assert_uint_eq(r.limit, 1);
    ck_assert_int_eq(r.window, 10);
}
END_TEST

/* A tenant's eleventh test callback within a minute waits for the minute's end; the next
 * minute admits ten again. */
START_TEST(a_tenant_sends_ten_test_callbacks_a_minute)
{
    kf_rl_rule rule = kf_rl_rule_of(KF_RL_CALLBACK_TEST, &limits);
    const kf_rl_rule *rp[] = {&rule};
    kf_rl_bucket b = {0, 0};
    kf_rl_bucket *bp[] = {&b};
    apr_int64_t now = 1800000000;
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(kf_rl_take(bp, rp, 1, now + i), 0);
    }
    ck_assert_int_eq(kf_rl_take(bp, rp, 1, now + 15), 45);
    ck_assert_int_eq(kf_rl_take(bp, rp, 1, now + 60), 0);
}
END_TEST

/* One provider look-up per booking in ten seconds: a reload 3 s later is not one. */
START_TEST(a_booking_is_looked_up_once_in_ten_seconds)
{
    kf_rl_rule rule = kf_rl_rule_of(KF_RL_PAYMENT_LOOKUP, &limits);
    const kf_rl_rule *rp[] = {&rule};
    kf_rl_bucket b = {0, 0};
    kf_rl_bucket *bp[] = {&b};
    apr_int64_t now = 1800000000;
    ck_assert_int_eq(kf_rl_take(bp, rp, 1, now), 0);
    ck_assert_int_eq(kf_rl_take(bp, rp, 1, now + 3), 7);
    ck_assert_int_eq(kf_rl_take(bp, rp, 1, now + 10), 0);
}
END_TEST

START_TEST(tenants_and_bookings_have_counters_of_their_own)
{
    const char *id = "0b6f1c2e-4d0a-4b8e-9f3a-2c1d5e6f7a8b";
    ck_assert_str_eq(kf_rl_subject_key(pool, KF_RL_CALLBACK_TEST, id),
                     "cbtest:0b6f1c2e-4d0a-4b8e-9f3a-2c1d5e6f7a8b");
    ck_assert_str_eq(kf_rl_subject_key(pool, KF_RL_PAYMENT_LOOKUP, id),
                     "lookup:0b6f1c2e-4d0a-4b8e-9f3a-2c1d5e6f7a8b");
}
END_TEST

START_TEST(counters_of_different_kinds_or_addresses_are_apart)
{
    const char *ip = "203.0.113.7";
    const char *keys[] = {kf_rl_client_key(pool, KF_RL_AUTH_IP, ip),
                          kf_rl_client_key(pool, KF_RL_PUBLIC_READ, ip),
                          kf_rl_client_key(pool, KF_RL_PUBLIC_HOLD, ip),
                          kf_rl_client_key(pool, KF_RL_PUBLIC_BOOKING, ip),
                          kf_rl_client_key(pool, KF_RL_BAD_WEBHOOK, ip),
                          kf_rl_client_key(pool, KF_RL_PUBLIC_READ, "203.0.113.8")};
    for (int i = 0; i < 6; i++) {
        for (int j = i + 1; j < 6; j++) {
            ck_assert_str_ne(keys[i], keys[j]);
        }
    }
    ck_assert_str_eq(keys[1], "read:203.0.113.7");
}
END_TEST

START_TEST(an_account_counter_names_no_address)
{
    const char *login = kf_rl_account_key(pool, "login", "ana@example.com");
    ck_assert_ptr_null(strstr(login, "ana"));
    ck_assert_int_eq(strncmp(login, "acct:login:", 11), 0);
    ck_assert_uint_eq(strlen(login), 11 + 64);
    ck_assert_str_ne(login, kf_rl_account_key(pool, "forgot", "ana@example.com"));
    ck_assert_str_ne(login, kf_rl_account_key(pool, "login", "bea@example.com"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, each_kind_counts_its_limit_in_its_window);
    tcase_add_test(tc, a_tenant_sends_ten_test_callbacks_a_minute);
    tcase_add_test(tc, a_booking_is_looked_up_once_in_ten_seconds);
    tcase_add_test(tc, tenants_and_bookings_have_counters_of_their_own);
    tcase_add_test(tc, counters_of_different_kinds_or_addresses_are_apart);
    tcase_add_test(tc, an_account_counter_names_no_address);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
