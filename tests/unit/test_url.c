/* Unit tests for lib/core/kf_url.c: URL checks, percent-encoding, trailing slash. */
#include "kf_check.h"
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "kf_url.h"


#define STRICT KF_URL_HTTPS_ONLY
#define LAX KF_URL_ALLOW_HTTP

/* Valid under the policy: the reason is printed when it is not. */
#define OK(url, pol) ck_assert_msg(kf_url_check(pool, (url), (pol)) == NULL, \
                                   "%s: %s", (url), kf_url_check(pool, (url), (pol)))
#define BAD(url, pol, why) do { \
        const char *r_ = kf_url_check(pool, (url), (pol)); \
        ck_assert_msg(r_ != NULL, "%s accepted", (url)); \
        ck_assert_str_eq(r_, (why)); \
    } while (0)

/* ---- kf_url_check ---- */

START_TEST(check_valid_https)
{
    OK("https://example.com", STRICT);
    OK("https://example.com/", STRICT);
    OK("https://shop.example.com/return?status=ok&ref=abc", STRICT);
    OK("https://example.com/a/b/c.html?x=1&y=%20z", STRICT);
    OK("HTTPS://EXAMPLE.COM/Path", STRICT);
    OK("https://example.com.", STRICT);
    OK("https://xn--peluquera-w6a.co/", STRICT);
    OK("https://my-shop.example.com/", STRICT);
    OK("https://localhost/cb", STRICT);
    OK("https://example.com/p;a=b/@x/:y/!$'()*+,~_.-", STRICT);
    OK("https://example.com?only=query", STRICT);
    /* everything valid under HTTPS_ONLY is valid under ALLOW_HTTP */
    OK("https://example.com/", LAX);
}
END_TEST

START_TEST(check_http_policy)
{
    BAD("http://example.com/", STRICT, "scheme must be https");
    BAD("HTTP://example.com/", STRICT, "scheme must be https");
    OK("http://example.com/", LAX);
    OK("http://localhost:8080/callback", LAX);
    OK("http://127.0.0.1:9000/cb", LAX);
}
END_TEST

START_TEST(check_other_schemes)
{
    BAD("ftp://example.com/file", STRICT, "scheme must be https");
    BAD("ftp://example.com/file", LAX, "scheme must be http or https");
    BAD("javascript:alert(1)", STRICT, "scheme must be https");
    BAD("javascript:alert(1)", LAX, "scheme must be http or https");
    BAD("data:text/html,hi", LAX, "scheme must be http or https");
    BAD("httpss://example.com/", STRICT, "scheme must be https");
    BAD("https+x://example.com/", STRICT, "scheme must be https");
}
END_TEST

START_TEST(check_not_absolute)
{
    BAD("/return", STRICT, "URL must be absolute (scheme://host)");
    BAD("example.com/return", STRICT, "URL must be absolute (scheme://host)");
    BAD("//example.com/return", STRICT, "URL must be absolute (scheme://host)");
    BAD("?status=ok", STRICT, "URL must be absolute (scheme://host)");
    BAD("https:example.com", STRICT, "URL must be absolute (scheme://host)");
    BAD("https:/example.com", STRICT, "URL must be absolute (scheme://host)");
    BAD("https:", STRICT, "URL must be absolute (scheme://host)");
    BAD("1https://example.com", STRICT, "URL must be absolute (scheme://host)");
    BAD("", STRICT, "URL is empty");
    ck_assert_str_eq(kf_url_check(pool, NULL, LAX), "URL is empty");
}
END_TEST

START_TEST(check_missing_host)
{
    BAD("https://", STRICT, "URL has no host");
    BAD("https:///path", STRICT, "URL has no host");
    BAD("https://:443/", STRICT, "URL has no host");
    BAD("https://?q=1", STRICT, "URL has no host");
    BAD("https://#x", STRICT, "URL has no host");
}
END_TEST

