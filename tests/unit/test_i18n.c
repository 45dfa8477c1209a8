#include "kf_check.h"
#include "kf_i18n.h"

#include <string.h>

START_TEST(spanish_is_the_default)
{
    ck_assert_int_eq(kf_locale_negotiate(NULL), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_negotiate(""), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_negotiate("fr-FR, de;q=0.9"), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_negotiate("*"), KF_LOCALE_ES);
}
END_TEST

START_TEST(a_stored_tag_is_english_or_spanish)
{
    ck_assert_int_eq(kf_locale_of_tag("en"), KF_LOCALE_EN);
    ck_assert_int_eq(kf_locale_of_tag("es"), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_of_tag("EN-us"), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_of_tag(NULL), KF_LOCALE_ES);
}
END_TEST

START_TEST(english_when_preferred)
{
    ck_assert_int_eq(kf_locale_negotiate("en"), KF_LOCALE_EN);
    ck_assert_int_eq(kf_locale_negotiate("en-US,en;q=0.9"), KF_LOCALE_EN);
    ck_assert_int_eq(kf_locale_negotiate("fr, en-GB;q=0.5"), KF_LOCALE_EN);
    ck_assert_int_eq(kf_locale_negotiate("EN-us"), KF_LOCALE_EN);
}
END_TEST

START_TEST(quality_values_decide)
{
    ck_assert_int_eq(kf_locale_negotiate("en;q=0.4, es-CO;q=0.8"), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_negotiate("es;q=0.3, en;q=0.7"), KF_LOCALE_EN);
    ck_assert_int_eq(kf_locale_negotiate("es-CO, en"), KF_LOCALE_ES);
    ck_assert_int_eq(kf_locale_negotiate("en, es"), KF_LOCALE_EN);
    ck_assert_int_eq(kf_locale_negotiate("en;q=0, es;q=0"), KF_LOCALE_ES);
    /* "eng" or "esperanto" are not en/es */
    ck_assert_int_eq(kf_locale_negotiate("eng"), KF_LOCALE_ES);
}
END_TEST

START_TEST(every_api_error_code_has_both_messages)
{
    static const char *codes[] = {
        "not_found", "method_not_allowed", "payload_too_large", "malformed_json",
        "validation_failed", "unauthenticated", "csrf_failed", "invalid_credentials",
        "email_not_verified", "too_many_attempts", "email_taken", "subdomain_taken",
        "link_not_found", "link_expired", "invalid_timezone", "invalid_parameter",
        "service_not_found", "professional_not_found", "slot_unavailable", "hold_expired",
        "invalid_signature", "provider_error", "schema_outdated", "internal_error",
    };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        ck_assert_msg(kf_message_known(codes[i]), "no message for %s", codes[i]);
        const char *es = kf_message(codes[i], KF_LOCALE_ES);
        const char *en = kf_message(codes[i], KF_LOCALE_EN);
        ck_assert_msg(strcmp(es, en) != 0, "%s is not translated", codes[i]);
    }
    ck_assert_str_eq(kf_message("link_expired", KF_LOCALE_ES), "Este enlace ha expirado.");
    ck_assert_str_eq(kf_message("slot_unavailable", KF_LOCALE_ES),
                     "Este horario ya no está disponible.");
}
END_TEST

START_TEST(unknown_ids_get_a_generic_message)
{
    ck_assert(!kf_message_known("no_such_code"));
    ck_assert_str_eq(kf_message("no_such_code", KF_LOCALE_EN), "The request could not be completed.");
    ck_assert_ptr_nonnull(kf_message(NULL, KF_LOCALE_ES));
    ck_assert_str_eq(kf_locale_tag(KF_LOCALE_EN), "en");
    ck_assert_str_eq(kf_locale_tag(KF_LOCALE_ES), "es");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = tcase_create("locale");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, spanish_is_the_default);
    tcase_add_test(tc, a_stored_tag_is_english_or_spanish);
    tcase_add_test(tc, english_when_preferred);
    tcase_add_test(tc, quality_values_decide);
    tcase_add_test(tc, every_api_error_code_has_both_messages);
    tcase_add_test(tc, unknown_ids_get_a_generic_message);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
