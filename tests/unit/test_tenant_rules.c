/* Unit tests for lib/tenant/kf_tenant_rules.c: tenant fields, secrets' hints, Wompi keys. */
#include "kf_check.h"
#include "kf_tenant_rules.h"
#include "kf_json.h"
#include "kf_i18n.h"
#include "kf_image.h"
#include "kf_catalog_rules.h"

#include <string.h>

#define IS_NULL(expr) ck_assert_msg((expr) == NULL, "%s: %s", #expr, (expr))

/* The glue reads columns by these names: each must name the field of API.md it reads. */
START_TEST(field_enum_matches_names)
{
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_NAME], "name");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_SUBDOMAIN], "subdomain");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_TIMEZONE], "timezone");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_CALLBACK_URL], "callback_url");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_CUSTOM_DOMAIN], "custom_domain");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_NOTIFICATION_EMAIL], "notification_email");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_CONTACT_PHONE], "contact_phone");
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_REPLY_TO_EMAIL], "reply_to_email");
    ck_assert_ptr_null(kf_tenant_fields[KF_TENANT_FIELD_COUNT]);
}
END_TEST

START_TEST(colors)
{
    ck_assert(kf_color_valid("#3B82F6"));
    ck_assert(kf_color_valid("#abcdef"));
    ck_assert(kf_color_valid("#000000"));
    ck_assert(!kf_color_valid("3B82F6"));
    ck_assert(!kf_color_valid("#3B82F"));
    ck_assert(!kf_color_valid("#3B82F66"));
    ck_assert(!kf_color_valid("#GGGGGG"));
    ck_assert(!kf_color_valid("#fff"));
    ck_assert(!kf_color_valid("red"));
    ck_assert(!kf_color_valid(""));
    ck_assert(!kf_color_valid(NULL));
}
END_TEST

