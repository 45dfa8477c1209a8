/* Unit tests for lib/tenant/kf_tenant_settings.c: what a PATCH /api/admin/tenant body says
 * (field errors by message id, the custom domain as stored), which of its fields change the
 * row and how the audit shows them, and the settings' JSON of a stored row. */
#include "kf_check_fields.h"
#include "kf_tenant_settings.h"
#include "kf_signatures.h"
#include "kf_json.h"

#include <string.h>

static json_t *errors;
static kf_tenant_patch patch;

/* What the rules are handed of the payment providers (in the module, their registry's). */
static const char *const *providers(const char *name)
{
    static const char *const wompi[] = {"COP", NULL};
    static const char *const stripe[] = {"USD", "COP", "CLP", NULL};
    static const char *const mercadopago[] = {"CLP", "COP", NULL};
    return !name                             ? NULL
           : strcmp(name, "wompi") == 0       ? wompi
           : strcmp(name, "stripe") == 0      ? stripe
           : strcmp(name, "mercadopago") == 0 ? mercadopago
                                              : NULL;
}

static json_t *read_patch(const char *text)
{
    json_t *body = parse(text);
    errors = kf_json_obj(pool);   /* released with the test's pool */
    kf_tenant_patch_read(pool, body, KF_URL_HTTPS_ONLY, "konfirmado.example", NULL, providers,
                         errors, &patch);
    return body;
}

START_TEST(a_good_patch_is_read_in_one_call)
{
    json_t *body = read_patch("{\"name\": \"  Salón Ana \", \"custom_domain\": \"Citas.Salon-Ana.COM.\","
                              " \"currency\": \"USD\", \"reprice\": {\"x\": 1500},"
                              " \"cancel_cutoff_hours\": 24, \"calendar_customer_attendee\": true,"
                              " \"reminders\": [1440, 60]}");
    ck_assert_str_eq(kf_json_dump(pool, errors), "{}");
    ck_assert_str_eq(patch.currency, "USD");
    ck_assert_ptr_nonnull(patch.reprice);
    ck_assert_str_eq(patch.policy[0], "24");
    ck_assert_str_eq(patch.policy[KF_TENANT_POLICY_ATTENDEE], "true");
    ck_assert_ptr_null(patch.policy[KF_TENANT_POLICY_PROVIDER]);
    ck_assert_str_eq(patch.reminders, "{1440,60}");
    ck_assert_int_eq(patch.policy_sent, 3);
    /* the domain is stored as hosts are looked up */
    ck_assert_str_eq(json_string_value(json_object_get(body, "custom_domain")),
                     "citas.salon-ana.com");
}
END_TEST

START_TEST(the_policy_statement_gets_what_was_sent_the_reminders_and_the_tenant)
{
    read_patch("{\"max_reschedules\": 2, \"reminders\": [60]}");
    const char **args = kf_tenant_policy_args(pool, &patch, "tenant-1");
    for (int i = 0; i < KF_TENANT_POLICY_FIELDS; i++) {
        if (strcmp(kf_tenant_policy_fields[i], "max_reschedules") == 0) {
            ck_assert_str_eq(args[i], "2");
        }
        else {
            ck_assert_ptr_null(args[i]);   /* not sent: the stored value stays */
        }
    }
    ck_assert_str_eq(args[KF_TENANT_POLICY_FIELDS], "{60}");
    ck_assert_str_eq(args[KF_TENANT_POLICY_ARGS - 1], "tenant-1");
}
END_TEST

START_TEST(each_bad_field_is_named)
{
    read_patch("{\"callback_url\": \"https://127.0.0.1/hook\", \"custom_domain\": \"x.konfirmado.example\","
               " \"currency\": \"XYZ\", \"primary_color\": \"red\"}");
    ck_assert_str_eq(kf_json_dump(pool, errors),
                     "{\"primary_color\":\"tenant_color\",\"callback_url\":\"tenant_url_internal\","
                     "\"custom_domain\":\"tenant_custom_domain_platform\","
                     "\"currency\":\"currency_invalid\"}");
    read_patch("{\"currency\": null}");
    ck_assert_str_eq(kf_json_dump(pool, errors), "{\"currency\":\"tenant_field_required\"}");
    read_patch("{\"currency\": 840}");
    ck_assert_str_eq(kf_json_dump(pool, errors), "{\"currency\":\"tenant_field_string\"}");
}
END_TEST

