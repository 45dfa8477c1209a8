/* Unit suite for a payment tried without its provider (lib/payments/kf_payment_trial.c and
 * the providers' trial_notice): Wompi's notice is its own (PROVIDERS.md's checksum vector),
 * the provider's verify_webhook takes it with the account that made it and refuses it with
 * another, and a live account, a provider whose checkouts need its API and a payment that is
 * not pending are refused. */
#include "kf_check.h"

#include <apr_tables.h>

#include "kf_payment.h"
#include "kf_payment_trial.h"
#include "kf_payment_wompi.h"
#include "kf_payment_stripe.h"
#include "kf_payment_mercadopago.h"
#include "kf_payment_airwallex.h"

/* PROVIDERS.md's event checksum vector */
#define VECTOR_SECRET "prod_events_OcHnIzeBl5socpwByQ4hA52Em3USQ93Z"
#define VECTOR_SUM "5a18ec5e8fdb7df463e9f94774cba8f583ba21bd04a09ceff2ea68a4bc0aefbe"
#define VECTOR_TIME 1530291411

static kf_payment_account account_with(const char *events_secret)
{
    kf_payment_account acct = {0};
    acct.mode = "test";
    acct.public_key = "pub_test_abcdefgh";
    acct.private_key = "prv_test_abcdefgh";
    acct.events_secret = events_secret;
    acct.integrity_secret = "test_integrity_abcdefgh";
    return acct;
}

static kf_payment_trial vector_trial(int approved)
{
    kf_payment_trial trial = {
        .reference = "MZQ3X2DE2SMX",
        .amount = 4490000,
        .currency = "COP",
        .approved = approved,
        .transaction_id = "1234-1610641025-49201",
        .now = apr_time_from_sec(VECTOR_TIME),
    };
    return trial;
}

/* The notice as the server's webhook receives it. */
static kf_payment_webhook received(const kf_payment_notice *n)
{
    kf_payment_webhook wh = {n->body, n->len, n->headers, NULL, apr_time_from_sec(VECTOR_TIME), NULL};
    return wh;
}

START_TEST(wompi_notice_is_wompis_own)
{
    kf_payment_account acct = account_with(VECTOR_SECRET);
    kf_payment_trial trial = vector_trial(1);
    kf_payment_notice n = {0};
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.trial_notice(pool, &acct, &trial, &n, &why), APR_SUCCESS);
    /* the checksum of PROVIDERS.md's vector, in the body and in the header */
    ck_assert_str_eq(apr_table_get(n.headers, "X-Event-Checksum"), VECTOR_SUM);
    ck_assert_ptr_nonnull(strstr(n.body, "\"checksum\":\"" VECTOR_SUM "\""));
    ck_assert_ptr_nonnull(strstr(n.body, "\"event\":\"transaction.updated\""));
    ck_assert_ptr_nonnull(strstr(n.body, "\"environment\":\"test\""));
    ck_assert_ptr_nonnull(strstr(n.body, "\"sent_at\":\"2018-06-29T16:56:51.000Z\""));
    ck_assert_str_eq(apr_table_get(n.headers, "Content-Type"), "application/json");
    ck_assert_uint_eq(n.len, strlen(n.body));
}
END_TEST

START_TEST(wompi_notice_verifies_as_an_approval)
{
    kf_payment_account acct = account_with("test_events_0123456789abcdef");
    kf_payment_trial trial = vector_trial(1);
    kf_payment_notice n = {0};
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.trial_notice(pool, &acct, &trial, &n, &why), APR_SUCCESS);
    kf_payment_webhook wh = received(&n);
    ck_assert_str_eq(kf_payment_wompi.webhook_reference(pool, &wh), "MZQ3X2DE2SMX");
    kf_payment_event ev;
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_str_eq(ev.reference, "MZQ3X2DE2SMX");
    ck_assert_int_eq(ev.amount, 4490000);
    ck_assert_str_eq(ev.currency, "COP");
    ck_assert_str_eq(ev.transaction_id, "1234-1610641025-49201");
    ck_assert_str_eq(ev.event_key, "1234-1610641025-49201:APPROVED");
}
END_TEST

START_TEST(wompi_notice_verifies_as_a_decline)
{
    kf_payment_account acct = account_with("test_events_0123456789abcdef");
    kf_payment_trial trial = vector_trial(0);
    kf_payment_notice n = {0};
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.trial_notice(pool, &acct, &trial, &n, &why), APR_SUCCESS);
    kf_payment_webhook wh = received(&n);
    kf_payment_event ev;
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_DECLINED);
    ck_assert_str_eq(ev.provider_status, "DECLINED");
}
END_TEST

