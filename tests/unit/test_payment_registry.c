/* A payment provider is its own file and its registry line: "testpay" (kf_payment_testpay.c)
 * exists only in this suite, listed by kf_payment_providers_test.c, and every rule of the core
 * finds it through the registry alone: the settings a merchant saves and their checks, its
 * webhook's signature, the currencies a tenant may price in, its checkout's addresses, the
 * KonfirmadoProviderURL names, which checkouts the expiry job ends, the accounts' view. */
#include "kf_check_fields.h"
#include "kf_directive.h"
#include "kf_payment.h"
#include "kf_payment_settings.h"
#include "kf_signatures.h"
#include "kf_tenant_rules.h"
#include "kf_tenant_settings.h"

#include <apr_strings.h>
#include <string.h>

#define NOW 1767225600
#define TESTPAY kf_payment_provider_find("testpay")

START_TEST(it_is_listed_once_after_the_modules_own)
{
    const kf_payment_provider *prov = TESTPAY;
    ck_assert_ptr_nonnull(prov);
    ck_assert_str_eq(prov->label, "Test Pay");
    int n = 0;
    while (kf_payment_providers[n]) {
        n++;
    }
    ck_assert_int_eq(n, 5);
    ck_assert_ptr_eq(kf_payment_providers[4], prov);
    ck_assert_str_eq(kf_payment_names_text(pool, KF_LOCALE_EN),
                     "wompi, stripe, mercadopago, airwallex or testpay");
    /* its checkouts stay payable until ended: the expiry job's list has it */
    ck_assert_str_eq(kf_payment_closing(pool), "{stripe,airwallex,testpay}");
}
END_TEST

START_TEST(its_settings_are_checked_by_its_own_rule_in_its_own_words)
{
    const char *mode = NULL, *values[KF_PAYMENT_SETTINGS_MAX];
    json_t *ids = kf_payment_settings_read(
        TESTPAY, parse("{\"mode\": \"test\", \"merchant_id\": \"m-12345678\","
                       " \"signing_key\": \"tp_live_abcdefgh12\", \"webhook_secret\": 7}"),
        &mode, values);
    ck_assert_str_eq(text_of(json_incref(ids)), "{\"signing_key\":\"testpay_signing_key_prefix\","
                                   "\"webhook_secret\":\"tenant_field_string\"}");
    ck_assert_str_eq(text_of(kf_payment_settings_refusal(TESTPAY, KF_LOCALE_EN, ids)),
                     "{\"signing_key\":\"Must start with tp_test_ in test mode or tp_live_ in "
                     "production mode.\",\"webhook_secret\":\"Must be a string.\"}");

    ids = kf_payment_settings_read(
        TESTPAY, parse("{\"mode\": \"test\", \"merchant_id\": \"m-12345678\","
                       " \"signing_key\": \"tp_test_abcdefgh12\", \"webhook_secret\": \"whk-12345678\"}"),
        &mode, values);
    ck_assert_str_eq(text_of(ids), "{}");
    ck_assert_str_eq(values[0], "m-12345678");
    const char *public_value = NULL, *hints = NULL;
    ck_assert_str_eq(text_of(kf_payment_settings_changes(pool, TESTPAY, mode, values,
                                                         &public_value, &hints)),
                     "{\"mode\":\"test\",\"merchant_id\":\"m-12345678\","
                     "\"signing_key\":\"[redacted]\",\"webhook_secret\":\"[redacted]\"}");
    ck_assert_str_eq(public_value, "m-12345678");
    ck_assert_str_eq(text_of(kf_payment_settings_secrets(TESTPAY, values, NULL, NOW)),
                     "{\"private_key\":\"tp_test_abcdefgh12\",\"events_secret\":\"whk-12345678\"}");

    /* the accounts' view shows it with what a page needs to draw its form */
    json_t *all = kf_payment_settings_all(pool, NULL, 0);
    ck_assert_str_eq(text_of(json_incref(json_object_get(all, "testpay"))),
                     "{\"label\":\"Test Pay\",\"settings\":[{\"name\":\"merchant_id\",\"secret\":false},"
                     "{\"name\":\"signing_key\",\"secret\":true},{\"name\":\"webhook_secret\","
                     "\"secret\":true}],\"configured\":false,\"mode\":null,\"merchant_id\":null,"
                     "\"signing_key_last4\":null,\"webhook_secret_last4\":null,\"updated_at\":null}");
    json_decref(all);
    /* without words of its own for "not configured", the shared ones say it with its label */
    ck_assert_str_eq(text_of(kf_payment_settings_missing(pool, TESTPAY, KF_LOCALE_EN)),
                     "{\"error\":{\"code\":\"testpay_not_configured\","
                     "\"message\":\"Save the Test Pay keys first.\"}}");
}
END_TEST