START_TEST(only_what_differs_is_a_change)
{
    json_t *body = read_patch("{\"name\": \" Salón Ana \", \"subdomain\": \"ana\","
                              " \"logo_url\": null, \"custom_domain\": \"citas.ana.com\","
                              " \"max_reschedules\": 2, \"calendar_customer_attendee\": false,"
                              " \"reminders\": []}");
    ck_assert_str_eq(kf_json_dump(pool, errors), "{}");
    const char *current[KF_TENANT_FIELD_COUNT] = {0};
    current[KF_TENANT_NAME] = "Salón Ana";
    current[KF_TENANT_SUBDOMAIN] = "ana";
    current[KF_TENANT_LOGO_URL] = "https://img.example.com/logo.png";
    current[KF_TENANT_TIMEZONE] = "America/Bogota";
    const char *values[KF_TENANT_FIELD_COUNT];
    int subdomain_changed = -1, domain_changed = -1;
    json_t *changes = json_object();
    kf_tenant_patch_changes(pool, body, &patch, current, values, &subdomain_changed,
                            &domain_changed, changes);
    ck_assert_str_eq(text_of(changes),
                     "{\"logo_url\":null,\"custom_domain\":\"citas.ana.com\","
                     "\"max_reschedules\":2,\"calendar_customer_attendee\":false,"
                     "\"reminders\":[]}");
    ck_assert_str_eq(values[KF_TENANT_NAME], "Salón Ana");
    ck_assert_ptr_null(values[KF_TENANT_LOGO_URL]);
    ck_assert_str_eq(values[KF_TENANT_TIMEZONE], "America/Bogota");
    ck_assert_str_eq(values[KF_TENANT_CUSTOM_DOMAIN], "citas.ana.com");
    ck_assert_int_eq(subdomain_changed, 0);
    ck_assert_int_eq(domain_changed, 1);
}
END_TEST

/* The sites allowed to frame the booking pages come with the rest of the PATCH: refused
 * with the other fields, stored normalized, audited as stored. */
START_TEST(embed_origins_are_read_with_the_patch)
{
    read_patch("{\"name\": \"x\", \"embed_origins\": [\"https://a.com/path\"]}");
    ck_assert_str_eq(kf_json_dump(pool, errors),
                     "{\"name\":\"tenant_name_length\",\"embed_origins\":\"tenant_embed_origin\"}");
    ck_assert_ptr_null(patch.embed_origins);
    json_t *body = read_patch("{\"embed_origins\": [\"HTTPS://Shop.com\"]}");
    ck_assert_str_eq(kf_json_dump(pool, errors), "{}");
    ck_assert_str_eq(patch.embed_origins, "[\"https://shop.com\"]");
    const char *current[KF_TENANT_FIELD_COUNT] = {0}, *values[KF_TENANT_FIELD_COUNT];
    int subdomain_changed, domain_changed;
    json_t *changes = json_object();
    kf_tenant_patch_changes(pool, body, &patch, current, values, &subdomain_changed,
                            &domain_changed, changes);
    ck_assert_str_eq(text_of(changes), "{\"embed_origins\":[\"https://shop.com\"]}");
}
END_TEST

START_TEST(what_follows_for_a_currency)
{
    const char *why = NULL;
    ck_assert_int_eq(kf_tenant_currency_step("COP", "COP", providers("wompi"), 0, &why), KF_CURRENCY_KEEP);
    ck_assert_int_eq(kf_tenant_currency_step("USD", "COP", providers("stripe"), 0, &why), KF_CURRENCY_MOVE);
    ck_assert_ptr_null(why);
    /* sent: a currency the provider does not take is refused */
    ck_assert_int_eq(kf_tenant_currency_step("USD", "COP", providers("wompi"), 0, &why), KF_CURRENCY_REFUSE);
    ck_assert_str_eq(why, "currency_not_accepted");
    ck_assert_int_eq(kf_tenant_currency_step("XYZ", "COP", providers("stripe"), 0, &why), KF_CURRENCY_REFUSE);
    ck_assert_str_eq(why, "currency_invalid");
    /* brought by a new country: the currency stays instead */
    ck_assert_int_eq(kf_tenant_currency_step("USD", "COP", providers("wompi"), 1, &why), KF_CURRENCY_KEEP);
}
END_TEST

START_TEST(an_own_domain_needs_a_subdomain)
{
    const char *values[KF_TENANT_FIELD_COUNT] = {NULL};
    values[KF_TENANT_CUSTOM_DOMAIN] = "citas.aurora.example";
    json_t *refusal = kf_tenant_domain_refusal(values, 0, 1);
    ck_assert_str_eq(json_string_value(json_object_get(refusal, "custom_domain")),
                     "tenant_custom_domain_subdomain");
    json_decref(refusal);
    ck_assert_ptr_nonnull(refusal = kf_tenant_domain_refusal(values, 1, 0));  /* subdomain removed */
    json_decref(refusal);
    ck_assert_ptr_null(kf_tenant_domain_refusal(values, 0, 0));   /* neither touched */
    values[KF_TENANT_SUBDOMAIN] = "aurora";
    ck_assert_ptr_null(kf_tenant_domain_refusal(values, 1, 1));
    values[KF_TENANT_CUSTOM_DOMAIN] = NULL;
    values[KF_TENANT_SUBDOMAIN] = NULL;
    ck_assert_ptr_null(kf_tenant_domain_refusal(values, 1, 1));   /* neither: fine */
}
END_TEST