START_TEST(wompi_notice_of_another_secret_is_refused)
{
    kf_payment_account signer = account_with("test_events_0123456789abcdef");
    kf_payment_account other = account_with("test_events_fedcba9876543210");
    kf_payment_trial trial = vector_trial(1);
    kf_payment_notice n = {0};
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.trial_notice(pool, &signer, &trial, &n, &why),
                     APR_SUCCESS);
    kf_payment_webhook wh = received(&n);
    kf_payment_event ev;
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &wh, &other, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
}
END_TEST

START_TEST(wompi_notice_needs_an_events_secret_and_a_whole_payment)
{
    kf_payment_account acct = account_with(NULL);
    kf_payment_trial trial = vector_trial(1);
    kf_payment_notice n = {0};
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.trial_notice(pool, &acct, &trial, &n, &why), APR_EINVAL);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_null(n.body);
    acct = account_with("test_events_0123456789abcdef");
    trial.reference = NULL;
    why = NULL;
    ck_assert_int_eq(kf_payment_wompi.trial_notice(pool, &acct, &trial, &n, &why), APR_EINVAL);
    ck_assert_ptr_nonnull(why);
}
END_TEST

/* Only a provider whose checkout is made without its API can be tried offline: the others'
 * bookings get no checkout there, and Mercado Pago's notices carry no state. */
START_TEST(only_wompi_is_tried_without_its_provider)
{
    ck_assert_ptr_nonnull(kf_payment_wompi.trial_notice);
    ck_assert_ptr_null(kf_payment_stripe.trial_notice);
    ck_assert_ptr_null(kf_payment_mercadopago.trial_notice);
    ck_assert_ptr_null(kf_payment_airwallex.trial_notice);
}
END_TEST

START_TEST(a_test_account_pending_payment_may_be_tried)
{
    ck_assert_ptr_null(kf_payment_trial_refusal(pool, &kf_payment_wompi, "wompi", "test", 1,
                                                "test", "pending"));
}
END_TEST

START_TEST(live_accounts_and_payments_are_refused)
{
    const char *why = kf_payment_trial_refusal(pool, &kf_payment_wompi, "wompi", "production", 1,
                                               "production", "pending");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "production mode"));
    ck_assert_ptr_nonnull(strstr(why, "only in test mode"));
    /* an account back in test mode does not make a live payment a test one */
    why = kf_payment_trial_refusal(pool, &kf_payment_wompi, "wompi", "test", 1, "production",
                                   "pending");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "production mode"));
}
END_TEST

START_TEST(other_refusals_say_why)
{
    const char *why = kf_payment_trial_refusal(pool, &kf_payment_stripe, "stripe", "test", 1,
                                               "test", "pending");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "Stripe cannot be tried without Stripe"));
    why = kf_payment_trial_refusal(pool, NULL, "nosuch", "test", 1, "test", "pending");
    ck_assert_ptr_nonnull(strstr(why, "nosuch"));
    why = kf_payment_trial_refusal(pool, &kf_payment_wompi, "wompi", NULL, 0, "test", "pending");
    ck_assert_ptr_nonnull(strstr(why, "no Wompi account"));
    why = kf_payment_trial_refusal(pool, &kf_payment_wompi, "wompi", "test", 0, "test", "pending");
    ck_assert_ptr_nonnull(strstr(why, "no events secret"));
    why = kf_payment_trial_refusal(pool, &kf_payment_wompi, "wompi", "test", 1, "test",
                                   "approved");
    ck_assert_ptr_nonnull(strstr(why, "approved already"));
}
END_TEST

START_TEST(names_of_a_trial)
{
    ck_assert_str_eq(kf_payment_trial_transaction_id(pool, apr_time_from_sec(1700000000), 1234567),
                     "konfirmado-test-1700000000-34567");
    ck_assert_str_eq(kf_payment_trial_transaction_id(pool, apr_time_from_sec(1700000000), 7),
                     "konfirmado-test-1700000000-00007");
    ck_assert_str_eq(kf_payment_trial_webhook_url(pool, "https://example.com/", &kf_payment_wompi),
                     "https://example.com/api/webhooks/wompi");
    ck_assert_str_eq(kf_payment_trial_webhook_url(pool, "https://example.com", &kf_payment_wompi),
                     "https://example.com/api/webhooks/wompi");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_trial");
    TCase *tc = tcase_create("notices");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, wompi_notice_is_wompis_own);
    tcase_add_test(tc, wompi_notice_verifies_as_an_approval);
    tcase_add_test(tc, wompi_notice_verifies_as_a_decline);
    tcase_add_test(tc, wompi_notice_of_another_secret_is_refused);
    tcase_add_test(tc, wompi_notice_needs_an_events_secret_and_a_whole_payment);
    tcase_add_test(tc, only_wompi_is_tried_without_its_provider);
    suite_add_tcase(s, tc);

    tc = tcase_create("refusals");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_test_account_pending_payment_may_be_tried);
    tcase_add_test(tc, live_accounts_and_payments_are_refused);
    tcase_add_test(tc, other_refusals_say_why);
    tcase_add_test(tc, names_of_a_trial);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