START_TEST(check_bad_host)
{
    BAD("https://exa_mple.com/", STRICT, "host is not a valid DNS name");
    BAD("https://-example.com/", STRICT, "host is not a valid DNS name");
    BAD("https://example-.com/", STRICT, "host is not a valid DNS name");
    BAD("https://example..com/", STRICT, "host is not a valid DNS name");
    BAD("https://.example.com/", STRICT, "host is not a valid DNS name");
    BAD("https://exa%6dple.com/", STRICT, "host is not a valid DNS name");
    BAD("https://a[b]/", STRICT, "host is not a valid DNS name");
    char label64[128];
    memset(label64, 'a', 64);
    label64[64] = '\0';
    BAD(apr_pstrcat(pool, "https://", label64, ".com/", NULL), STRICT,
        "host is not a valid DNS name");
    label64[63] = '\0';
    OK(apr_pstrcat(pool, "https://", label64, ".com/", NULL), STRICT);
}
END_TEST

START_TEST(check_ipv4)
{
    OK("https://192.168.1.10/", STRICT);
    OK("https://10.0.0.1:8443/cb", STRICT);
    BAD("https://256.1.1.1/", STRICT, "host is not a valid IPv4 address");
    BAD("https://1.2.3/", STRICT, "host is not a valid IPv4 address");
    BAD("https://1.2.3.4.5/", STRICT, "host is not a valid IPv4 address");
    BAD("https://2130706433/", STRICT, "host is not a valid IPv4 address");
    BAD("https://example.123/", STRICT, "host is not a valid IPv4 address");
}
END_TEST

START_TEST(check_ipv6)
{
    OK("https://[::1]/", STRICT);
    OK("https://[::1]:8443/cb", STRICT);
    OK("https://[2001:db8::a:1]/x?y=1", STRICT);
    OK("http://[::ffff:192.0.2.1]/", LAX);
    BAD("https://[::1/", STRICT, "host is not a valid IPv6 address");
    BAD("https://[]/", STRICT, "host is not a valid IPv6 address");
    BAD("https://[example.com]/", STRICT, "host is not a valid IPv6 address");
    BAD("https://[2001:db8::g]/", STRICT, "host is not a valid IPv6 address");
    BAD("https://[::1]x/", STRICT, "host is not a valid IPv6 address");
    BAD("https://[fe80::1%25eth0]/", STRICT, "host is not a valid IPv6 address");
    /* unbracketed IPv6 reads as the numeric host "2001" */
    BAD("https://2001:db8::1/", STRICT, "host is not a valid IPv4 address");
}
END_TEST

START_TEST(check_ports)
{
    OK("https://example.com:443/", STRICT);
    OK("https://example.com:1/", STRICT);
    OK("https://example.com:65535/", STRICT);
    OK("https://example.com:8443", STRICT);
    OK("https://example.com:08443/", STRICT);
    BAD("https://example.com:0/", STRICT, "port must be 1..65535");
    BAD("https://example.com:65536/", STRICT, "port must be 1..65535");
    BAD("https://example.com:99999/", STRICT, "port must be 1..65535");
    BAD("https://example.com:100000/", STRICT, "port must be 1..65535");
    BAD("https://example.com:/", STRICT, "port must be 1..65535");
    BAD("https://example.com:http/", STRICT, "port must be 1..65535");
    BAD("https://example.com:-1/", STRICT, "port must be 1..65535");
    BAD("https://example.com:44:3/", STRICT, "port must be 1..65535");
}
END_TEST

START_TEST(check_userinfo)
{
    BAD("https://user@example.com/", STRICT, "userinfo is not allowed");
    BAD("https://user:pass@example.com/", STRICT, "userinfo is not allowed");
    BAD("https://example.com@evil.com/", STRICT, "userinfo is not allowed");
    BAD("https://@example.com/", STRICT, "userinfo is not allowed");
    /* '@' after the authority is path, not userinfo */
    OK("https://example.com/@user", STRICT);
}
END_TEST