START_TEST(subdomains)
{
    IS_NULL(kf_subdomain_check("acme"));
    IS_NULL(kf_subdomain_check("abc"));
    IS_NULL(kf_subdomain_check("clinica-24"));
    IS_NULL(kf_subdomain_check("123"));
    char longest[64];
    memset(longest, 'a', 63);
    longest[63] = '\0';
    IS_NULL(kf_subdomain_check(longest));
    char too_long[65];
    memset(too_long, 'a', 64);
    too_long[64] = '\0';
    ck_assert_str_eq(kf_subdomain_check(too_long), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("ab"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("Acme"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("ac_me"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("ac.me"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("-acme"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("acme-"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check("acmé"), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check(""), "tenant_subdomain_format");
    ck_assert_str_eq(kf_subdomain_check(NULL), "tenant_subdomain_format");
    const char *reserved[] = {"www", "api", "admin", "app", "mail", "konfirmado", NULL};
    for (int i = 0; reserved[i]; i++) {
        ck_assert_str_eq(kf_subdomain_check(reserved[i]), "tenant_subdomain_reserved");
    }
    ck_assert(!kf_subdomain_reserved("apis"));
    ck_assert(!kf_subdomain_reserved("acme"));
}
END_TEST

START_TEST(countries_locales_zones)
{
    const char *good[] = {"CO", "US", "MX", "ES", "BR", "AD", "ZW", "SS", "AX", NULL};
    for (int i = 0; good[i]; i++) {
        ck_assert_msg(kf_country_valid(good[i]), "%s refused", good[i]);
    }
    const char *bad[] = {"co", "Co", "XX", "UK", "EU", "ZZ", "COL", "C", "", "1A", NULL};
    for (int i = 0; bad[i]; i++) {
        ck_assert_msg(!kf_country_valid(bad[i]), "%s accepted", bad[i]);
    }
    ck_assert(!kf_country_valid(NULL));
    ck_assert(kf_tenant_locale_valid("es"));
    ck_assert(kf_tenant_locale_valid("en"));
    ck_assert(!kf_tenant_locale_valid("fr"));
    ck_assert(!kf_tenant_locale_valid("ES"));
    ck_assert(!kf_tenant_locale_valid("es-CO"));
    ck_assert(kf_timezone_name_plausible("America/Bogota"));
    ck_assert(kf_timezone_name_plausible("Etc/GMT+5"));
    ck_assert(kf_timezone_name_plausible("UTC"));
    ck_assert(!kf_timezone_name_plausible("America/Bogota'; DROP"));
    ck_assert(!kf_timezone_name_plausible("/etc/passwd"));
    ck_assert(!kf_timezone_name_plausible(""));
    ck_assert(!kf_timezone_name_plausible(NULL));
}
END_TEST

/* Whether text has the number as a whole word (not "150" for 15). */
static int says_number(const char *text, const char *number)
{
    size_t n = strlen(number);
    for (const char *at = strstr(text, number); at; at = strstr(at + 1, number)) {
        int before = at > text && at[-1] >= '0' && at[-1] <= '9';
        int after = at[n] >= '0' && at[n] <= '9';
        if (!before && !after) {
            return 1;
        }
    }
    return 0;
}

/* The leads' rule is stated once (kf_tenant_rules.h): the reader takes its bounds and no
 * more, the answer gives them, and the refusal's words name them. */
START_TEST(reminder_leads_follow_the_one_rule)
{
    char body[160];
    json_t *errors = json_object();
    snprintf(body, sizeof body, "{\"reminders\": [%d, %d]}", KF_REMINDER_LEAD_MAX, KF_REMINDER_LEAD_MIN);
    json_t *ok = json_loads(body, 0, NULL);
    ck_assert_ptr_nonnull(kf_tenant_reminders_read(pool, ok, errors));
    snprintf(body, sizeof body, "{\"reminders\": [%d]}", KF_REMINDER_LEAD_MAX + 1);
    json_t *over = json_loads(body, 0, NULL);
    ck_assert_ptr_null(kf_tenant_reminders_read(pool, over, errors));
    snprintf(body, sizeof body, "{\"reminders\": [%d]}", KF_REMINDER_LEAD_MIN - 1);
    json_t *under = json_loads(body, 0, NULL);
    ck_assert_ptr_null(kf_tenant_reminders_read(pool, under, errors));
    json_t *limits = kf_tenant_reminder_limits();
    ck_assert_int_eq(json_integer_value(json_object_get(limits, "lead_max_minutes")), KF_REMINDER_LEAD_MAX);
    ck_assert_int_eq(json_integer_value(json_object_get(limits, "lead_min_minutes")), KF_REMINDER_LEAD_MIN);
    ck_assert_int_eq(json_integer_value(json_object_get(limits, "leads_max")), KF_REMINDER_LEADS_MAX);
    for (int l = 0; l < 2; l++) {
        const char *words = kf_message("tenant_reminders", l ? KF_LOCALE_EN : KF_LOCALE_ES);
        const int bounds[] = {KF_REMINDER_LEAD_MIN, KF_REMINDER_LEAD_MAX, KF_REMINDER_LEADS_MAX};
        for (int b = 0; b < 3; b++) {
            char number[16];
            snprintf(number, sizeof number, "%d", bounds[b]);
            ck_assert_msg(says_number(words, number), "%s does not say %s", words, number);
        }
    }
    json_decref(limits);
    json_decref(ok);
    json_decref(over);
    json_decref(under);
    json_decref(errors);
}
END_TEST

START_TEST(field_checks)
{
    IS_NULL(kf_tenant_field_check("name", "Clínica Prueba", KF_URL_HTTPS_ONLY));
    IS_NULL(kf_tenant_field_check("notification_email", "agenda@clinica.example", KF_URL_HTTPS_ONLY));
    ck_assert_str_eq(kf_tenant_field_check("notification_email", "agenda@", KF_URL_HTTPS_ONLY),
                     "invalid_email");
    ck_assert_str_eq(kf_tenant_field_check("notification_email", "a@b.example\r\nBcc: x@y.example",
                                           KF_URL_HTTPS_ONLY), "invalid_email");
    ck_assert(kf_tenant_field_nullable("notification_email"));
    /* the business's phone, as its customers call it: E.164, whatever its country */
    IS_NULL(kf_tenant_field_check("contact_phone", "+573001234567", KF_URL_HTTPS_ONLY));
    IS_NULL(kf_tenant_field_check("contact_phone", "+34912345678", KF_URL_HTTPS_ONLY));
    ck_assert_str_eq(kf_tenant_field_check("contact_phone", "300 123 4567", KF_URL_HTTPS_ONLY),
                     "tenant_phone");
    ck_assert_str_eq(kf_tenant_field_check("contact_phone", "+57", KF_URL_HTTPS_ONLY),
                     "tenant_phone");
    ck_assert(kf_tenant_field_nullable("contact_phone"));
    IS_NULL(kf_tenant_field_check("name", "  Ñu  ", KF_URL_HTTPS_ONLY));
    ck_assert_str_eq(kf_tenant_field_check("name", " x ", KF_URL_HTTPS_ONLY), "tenant_name_length");
    ck_assert_str_eq(kf_tenant_field_check("name", "a\nb", KF_URL_HTTPS_ONLY), "tenant_name_length");
    char name[102];
    memset(name, 'n', 101);
    name[101] = '\0';
    ck_assert_str_eq(kf_tenant_field_check("name", name, KF_URL_HTTPS_ONLY), "tenant_name_length");
    name[100] = '\0';
    IS_NULL(kf_tenant_field_check("name", name, KF_URL_HTTPS_ONLY));

    IS_NULL(kf_tenant_field_check("callback_url", "https://shop.example/cb", KF_URL_HTTPS_ONLY));
    ck_assert_str_eq(kf_tenant_field_check("callback_url", "http://shop.example/cb",
                                           KF_URL_HTTPS_ONLY), "tenant_url_https");
    IS_NULL(kf_tenant_field_check("callback_url", "http://shop.example/cb", KF_URL_ALLOW_HTTP));
    ck_assert_str_eq(kf_tenant_field_check("terms_url", "ftp://x.example/", KF_URL_ALLOW_HTTP),
                     "tenant_url_invalid");
    ck_assert_str_eq(kf_tenant_field_check("return_url", "javascript:alert(1)", KF_URL_ALLOW_HTTP),
                     "tenant_url_invalid");
    ck_assert_str_eq(kf_tenant_field_check("logo_url", "not a url", KF_URL_HTTPS_ONLY),
                     "tenant_url_invalid");
    ck_assert_str_eq(kf_tenant_field_check("primary_color", "blue", KF_URL_HTTPS_ONLY),
                     "tenant_color");
    ck_assert_str_eq(kf_tenant_field_check("locale", "fr", KF_URL_HTTPS_ONLY), "tenant_locale");
    ck_assert_str_eq(kf_tenant_field_check("country", "XX", KF_URL_HTTPS_ONLY), "tenant_country");
    ck_assert_str_eq(kf_tenant_field_check("timezone", "../x", KF_URL_HTTPS_ONLY), "tenant_timezone");
    IS_NULL(kf_tenant_field_check("timezone", "America/Bogota", KF_URL_HTTPS_ONLY));
    IS_NULL(kf_tenant_field_check("subdomain", "acme", KF_URL_HTTPS_ONLY));
    ck_assert_str_eq(kf_tenant_field_check("subdomain", "www", KF_URL_HTTPS_ONLY),
                     "tenant_subdomain_reserved");
    ck_assert_str_eq(kf_tenant_field_check("id", "x", KF_URL_HTTPS_ONLY), "tenant_field_unknown");
    ck_assert(kf_tenant_field_nullable("terms_url"));
    ck_assert(kf_tenant_field_nullable("subdomain"));
    ck_assert(!kf_tenant_field_nullable("name"));
    ck_assert(!kf_tenant_field_nullable("timezone"));
}
END_TEST

START_TEST(patch_validation_reports_every_bad_field)
{
    static const char text[] =
        "{\"name\": 5, \"subdomain\": null, \"timezone\": null, \"locale\": \"fr\","
        " \"country\": \"CO\", \"primary_color\": \"#12345\", \"secondary_color\": \"#123456\","
        " \"callback_url\": \"http://x.example/\", \"return_url\": null, \"unknown\": 1}";
    json_t *body = kf_json_parse(pool, text, strlen(text), NULL);
    ck_assert_ptr_nonnull(body);
    json_t *errors = kf_json_obj(pool);
    ck_assert_int_eq(kf_tenant_validate_patch(body, KF_URL_HTTPS_ONLY, errors), 5);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "name")), "tenant_field_string");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "timezone")), "tenant_field_required");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "locale")), "tenant_locale");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "primary_color")), "tenant_color");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "callback_url")), "tenant_url_https");
    ck_assert_ptr_null(json_object_get(errors, "subdomain"));   /* null clears it */
    ck_assert_ptr_null(json_object_get(errors, "return_url"));
    ck_assert_ptr_null(json_object_get(errors, "unknown"));

    json_t *lax = kf_json_obj(pool);
    ck_assert_int_eq(kf_tenant_validate_patch(body, KF_URL_ALLOW_HTTP, lax), 4);
    json_t *none = kf_json_obj(pool);
    ck_assert_int_eq(kf_tenant_validate_patch(kf_json_obj(pool), KF_URL_HTTPS_ONLY, none), 0);
    ck_assert_int_eq(json_object_size(none), 0);
}
END_TEST

