/* Unit tests for lib/kf_host.c: which tenant a Host header selects. */
#include "kf_check.h"
#include "kf_host.h"

#include <string.h>

static kf_host_kind classify(const char *host, const char **sub)
{
    return kf_host_classify(pool, host, "example.com", sub);
}

START_TEST(platform_host)
{
    const char *sub = "x";
    ck_assert_int_eq(classify("example.com", &sub), KF_HOST_PLATFORM);
    ck_assert_ptr_null(sub);
    ck_assert_int_eq(classify("EXAMPLE.com:8443", &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify("example.com.", &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify("example.com.:80", &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify(NULL, &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify("", &sub), KF_HOST_PLATFORM);
}
END_TEST

START_TEST(other_hosts_are_the_platform)
{
    const char *sub = NULL;
    ck_assert_int_eq(classify("127.0.0.1:8080", &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify("[::1]:8080", &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify("reservas.clinica.co", &sub), KF_HOST_PLATFORM);
    /* a suffix that is not a label boundary is another domain */
    ck_assert_int_eq(classify("acmeexample.com", &sub), KF_HOST_PLATFORM);
    ck_assert_int_eq(classify("example.com.evil.net", &sub), KF_HOST_PLATFORM);
    ck_assert_ptr_null(sub);
}
END_TEST

START_TEST(tenant_hosts)
{
    const char *sub = NULL;
    ck_assert_int_eq(classify("acme.example.com", &sub), KF_HOST_TENANT);
    ck_assert_str_eq(sub, "acme");
    ck_assert_int_eq(classify("ACME.Example.COM:443", &sub), KF_HOST_TENANT);
    ck_assert_str_eq(sub, "acme");
    ck_assert_int_eq(classify("clinica-2.example.com.", &sub), KF_HOST_TENANT);
    ck_assert_str_eq(sub, "clinica-2");
    ck_assert_int_eq(kf_host_classify(pool, "acme.example.com", "Example.com.", &sub),
                     KF_HOST_TENANT);
    ck_assert_str_eq(sub, "acme");
}
END_TEST

START_TEST(refused_hosts)
{
    const char *sub = NULL;
    /* nested subdomains, labels no tenant can have */
    ck_assert_int_eq(classify("a.acme.example.com", &sub), KF_HOST_REFUSED);
    ck_assert_int_eq(classify("www.acme.example.com:80", &sub), KF_HOST_REFUSED);
    ck_assert_int_eq(classify("ab.example.com", &sub), KF_HOST_REFUSED);
    ck_assert_int_eq(classify("acme_1.example.com", &sub), KF_HOST_REFUSED);
    ck_assert_int_eq(classify("-.example.com", &sub), KF_HOST_REFUSED);
    char longlabel[80];
    memset(longlabel, 'a', 64);
    strcpy(longlabel + 64, ".example.com");
    ck_assert_int_eq(classify(longlabel, &sub), KF_HOST_REFUSED);
    ck_assert_ptr_null(sub);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("host");
    TCase *tc = tcase_create("classify");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, platform_host);
    tcase_add_test(tc, other_hosts_are_the_platform);
    tcase_add_test(tc, tenant_hosts);
    tcase_add_test(tc, refused_hosts);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
