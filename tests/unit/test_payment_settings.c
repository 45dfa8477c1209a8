/* Unit tests for lib/tenant/kf_payment_settings.c: a provider account's PUT body, what the
 * audit and GET show of it (never a whole secret), and the secrets as sealed with a rotated
 * events secret. */
#include "kf_check_fields.h"
#include "kf_payment_settings.h"
#include "kf_json.h"

#include <string.h>
#include <apr_strings.h>

#define NOW 1767225600

START_TEST(a_valid_put_gives_its_values_in_the_settings_order)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    json_t *errors = kf_payment_settings_read(
        "stripe", parse("{\"mode\": \"test\", \"webhook_secret\": \"whsec_abcdefgh1234\","
                        " \"secret_key\": \"sk_test_51Habc123XYZ\"}"), &mode, values);
    ck_assert_str_eq(text_of(errors), "{}");
    ck_assert_str_eq(mode, "test");
    ck_assert_str_eq(values[0], "sk_test_51Habc123XYZ");
    ck_assert_str_eq(values[1], "whsec_abcdefgh1234");
}
END_TEST

START_TEST(every_bad_setting_is_named)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    ck_assert_str_eq(text_of(kf_payment_settings_read(
                         "stripe", parse("{\"mode\": \"production\", \"secret_key\": \"sk_test_51Habc123XYZ\","
                                         " \"webhook_secret\": 5}"), &mode, values)),
                     "{\"secret_key\":\"stripe_secret_key_prefix\","
                     "\"webhook_secret\":\"tenant_field_string\"}");
    ck_assert_str_eq(text_of(kf_payment_settings_read("wompi", parse("{\"mode\": \"live\"}"),
                                                      &mode, values)),
                     "{\"mode\":\"wompi_mode\",\"public_key\":\"tenant_field_required\","
                     "\"private_key\":\"tenant_field_required\","
                     "\"events_secret\":\"tenant_field_required\","
                     "\"integrity_secret\":\"tenant_field_required\"}");
}
END_TEST

START_TEST(without_a_mode_a_key_fit_for_either_mode_passes)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    ck_assert_str_eq(text_of(kf_payment_settings_read(
                         "stripe", parse("{\"secret_key\": \"sk_live_51Habc123XYZ\","
                                         " \"webhook_secret\": \"whsec_abcdefgh1234\"}"), &mode, values)),
                     "{\"mode\":\"tenant_field_required\"}");
}
END_TEST

START_TEST(the_audit_never_holds_a_secret_and_hints_show_four_characters)
{
    const char *values[] = {"client-123", "api_key_abcdefgh9876", "short12", NULL};
    const char *public_value = NULL, *hints = NULL;
    json_t *changes = kf_payment_settings_changes(pool, "airwallex", "production", values,
                                                  &public_value, &hints);
    ck_assert_str_eq(text_of(changes),
                     "{\"mode\":\"production\",\"client_id\":\"client-123\","
                     "\"api_key\":\"[redacted]\",\"webhook_secret\":\"[redacted]\"}");
    ck_assert_str_eq(public_value, "client-123");
    /* a secret under 8 characters shows nothing */
    ck_assert_str_eq(hints, "{\"api_key\":\"9876\",\"webhook_secret\":null}");
}
END_TEST

START_TEST(a_new_events_secret_keeps_the_old_one_for_the_grace_period)
{
    const char *values[] = {"APP_USR-token-123456", "new-secret-123456", NULL};
    json_t *old = parse("{\"private_key\": \"APP_USR-token-000000\", \"events_secret\": \"old-secret-000000\"}");
    json_t *secrets = kf_payment_settings_secrets("mercadopago", values, old, NOW);
    ck_assert_str_eq(text_of(secrets),
                     apr_psprintf(pool, "{\"private_key\":\"APP_USR-token-123456\","
                                        "\"events_secret\":\"new-secret-123456\","
                                        "\"previous_events_secret\":\"old-secret-000000\","
                                        "\"previous_events_secret_until\":%d}",
                                  NOW + KF_EVENTS_SECRET_GRACE_SEC));
    /* nothing stored: nothing carried */
    ck_assert_str_eq(text_of(kf_payment_settings_secrets("mercadopago", values, NULL, NOW)),
                     "{\"private_key\":\"APP_USR-token-123456\","
                     "\"events_secret\":\"new-secret-123456\"}");
}
END_TEST

