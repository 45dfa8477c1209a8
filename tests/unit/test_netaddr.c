/* Unit suite for lib/net/kf_netaddr.c: which addresses a tenant's callback may reach. */
#include "kf_check.h"
#include "kf_netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static int internal(const char *text)
{
    kf_ipaddr a;
    ck_assert_msg(kf_ipaddr_parse(text, &a), "%s does not parse", text);
    return kf_ipaddr_is_internal(&a);
}

START_TEST(the_servers_own_networks_are_internal)
{
    static const char *const inside[] = {
        "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0",
        "224.0.0.1", "239.255.255.250", "255.255.255.255", "198.18.0.1", "192.0.0.170",
        "::", "::1", "[::1]", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
        "::127.0.0.1", "fec0::1", NULL};
    for (int i = 0; inside[i]; i++) {
        ck_assert_msg(internal(inside[i]), "%s should be internal", inside[i]);
    }
    static const char *const outside[] = {
        "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
        "192.169.0.1", "169.255.0.1", "11.0.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8",
        "64:ff9b::808:808", "2a00:1450::1", NULL};
    for (int i = 0; outside[i]; i++) {
        ck_assert_msg(!internal(outside[i]), "%s should be public", outside[i]);
    }
}
END_TEST

START_TEST(every_spelling_of_loopback_is_caught)
{
    /* what a resolver accepts as a literal address: all 127.0.0.1 */
    static const char *const spellings[] = {"127.1", "2130706433", "0x7f000001", "0177.0.0.1",
                                            "0x7f.0.0.1", "127.0.1", "0x7F.1", NULL};
    for (int i = 0; spellings[i]; i++) {
        kf_ipaddr a;
        ck_assert_msg(kf_ipaddr_parse(spellings[i], &a), "%s", spellings[i]);
        ck_assert_msg(kf_ipaddr_is_internal(&a), "%s", spellings[i]);
        ck_assert_int_eq(kf_outbound_host_ok(NULL, spellings[i]), 0);
    }
    ck_assert_int_eq(kf_outbound_host_ok(NULL, "167772161"), 0);   /* 10.0.0.1 */
    /* names are not addresses: judged when connecting */
    kf_ipaddr a;
    ck_assert_int_eq(kf_ipaddr_parse("localhost", &a), 0);
    ck_assert_int_eq(kf_ipaddr_parse("merchant.example", &a), 0);
    ck_assert_int_eq(kf_ipaddr_parse("127.0.0.1 x", &a), 0);
    ck_assert_int_eq(kf_ipaddr_parse("fe80::1%eth0", &a), 0);
    ck_assert_int_eq(kf_ipaddr_parse("", &a), 0);
    ck_assert_int_eq(kf_ipaddr_parse(NULL, &a), 0);
    ck_assert_int_eq(kf_outbound_host_ok(NULL, "localhost"), 1);
    ck_assert_int_eq(kf_outbound_host_ok(NULL, "8.8.8.8"), 1);
}
END_TEST

START_TEST(socket_addresses)
{
    struct sockaddr_in in = {0};
    in.sin_family = AF_INET;
    inet_pton(AF_INET, "10.9.8.7", &in.sin_addr);
    kf_ipaddr a;
    ck_assert(kf_ipaddr_from_sockaddr((struct sockaddr *)&in, &a));
    ck_assert(kf_ipaddr_is_internal(&a));
    struct sockaddr_in6 in6 = {0};
    in6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::ffff:192.168.0.1", &in6.sin6_addr);
    ck_assert(kf_ipaddr_from_sockaddr((struct sockaddr *)&in6, &a));
    ck_assert(kf_ipaddr_is_internal(&a));
    inet_pton(AF_INET6, "2606:4700::1111", &in6.sin6_addr);
    ck_assert(kf_ipaddr_from_sockaddr((struct sockaddr *)&in6, &a));
    ck_assert(!kf_ipaddr_is_internal(&a));
    struct sockaddr other = {0};
    other.sa_family = AF_UNIX;
    ck_assert(!kf_ipaddr_from_sockaddr(&other, &a));
    ck_assert(!kf_ipaddr_from_sockaddr(NULL, &a));
}
END_TEST

START_TEST(allowed_ranges)
{
    apr_array_header_t *allow = apr_array_make(pool, 2, sizeof(kf_cidr));
    ck_assert_ptr_null(kf_cidr_parse("127.0.0.0/8", apr_array_push(allow)));
    ck_assert_ptr_null(kf_cidr_parse("fd00::/8", apr_array_push(allow)));
    kf_ipaddr a;
    kf_ipaddr_parse("127.0.0.1", &a);
    ck_assert(kf_outbound_address_ok(allow, &a));
    kf_ipaddr_parse("::ffff:127.9.9.9", &a);
    ck_assert(kf_outbound_address_ok(allow, &a));
    kf_ipaddr_parse("fd00::1", &a);
    ck_assert(kf_outbound_address_ok(allow, &a));
    kf_ipaddr_parse("10.0.0.1", &a);
    ck_assert(!kf_outbound_address_ok(allow, &a));
    kf_ipaddr_parse("fe80::1", &a);
    ck_assert(!kf_outbound_address_ok(allow, &a));
    ck_assert(!kf_outbound_address_ok(NULL, &a));
    ck_assert_int_eq(kf_outbound_host_ok(allow, "127.1"), 1);
    ck_assert_int_eq(kf_outbound_host_ok(allow, "[::1]"), 0);

    /* host bits are cleared; a single address is /32 */
    kf_cidr c;
    ck_assert_ptr_null(kf_cidr_parse("10.1.2.3/8", &c));
    apr_array_header_t *one = apr_array_make(pool, 1, sizeof(kf_cidr));
    APR_ARRAY_PUSH(one, kf_cidr) = c;
    kf_ipaddr_parse("10.200.0.1", &a);
    ck_assert(kf_cidr_list_contains(one, &a));
    ck_assert_ptr_null(kf_cidr_parse("192.168.5.5", &c));
    APR_ARRAY_IDX(one, 0, kf_cidr) = c;
    kf_ipaddr_parse("192.168.5.5", &a);
    ck_assert(kf_cidr_list_contains(one, &a));
    kf_ipaddr_parse("192.168.5.6", &a);
    ck_assert(!kf_cidr_list_contains(one, &a));
    ck_assert_ptr_null(kf_cidr_parse("0.0.0.0/0", &c));
    APR_ARRAY_IDX(one, 0, kf_cidr) = c;
    kf_ipaddr_parse("10.0.0.1", &a);
    ck_assert(kf_cidr_list_contains(one, &a));
    kf_ipaddr_parse("::1", &a);
    ck_assert(!kf_cidr_list_contains(one, &a));   /* an IPv4 range holds no IPv6 */

    static const char *const bad[] = {"", "/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/",
                                      "10.0.0.0/8x", "127.1/8", "example.com", "::1/129",
                                      "10.0.0.0/8/8", NULL};
    for (int i = 0; bad[i]; i++) {
        ck_assert_msg(kf_cidr_parse(bad[i], &c) != NULL, "%s", bad[i]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("netaddr");
    TCase *tc = tcase_create("outbound");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_servers_own_networks_are_internal);
    tcase_add_test(tc, every_spelling_of_loopback_is_caught);
    tcase_add_test(tc, socket_addresses);
    tcase_add_test(tc, allowed_ranges);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
