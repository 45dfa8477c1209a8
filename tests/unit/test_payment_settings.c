/* Unit tests for lib/payments/kf_payment_settings.c: a provider account's PUT body, what the
 * audit and GET show of it (never a whole secret), and the secrets as sealed with a rotated
 * events secret; and each provider's settings and their formats, as its description says. */
#include "kf_check_fields.h"
#include "kf_payment_settings.h"
#include "kf_json.h"

#include <string.h>
#include <apr_strings.h>

#define NOW 1767225600
#define PROV(name) kf_payment_provider_find(name)

/* The setting of a provider called field. */
static const kf_payment_setting *setting(const char *provider, const char *field)
{
    const kf_payment_provider *prov = PROV(provider);
    for (const kf_payment_setting *s = prov ? prov->settings : NULL; s && s->field; s++) {
        if (strcmp(s->field, field) == 0) {
            return s;
        }
    }
    return NULL;
}

/* A setting's check for the provider called name. */
static const char *check(const char *name, const char *mode, const char *field,
                         const char *value)
{
    return kf_payment_setting_check(PROV(name), mode, setting(name, field), value);
}

START_TEST(each_provider_has_its_settings_and_formats)
{
    ck_assert_ptr_null(PROV("paypal"));
    ck_assert_ptr_null(PROV(NULL));
    ck_assert_int_eq(setting("airwallex", "client_id")->slot, KF_PAYMENT_SLOT_PUBLIC);
    ck_assert_int_eq(setting("stripe", "secret_key")->slot, KF_PAYMENT_SLOT_PRIVATE);
    ck_assert_int_eq(setting("mercadopago", "webhook_secret")->slot, KF_PAYMENT_SLOT_EVENTS);
    ck_assert_ptr_null(setting("stripe", "public_key"));
    ck_assert_str_eq(kf_payment_slot_name(KF_PAYMENT_SLOT_EVENTS), "events_secret");
    ck_assert_ptr_null(kf_payment_slot_name(KF_PAYMENT_SLOT_PUBLIC));
    ck_assert(kf_payment_mode_valid("test") && kf_payment_mode_valid("production"));
    ck_assert(!kf_payment_mode_valid("prod") && !kf_payment_mode_valid("TEST") &&
              !kf_payment_mode_valid(NULL));

    ck_assert_ptr_null(check("stripe", "test", "secret_key", "sk_test_51Habc123XYZ"));
    ck_assert_ptr_null(check("stripe", "test", "secret_key", "rk_test_51Habc123XYZ"));
    ck_assert_str_eq(check("stripe", "production", "secret_key", "sk_test_51Habc123XYZ"),
                     "stripe_secret_key_prefix");
    ck_assert_str_eq(check("stripe", "test", "secret_key", "sk_test_short"), "payment_key_format");
    ck_assert_str_eq(check("stripe", "test", "webhook_secret", "secret_1234567890"),
                     "stripe_webhook_secret_prefix");
    ck_assert_ptr_null(check("mercadopago", "production", "access_token",
                             "APP_USR-1234567890-abcdef"));
    ck_assert_str_eq(check("mercadopago", "test", "access_token", "APP_USR-1234567890"),
                     "mercadopago_access_token_prefix");
    ck_assert_str_eq(check("airwallex", "test", "api_key", "has spaces in it"),
                     "payment_key_format");
    ck_assert_ptr_null(check("airwallex", "test", "client_id", "C1ient_Id-12345"));
    ck_assert_str_eq(kf_payment_setting_check(PROV("stripe"), "test", NULL, "x"),
                     "payment_key_format");
}
END_TEST