START_TEST(the_secrets_are_sealed_with_the_stored_events_secret_carried)
{
    unsigned char key[32];
    memset(key, 7, sizeof(key));
    kf_keyring *keyring = kf_keyring_make(pool);
    kf_keyring_add(keyring, key, 1);
    const char *tenant = "0b0e7c1a-0000-4000-8000-000000000001";
    const char *aad = kf_provider_secrets_aad(pool, tenant, "mercadopago");
    const char *stored = kf_seal_text(pool, keyring, "{\"private_key\": \"APP_USR-token-000000\","
                                      " \"events_secret\": \"old-secret-000000\"}", aad);
    const char *values[] = {"APP_USR-token-123456", "new-secret-123456", NULL};
    const char *sealed = kf_payment_settings_seal(pool, keyring, tenant, "mercadopago", values,
                                                  stored, NOW);
    ck_assert_str_eq(kf_open_text(pool, keyring, sealed, aad),
                     apr_psprintf(pool, "{\"private_key\":\"APP_USR-token-123456\","
                                        "\"events_secret\":\"new-secret-123456\","
                                        "\"previous_events_secret\":\"old-secret-000000\","
                                        "\"previous_events_secret_until\":%d}",
                                  NOW + KF_EVENTS_SECRET_GRACE_SEC));
    /* sealed for another tenant: it does not open here, nothing is carried */
    const char *other = kf_seal_text(pool, keyring, "{\"events_secret\": \"x-000000000\"}",
                                     kf_provider_secrets_aad(pool, "other", "mercadopago"));
    sealed = kf_payment_settings_seal(pool, keyring, tenant, "mercadopago", values, other, NOW);
    ck_assert_str_eq(kf_open_text(pool, keyring, sealed, aad),
                     "{\"private_key\":\"APP_USR-token-123456\","
                     "\"events_secret\":\"new-secret-123456\"}");
    ck_assert_ptr_null(kf_payment_settings_seal(pool, NULL, tenant, "mercadopago", values, NULL, NOW));
}
END_TEST

START_TEST(get_shows_the_public_setting_and_last_fours)
{
    ck_assert_str_eq(text_of(kf_payment_settings_view(pool, "airwallex", 1, "test", "client-123",
                                                      "{\"api_key\": \"9876\", \"webhook_secret\": null}",
                                                      "2026-01-01T00:00:00Z")),
                     "{\"configured\":true,\"mode\":\"test\",\"client_id\":\"client-123\","
                     "\"api_key_last4\":\"9876\",\"webhook_secret_last4\":null,"
                     "\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    ck_assert_str_eq(text_of(kf_payment_settings_view(pool, "stripe", 0, NULL, NULL, NULL, NULL)),
                     "{\"configured\":false,\"mode\":null,\"secret_key_last4\":null,"
                     "\"webhook_secret_last4\":null,\"updated_at\":null}");
}
END_TEST

START_TEST(every_provider_is_shown_configured_or_not)
{
    const char *stripe[KF_PAY_SETTINGS_COLUMNS] = {"stripe", "live", NULL,
                                                   "{\"secret_key\": \"4242\"}",
                                                   "2026-01-01T00:00:00Z"};
    const char *const *rows[] = {stripe};
    json_t *all = kf_payment_settings_all(pool, rows, 1);
    for (int i = 0; kf_payment_settings_providers[i]; i++) {
        json_t *one = json_object_get(all, kf_payment_settings_providers[i]);
        ck_assert_ptr_nonnull(one);
        ck_assert_int_eq(json_is_true(json_object_get(one, "configured")),
                         strcmp(kf_payment_settings_providers[i], "stripe") == 0);
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(all, "stripe"),
                                                       "secret_key_last4")), "4242");
    json_decref(all);
    ck_assert_str_eq(text_of(kf_payment_settings_tested("Aurora SAS", "test")),
                     "{\"ok\":true,\"merchant_name\":\"Aurora SAS\",\"mode\":\"test\"}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_settings");
    TCase *tc = tcase_create("put and view");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_valid_put_gives_its_values_in_the_settings_order);
    tcase_add_test(tc, every_bad_setting_is_named);
    tcase_add_test(tc, without_a_mode_a_key_fit_for_either_mode_passes);
    tcase_add_test(tc, the_audit_never_holds_a_secret_and_hints_show_four_characters);
    tcase_add_test(tc, a_new_events_secret_keeps_the_old_one_for_the_grace_period);
    tcase_add_test(tc, get_shows_the_public_setting_and_last_fours);
    tcase_add_test(tc, the_secrets_are_sealed_with_the_stored_events_secret_carried);
    tcase_add_test(tc, every_provider_is_shown_configured_or_not);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