/* A webhook as testpay's fake would send it. */
static kf_payment_webhook signed_webhook(const char *body, const char *secret)
{
    apr_table_t *headers = apr_table_make(pool, 1);
    apr_table_set(headers, "X-Testpay-Signature",
                  kf_sig_hmac_hex(pool, secret, "", 0, body, strlen(body)));
    kf_payment_webhook wh = {body, strlen(body), headers, NULL, apr_time_from_sec(NOW), NULL};
    return wh;
}

START_TEST(its_webhooks_are_verified_by_its_own_scheme)
{
    const char *body = "{\"id\": \"evt_1\", \"reference\": \"KF-TESTPAY00000000000001\","
                       " \"transaction\": \"tx_9\", \"status\": \"paid\", \"amount\": 15000,"
                       " \"currency\": \"CLP\"}";
    kf_payment_account acct = {.mode = "test", .events_secret = "whk-current-1234",
                               .previous_events_secret = "whk-before-1234"};
    kf_payment_event ev = {0};
    const char *why = NULL;
    kf_payment_webhook wh = signed_webhook(body, "whk-current-1234");
    ck_assert_str_eq(TESTPAY->webhook_reference(pool, &wh), "KF-TESTPAY00000000000001");
    ck_assert_int_eq(kf_payment_verify(pool, TESTPAY, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
    ck_assert_str_eq(ev.event_key, "tx_9:paid");
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_int_eq(ev.amount, 15000);
    /* what it does to a pending payment of that amount: the booking's approval */
    const char *locked[KF_PAY_LOCK_COLS] = {
        [KF_PAY_LOCK_COL_ID] = "pay-1", [KF_PAY_LOCK_COL_STATUS] = "pending",
        [KF_PAY_LOCK_COL_AMOUNT] = "15000", [KF_PAY_LOCK_COL_CURRENCY] = "CLP",
        [KF_PAY_LOCK_COL_BOOKING] = "b-1", [KF_PAY_LOCK_COL_PROVIDER] = "testpay",
        [KF_PAY_LOCK_COL_EVENT_SEEN] = "f"};
    ck_assert_int_eq(kf_payment_event_plan(pool, &ev, locked).step, KF_PAYMENT_STEP_APPROVE);

    /* signed with the secret before a rotation: still verified while it is kept */
    wh = signed_webhook(body, "whk-before-1234");
    ck_assert_int_eq(kf_payment_verify(pool, TESTPAY, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
    /* anyone else's signature, none, or no account to verify with */
    wh = signed_webhook(body, "whk-someone-else");
    ck_assert_int_eq(kf_payment_verify(pool, TESTPAY, &wh, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_str_eq(why, "bad signature");
    apr_table_unset((apr_table_t *)wh.headers, "X-Testpay-Signature");
    ck_assert_int_eq(kf_payment_verify(pool, TESTPAY, &wh, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_int_eq(kf_payment_verify(pool, TESTPAY, &wh, NULL, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
}
END_TEST

START_TEST(a_tenant_prices_only_in_what_it_charges)
{
    /* what the tenant's rules are handed of the providers is the registry's */
    ck_assert_ptr_eq(kf_payment_currencies_of("testpay"), TESTPAY->currencies);
    ck_assert_ptr_null(kf_tenant_currency_check("CLP", kf_payment_currencies_of("testpay")));
    ck_assert_str_eq(kf_tenant_currency_check("COP", kf_payment_currencies_of("testpay")),
                     "currency_not_accepted");
    const char *why = NULL;
    ck_assert_int_eq(kf_tenant_currency_step("USD", "CLP", kf_payment_currencies_of("testpay"), 0,
                                             &why), KF_CURRENCY_MOVE);

    const char *out[KF_TENANT_POLICY_FIELDS];
    json_t *errors = kf_json_obj(pool);
    ck_assert_int_eq(kf_tenant_policy_read(pool, parse("{\"payment_provider\": \"testpay\"}"),
                                           kf_payment_currencies_of, out, errors), 1);
    ck_assert_int_eq(json_object_size(errors), 0);
    ck_assert_str_eq(out[KF_TENANT_POLICY_PROVIDER], "testpay");

    /* a switch to it alone, from a currency it does not charge */
    kf_tenant_patch patch;
    json_t *body = parse("{\"payment_provider\": \"testpay\"}");
    kf_tenant_patch_read(pool, body, KF_URL_HTTPS_ONLY, "konfirmado.example", NULL,
                         kf_payment_currencies_of, errors, &patch);
    const char *currency = NULL, *provider = NULL;
    int by_default = 0;
    ck_assert_str_eq(kf_tenant_patch_currency(&patch, body, "COP", "CO", "wompi",
                                              kf_payment_currencies_of, &currency, &provider,
                                              &by_default),
                     "provider_currency_not_accepted");
}
END_TEST

static const char *to_fake(const char *name, const char *fallback, void *data)
{
    return strcmp(name, "testpay-checkout") == 0 ? "http://127.0.0.1:9/testpay" : fallback;
}

START_TEST(its_checkouts_and_addresses_follow_the_same_rules)
{
    /* the operator (the tests, the demo) may point its URLs at a fake */
    const char *const *names = kf_payment_url_names(pool);
    const char *all = "";
    for (int i = 0; names[i]; i++) {
        all = apr_pstrcat(pool, all, " ", names[i], NULL);
    }
    ck_assert_ptr_nonnull(strstr(all, " airwallex-checkout testpay-sandbox testpay-production "
                                      "testpay-checkout"));
    ck_assert_ptr_null(kf_directive_provider(pool, "KonfirmadoProviderURL", "testpay-checkout",
                                             names));
    kf_payment_endpoints ep = kf_payment_endpoints_of(pool, TESTPAY, "test", to_fake, NULL);
    ck_assert_str_eq(ep.api_base, "https://sandbox.testpay.example");
    ck_assert_str_eq(ep.checkout_base, "http://127.0.0.1:9/testpay");

    kf_payment_checkout co = {0};
    ck_assert_int_eq(kf_payment_checkout_addresses(pool, "https://k.example", TESTPAY, NULL,
                                                   "corte", "b-1", "tok", &co), APR_SUCCESS);
    ck_assert_str_eq(co.redirect_url,
                     "https://k.example/book/corte/confirmation?booking=b-1&token=tok&return=1");
    ck_assert_str_eq(co.notify_url, apr_pstrcat(pool, "https://k.example/api/webhooks/testpay"
                                                "?reference=", co.reference, NULL));
    co.amount = 15000;
    co.currency = "CLP";
    kf_payment_account acct = {.mode = "test", .public_key = "m-1", .private_key = "tp_test_k"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(TESTPAY, pool, NULL, &ep, &acct, &co, &out,
                                                     &why), APR_SUCCESS);
    ck_assert_int_eq(strncmp(out.url, "http://127.0.0.1:9/testpay/pay?merchant=m-1&reference=KF-",
                             strlen("http://127.0.0.1:9/testpay/pay?merchant=m-1&reference=KF-")),
                     0);
    /* no refund API: a refund is the merchant's to make */
    ck_assert_int_eq(kf_refund_start(TESTPAY, 15000, 15000), KF_REFUND_MANUAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_registry");
    TCase *tc = tcase_create("a provider of the tests only");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, it_is_listed_once_after_the_modules_own);
    tcase_add_test(tc, its_settings_are_checked_by_its_own_rule_in_its_own_words);
    tcase_add_test(tc, its_webhooks_are_verified_by_its_own_scheme);
    tcase_add_test(tc, a_tenant_prices_only_in_what_it_charges);
    tcase_add_test(tc, its_checkouts_and_addresses_follow_the_same_rules);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