START_TEST(check_whitespace_control)
{
    const char *why = "URL contains whitespace or control characters";
    BAD("https://example.com/a b", STRICT, why);
    BAD(" https://example.com/", STRICT, why);
    BAD("https://example.com/ ", STRICT, why);
    BAD("https://exa mple.com/", STRICT, why);
    BAD("https://example.com/\tx", STRICT, why);
    BAD("https://example.com/\r\nSet-Cookie: x=1", STRICT, why);
    BAD("https://example.com/\x01", STRICT, why);
    BAD("https://example.com/\x7f", STRICT, why);
    BAD("https://example.com/ñ", STRICT, "URL contains non-ASCII characters (percent-encode them)");
    BAD("https://peluquería.co/", STRICT, "URL contains non-ASCII characters (percent-encode them)");
    OK("https://example.com/%C3%B1", STRICT);
}
END_TEST

START_TEST(check_fragment)
{
    BAD("https://example.com/#top", STRICT, "fragment is not allowed");
    BAD("https://example.com/page?x=1#top", STRICT, "fragment is not allowed");
    BAD("https://example.com#", STRICT, "fragment is not allowed");
    BAD("https://example.com:8443#x", STRICT, "fragment is not allowed");
}
END_TEST

START_TEST(check_path_chars)
{
    const char *why = "URL contains characters that must be percent-encoded";
    BAD("https://example.com/<script>", STRICT, why);
    BAD("https://example.com/a\"b", STRICT, why);
    BAD("https://example.com/a\\b", STRICT, why);
    BAD("https://example.com/{x}", STRICT, why);
    BAD("https://example.com/a|b", STRICT, why);
    BAD("https://example.com/a^b", STRICT, why);
    BAD("https://example.com/a`b", STRICT, why);
    BAD("https://example.com/a[b]", STRICT, why);
    BAD("https://example.com/100%", STRICT, "bad percent-encoding");
    BAD("https://example.com/%2", STRICT, "bad percent-encoding");
    BAD("https://example.com/%zz", STRICT, "bad percent-encoding");
    OK("https://example.com/%2F%2f", STRICT);
}
END_TEST

START_TEST(check_length)
{
    const char *prefix = "https://example.com/";
    apr_size_t pl = strlen(prefix);
    char *u = apr_palloc(pool, 2050 + 1);

    memcpy(u, prefix, pl);
    memset(u + pl, 'a', 2048 - pl);
    u[2048] = '\0';
    OK(u, STRICT);                              /* exactly 2048 bytes */
    u[2048] = 'a';
    u[2049] = '\0';
    BAD(u, STRICT, "URL is longer than 2048 bytes");
    u[2049] = 'a';
    u[2050] = '\0';
    BAD(u, STRICT, "URL is longer than 2048 bytes");
}
END_TEST

/* ---- kf_url_encode ---- */

START_TEST(encode_reserved)
{
    ck_assert_str_eq(kf_url_encode(pool, "a b"), "a%20b");
    ck_assert_str_eq(kf_url_encode(pool, "a&b=c"), "a%26b%3Dc");
    ck_assert_str_eq(kf_url_encode(pool, "https://x.co/a?b#c"),
                     "https%3A%2F%2Fx.co%2Fa%3Fb%23c");
    ck_assert_str_eq(kf_url_encode(pool, "+%@!*'();$,[]"),
                     "%2B%25%40%21%2A%27%28%29%3B%24%2C%5B%5D");
    ck_assert_str_eq(kf_url_encode(pool, "\n\x7f"), "%0A%7F");
}
END_TEST

START_TEST(encode_utf8)
{
    ck_assert_str_eq(kf_url_encode(pool, "ñ"), "%C3%B1");
    ck_assert_str_eq(kf_url_encode(pool, "José Pérez"), "Jos%C3%A9%20P%C3%A9rez");
    ck_assert_str_eq(kf_url_encode(pool, "😀"), "%F0%9F%98%80");
    ck_assert_str_eq(kf_url_encode(pool, "\xff"), "%FF");
}
END_TEST

START_TEST(encode_unreserved)
{
    const char *u = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    ck_assert_str_eq(kf_url_encode(pool, u), u);
    ck_assert_str_eq(kf_url_encode(pool, ""), "");
    ck_assert_str_eq(kf_url_encode(pool, NULL), "");
    /* the result is a new string in the pool */
    ck_assert_ptr_ne(kf_url_encode(pool, u), u);
}
END_TEST

/* ---- kf_url_trim_slash ---- */