START_TEST(trim)
{
    ck_assert_str_eq(kf_trim(pool, "  Clínica \t\n"), "Clínica");
    ck_assert_str_eq(kf_trim(pool, "a b"), "a b");
    ck_assert_str_eq(kf_trim(pool, "   "), "");
    ck_assert_ptr_null(kf_trim(pool, NULL));
}
END_TEST

START_TEST(secret_hints)
{
    ck_assert_str_eq(kf_secret_hint(pool, "prv_test_abcdefgh1234"), "1234");
    ck_assert_str_eq(kf_secret_hint(pool, "12345678"), "5678");
    ck_assert_str_eq(kf_secret_hint(pool, "secret-ñandú"), "andú");   /* code points */
    ck_assert_ptr_null(kf_secret_hint(pool, "1234567"));   /* would show more than half */
    ck_assert_ptr_null(kf_secret_hint(pool, ""));
    ck_assert_ptr_null(kf_secret_hint(pool, NULL));
}
END_TEST

/* What the rules are handed of the payment providers (the registry's, in the module): here
 * two, charging in pesos and in dollars. */
static const char *const *two_providers(const char *name)
{
    static const char *const pesos[] = {"COP", NULL}, *const dollars[] = {"USD", "EUR", NULL};
    return !name                         ? NULL
           : strcmp(name, "pesos") == 0   ? pesos
           : strcmp(name, "dollars") == 0 ? dollars
                                          : NULL;
}

