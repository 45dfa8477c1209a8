/* Unit tests for lib/net/kf_origin.c: which requests are cross-site. */
#include "kf_check.h"
#include "kf_origin.h"

#define PUBLIC "https://example.com"

static int cross(const char *origin, const char *site, const char *host, const char *scheme)
{
    return kf_request_cross_site(origin, site, host, scheme, PUBLIC);
}

START_TEST(a_page_of_the_same_host_is_not_cross_site)
{
    ck_assert(!cross("https://acme.example.com", "same-origin", "acme.example.com", "https"));
    ck_assert(!cross("https://ACME.example.com", NULL, "acme.example.com.", "https"));
    ck_assert(!cross("https://acme.example.com:443", NULL, "acme.example.com", "https"));
    ck_assert(!cross("https://acme.example.com", NULL, "acme.example.com:443", "https"));
    ck_assert(!cross("http://acme.localhost:41215", NULL, "acme.localhost:41215", "http"));
    ck_assert(!cross("http://[::1]:8080", NULL, "[::1]:8080", "http"));
    /* behind a proxy that ends TLS: the request came over http, the page is the public
     * URL's https */
    ck_assert(!cross("https://acme.example.com", NULL, "acme.example.com", "http"));
    ck_assert(!cross("https://reservas.clinica.co", NULL, "reservas.clinica.co", "http"));
}
END_TEST

START_TEST(no_page_is_not_cross_site)
{
    /* a mail provider's one-click POST, a script: neither header */
    ck_assert(!cross(NULL, NULL, "acme.example.com", "https"));
    ck_assert(!cross(NULL, "none", "acme.example.com", "https"));
    ck_assert(!cross(NULL, "same-site", "acme.example.com", "https"));
}
END_TEST

START_TEST(another_site_is_cross_site)
{
    ck_assert(cross(NULL, "cross-site", "acme.example.com", "https"));
    ck_assert(cross(NULL, "Cross-Site", "acme.example.com", "https"));
    ck_assert(cross("https://acme.example.com", "cross-site", "acme.example.com", "https"));
    ck_assert(cross("https://evil.example", NULL, "acme.example.com", "https"));
    /* a sibling tenant's page: same site to the browser, another origin */
    ck_assert(cross("https://other.example.com", "same-site", "acme.example.com", "https"));
    ck_assert(cross("https://example.com", NULL, "acme.example.com", "https"));
    ck_assert(cross("https://acme.example.com.evil.example", NULL, "acme.example.com", "https"));
    /* another port or scheme than this request's and the public URL's */
    ck_assert(cross("https://acme.example.com:8443", NULL, "acme.example.com", "https"));
    ck_assert(cross("http://acme.example.com", NULL, "acme.example.com", "https"));
    ck_assert(cross("ftp://acme.example.com", NULL, "acme.example.com", "https"));
    /* what is no origin of this host */
    ck_assert(cross("null", NULL, "acme.example.com", "https"));
    ck_assert(cross("", NULL, "acme.example.com", "https"));
    ck_assert(cross("https://", NULL, "acme.example.com", "https"));
    ck_assert(cross("https://acme.example.com/", NULL, "acme.example.com", "https"));
    ck_assert(cross("https://acme.example.com:", NULL, "acme.example.com", "https"));
    ck_assert(cross("https://acme.example.com:99999", NULL, "acme.example.com:99999", "https"));
    ck_assert(cross("https://acme.example.com:x", NULL, "acme.example.com", "https"));
    /* no Host to compare with */
    ck_assert(cross("https://acme.example.com", NULL, NULL, "https"));
    ck_assert(cross("https://acme.example.com", NULL, "", "https"));
    /* no public URL: only the request's own scheme */
    ck_assert(kf_request_cross_site("https://acme.example.com", NULL, "acme.example.com", "http",
                                    NULL));
    ck_assert(!kf_request_cross_site("http://acme.example.com", NULL, "acme.example.com", "http",
                                     NULL));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("origin");
    TCase *tc = tcase_create("cross_site");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_page_of_the_same_host_is_not_cross_site);
    tcase_add_test(tc, no_page_is_not_cross_site);
    tcase_add_test(tc, another_site_is_cross_site);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