START_TEST(wompi_keys_have_a_prefix_per_kind_and_mode)
{
    ck_assert_ptr_null(check("wompi", "test", "public_key", "pub_test_Q5yDA9xoKdePzhSG"));
    ck_assert_ptr_null(check("wompi", "production", "integrity_secret",
                             "prod_integrity_Z5mMke9x0k8gpErbDqwrJXMqsI6SFli6"));
    ck_assert_ptr_null(check("wompi", "test", "events_secret", "test_events_abc-DEF_123"));
    ck_assert_ptr_null(check("wompi", "production", "private_key", "prv_prod_Q5yDA9xoKdePzhSG"));
    /* a production key in test mode, and the reverse */
    ck_assert_str_eq(check("wompi", "test", "public_key", "pub_prod_Q5yDA9xoKdePzhSG"),
                     "wompi_public_key_prefix");
    ck_assert_str_eq(check("wompi", "production", "private_key", "prv_test_Q5yDA9xoKdePzhSG"),
                     "wompi_private_key_prefix");
    ck_assert_str_eq(check("wompi", "test", "events_secret", "prod_events_abcdefgh"),
                     "wompi_events_secret_prefix");
    ck_assert_str_eq(check("wompi", "test", "integrity_secret", "abcdefghijkl"),
                     "wompi_integrity_secret_prefix");
    /* the key of another kind, an unknown mode */
    ck_assert_str_eq(check("wompi", "test", "private_key", "pub_test_abcdefgh"),
                     "wompi_private_key_prefix");
    ck_assert_str_eq(check("wompi", "staging", "public_key", "pub_test_abcdefgh"),
                     "wompi_public_key_prefix");
    ck_assert_str_eq(check("wompi", "test", "public_key", "pub_test_short"), "wompi_key_format");
    ck_assert_str_eq(check("wompi", "test", "public_key", "pub_test_abc def gh"),
                     "wompi_key_format");
    ck_assert_str_eq(check("wompi", "test", "public_key", "pub_test_abcdefgh\n"),
                     "wompi_key_format");
    ck_assert_str_eq(check("wompi", "test", "public_key", "pub_test_" "abcdefgh12345678abcdefgh12345678"
                           "abcdefgh12345678abcdefgh12345678abcdefgh12345678abcdefgh12345678"
                           "abcdefgh12345678abcdefgh12345678abcdefgh12345678abcdefgh12345678"
                           "abcdefgh12345678abcdefgh12345678abcdefgh1"), "wompi_key_format");
}
END_TEST

/* Every message a provider's checks can give, in both languages: its own or the shared ones. */
START_TEST(every_message_of_a_provider_is_translated)
{
    static const char *const ids[] = {
        "wompi_public_key_prefix", "wompi_private_key_prefix", "wompi_events_secret_prefix",
        "wompi_integrity_secret_prefix", "wompi_key_format", "wompi_not_configured",
        "stripe_secret_key_prefix", "stripe_webhook_secret_prefix", "stripe_not_configured",
        "mercadopago_access_token_prefix", "mercadopago_not_configured",
        "airwallex_not_configured", NULL,
    };
    for (int i = 0; ids[i]; i++) {
        const kf_payment_provider *prov = PROV(apr_pstrndup(pool, ids[i], strcspn(ids[i], "_")));
        const char *es = kf_payment_own_message(prov, ids[i], KF_LOCALE_ES);
        const char *en = kf_payment_own_message(prov, ids[i], KF_LOCALE_EN);
        ck_assert_msg(es && en && strcmp(es, en) != 0, "%s is not translated", ids[i]);
    }
    ck_assert(kf_message_known("payment_mode") && kf_message_known("payment_key_format"));
    ck_assert_str_eq(kf_payment_message_text(PROV("stripe"), "payment_key_format", KF_LOCALE_EN),
                     "Must have 8 to 300 letters, digits, _ or -.");
    ck_assert_ptr_null(kf_payment_own_message(PROV("airwallex"), "wompi_key_format",
                                              KF_LOCALE_EN));
}
END_TEST

START_TEST(refused_settings_are_said_in_the_providers_words)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    json_t *ids = kf_payment_settings_read(
        PROV("wompi"), parse("{\"mode\": \"live\", \"public_key\": \"pub_test_abcdefgh\","
                             " \"private_key\": \"prv_test_abc\"}"), &mode, values);
    ck_assert_str_eq(text_of(kf_payment_settings_refusal(PROV("wompi"), KF_LOCALE_EN, ids)),
                     "{\"mode\":\"Must be test or production.\","
                     "\"private_key\":\"After the prefix it must have 8 to 200 letters, digits, _ or -.\","
                     "\"events_secret\":\"This field is required and cannot be null.\","
                     "\"integrity_secret\":\"This field is required and cannot be null.\"}");
    ck_assert_str_eq(text_of(kf_payment_settings_missing(pool, PROV("mercadopago"), KF_LOCALE_ES)),
                     "{\"error\":{\"code\":\"mercadopago_not_configured\","
                     "\"message\":\"Primero guarda las credenciales de Mercado Pago.\"}}");
}
END_TEST