START_TEST(payment_provider_is_one_of_those_handed)
{
    json_t *errors = json_object();
    const char *out[KF_TENANT_POLICY_FIELDS];
    json_t *ok = json_pack("{s:s}", "payment_provider", "dollars");
    ck_assert_int_eq(kf_tenant_policy_read(pool, ok, two_providers, out, errors), 1);
    ck_assert_str_eq(out[KF_TENANT_POLICY_PROVIDER], "dollars");
    json_t *bad = json_pack("{s:s}", "payment_provider", "paypal");
    kf_tenant_policy_read(pool, bad, two_providers, out, errors);
    ck_assert_ptr_null(out[KF_TENANT_POLICY_PROVIDER]);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "payment_provider")),
                     "tenant_payment_provider");
    json_decref(ok);
    json_decref(bad);
    json_decref(errors);
}
END_TEST

START_TEST(every_message_id_is_translated)
{
    static const char *const ids[] = {
        "tenant_field_string", "tenant_field_required", "tenant_name_length",
        "tenant_subdomain_format", "tenant_subdomain_reserved", "tenant_timezone",
        "tenant_locale", "tenant_country", "tenant_color", "tenant_url_https",
        "tenant_url_invalid", "tenant_field_unknown", "logo_media_type", "logo_empty",
        "logo_not_image", "logo_type_mismatch", "logo_png_invalid", "logo_too_large_dimensions",
        "svg_not_wellformed", "svg_root", "svg_doctype", "svg_processing_instruction",
        "svg_script", "svg_forbidden_element", "svg_event_attribute", "svg_javascript_url",
        "svg_external_reference", "subdomain_taken", "provider_error", "invalid_parameter",
        "payment_mode", "payment_key_format", "payment_not_configured",
        "tenant_payment_provider", NULL,
    };
    for (int i = 0; ids[i]; i++) {
        ck_assert_msg(kf_message_known(ids[i]), "no message for %s", ids[i]);
        ck_assert_msg(strcmp(kf_message(ids[i], KF_LOCALE_ES), kf_message(ids[i], KF_LOCALE_EN)),
                      "%s is not translated", ids[i]);
    }
    /* and what the checks return is among them */
    const char *returned[] = {
        kf_subdomain_check("www"), kf_subdomain_check("x"),
        kf_tenant_field_check("country", "XX", KF_URL_HTTPS_ONLY),
        kf_svg_check(pool, "<svg/>", 6), kf_png_check("x", 1), NULL,
    };
    for (int i = 0; returned[i]; i++) {
        ck_assert_msg(kf_message_known(returned[i]), "no message for %s", returned[i]);
    }
}
END_TEST

