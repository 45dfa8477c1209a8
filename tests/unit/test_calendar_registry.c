/* A calendar provider is its own file and its registry line: "testcal"
 * (kf_calendar_testcal.c) exists only in this suite, listed by kf_calendar_providers_test.c,
 * and every rule finds it through the registry alone: the invitation page's providers and
 * their labels, the label beside a calendar's provider, the mails' words for it, the
 * KonfirmadoProviderURL names and the endpoints they point elsewhere, where its notices are
 * posted, its form's refusal. */
#include "kf_check.h"
#include "kf_calendar_links.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_views.h"
#include "kf_directive.h"

#include <apr_strings.h>
#include <string.h>

#define TESTCAL kf_calendar_provider_find("testcal")

static const char *dump(json_t *j)
{
    const char *text = kf_json_dump(pool, j);
    json_decref(j);
    return text;
}

START_TEST(it_is_listed_once_after_the_modules_own)
{
    const kf_calendar_provider *prov = TESTCAL;
    ck_assert_ptr_nonnull(prov);
    int n = 0;
    while (kf_calendar_providers[n]) {
        n++;
    }
    ck_assert_int_eq(n, 5);
    ck_assert_ptr_eq(kf_calendar_providers[4], prov);
}
END_TEST

static int configured(const kf_calendar_provider *prov, void *data)
{
    return prov->oauth_client && strcmp(prov->oauth_client, data) == 0;
}

START_TEST(the_invitation_offers_it_by_its_label_when_its_application_is_configured)
{
    kf_calendar_invitation inv = {
        "2026-11-25T10:00:00Z", "Dra. Núñez", "t-1", "Clínica Sol", NULL, 0, 0, NULL,
        configured, "KonfirmadoTestcalClient",
    };
    const char *text = dump(kf_calendar_invitation_json(pool, &inv));
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"caldav\",\"label\":\"CalDAV\",\"available\":true},"
                                       "{\"name\":\"testcal\",\"label\":\"Test Calendar\","
                                       "\"available\":true}]"));
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"google\",\"label\":\"Google Calendar\","
                                       "\"available\":false}"));
    inv.data = "KonfirmadoGoogleClient";
    ck_assert_ptr_nonnull(strstr(dump(kf_calendar_invitation_json(pool, &inv)),
                                 "{\"name\":\"testcal\",\"label\":\"Test Calendar\","
                                 "\"available\":false}"));
}
END_TEST

START_TEST(a_calendar_of_it_is_labelled_and_its_mails_name_it)
{
    ck_assert_str_eq(dump(kf_calendar_view(pool, "{\"provider\":\"testcal\",\"status\":\"connected\"}")),
                     "{\"provider\":\"testcal\",\"label\":\"Test Calendar\",\"status\":\"connected\"}");
    ck_assert_str_eq(kf_calendar_provider_label("testcal"), "TestCal");
    json_t *vars = kf_calendar_error_mail_vars(pool, "Dra. Núñez", "testcal", "invalid_grant",
                                               "Clínica Sol", "https://k.example", "p-1");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "provider")), "TestCal");
    json_decref(vars);
}
END_TEST

static const char *fake_urls(const char *name, const char *fallback, void *data)
{
    const char *const *pairs = data;
    for (int i = 0; pairs[i]; i += 2) {
        if (strcmp(pairs[i], name) == 0) {
            return pairs[i + 1];
        }
    }
    return fallback;
}

START_TEST(its_url_names_are_accepted_and_point_its_endpoints)
{
    const char *const *names = kf_calendar_url_names(pool);
    int seen = 0;
    for (int i = 0; names[i]; i++) {
        seen += strncmp(names[i], "testcal-", 8) == 0;
    }
    ck_assert_int_eq(seen, 2);
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "testcal-api", names));
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "google-auth", names));
    const char *pairs[] = {"testcal-login", "http://fake/login", "testcal-api", "http://fake/api",
                           NULL};
    kf_calendar_endpoints ep = kf_calendar_endpoints_of(TESTCAL, fake_urls, pairs);
    ck_assert_str_eq(ep.auth_base, "http://fake/login");
    ck_assert_str_eq(ep.token_base, "http://fake/login");
    ck_assert_str_eq(ep.api_base, "http://fake/api");
    const char *none[] = {NULL};
    ep = kf_calendar_endpoints_of(TESTCAL, fake_urls, none);
    ck_assert_str_eq(ep.api_base, "https://api.testcal.example");
}
END_TEST

START_TEST(its_notices_are_posted_where_its_scheme_says)
{
    /* signed notices: the tenant's own address */
    ck_assert_str_eq(kf_calendar_webhook_url(pool, "https://k.example/", TESTCAL, "t-1"),
                     "https://k.example/api/webhooks/testcal/t-1");
    ck_assert_str_eq(kf_calendar_oauth_redirect_uri(pool, "https://k.example", TESTCAL),
                     "https://k.example/api/oauth/testcal/callback");
}
END_TEST

START_TEST(its_form_refuses_in_its_own_words)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_int_eq(kf_calendar_form_refused(TESTCAL, KF_CAL_RETRY, &f), 0);
    ck_assert_int_eq(kf_calendar_form_refused(TESTCAL, KF_CAL_REVOKED, &f), 1);
    json_t *fields = kf_fields_take(&f);
    ck_assert_ptr_nonnull(json_object_get(fields, "api_key"));
    json_decref(fields);
}
END_TEST

START_TEST(a_room_it_cannot_make_names_the_calendar_that_makes_it)
{
    /* testcal makes no rooms: a Meet room is Google's, a Teams room Microsoft's */
    ck_assert_str_eq(kf_calendar_room_refusal(pool, TESTCAL, "google_meet"),
                     "the video place is a room only a Google calendar makes, and the "
                     "professional's calendar is TestCal");
    ck_assert_str_eq(kf_calendar_room_refusal(pool, &kf_calendar_google, "teams"),
                     "the video place is a room only a Microsoft calendar makes, and the "
                     "professional's calendar is Google");
    ck_assert_ptr_null(kf_calendar_room_refusal(pool, &kf_calendar_google, "google_meet"));
    ck_assert_ptr_null(kf_calendar_room_refusal(pool, &kf_calendar_microsoft, "teams"));
    ck_assert_ptr_null(kf_calendar_room_refusal(pool, TESTCAL, NULL));
    ck_assert_ptr_null(kf_calendar_room_refusal(pool, TESTCAL, "zoom"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_registry");
    TCase *tc = tcase_create("a provider of the tests only");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, it_is_listed_once_after_the_modules_own);
    tcase_add_test(tc, the_invitation_offers_it_by_its_label_when_its_application_is_configured);
    tcase_add_test(tc, a_calendar_of_it_is_labelled_and_its_mails_name_it);
    tcase_add_test(tc, its_url_names_are_accepted_and_point_its_endpoints);
    tcase_add_test(tc, its_notices_are_posted_where_its_scheme_says);
    tcase_add_test(tc, its_form_refuses_in_its_own_words);
    tcase_add_test(tc, a_room_it_cannot_make_names_the_calendar_that_makes_it);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
