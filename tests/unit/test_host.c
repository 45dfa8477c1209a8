/* Unit tests for lib/net/kf_host.c: which tenant a Host header selects. */
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
    ck_assert_ptr_null(sub);
}
END_TEST

START_TEST(other_hosts_are_named_for_the_custom_domain_lookup)
{
    const char *name = "x";
    /* no Host, an IP literal: no name any tenant can own -> unknown_host */
    ck_assert_int_eq(classify(NULL, &name), KF_HOST_OTHER);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(classify("", &name), KF_HOST_OTHER);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(classify("[::1]:8080", &name), KF_HOST_OTHER);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(classify("127.0.0.1:8080", &name), KF_HOST_OTHER);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(classify("10.0.0.1.", &name), KF_HOST_OTHER);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(classify("1.example", &name), KF_HOST_OTHER);
    ck_assert_str_eq(name, "1.example");
    /* a custom domain: normalized as stored */
    ck_assert_int_eq(classify("Reservas.Clinica.CO.:443", &name), KF_HOST_OTHER);
    ck_assert_str_eq(name, "reservas.clinica.co");
    /* a suffix that is not a label boundary is another domain */
    ck_assert_int_eq(classify("acmeexample.com", &name), KF_HOST_OTHER);
    ck_assert_str_eq(name, "acmeexample.com");
    ck_assert_int_eq(classify("example.com.evil.net", &name), KF_HOST_OTHER);
    ck_assert_str_eq(name, "example.com.evil.net");
}
END_TEST

START_TEST(custom_domains)
{
    ck_assert_ptr_null(kf_custom_domain_check("reservas.clinica.co", "example.com"));
    ck_assert_ptr_null(kf_custom_domain_check("Reservas.Clinica.CO.", "example.com"));
    ck_assert_ptr_null(kf_custom_domain_check("a.b", "example.com"));
    ck_assert_ptr_null(kf_custom_domain_check("xn--clnica-rva.co", "example.com"));
    ck_assert_ptr_null(kf_custom_domain_check("acmeexample.com", "example.com"));
    static const char *const bad[] = {
        "", "localhost", "clinica", ".clinica.co", "clinica..co", "-x.clinica.co",
        "x-.clinica.co", "clínica.co", "reservas.clinica.co:443", "http://clinica.co",
        "clinica.co/x", "10.0.0.1", "127.0.0.1", "2130706433", "[::1]", "a b.co", "x.123",
        NULL};
    for (int i = 0; bad[i]; i++) {
        ck_assert_msg(kf_custom_domain_check(bad[i], "example.com") != NULL, "%s", bad[i]);
        ck_assert_str_eq(kf_custom_domain_check(bad[i], "example.com"), "tenant_custom_domain_format");
    }
    ck_assert_str_eq(kf_custom_domain_check(NULL, "example.com"), "tenant_custom_domain_format");
    char label[80];
    memset(label, 'a', 64);
    strcpy(label + 64, ".co");
    ck_assert_str_eq(kf_custom_domain_check(label, "example.com"), "tenant_custom_domain_format");
    /* the platform's own names */
    ck_assert_str_eq(kf_custom_domain_check("example.com", "example.com"),
                     "tenant_custom_domain_platform");
    ck_assert_str_eq(kf_custom_domain_check("Acme.Example.com", "example.com"),
                     "tenant_custom_domain_platform");
    ck_assert_str_eq(kf_custom_domain_check("a.acme.example.com", "example.com."),
                     "tenant_custom_domain_platform");
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
    tcase_add_test(tc, other_hosts_are_named_for_the_custom_domain_lookup);
    tcase_add_test(tc, custom_domains);
    tcase_add_test(tc, tenant_hosts);
    tcase_add_test(tc, refused_hosts);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
