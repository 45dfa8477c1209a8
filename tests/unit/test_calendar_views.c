/* Unit suite for lib/calendar_providers/kf_calendar_views.c: the calendar object, the invitation page,
 * where a booking's event stands, and the mail telling a merchant a calendar refused us. */
#include "kf_check.h"
#include "kf_calendar_views.h"
#include "kf_mail.h"

#include <apr_strings.h>
#include <string.h>

static const char *dump(json_t *j)
{
    const char *text = kf_json_dump(pool, j);
    json_decref(j);
    return text;
}

START_TEST(calendar_object_or_none)
{
    ck_assert_str_eq(dump(kf_calendar_view(pool, NULL)), "{\"provider\":null,\"label\":null,\"status\":\"none\"}");
    ck_assert_str_eq(dump(kf_calendar_view(pool, "not json")),
                     "{\"provider\":null,\"label\":null,\"status\":\"none\"}");
    ck_assert_str_eq(dump(kf_calendar_view(pool, "{\"provider\":\"google\",\"status\":\"connected\","
                                                 "\"account\":\"ana@example.com\"}")),
                     "{\"provider\":\"google\",\"label\":\"Google Calendar\",\"status\":\"connected\",\"account\":\"ana@example.com\"}");
}
END_TEST

static int only_google(const kf_calendar_provider *prov, void *data)
{
    (void)data;
    return strcmp(prov->name, "google") == 0;
}

START_TEST(invitation_page_offers_configured_providers)
{
    kf_calendar_invitation inv = {
        "2026-11-25T10:00:00Z", "Dra. Núñez", "t-1", "Clínica Sol", "#112233", 1, 0, NULL,
        only_google, NULL,
    };
    ck_assert_str_eq(dump(kf_calendar_invitation_json(pool, &inv)),
                     "{\"invitation\":{\"expires_at\":\"2026-11-25T10:00:00Z\",\"used\":false,"
                     "\"professional\":{\"name\":\"Dra. Núñez\"},"
                     "\"business\":{\"name\":\"Clínica Sol\",\"color\":\"#112233\","
                     "\"logo_url\":\"/api/public/tenants/t-1/logo\"},"
                     "\"calendar\":{\"provider\":null,\"label\":null,\"status\":\"none\"},"
                     "\"providers\":[{\"name\":\"google\",\"label\":\"Google Calendar\",\"available\":true},"
                     "{\"name\":\"microsoft\",\"label\":\"Outlook / Microsoft 365\",\"available\":false},"
                     "{\"name\":\"calcom\",\"label\":\"Cal.com\",\"available\":true},"
                     "{\"name\":\"caldav\",\"label\":\"CalDAV\",\"available\":true}]}}");
    inv.color = NULL;
    inv.has_logo = 0;
    inv.used = 1;
    const char *text = dump(kf_calendar_invitation_json(pool, &inv));
    ck_assert_ptr_nonnull(strstr(text, "\"used\":true,"));
    ck_assert_ptr_nonnull(strstr(text, "\"business\":{\"name\":\"Clínica Sol\",\"color\":null},"));
}
END_TEST

START_TEST(an_invitation_row_opens_on_its_tenants_host_only)
{
    const char *row[KF_CAL_INV_COLUMNS] = {
        "p-1", "t-1", "sol", "Dra. Núñez", "Clínica Sol", NULL, "f", "2026-11-25T10:00:00Z",
        "{\"provider\":null,\"status\":\"pending\"}", "t",
    };
    kf_calendar_invitation inv = kf_calendar_invitation_of(row, only_google, NULL);
    ck_assert(inv.used);
    ck_assert_str_eq(inv.professional_name, "Dra. Núñez");
    ck_assert_str_eq(inv.tenant_id, "t-1");
    ck_assert_str_eq(inv.expires_at, "2026-11-25T10:00:00Z");
    ck_assert(!inv.has_logo);
    ck_assert_ptr_nonnull(strstr(dump(kf_calendar_invitation_json(pool, &inv)),
                                 "\"calendar\":{\"provider\":null,\"label\":null,\"status\":\"pending\"}"));
    ck_assert(kf_calendar_invitation_on_host(row, NULL));
    ck_assert(kf_calendar_invitation_on_host(row, "sol"));
    ck_assert(!kf_calendar_invitation_on_host(row, "luna"));
    row[KF_CAL_INV_SUBDOMAIN] = NULL;
    ck_assert(!kf_calendar_invitation_on_host(row, "sol"));
    ck_assert_str_eq(dump(kf_calendar_invitation_issued("https://x.example/connect-calendar/t",
                                                        "2026-11-25T10:00:00Z")),
                     "{\"url\":\"https://x.example/connect-calendar/t\","
                     "\"expires_at\":\"2026-11-25T10:00:00Z\"}");
    ck_assert_str_eq(dump(kf_calendar_view_answer(pool, NULL)),
                     "{\"calendar\":{\"provider\":null,\"label\":null,\"status\":\"none\"}}");
}
END_TEST

