/* Unit tests for lib/directives/kf_directive.c: what the module's directives accept, and the
 * line httpd prints for what they refuse. */
#include "kf_check.h"
#include "kf_directive.h"
#include "kf_url.h"

#include <apr_file_io.h>
#include <apr_strings.h>

#include <string.h>

START_TEST(seconds_and_counts_are_positive_and_bounded)
{
    int v = -1;
    ck_assert_ptr_null(kf_directive_seconds(pool, "KonfirmadoHoldSeconds", "600", &v));
    ck_assert_int_eq(v, 600);
    ck_assert_ptr_null(kf_directive_seconds(pool, "X", "604800", &v));
    ck_assert_str_eq(kf_directive_seconds(pool, "KonfirmadoHoldSeconds", "604801", &v),
                     "KonfirmadoHoldSeconds must be a positive number of seconds (at most a "
                     "week), not '604801'");
    ck_assert_int_eq(v, 604800);   /* a refused value leaves the setting alone */
    ck_assert_ptr_nonnull(kf_directive_seconds(pool, "X", "0", &v));
    ck_assert_ptr_nonnull(kf_directive_seconds(pool, "X", "-5", &v));
    ck_assert_ptr_nonnull(kf_directive_seconds(pool, "X", "", &v));
    ck_assert_ptr_nonnull(kf_directive_seconds(pool, "X", "10s", &v));
    ck_assert_ptr_null(kf_directive_count(pool, "X", "1000000", &v));
    ck_assert_int_eq(v, 1000000);
    ck_assert_str_eq(kf_directive_count(pool, "KonfirmadoAuthIPLimit", "1000001", &v),
                     "KonfirmadoAuthIPLimit must be a positive count (at most 1000000), not "
                     "'1000001'");
    ck_assert_ptr_nonnull(kf_directive_count(pool, "X", "3 ", &v));
}
END_TEST

START_TEST(a_host_name_is_letters_digits_dashes_and_dots)
{
    ck_assert_ptr_null(kf_directive_host(pool, "KonfirmadoBaseDomain", "konfirmado.localhost"));
    ck_assert_ptr_null(kf_directive_host(pool, "X", "a-1.example.com"));
    ck_assert_str_eq(kf_directive_host(pool, "KonfirmadoBaseDomain", "example.com."),
                     "KonfirmadoBaseDomain must be a host name such as example.com, not "
                     "'example.com.'");
    ck_assert_ptr_nonnull(kf_directive_host(pool, "X", ".example.com"));
    ck_assert_ptr_nonnull(kf_directive_host(pool, "X", "-example.com"));
    ck_assert_ptr_nonnull(kf_directive_host(pool, "X", "exa_mple.com"));
    ck_assert_ptr_nonnull(kf_directive_host(pool, "X", "example.com:443"));
    ck_assert_ptr_nonnull(kf_directive_host(pool, "X", ""));
    char longest[255];
    memset(longest, 'a', 253);
    longest[253] = '\0';
    ck_assert_ptr_null(kf_directive_host(pool, "X", longest));
    longest[253] = 'a';
    longest[254] = '\0';
    ck_assert_ptr_nonnull(kf_directive_host(pool, "X", longest));
}
END_TEST

START_TEST(mail_servers_and_providers)
{
    ck_assert_ptr_null(kf_directive_mail_url(pool, "X", "smtp://127.0.0.1:25"));
    ck_assert_ptr_null(kf_directive_mail_url(pool, "X", "smtps://mail.example.com"));
    ck_assert_str_eq(kf_directive_mail_url(pool, "KonfirmadoSMTPURL", "https://mail"),
                     "KonfirmadoSMTPURL must start with smtp:// or smtps://, not 'https://mail'");
    /* the payment and calendar providers' and the mail transports' names are the ones it
     * is handed (their registries'); the texts' is its own */
    static const char *const registered[] = {"wompi-sandbox", "wompi-checkout", "google-auth",
                                             "resend", NULL};
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "wompi-sandbox",
                                             registered));
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "twilio", NULL));
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "resend",
                                             registered));
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "google-auth",
                                             registered));
    ck_assert_str_eq(kf_directive_provider(pool, "KonfirmadoProviderURL", "paypal", registered),
                     "KonfirmadoProviderURL: unknown provider 'paypal'");
    ck_assert_str_eq(kf_directive_provider(pool, "KonfirmadoProviderURL", "wompi-sandbox", NULL),
                     "KonfirmadoProviderURL: unknown provider 'wompi-sandbox'");
    ck_assert_str_eq(kf_directive_provider(pool, "KonfirmadoProviderURL", "google-auth", NULL),
                     "KonfirmadoProviderURL: unknown provider 'google-auth'");
}
END_TEST