START_TEST(trim_slash)
{
    const char *in = "https://x.co/";
    ck_assert_str_eq(kf_url_trim_slash(pool, in), "https://x.co");
    ck_assert_str_eq(in, "https://x.co/");     /* input untouched */
    ck_assert_str_eq(kf_url_trim_slash(pool, "https://x.co"), "https://x.co");
    ck_assert_str_eq(kf_url_trim_slash(pool, "https://x.co//"), "https://x.co/");
    ck_assert_str_eq(kf_url_trim_slash(pool, "https://x.co/api/"), "https://x.co/api");
    ck_assert_str_eq(kf_url_trim_slash(pool, "https://x.co/?a=/"), "https://x.co/?a=");
    ck_assert_str_eq(kf_url_trim_slash(pool, "/"), "");
    ck_assert_str_eq(kf_url_trim_slash(pool, ""), "");
    ck_assert_ptr_null(kf_url_trim_slash(pool, NULL));
    ck_assert_str_eq(apr_pstrcat(pool, kf_url_trim_slash(pool, "https://x.co/"), "/path", NULL),
                     "https://x.co/path");
}
END_TEST

START_TEST(url_host)
{
    ck_assert_str_eq(kf_url_host(pool, "https://[::1]:8443/x"), "[::1]");
    ck_assert_str_eq(kf_url_host(pool, "http://Example.com:80"), "Example.com");
    ck_assert_str_eq(kf_url_host(pool, "http://0x7f000001/cb?x=1"), "0x7f000001");
    ck_assert_str_eq(kf_url_host(pool, "https://u:p@10.0.0.1/"), "10.0.0.1");
    ck_assert_str_eq(kf_url_host(pool, "https://shop.example#f"), "shop.example");
    ck_assert_ptr_null(kf_url_host(pool, "shop.example/x"));
    ck_assert_ptr_null(kf_url_host(pool, NULL));
}
END_TEST

START_TEST(path_for_log_hides_invitations)
{
    ck_assert_str_eq(kf_url_path_for_log(pool, "/connect-calendar/AbC_123-xyz"), "/connect-calendar/***");
    ck_assert_str_eq(kf_url_path_for_log(pool, "/api/public/invitations/AbC_123"),
                     "/api/public/invitations/***");
    ck_assert_str_eq(kf_url_path_for_log(pool, "/api/public/invitations/AbC_123/calcom"),
                     "/api/public/invitations/***/calcom");
    /* the rest as it is */
    ck_assert_str_eq(kf_url_path_for_log(pool, "/book/manage/123e4567-e89b-12d3-a456-426614174000"),
                     "/book/manage/123e4567-e89b-12d3-a456-426614174000");
    ck_assert_str_eq(kf_url_path_for_log(pool, "/connect-calendar/"), "/connect-calendar/");
    ck_assert_str_eq(kf_url_path_for_log(pool, "/api/health"), "/api/health");
    ck_assert_str_eq(kf_url_path_for_log(pool, NULL), "-");
}
END_TEST

static Suite *url_suite(void)
{
    Suite *s = suite_create("url");
    TCase *tc = tcase_create("check");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, path_for_log_hides_invitations);
    tcase_add_test(tc, check_valid_https);
    tcase_add_test(tc, check_http_policy);
    tcase_add_test(tc, check_other_schemes);
    tcase_add_test(tc, check_not_absolute);
    tcase_add_test(tc, check_missing_host);
    tcase_add_test(tc, check_bad_host);
    tcase_add_test(tc, check_ipv4);
    tcase_add_test(tc, check_ipv6);
    tcase_add_test(tc, check_ports);
    tcase_add_test(tc, check_userinfo);
    tcase_add_test(tc, check_whitespace_control);
    tcase_add_test(tc, check_fragment);
    tcase_add_test(tc, check_path_chars);
    tcase_add_test(tc, check_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("encode");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, encode_reserved);
    tcase_add_test(tc, encode_utf8);
    tcase_add_test(tc, encode_unreserved);
    tcase_add_test(tc, trim_slash);
    tcase_add_test(tc, url_host);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(url_suite());
}
