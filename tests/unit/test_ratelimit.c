/* Unit tests for the kinds of lib/net/kf_ratelimit.c: which window each limit counts in,
 * and that every kind and account has a counter of its own. */
#include "kf_check.h"
#include "kf_ratelimit.h"

#include <string.h>

static const kf_rl_limits limits = {5, 30, 900, 120, 10, 20, 40, 50, 60, 30};

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
    r = kf_rl_rule_of(KF_RL_AUTH_ACCOUNT_CEILING, &limits);
    ck_assert_uint_eq(r.limit, 50);
    ck_assert_int_eq(r.window, 900);
    r = kf_rl_rule_of(KF_RL_UNKNOWN_HOST, &limits);
    ck_assert_uint_eq(r.limit, 60);
    ck_assert_int_eq(r.window, 60);
    r = kf_rl_rule_of(KF_RL_OAUTH_START, &limits);
    ck_assert_uint_eq(r.limit, 30);
    ck_assert_int_eq(r.window, 600);
    /* one notice of a lock per account and auth window */
    r = kf_rl_rule_of(KF_RL_LOCK_NOTICE, &limits);
    ck_assert_uint_eq(r.limit, 1);
    ck_assert_int_eq(r.window, 900);
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

START_TEST(only_the_auth_limits_fail_closed)
{
    ck_assert_int_eq(kf_rl_fails_closed(KF_RL_AUTH_ACCOUNT), 1);
    ck_assert_int_eq(kf_rl_fails_closed(KF_RL_AUTH_ACCOUNT_CEILING), 1);
    ck_assert_int_eq(kf_rl_fails_closed(KF_RL_AUTH_IP), 1);
    const kf_rl_kind open[] = {KF_RL_PUBLIC_READ, KF_RL_PUBLIC_HOLD, KF_RL_PUBLIC_BOOKING,
                               KF_RL_BAD_WEBHOOK, KF_RL_UNKNOWN_HOST, KF_RL_OAUTH_START,
                               KF_RL_LOCK_NOTICE};
    for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
        ck_assert_int_eq(kf_rl_fails_closed(open[i]), 0);
    }
}
END_TEST

START_TEST(an_ipv4_client_is_its_address_however_written)
{
    ck_assert_str_eq(kf_rl_client_network(pool, "203.0.113.7", 64), "203.0.113.7");
    ck_assert_str_eq(kf_rl_client_network(pool, "::ffff:203.0.113.7", 64), "203.0.113.7");
    ck_assert_str_eq(kf_rl_client_network(pool, "::FFFF:cb00:7107", 64), "203.0.113.7");
    ck_assert_str_eq(kf_rl_client_network(pool, "::ffff:203.0.113.7", 1), "203.0.113.7");
    ck_assert_str_ne(kf_rl_client_network(pool, "203.0.113.8", 64), "203.0.113.7");
}
END_TEST

START_TEST(an_ipv6_client_is_its_network)
{
    /* every address of one /64 is one client */
    const char *a = kf_rl_client_network(pool, "2001:db8:1:2::a", 64);
    ck_assert_str_eq(a, "2001:db8:1:2::/64");
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:2:ffff:ffff:ffff:ffff", 64), a);
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:0DB8:0001:0002:0:0:0:1", 64), a);
    ck_assert_str_eq(kf_rl_client_network(pool, "[2001:db8:1:2::b]", 64), a);
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:2::c%eth0", 64), a);
    /* the next /64 is another */
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:3::a", 64), "2001:db8:1:3::/64");
    /* the prefix is the operator's: /56 joins them, /128 is the address, odd ones cut bits */
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:2::a", 56), "2001:db8:1::/56");
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:3ff::a", 56), "2001:db8:1:300::/56");
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:2::a", 128), "2001:db8:1:2::a/128");
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:2::a", 200), "2001:db8:1:2::a/128");
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:2::a", 63), "2001:db8:1:2::/63");
    ck_assert_str_eq(kf_rl_client_network(pool, "2001:db8:1:3::a", 63), "2001:db8:1:2::/63");
    ck_assert_str_eq(kf_rl_client_network(pool, "ffff::1", 1), "8000::/1");
    ck_assert_str_eq(kf_rl_client_network(pool, "::1", 64), "::/64");
}
END_TEST

START_TEST(a_text_that_is_no_address_is_kept)
{
    ck_assert_str_eq(kf_rl_client_network(pool, "unix-socket", 64), "unix-socket");
    ck_assert_str_eq(kf_rl_client_network(pool, "", 64), "");
    ck_assert_str_eq(kf_rl_client_network(pool, NULL, 64), "");
}
END_TEST

START_TEST(an_accounts_failures_count_per_network)
{
    const char *a = kf_rl_account_network_key(pool, "login", "ana@example.com", "203.0.113.7");
    const char *b = kf_rl_account_network_key(pool, "login", "ana@example.com", "203.0.113.8");
    ck_assert_str_ne(a, b);
    ck_assert_str_ne(a, kf_rl_account_key(pool, "login", "ana@example.com"));
    ck_assert_ptr_null(strstr(a, "ana"));
    ck_assert_str_ne(a, kf_rl_account_network_key(pool, "login", "bea@example.com",
                                                  "203.0.113.7"));
    /* the ceiling and the lock notice are the account's, one each */
    ck_assert_str_ne(kf_rl_account_key(pool, "locked", "ana@example.com"),
                     kf_rl_account_key(pool, "login", "ana@example.com"));
}
END_TEST

START_TEST(an_unknown_host_and_a_client_network_are_apart)
{
    const char *host = kf_rl_unknown_host_key(pool, "nadie.example");
    ck_assert_int_eq(strncmp(host, "nohost:", 7), 0);
    ck_assert_uint_eq(strlen(host), 7 + 64);
    ck_assert_str_ne(host, kf_rl_unknown_host_key(pool, "nadie.example.co"));
    /* the longest host name makes a key a memcache server takes (at most 250 bytes) */
    char longest[254];
    memset(longest, 'a', 253);
    longest[253] = '\0';
    ck_assert_uint_le(strlen(kf_rl_unknown_host_key(pool, longest)), 250);
    ck_assert_str_ne(kf_rl_client_key(pool, KF_RL_UNKNOWN_HOST, "nadie.example"),
                     kf_rl_unknown_host_key(pool, "nadie.example"));
    ck_assert_str_ne(kf_rl_client_key(pool, KF_RL_OAUTH_START, "203.0.113.7"),
                     kf_rl_client_key(pool, KF_RL_AUTH_IP, "203.0.113.7"));
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
    tcase_add_test(tc, only_the_auth_limits_fail_closed);
    tcase_add_test(tc, an_ipv4_client_is_its_address_however_written);
    tcase_add_test(tc, an_ipv6_client_is_its_network);
    tcase_add_test(tc, a_text_that_is_no_address_is_kept);
    tcase_add_test(tc, an_accounts_failures_count_per_network);
    tcase_add_test(tc, an_unknown_host_and_a_client_network_are_apart);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