START_TEST(urls_texts_and_oauth_clients)
{
    ck_assert_ptr_null(kf_directive_url(pool, "X", "http://127.0.0.1:8080/fake"));
    ck_assert_ptr_nonnull(kf_directive_url(pool, "KonfirmadoPublicURL", "ftp://example.com"));
    ck_assert_ptr_null(kf_directive_text(pool, "X", "Konfirmado"));
    ck_assert_str_eq(kf_directive_text(pool, "KonfirmadoName", ""), "KonfirmadoName must not be empty");
    const char *secret = NULL;
    ck_assert_ptr_null(kf_directive_oauth_client(pool, "G", "client-1", "s.txt", "s3cret\r\nmore",
                                                 &secret));
    ck_assert_str_eq(secret, "s3cret");
    ck_assert_str_eq(kf_directive_oauth_client(pool, "G", "client-1", "s.txt", NULL, &secret),
                     "G: cannot read secret file 's.txt'");
    ck_assert_str_eq(kf_directive_oauth_client(pool, "G", "client-1", "s.txt", "\nlater", &secret),
                     "G: the client id is empty or secret file 's.txt' holds no secret");
    ck_assert_ptr_nonnull(kf_directive_oauth_client(pool, "G", "", "s.txt", "s3cret", &secret));
}
END_TEST

/* A secret file read as the directive is read: its first line; a missing one, a folder, or
 * none named, refused. */
START_TEST(an_oauth_client_secret_is_read_from_its_file)
{
    const char *dir = NULL, *path = NULL, *secret = NULL;
    ck_assert_int_eq(apr_temp_dir_get(&dir, pool), APR_SUCCESS);
    apr_file_t *f = NULL;
    path = apr_pstrcat(pool, dir, "/kf-oauth-XXXXXX", NULL);
    char *tmpl = apr_pstrdup(pool, path);
    ck_assert_int_eq(apr_file_mktemp(&f, tmpl, APR_FOPEN_CREATE | APR_FOPEN_READ |
                                     APR_FOPEN_WRITE | APR_FOPEN_EXCL | APR_FOPEN_DELONCLOSE,
                                     pool), APR_SUCCESS);
    apr_size_t n = 14;
    ck_assert_int_eq(apr_file_write(f, "s3cret\nignored", &n), APR_SUCCESS);
    ck_assert_ptr_null(kf_directive_oauth_client_file(pool, pool, "G", "client-1", "s.txt", tmpl,
                                                      &secret));
    ck_assert_str_eq(secret, "s3cret");
    ck_assert_str_eq(kf_directive_oauth_client_file(pool, pool, "G", "client-1", "s.txt",
                                                    apr_pstrcat(pool, tmpl, ".gone", NULL),
                                                    &secret),
                     "G: cannot read secret file 's.txt'");
    ck_assert_str_eq(kf_directive_oauth_client_file(pool, pool, "G", "client-1", "s.txt", NULL,
                                                    &secret),
                     "G: cannot read secret file 's.txt'");
    apr_file_close(f);
}
END_TEST

START_TEST(a_folder_must_be_one)
{
    const char *dir = NULL;
    ck_assert_int_eq(apr_temp_dir_get(&dir, pool), APR_SUCCESS);
    ck_assert_ptr_null(kf_directive_dir(pool, pool, "KonfirmadoHtdocs", "htdocs", dir));
    ck_assert_str_eq(kf_directive_dir(pool, pool, "KonfirmadoHtdocs", "htdocs",
                                      apr_pstrcat(pool, dir, "/kf-no-such-folder", NULL)),
                     "KonfirmadoHtdocs: 'htdocs' is not a readable directory");
    ck_assert_ptr_nonnull(kf_directive_dir(pool, pool, "KonfirmadoHtdocs", "x", NULL));
    ck_assert_ptr_nonnull(kf_directive_dir(pool, pool, "KonfirmadoHtdocs", "x", "/dev/null"));
}
END_TEST

START_TEST(a_socache_is_a_provider_and_its_arguments)
{
    const char *args = "unset";
    ck_assert_str_eq(kf_directive_socache_provider(pool, "shmcb", &args), "shmcb");
    ck_assert_ptr_null(args);
    ck_assert_str_eq(kf_directive_socache_provider(pool, "shmcb:/run/kf(512000)", &args),
                     "shmcb");
    ck_assert_str_eq(args, "/run/kf(512000)");
    ck_assert_str_eq(kf_directive_socache_provider(pool, "memcache:a:11211,b:11211", &args),
                     "memcache");
    ck_assert_str_eq(args, "a:11211,b:11211");
}
END_TEST