START_TEST(event_status_for_the_merchant)
{
    ck_assert_str_eq(kf_calendar_event_status(1, NULL, NULL), "pending");
    ck_assert_str_eq(kf_calendar_event_status(1, "HTTP 503", "ev-1"), "pending");
    ck_assert_str_eq(kf_calendar_event_status(0, "HTTP 400", NULL), "failed");
    ck_assert_str_eq(kf_calendar_event_status(0, NULL, "ev-1"), "written");
    ck_assert_str_eq(kf_calendar_event_status(0, NULL, NULL), "removed");
    const char *v[KF_CAL_EV_VIEW_COLUMNS] = {"google", "ev-1", "f", NULL, "2026-11-25T10:00:00Z"};
    ck_assert_str_eq(dump(kf_calendar_event_json(v)),
                     "{\"provider\":\"google\",\"label\":\"Google Calendar\",\"status\":\"written\",\"event_id\":\"ev-1\","
                     "\"error\":null,\"updated_at\":\"2026-11-25T10:00:00Z\"}");
    const char *w[KF_CAL_EV_VIEW_COLUMNS] = {NULL, NULL, "t", "HTTP 503", "2026-11-25T10:00:00Z"};
    ck_assert_str_eq(dump(kf_calendar_event_json(w)),
                     "{\"provider\":null,\"label\":null,\"status\":\"pending\",\"event_id\":null,"
                     "\"error\":\"HTTP 503\",\"updated_at\":\"2026-11-25T10:00:00Z\"}");
}
END_TEST

START_TEST(error_mail_names_the_provider_and_links_the_professional)
{
    ck_assert_str_eq(kf_calendar_provider_label("calcom"), "Cal.com");
    ck_assert_str_eq(kf_calendar_provider_label("microsoft"), "Microsoft");
    ck_assert_str_eq(kf_calendar_provider_label("other"), "other");
    ck_assert_str_eq(dump(kf_calendar_error_mail_vars(pool, "Dra. Núñez", "google", "invalid_grant",
                                                      "Clínica Sol", "https://book.example.com/",
                                                      "p-1")),
                     "{\"professional\":\"Dra. Núñez\",\"provider\":\"Google\","
                     "\"reason\":\"invalid_grant\",\"business_name\":\"Clínica Sol\","
                     "\"link\":\"https://book.example.com/dashboard/professionals/p-1\"}");
    /* the first error is mailed, in the tenant's language; later ones are not */
    const char *row[KF_CAL_ERR_COLUMNS] = {"t", "microsoft", "Dra. Núñez", "Clínica Sol", "en",
                                           "citas@sol.example", "t-1"};
    json_t *vars = NULL;
    kf_locale locale = KF_LOCALE_ES;
    ck_assert(kf_calendar_error_mail(pool, row, "invalid_grant", "https://book.example.com",
                                     "p-1", &vars, &locale));
    ck_assert_int_eq(locale, KF_LOCALE_EN);
    ck_assert_str_eq(json_string_value(json_object_get(vars, "provider")), "Microsoft");
    json_decref(vars);
    row[KF_CAL_ERR_FIRST] = "f";
    ck_assert(!kf_calendar_error_mail(pool, row, "invalid_grant", "https://book.example.com",
                                      "p-1", &vars, &locale));
    row[KF_CAL_ERR_FIRST] = "t";
    row[KF_CAL_ERR_TO] = NULL;   /* nobody to write to */
    ck_assert(!kf_calendar_error_mail(pool, row, "invalid_grant", "https://book.example.com",
                                      "p-1", &vars, &locale));
}
END_TEST

/* The professional's own mail links the new invitation, which connects the calendar again. */
START_TEST(reconnect_mail_links_the_new_invitation)
{
    json_t *vars = kf_calendar_reconnect_mail_vars(pool, "Dra. Núñez", "google", "invalid_grant",
                                                   "Clínica Sol", "https://book.example.com/",
                                                   "tok-1");
    ck_assert_str_eq(dump(json_incref(vars)),
                     "{\"professional\":\"Dra. Núñez\",\"provider\":\"Google\","
                     "\"reason\":\"invalid_grant\",\"business_name\":\"Clínica Sol\","
                     "\"link\":\"https://book.example.com/connect-calendar/tok-1\"}");
    kf_mail_content mail;
    const char *why = NULL;
    ck_assert_int_eq(kf_mail_render(pool, "calendar_reconnect", KF_LOCALE_EN, vars, &mail, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(mail.subject, "Connect your calendar to Clínica Sol again");
    ck_assert_ptr_nonnull(strstr(mail.text, "https://book.example.com/connect-calendar/tok-1"));
    ck_assert_ptr_nonnull(strstr(mail.text, "Google no longer lets us read your calendar"));
    ck_assert_int_eq(kf_mail_render(pool, "calendar_reconnect", KF_LOCALE_ES, vars, &mail, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(mail.subject, "Vuelve a conectar tu calendario con Clínica Sol");
    json_decref(vars);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_views");
    TCase *tc = tcase_create("views");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, calendar_object_or_none);
    tcase_add_test(tc, invitation_page_offers_configured_providers);
    tcase_add_test(tc, an_invitation_row_opens_on_its_tenants_host_only);
    tcase_add_test(tc, event_status_for_the_merchant);
    tcase_add_test(tc, error_mail_names_the_provider_and_links_the_professional);
    tcase_add_test(tc, reconnect_mail_links_the_new_invitation);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