START_TEST(events_secret_rotation_keeps_the_previous_for_72h)
{
    const char *prev = NULL;
    apr_int64_t until = 0;
    /* first save: nothing to keep */
    kf_events_secret_rotation(NULL, NULL, 0, "test_events_new", 1000, &prev, &until);
    ck_assert_ptr_null(prev);
    ck_assert_int_eq(until, 0);
    /* rotation: the old one verifies for 72 h more */
    kf_events_secret_rotation("test_events_old", NULL, 0, "test_events_new", 1000, &prev, &until);
    ck_assert_str_eq(prev, "test_events_old");
    ck_assert_int_eq(until, 1000 + 72 * 3600);
    /* saving the same secret again (other keys changed) keeps the window as it was */
    kf_events_secret_rotation("test_events_new", "test_events_old", 5000, "test_events_new", 2000,
                              &prev, &until);
    ck_assert_str_eq(prev, "test_events_old");
    ck_assert_int_eq(until, 5000);
    /* ... until it ends */
    kf_events_secret_rotation("test_events_new", "test_events_old", 5000, "test_events_new", 5000,
                              &prev, &until);
    ck_assert_ptr_null(prev);
    /* going back to the previous secret: it is current again, not also previous */
    kf_events_secret_rotation("test_events_new", "test_events_old", 5000, "test_events_old", 2000,
                              &prev, &until);
    ck_assert_str_eq(prev, "test_events_new");
    ck_assert_int_eq(until, 2000 + 72 * 3600);
    /* a stored previous one verifies webhooks until its end, not at it */
    ck_assert(kf_events_secret_previous_valid(5000, 4999));
    ck_assert(!kf_events_secret_previous_valid(5000, 5000));
    ck_assert(!kf_events_secret_previous_valid(0, 1000));
}
END_TEST

START_TEST(booking_policy_is_read_with_its_ranges)
{
    const char *out[KF_TENANT_POLICY_FIELDS];
    json_t *errors = json_object();
    json_t *body = json_pack("{s:i, s:i, s:s, s:i}", "cancel_cutoff_hours", 0, "max_reschedules", 10,
                             "refund_on_cancel", "none", "auto_complete_hours", 720);
    ck_assert_int_eq(kf_tenant_policy_read(pool, body, two_providers, out, errors), 4);
    ck_assert_int_eq(json_object_size(errors), 0);
    ck_assert_str_eq(out[0], "0");
    ck_assert_ptr_null(out[1]);
    ck_assert_str_eq(out[2], "10");
    ck_assert_str_eq(out[3], "720");
    ck_assert_str_eq(out[6], "none");
    json_decref(body);
    body = json_pack("{s:i, s:f, s:i, s:s, s:i}", "cancel_cutoff_hours", 721,
                     "reschedule_cutoff_hours", 2.5, "max_reschedules", -1,
                     "refund_on_cancel", "half", "auto_complete_hours", 721);
    ck_assert_int_eq(kf_tenant_policy_read(pool, body, two_providers, out, errors), 5);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "auto_complete_hours")), "tenant_cutoff_hours");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "cancel_cutoff_hours")), "tenant_cutoff_hours");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "reschedule_cutoff_hours")), "tenant_cutoff_hours");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "max_reschedules")), "tenant_max_reschedules");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "refund_on_cancel")), "tenant_refund_on_cancel");
    ck_assert_ptr_null(out[0]);
    json_decref(body);
    json_object_clear(errors);
    body = json_pack("{s:s}", "calcom_hours", "both");
    ck_assert_int_eq(kf_tenant_policy_read(pool, body, two_providers, out, errors), 1);
    ck_assert_int_eq(json_object_size(errors), 0);
    ck_assert_str_eq(out[KF_TENANT_POLICY_CALCOM_HOURS], "both");
    json_decref(body);
    body = json_pack("{s:s}", "calcom_hours", "theirs");
    kf_tenant_policy_read(pool, body, two_providers, out, errors);
    ck_assert_ptr_null(out[KF_TENANT_POLICY_CALCOM_HOURS]);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "calcom_hours")), "tenant_calcom_hours");
    json_decref(body);
    json_decref(errors);
}
END_TEST