START_TEST(a_callback_secret_is_shown_once_and_audited_without_it)
{
    const char *secret = "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVz";
    json_t *answer = kf_callback_secret_answer(pool, secret, "2026-11-25T10:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(answer, "secret")), secret);
    ck_assert_str_eq(json_string_value(json_object_get(answer, "whsec")),
                     kf_standard_webhooks_secret(pool, secret, strlen(secret)));
    ck_assert_int_eq(strncmp(json_string_value(json_object_get(answer, "whsec")), "whsec_", 6), 0);
    ck_assert_str_eq(json_string_value(json_object_get(answer, "set_at")), "2026-11-25T10:00:00Z");
    json_decref(answer);
    answer = kf_callback_secret_answer(pool, secret, NULL);
    ck_assert(json_is_null(json_object_get(answer, "set_at")));
    json_decref(answer);
    json_t *changes = kf_callback_secret_changes(1);
    ck_assert_str_eq(json_string_value(json_object_get(changes, "callback_secret")), "[redacted]");
    ck_assert(json_is_true(json_object_get(changes, "replaced")));
    json_decref(changes);
}
END_TEST

START_TEST(the_currency_a_patch_leads_to)
{
    const char *currency = NULL, *provider = NULL;
    int by_default = -1;
    /* sent: that one, whatever the country */
    json_t *body = read_patch("{\"currency\": \"USD\", \"country\": \"CL\"}");
    ck_assert_ptr_null(kf_tenant_patch_currency(&patch, body, "COP", "CO", "stripe", providers, &currency,
                                                &provider, &by_default));
    ck_assert_str_eq(currency, "USD");
    ck_assert_str_eq(provider, "stripe");
    ck_assert_int_eq(by_default, 0);
    /* a new country brings its own to a tenant still in the old country's */
    body = read_patch("{\"country\": \"CL\"}");
    ck_assert_ptr_null(kf_tenant_patch_currency(&patch, body, "COP", "CO", "mercadopago", providers,
                                                &currency, &provider, &by_default));
    ck_assert_str_eq(currency, "CLP");
    ck_assert_int_eq(by_default, 1);
    /* nothing about money: unchanged */
    body = read_patch("{\"name\": \"Otro\"}");
    ck_assert_ptr_null(kf_tenant_patch_currency(&patch, body, "COP", "CO", "wompi", providers, &currency,
                                                &provider, &by_default));
    ck_assert_ptr_null(currency);
    /* a switch to a provider that does not charge the tenant's currency */
    body = read_patch("{\"payment_provider\": \"wompi\"}");
    ck_assert_str_eq(kf_tenant_patch_currency(&patch, body, "USD", "US", "stripe", providers, &currency,
                                              &provider, &by_default),
                     "provider_currency_not_accepted");
    ck_assert_str_eq(provider, "wompi");
}
END_TEST

START_TEST(moving_currency_reprices_what_the_patch_prices_and_names_the_rest)
{
    const char *const corte[] = {"s", "id-corte", "Corte", "COP"};
    const char *const tinte[] = {"s", "id-tinte", "Tinte", "COP"};
    const char *const bono[] = {"p", "id-bono", "4 sesiones", "COP"};
    const char *const *rows[] = {corte, tinte, bono};
    kf_currency_move plan;
    kf_currency_move_plan(pool, rows, 3, parse("{\"id-corte\": 2500, \"id-bono\": 9000}"), &plan);
    ck_assert_int_eq(plan.repriced->nelts, 2);
    ck_assert_ptr_eq(APR_ARRAY_IDX(plan.repriced, 1, const char *const *), bono);
    ck_assert_int_eq(APR_ARRAY_IDX(plan.prices, 0, apr_int64_t), 2500);
    ck_assert_str_eq(text_of(plan.changes), "{\"id-corte\":2500,\"id-bono\":9000}");
    ck_assert_int_eq(plan.services->nelts, 1);
    ck_assert_int_eq(plan.packages->nelts, 0);
    ck_assert_str_eq(text_of(kf_currency_in_use_json(pool, KF_LOCALE_EN, "USD", &plan)),
                     "{\"error\":{\"code\":\"currency_in_use\",\"message\":"
                     "\"To charge in USD, first give a price in USD (or archive) what is priced "
                     "in COP: service \u201cTinte\u201d.\"}}");
    /* all repriced: nothing left; left in two currencies: no single "from" */
    const char *const usd[] = {"p", "id-usd", "Bono", "CLP"};
    const char *const *mixed[] = {tinte, usd};
    kf_currency_move_plan(pool, mixed, 2, NULL, &plan);
    ck_assert_ptr_null(plan.changes);
    ck_assert_ptr_null(plan.from);
    ck_assert_int_eq(plan.services->nelts + plan.packages->nelts, 2);
}
END_TEST

START_TEST(a_stored_tenant_shows_its_settings)
{
    const char *row[KF_TENANT_COL_COUNT] = {0};
    row[KF_TENANT_NAME] = "Salón Ana";
    row[KF_TENANT_TIMEZONE] = "America/Bogota";
    row[KF_TENANT_CONTACT_PHONE] = "+5622345678";
    row[KF_TENANT_COL_ID] = "t-1";
    row[KF_TENANT_COL_CURRENCY] = "CLP";
    row[KF_TENANT_COL_SECRET_SET] = "t";
    row[KF_TENANT_COL_SECRET_SET_AT] = "2026-01-01T00:00:00Z";
    row[KF_TENANT_COL_UPDATED_AT] = "2026-01-02T00:00:00Z";
    const char *policy[] = {"24", "12", "2", "0", "24", "30", "full", "f", "stripe", "both"};
    for (int i = 0; i < KF_TENANT_POLICY_FIELDS; i++) {
        row[KF_TENANT_COL_POLICY + i] = policy[i];
    }
    row[KF_TENANT_COL_REMINDERS] = "[1440,60]";
    ck_assert_str_eq(text_of(kf_tenant_view_json(row, json_object(), json_null())),
                     "{\"id\":\"t-1\",\"name\":\"Salón Ana\",\"subdomain\":null,"
                     "\"timezone\":\"America/Bogota\",\"locale\":null,\"country\":null,"
                     "\"primary_color\":null,\"secondary_color\":null,\"logo_url\":null,"
                     "\"callback_url\":null,\"return_url\":null,\"terms_url\":null,"
                     "\"custom_domain\":null,\"notification_email\":null,"
                     "\"contact_phone\":\"+5622345678\",\"reply_to_email\":null,"
                     "\"currency\":\"CLP\",\"currency_exponent\":0,"
                     "\"callback_secret\":{\"configured\":true,\"set_at\":\"2026-01-01T00:00:00Z\"},"
                     "\"payments\":{},\"messaging\":null,\"updated_at\":\"2026-01-02T00:00:00Z\","
                     "\"cancel_cutoff_hours\":24,\"reschedule_cutoff_hours\":12,"
                     "\"max_reschedules\":2,\"auto_complete_hours\":0,"
                     "\"data_retention_months\":24,\"erasure_auto_days\":30,"
                     "\"refund_on_cancel\":\"full\","
                     "\"calendar_customer_attendee\":false,\"payment_provider\":\"stripe\","
                     "\"calcom_hours\":\"both\",\"reminders\":[1440,60],"
                     "\"reminder_limits\":{\"leads_max\":3,\"lead_min_minutes\":15,\"lead_max_minutes\":10080},"
                     "\"embed_origins\":[]}");
    row[KF_TENANT_COL_EMBED_ORIGINS] = "[\"https://shop.com\"]";
    json_t *framed = kf_tenant_view_json(row, json_object(), json_object());
    ck_assert_str_eq(text_of(json_incref(json_object_get(framed, "embed_origins"))),
                     "[\"https://shop.com\"]");
    json_decref(framed);
    row[KF_TENANT_COL_REMINDERS] = NULL;
    json_t *t = kf_tenant_view_json(row, json_object(), json_object());
    ck_assert_str_eq(text_of(json_incref(json_object_get(t, "reminders"))), "[]");
    json_decref(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tenant_settings");
    TCase *tc = tcase_create("patch and view");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_good_patch_is_read_in_one_call);
    tcase_add_test(tc, each_bad_field_is_named);
    tcase_add_test(tc, the_policy_statement_gets_what_was_sent_the_reminders_and_the_tenant);
    tcase_add_test(tc, only_what_differs_is_a_change);
    tcase_add_test(tc, the_currency_a_patch_leads_to);
    tcase_add_test(tc, an_own_domain_needs_a_subdomain);
    tcase_add_test(tc, what_follows_for_a_currency);
    tcase_add_test(tc, embed_origins_are_read_with_the_patch);
    tcase_add_test(tc, a_callback_secret_is_shown_once_and_audited_without_it);
    tcase_add_test(tc, moving_currency_reprices_what_the_patch_prices_and_names_the_rest);
    tcase_add_test(tc, a_stored_tenant_shows_its_settings);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