START_TEST(a_valid_put_gives_its_values_in_the_settings_order)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    json_t *errors = kf_payment_settings_read(
        PROV("stripe"), parse("{\"mode\": \"test\", \"webhook_secret\": \"whsec_abcdefgh1234\","
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
                         PROV("stripe"), parse("{\"mode\": \"production\", \"secret_key\": \"sk_test_51Habc123XYZ\","
                                         " \"webhook_secret\": 5}"), &mode, values)),
                     "{\"secret_key\":\"stripe_secret_key_prefix\","
                     "\"webhook_secret\":\"tenant_field_string\"}");
    ck_assert_str_eq(text_of(kf_payment_settings_read(PROV("wompi"), parse("{\"mode\": \"live\"}"),
                                                      &mode, values)),
                     "{\"mode\":\"payment_mode\",\"public_key\":\"tenant_field_required\","
                     "\"private_key\":\"tenant_field_required\","
                     "\"events_secret\":\"tenant_field_required\","
                     "\"integrity_secret\":\"tenant_field_required\"}");
}
END_TEST

START_TEST(without_a_mode_a_key_fit_for_either_mode_passes)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    ck_assert_str_eq(text_of(kf_payment_settings_read(
                         PROV("stripe"), parse("{\"secret_key\": \"sk_live_51Habc123XYZ\","
                                         " \"webhook_secret\": \"whsec_abcdefgh1234\"}"), &mode, values)),
                     "{\"mode\":\"tenant_field_required\"}");
}
END_TEST

START_TEST(the_audit_never_holds_a_secret_and_hints_show_four_characters)
{
    const char *values[] = {"client-123", "api_key_abcdefgh9876", "short12", NULL};
    const char *public_value = NULL, *hints = NULL;
    json_t *changes = kf_payment_settings_changes(pool, PROV("airwallex"), "production", values,
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
    json_t *secrets = kf_payment_settings_secrets(PROV("mercadopago"), values, old, NOW);
    ck_assert_str_eq(text_of(secrets),
                     apr_psprintf(pool, "{\"private_key\":\"APP_USR-token-123456\","
                                        "\"events_secret\":\"new-secret-123456\","
                                        "\"previous_events_secret\":\"old-secret-000000\","
                                        "\"previous_events_secret_until\":%d}",
                                  NOW + KF_EVENTS_SECRET_GRACE_SEC));
    /* nothing stored: nothing carried */
    ck_assert_str_eq(text_of(kf_payment_settings_secrets(PROV("mercadopago"), values, NULL, NOW)),
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
    const char *sealed = kf_payment_settings_seal(pool, keyring, tenant, PROV("mercadopago"), values,
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
    sealed = kf_payment_settings_seal(pool, keyring, tenant, PROV("mercadopago"), values, other, NOW);
    ck_assert_str_eq(kf_open_text(pool, keyring, sealed, aad),
                     "{\"private_key\":\"APP_USR-token-123456\","
                     "\"events_secret\":\"new-secret-123456\"}");
    ck_assert_ptr_null(kf_payment_settings_seal(pool, NULL, tenant, PROV("mercadopago"), values, NULL, NOW));
}
END_TEST

START_TEST(get_shows_the_public_setting_and_last_fours)
{
    ck_assert_str_eq(text_of(kf_payment_settings_view(pool, PROV("airwallex"), 1, "test", "client-123",
                                                      "{\"api_key\": \"9876\", \"webhook_secret\": null}",
                                                      "2026-01-01T00:00:00Z")),
                     "{\"label\":\"Airwallex\",\"settings\":[{\"name\":\"client_id\",\"secret\":false},"
                     "{\"name\":\"api_key\",\"secret\":true},{\"name\":\"webhook_secret\",\"secret\":true}],"
                     "\"configured\":true,\"mode\":\"test\",\"client_id\":\"client-123\","
                     "\"api_key_last4\":\"9876\",\"webhook_secret_last4\":null,"
                     "\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    ck_assert_str_eq(text_of(kf_payment_settings_view(pool, PROV("stripe"), 0, NULL, NULL, NULL, NULL)),
                     "{\"label\":\"Stripe\",\"settings\":[{\"name\":\"secret_key\",\"secret\":true},"
                     "{\"name\":\"webhook_secret\",\"secret\":true}],"
                     "\"configured\":false,\"mode\":null,\"secret_key_last4\":null,"
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
    ck_assert_int_eq(json_object_size(all), 4);
    for (int i = 0; kf_payment_providers[i]; i++) {
        json_t *one = json_object_get(all, kf_payment_providers[i]->name);
        ck_assert_ptr_nonnull(one);
        ck_assert_int_eq(json_is_true(json_object_get(one, "configured")),
                         strcmp(kf_payment_providers[i]->name, "stripe") == 0);
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
    tcase_add_test(tc, each_provider_has_its_settings_and_formats);
    tcase_add_test(tc, wompi_keys_have_a_prefix_per_kind_and_mode);
    tcase_add_test(tc, every_message_of_a_provider_is_translated);
    tcase_add_test(tc, refused_settings_are_said_in_the_providers_words);
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