START_TEST(privacy_settings_are_read_with_their_ranges)
{
    const char *out[KF_TENANT_POLICY_FIELDS];
    json_t *errors = json_object();
    json_t *body = json_pack("{s:i, s:i}", "data_retention_months", 1, "erasure_auto_days", 0);
    ck_assert_int_eq(kf_tenant_policy_read(pool, body, two_providers, out, errors), 2);
    ck_assert_int_eq(json_object_size(errors), 0);
    ck_assert_str_eq(out[4], "1");
    ck_assert_str_eq(out[5], "0");
    json_decref(body);
    body = json_pack("{s:i, s:i}", "data_retention_months", 120, "erasure_auto_days", 365);
    kf_tenant_policy_read(pool, body, two_providers, out, errors);
    ck_assert_int_eq(json_object_size(errors), 0);
    ck_assert_str_eq(out[4], "120");
    ck_assert_str_eq(out[5], "365");
    json_decref(body);
    body = json_pack("{s:i, s:i}", "data_retention_months", 0, "erasure_auto_days", 366);
    kf_tenant_policy_read(pool, body, two_providers, out, errors);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "data_retention_months")),
                     "tenant_retention_months");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "erasure_auto_days")),
                     "tenant_erasure_days");
    ck_assert_ptr_null(out[4]);
    ck_assert_ptr_null(out[5]);
    json_decref(body);
    json_object_clear(errors);
    body = json_pack("{s:i, s:s}", "data_retention_months", 121, "erasure_auto_days", "7");
    kf_tenant_policy_read(pool, body, two_providers, out, errors);
    ck_assert_int_eq(json_object_size(errors), 2);
    ck_assert(kf_message_known("tenant_retention_months") && kf_message_known("tenant_erasure_days"));
    json_decref(body);
    json_decref(errors);
}
END_TEST

START_TEST(currency_must_exist_and_be_taken_by_the_active_provider)
{
    const char *const *pesos = two_providers("pesos"), *const *dollars = two_providers("dollars");
    ck_assert_ptr_null(kf_tenant_currency_check("COP", pesos));
    ck_assert_ptr_null(kf_tenant_currency_check("EUR", dollars));
    ck_assert_str_eq(kf_tenant_currency_check("USD", pesos), "currency_not_accepted");
    ck_assert_str_eq(kf_tenant_currency_check("USD", NULL), "currency_not_accepted");
    ck_assert_str_eq(kf_tenant_currency_check("XYZ", dollars), "currency_invalid");
    ck_assert_str_eq(kf_tenant_currency_check("usd", dollars), "currency_invalid");
    ck_assert_str_eq(kf_tenant_currency_check("", dollars), "currency_invalid");
    ck_assert(kf_message_known("currency_not_accepted") && kf_message_known("currency_in_use"));
}
END_TEST

START_TEST(the_currency_follows_a_new_country_unless_chosen)
{
    /* still the old country's currency: it follows */
    ck_assert_str_eq(kf_tenant_currency_of_new_country("COP", "CO", "CL"), "CLP");
    ck_assert_str_eq(kf_tenant_currency_of_new_country("CLP", "CL", "US"), "USD");
    /* chosen by the merchant (not the old country's): kept */
    ck_assert_ptr_null(kf_tenant_currency_of_new_country("USD", "CO", "CL"));
    /* no change of country, or a country without a listed currency */
    ck_assert_ptr_null(kf_tenant_currency_of_new_country("COP", "CO", "CO"));
    ck_assert_ptr_null(kf_tenant_currency_of_new_country("COP", "CO", "AQ"));
    ck_assert_ptr_null(kf_tenant_currency_of_new_country("COP", "CO", NULL));
    /* the same currency in both countries: nothing to change */
    ck_assert_ptr_null(kf_tenant_currency_of_new_country("EUR", "ES", "FR"));
}
END_TEST