START_TEST(a_server_starts_with_what_it_needs)
{
    kf_directive_server s = {"booking.example.com", 1, 1, "example.com", "shmcb", 1,
                             "https://booking.example.com", 0};
    ck_assert_ptr_null(kf_directive_server_check(pool, &s));
    s.public_url = "http://booking.example.com";
    ck_assert_str_eq(kf_directive_server_check(pool, &s),
                     apr_psprintf(pool, "mod_konfirmado: KonfirmadoPublicURL "
                                  "'http://booking.example.com' is not acceptable: %s (http:// "
                                  "needs KonfirmadoAllowInsecureURLs On)",
                                  kf_url_check(pool, s.public_url, KF_URL_HTTPS_ONLY)));
    s.insecure_urls = 1;
    ck_assert_ptr_null(kf_directive_server_check(pool, &s));
    s.public_url = NULL;
    ck_assert_str_eq(kf_directive_server_check(pool, &s),
                     "mod_konfirmado: KonfirmadoPublicURL is missing for booking.example.com");
    s.counter_cache = "memcache:127.0.0.1:11211";
    s.counter_cache_loaded = 0;
    ck_assert_str_eq(kf_directive_server_check(pool, &s),
                     "mod_konfirmado: the socache provider of KonfirmadoRateLimitCache "
                     "(memcache:127.0.0.1:11211) is not loaded: LoadModule socache_shmcb_module "
                     "or name a loaded one");
    s.base_domain = NULL;
    ck_assert_str_eq(kf_directive_server_check(pool, &s),
                     "mod_konfirmado: KonfirmadoBaseDomain is missing for booking.example.com");
    s.key_file_set = 0;
    ck_assert_str_eq(kf_directive_server_check(pool, &s),
                     "mod_konfirmado: KonfirmadoKeyFile is missing for booking.example.com "
                     "(KonfirmadoEngine On needs a 32-byte key file)");
    s.dbd_loaded = 0;   /* the first thing missing is the one told */
    ck_assert_str_eq(kf_directive_server_check(pool, &s),
                     "mod_konfirmado: mod_dbd is not loaded (booking.example.com needs "
                     "LoadModule dbd_module before KonfirmadoEngine On)");
}
END_TEST

START_TEST(a_provider_url_is_https_unless_insecure_urls_are_allowed)
{
    ck_assert_ptr_null(kf_directive_provider_url_check(pool, "twilio", "https://api.twilio.com", 0));
    ck_assert_ptr_null(kf_directive_provider_url_check(pool, "twilio", "http://127.0.0.1:9", 1));
    const char *refused = kf_directive_provider_url_check(pool, "twilio", "http://127.0.0.1:9", 0);
    ck_assert_ptr_nonnull(refused);
    ck_assert_ptr_nonnull(strstr(refused, "mod_konfirmado: KonfirmadoProviderURL twilio "
                                          "'http://127.0.0.1:9' is not acceptable: "));
    /* a server's every one: the first refused is said */
    apr_table_t *urls = apr_table_make(pool, 2);
    ck_assert_ptr_null(kf_directive_provider_urls_check(pool, urls, 0));
    apr_table_set(urls, "twilio", "https://api.twilio.com");
    apr_table_set(urls, "wompi", "http://127.0.0.1:8");
    ck_assert_ptr_null(kf_directive_provider_urls_check(pool, urls, 1));
    refused = kf_directive_provider_urls_check(pool, urls, 0);
    ck_assert_ptr_nonnull(refused);
    ck_assert_ptr_nonnull(strstr(refused, "KonfirmadoProviderURL wompi 'http://127.0.0.1:8'"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("directive");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, seconds_and_counts_are_positive_and_bounded);
    tcase_add_test(tc, a_host_name_is_letters_digits_dashes_and_dots);
    tcase_add_test(tc, mail_servers_and_providers);
    tcase_add_test(tc, urls_texts_and_oauth_clients);
    tcase_add_test(tc, an_oauth_client_secret_is_read_from_its_file);
    tcase_add_test(tc, a_folder_must_be_one);
    tcase_add_test(tc, a_socache_is_a_provider_and_its_arguments);
    tcase_add_test(tc, a_server_starts_with_what_it_needs);
    tcase_add_test(tc, a_provider_url_is_https_unless_insecure_urls_are_allowed);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