START_TEST(reprice_maps_ids_to_whole_positive_prices)
{
    json_t *errors = json_object();
    json_t *body = json_pack("{s:{s:i,s:I}}", "reprice", "a", 2550, "b", (json_int_t)KF_MONEY_MAX);
    ck_assert_ptr_eq(kf_tenant_reprice_read(body, errors), json_object_get(body, "reprice"));
    ck_assert_int_eq(json_object_size(errors), 0);
    json_decref(body);
    body = json_pack("{s:{s:i,s:f,s:s}}", "reprice", "a", 0, "b", 25.5, "c", "25");
    ck_assert_ptr_null(kf_tenant_reprice_read(body, errors));
    ck_assert_int_eq(json_object_size(errors), 3);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "reprice.b")), "reprice_amount");
    json_decref(body);
    body = json_pack("{s:[]}", "reprice");
    ck_assert_ptr_null(kf_tenant_reprice_read(body, errors));
    ck_assert_str_eq(json_string_value(json_object_get(errors, "reprice")), "reprice_object");
    json_decref(body);
    body = json_object();
    ck_assert_ptr_null(kf_tenant_reprice_read(body, errors));
    json_decref(body);
    json_decref(errors);
}
END_TEST

START_TEST(currency_in_use_names_what_to_reprice)
{
    apr_array_header_t *svc = apr_array_make(pool, 8, sizeof(const char *));
    apr_array_header_t *pkg = apr_array_make(pool, 1, sizeof(const char *));
    APR_ARRAY_PUSH(svc, const char *) = "Corte";
    ck_assert_str_eq(kf_currency_in_use_message(pool, KF_LOCALE_EN, "USD", "COP", svc, pkg),
                     "To charge in USD, first give a price in USD (or archive) what is priced "
                     "in COP: service “Corte”.");
    APR_ARRAY_PUSH(pkg, const char *) = "4 sesiones";
    APR_ARRAY_PUSH(svc, const char *) = "Masaje";
    ck_assert_str_eq(kf_currency_in_use_message(pool, KF_LOCALE_ES, "USD", "COP", svc, pkg),
                     "Para cobrar en USD, primero dale un precio en USD (o archiva) lo que tiene "
                     "precio en COP: los servicios “Corte”, “Masaje” y el paquete “4 sesiones”.");
    for (int i = 0; i < 5; i++) {
        APR_ARRAY_PUSH(svc, const char *) = "Otro";
    }
    ck_assert_ptr_nonnull(strstr(kf_currency_in_use_message(pool, KF_LOCALE_EN, "USD", "COP",
                                                            svc, NULL), "“Otro” and 2 more."));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tenant_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, field_enum_matches_names);
    tcase_add_test(tc, colors);
    tcase_add_test(tc, privacy_settings_are_read_with_their_ranges);
    tcase_add_test(tc, currency_must_exist_and_be_taken_by_the_active_provider);
    tcase_add_test(tc, currency_in_use_names_what_to_reprice);
    tcase_add_test(tc, the_currency_follows_a_new_country_unless_chosen);
    tcase_add_test(tc, reprice_maps_ids_to_whole_positive_prices);
    tcase_add_test(tc, subdomains);
    tcase_add_test(tc, countries_locales_zones);
    tcase_add_test(tc, field_checks);
    tcase_add_test(tc, reminder_leads_follow_the_one_rule);
    tcase_add_test(tc, booking_policy_is_read_with_its_ranges);
    tcase_add_test(tc, patch_validation_reports_every_bad_field);
    tcase_add_test(tc, trim);
    tcase_add_test(tc, secret_hints);
    tcase_add_test(tc, every_message_id_is_translated);
    tcase_add_test(tc, payment_provider_is_one_of_those_handed);
    tcase_add_test(tc, events_secret_rotation_keeps_the_previous_for_72h);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
