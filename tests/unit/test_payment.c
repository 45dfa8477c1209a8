/* Unit suite for lib/payments/kf_payment.c and lib/payments/kf_payment_wompi.c: charge rules (rounding included), the
 * Wompi checkout URL, webhook verification with the PROVIDERS.md vector, and the
 * transactions / merchants API through a fake kf_http implementation. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "kf_payment.h"
#include "kf_payment_wompi.h"
#include "kf_payment_stripe.h"
#include "kf_payment_mercadopago.h"
#include "kf_signatures.h"

/* ------------------------------------------------------------------ charge */

START_TEST(charge_total_partial_free)
{
    apr_int64_t a = -1;
    ck_assert_int_eq(kf_payment_charge("total", 12000000, 25, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 12000000);
    ck_assert_int_eq(kf_payment_charge("partial", 12000000, 25, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 3000000);
    ck_assert_int_eq(kf_payment_charge("free", 0, 25, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 0);
    /* the deposit percent is ignored unless the charge is partial */
    ck_assert_int_eq(kf_payment_charge("total", 500, 0, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 500);
}
END_TEST

START_TEST(charge_partial_rounds_up)
{
    apr_int64_t a = -1;
    /* 33% of 1001 = 330.33 -> 331 */
    ck_assert_int_eq(kf_payment_charge("partial", 1001, 33, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 331);
    /* exact: 10% of 1000 = 100, not 101 */
    ck_assert_int_eq(kf_payment_charge("partial", 1000, 10, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 100);
    /* 1% of 1 = 0.01 -> 1 minor unit */
    ck_assert_int_eq(kf_payment_charge("partial", 1, 1, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 1);
    /* 99% of 101 = 99.99 -> 100 */
    ck_assert_int_eq(kf_payment_charge("partial", 101, 99, &a), APR_SUCCESS);
    ck_assert_int_eq(a, 100);
}
END_TEST

START_TEST(charge_refusals)
{
    apr_int64_t a = 7;
    ck_assert_int_eq(kf_payment_charge("partial", 1000, 0, &a), APR_EINVAL);
    ck_assert_int_eq(kf_payment_charge("partial", 1000, 100, &a), APR_EINVAL);
    ck_assert_int_eq(kf_payment_charge("total", -1, 25, &a), APR_EINVAL);
    ck_assert_int_eq(kf_payment_charge("deposit", 1000, 25, &a), APR_EINVAL);
    ck_assert_int_eq(kf_payment_charge(NULL, 1000, 25, &a), APR_EINVAL);
    ck_assert_int_eq(kf_payment_charge("partial", APR_INT64_MAX / 10, 50, &a), APR_EINVAL);
    /* a paid charge needs a price; a free service costs nothing */
    ck_assert_int_eq(kf_payment_charge("total", 0, 25, &a), APR_EINVAL);
    ck_assert_int_eq(kf_payment_charge("free", 100, 25, &a), APR_EINVAL);
    ck_assert_int_eq(a, 7);
}
END_TEST

START_TEST(a_refund_event_leaves_the_payments_figures)
{
    kf_payment_event ev = {0};
    ev.kind = KF_PAYMENT_EVENT_REFUND;
    ev.transaction_id = "pi_2";
    ev.amount = 3000;
    kf_refund_figures fig;
    /* paid twice (2 x 5000): this refund and one before gave back 8000, one share waits */
    const char *rows[KF_PAY_TXR_COLS] = {"10000", "8000", "1", "2", "1"};
    kf_payment_refund_figures(&ev, 5000, "pi_1", rows, &fig);
    ck_assert_int_eq(fig.taken, 10000);
    ck_assert_int_eq(fig.refunded, 8000);
    ck_assert_int_eq(fig.total, 8000);
    ck_assert_str_eq(fig.pending, "1");
    /* a payment without transaction rows: its one transaction, when the event is of it */
    const char *none[KF_PAY_TXR_COLS] = {NULL, NULL, "0", "0", "0"};
    kf_payment_refund_figures(&ev, 5000, "pi_2", none, &fig);
    ck_assert_int_eq(fig.taken, 5000);
    ck_assert_int_eq(fig.refunded, 3000);
    ck_assert_int_eq(fig.total, 3000);
    ck_assert_str_eq(fig.pending, "0");
    /* of another transaction: nothing of this payment went back, the event's amount kept */
    kf_payment_refund_figures(&ev, 5000, "pi_9", NULL, &fig);
    ck_assert_int_eq(fig.refunded, 0);
    ck_assert_int_eq(fig.total, 3000);
    ev.transaction_id = NULL;
    kf_payment_refund_figures(&ev, 5000, "pi_9", NULL, &fig);
    ck_assert_int_eq(fig.refunded, 3000);
}
END_TEST

START_TEST(a_refund_share_is_asked_once_whatever_the_retries)
{
    /* the first share of the first refund keeps the payment's old key */
    ck_assert_str_eq(kf_refund_share_key(pool, "pay-1", "17", 1, 1), "refund-pay-1");
    ck_assert_str_eq(kf_refund_share_key(pool, "pay-1", NULL, 0, 0), "refund-pay-1");
    /* another transaction's share, and a second refund of the same one: keys of their own */
    ck_assert_str_eq(kf_refund_share_key(pool, "pay-1", "18", 1, 0), "refund-pay-1-18.1");
    ck_assert_str_eq(kf_refund_share_key(pool, "pay-1", "17", 2, 0), "refund-pay-1-17.2");
}
END_TEST

START_TEST(a_refund_is_whole_only_when_everything_taken_went_back)
{
    kf_payment_event ev = {0};
    ev.kind = KF_PAYMENT_EVENT_REFUND;
    ev.transaction_id = "pi_2";
    ev.amount = 5000000;
    ck_assert(kf_payment_refund_is_whole(&ev, KF_PAYMENT_APPROVED, 5000000, 5000000));
    /* paid twice: giving back one of the two transactions (the extra) is a part */
    ck_assert(!kf_payment_refund_is_whole(&ev, KF_PAYMENT_APPROVED, 5000000, 10000000));
    ck_assert(kf_payment_refund_is_whole(&ev, KF_PAYMENT_APPROVED, 10000000, 10000000));
    ck_assert(!kf_payment_refund_is_whole(&ev, KF_PAYMENT_APPROVED, 4999999, 5000000));
    ck_assert(!kf_payment_refund_is_whole(&ev, KF_PAYMENT_PENDING, 5000000, 5000000));
    ck_assert(!kf_payment_refund_is_whole(&ev, KF_PAYMENT_APPROVED, 0, 0));
    ev.kind = KF_PAYMENT_EVENT_PAYMENT;
    ck_assert(!kf_payment_refund_is_whole(&ev, KF_PAYMENT_APPROVED, 5000000, 5000000));
}
END_TEST

START_TEST(a_refund_is_spread_over_transactions_newest_first)
{
    /* paid twice, 30 000 each; the second payment an hour later */
    kf_payment_tx txs[] = {{3000000, 0, apr_time_from_sec(1000)},
                           {3000000, 0, apr_time_from_sec(4600)}};
    apr_int64_t share[2];
    /* the extra comes back from the newest transaction alone */
    ck_assert_int_eq(kf_refund_allocate(txs, 2, 3000000, share), 0);
    ck_assert_int_eq(share[0], 0);
    ck_assert_int_eq(share[1], 3000000);
    /* everything taken: both, each whole */
    ck_assert_int_eq(kf_refund_allocate(txs, 2, 6000000, share), 0);
    ck_assert_int_eq(share[0], 3000000);
    ck_assert_int_eq(share[1], 3000000);
    /* a policy's half of the price plus the extra */
    ck_assert_int_eq(kf_refund_allocate(txs, 2, 4500000, share), 0);
    ck_assert_int_eq(share[1], 3000000);
    ck_assert_int_eq(share[0], 1500000);
    /* never more than a transaction has left: what was given back already counts */
    txs[1].refunded = 1000000;
    ck_assert_int_eq(kf_refund_allocate(txs, 2, 3000000, share), 0);
    ck_assert_int_eq(share[1], 2000000);
    ck_assert_int_eq(share[0], 1000000);
    /* more than is left does not fit: the rest is returned */
    ck_assert_int_eq(kf_refund_allocate(txs, 2, 6000000, share), 1000000);
    ck_assert_int_eq(share[0] + share[1], 5000000);
    /* the newest wins whatever the order given; ties go to the later row */
    kf_payment_tx rev[] = {{2000, 0, apr_time_from_sec(50)}, {1000, 0, apr_time_from_sec(10)},
                           {500, 0, apr_time_from_sec(50)}};
    apr_int64_t s3[3];
    ck_assert_int_eq(kf_refund_allocate(rev, 3, 700, s3), 0);
    ck_assert_int_eq(s3[2], 500);
    ck_assert_int_eq(s3[0], 200);
    ck_assert_int_eq(s3[1], 0);
    ck_assert_int_eq(kf_refund_allocate(rev, 3, 0, s3), 0);
    ck_assert_int_eq(s3[0] + s3[1] + s3[2], 0);
    ck_assert_int_eq(kf_refund_allocate(NULL, 0, 100, NULL), 100);
    /* the share asked first is the newest transaction's */
    ck_assert_int_eq(kf_refund_allocate(rev, 3, 700, s3), 0);
    ck_assert_int_eq(kf_refund_first_share(rev, 3, s3), 2);
    apr_int64_t only_old[] = {0, 1000, 0};
    ck_assert_int_eq(kf_refund_first_share(rev, 3, only_old), 1);
    apr_int64_t nothing[] = {0, 0, 0};
    ck_assert_int_eq(kf_refund_first_share(rev, 3, nothing), -1);
}
END_TEST

START_TEST(a_spread_refund_starts_by_the_providers_rule)
{
    kf_payment_tx txs[] = {{3000000, 0, apr_time_from_sec(1000)},
                           {3000000, 0, apr_time_from_sec(4600)}};
    apr_int64_t whole_each[] = {3000000, 3000000};
    apr_int64_t extra[] = {0, 3000000};
    apr_int64_t part[] = {1500000, 3000000};
    apr_int64_t none[] = {0, 0};
    /* Wompi voids whole transactions only */
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_wompi, txs, 2, whole_each), KF_REFUND_RETRY);
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_wompi, txs, 2, extra), KF_REFUND_RETRY);
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_wompi, txs, 2, part), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_stripe, txs, 2, part), KF_REFUND_RETRY);
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_stripe, txs, 2, none), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_start_shares(NULL, txs, 2, extra), KF_REFUND_MANUAL);
    txs[1].refunded = 1;
    apr_int64_t rest[] = {0, 2999999};
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_wompi, txs, 2, rest), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_start_shares(&kf_payment_stripe, txs, 2, rest), KF_REFUND_RETRY);
}
END_TEST

START_TEST(statuses_and_registry)
{
    ck_assert_str_eq(kf_payment_status_name(KF_PAYMENT_APPROVED), "approved");
    ck_assert_str_eq(kf_payment_status_name(KF_PAYMENT_VOIDED), "voided");
    ck_assert(kf_payment_status_is_failure(KF_PAYMENT_DECLINED));
    ck_assert(kf_payment_status_is_failure(KF_PAYMENT_ERROR));
    ck_assert(!kf_payment_status_is_failure(KF_PAYMENT_PENDING));
    ck_assert(!kf_payment_status_is_failure(KF_PAYMENT_UNKNOWN));
    ck_assert_ptr_eq(kf_payment_provider_find("wompi"), &kf_payment_wompi);
    ck_assert_ptr_null(kf_payment_provider_find("paypal"));
    ck_assert_ptr_null(kf_payment_provider_find(NULL));
}
END_TEST

/* The operator's URL for one name, the defaults for the others. */
static const char *fake_stripe(const char *name, const char *fallback, void *data)
{
    return strcmp(name, "stripe-production") == 0 ? (const char *)data : fallback;
}

/* Every provider is described whole and listed once; what is read of them all comes from
 * that list. */
START_TEST(the_registry_describes_every_provider)
{
    int n = 0;
    for (; kf_payment_providers[n]; n++) {
        const kf_payment_provider *prov = kf_payment_providers[n];
        ck_assert_ptr_eq(kf_payment_provider_find(prov->name), prov);
        ck_assert_msg(prov->label && prov->currencies && prov->currencies[0] && prov->settings &&
                      prov->settings[0].field, "%s is not described", prov->name);
        ck_assert_msg(prov->default_endpoints && prov->create_checkout &&
                      prov->webhook_reference && prov->verify_webhook && prov->find_payment,
                      "%s lacks a method", prov->name);
    }
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(kf_payment_providers[2]->label, "Mercado Pago");
    /* the expiry job ends the checkouts of those that can */
    ck_assert_str_eq(kf_payment_closing(pool), "{stripe,airwallex}");
    ck_assert_str_eq(kf_payment_names_text(pool, KF_LOCALE_EN),
                     "wompi, stripe, mercadopago or airwallex");
    ck_assert_str_eq(kf_payment_names_text(pool, KF_LOCALE_ES),
                     "wompi, stripe, mercadopago o airwallex");
    /* KonfirmadoProviderURL: each API in both modes, a checkout page of its own */
    const char *names = "";
    for (const char *const *u = kf_payment_url_names(pool); *u; u++) {
        names = apr_pstrcat(pool, names, *names ? " " : "", *u, NULL);
    }
    ck_assert_str_eq(names, "wompi-sandbox wompi-production wompi-checkout stripe-sandbox "
                            "stripe-production mercadopago-sandbox mercadopago-production "
                            "airwallex-sandbox airwallex-production airwallex-checkout");
    kf_payment_endpoints ep = kf_payment_endpoints_of(pool, &kf_payment_stripe, "production",
                                                      fake_stripe, "http://127.0.0.1:9/stripe");
    ck_assert_str_eq(ep.api_base, "http://127.0.0.1:9/stripe");
    ck_assert_ptr_null(ep.checkout_base);
    ep = kf_payment_endpoints_of(pool, &kf_payment_stripe, "test", fake_stripe, "x");
    ck_assert_str_eq(ep.api_base, "https://api.stripe.com");
}
END_TEST

START_TEST(references_are_fresh)
{
    const char *a = kf_payment_new_reference(pool), *b = kf_payment_new_reference(pool);
    ck_assert_uint_eq(strlen(a), 23);
    ck_assert(strncmp(a, "KF-", 3) == 0);
    ck_assert_uint_eq(strspn(a + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 20);
    ck_assert_str_ne(a, b);
}
END_TEST

/* ------------------------------------------------------------------ Wompi checkout */

static kf_payment_account account(void)
{
    kf_payment_account acct = {.mode = "test", .public_key = "pub_test_abc",
                               .private_key = "prv_test_abc", .events_secret = "test_events_abc",
                               .integrity_secret =
                                   "prod_integrity_Z5mMke9x0k8gpErbDqwrJXMqsI6SFli6"};
    return acct;
}

START_TEST(wompi_time_format)
{
    /* 2023-06-09T20:28:50.000Z = 1686342530 */
    ck_assert_str_eq(kf_wompi_time(pool, apr_time_from_sec(1686342530)), "2023-06-09T20:28:50.000Z");
    ck_assert_str_eq(kf_wompi_time(pool, apr_time_from_sec(1686342530) + 123456),
                     "2023-06-09T20:28:50.123Z");
}
END_TEST

START_TEST(wompi_endpoints_by_mode)
{
    kf_payment_endpoints t = kf_payment_wompi.default_endpoints("test");
    kf_payment_endpoints p = kf_payment_wompi.default_endpoints("production");
    ck_assert_str_eq(t.api_base, "https://sandbox.wompi.co/v1");
    ck_assert_str_eq(p.api_base, "https://production.wompi.co/v1");
    ck_assert_str_eq(p.checkout_base, "https://checkout.wompi.co");
}
END_TEST

/* The URL of Wompi's checkout, NULL when refused. */
static const char *wompi_url(const kf_payment_endpoints *ep, const kf_payment_account *acct,
                             const kf_payment_checkout *co, const char **why)
{
    kf_payment_session out;
    return kf_payment_call_create_checkout(&kf_payment_wompi, pool, NULL, ep, acct, co, &out, why) == APR_SUCCESS
               ? out.url : NULL;
}

START_TEST(money_in_major_units_is_exact)
{
    ck_assert_int_eq(kf_currency_exponent("COP"), 2);
    ck_assert_int_eq(kf_currency_exponent("CLP"), 0);
    ck_assert_int_eq(kf_currency_exponent("KWD"), 3);
    ck_assert_str_eq(kf_money_major(pool, 7576, "USD"), "75.76");
    ck_assert_str_eq(kf_money_major(pool, 5, "USD"), "0.05");
    ck_assert_str_eq(kf_money_major(pool, 12000000, "COP"), "120000.00");
    ck_assert_str_eq(kf_money_major(pool, 15000, "CLP"), "15000");
    ck_assert_str_eq(kf_money_major(pool, 1234, "KWD"), "1.234");
    apr_int64_t minor = 0;
    json_t *v = json_real(75.76);
    ck_assert_int_eq(kf_money_minor_of(v, "USD", &minor), APR_SUCCESS);
    ck_assert_int_eq(minor, 7576);          /* 75.76 * 100 = 7575.999...: rounded, not cut */
    json_decref(v);
    v = json_integer(15000);
    ck_assert_int_eq(kf_money_minor_of(v, "CLP", &minor), APR_SUCCESS);
    ck_assert_int_eq(minor, 15000);
    json_decref(v);
    v = json_real(-1.0);
    ck_assert_int_eq(kf_money_minor_of(v, "USD", &minor), APR_EINVAL);
    json_decref(v);
    v = json_string("75.76");
    ck_assert_int_eq(kf_money_minor_of(v, "USD", &minor), APR_EINVAL);
    json_decref(v);
}
END_TEST

START_TEST(tokens_are_kept_until_a_minute_before_expiry)
{
    kf_payment_token_cache *cache = kf_payment_token_cache_create(pool);
    apr_time_t now = apr_time_from_sec(1700000000);
    ck_assert_ptr_null(kf_payment_token_cache_get(cache, pool, "k", now));
    kf_payment_token_cache_put(cache, "k", "tok-1", now + apr_time_from_sec(1800));
    ck_assert_str_eq(kf_payment_token_cache_get(cache, pool, "k", now), "tok-1");
    ck_assert_ptr_null(kf_payment_token_cache_get(cache, pool, "other", now));
    ck_assert_ptr_null(kf_payment_token_cache_get(cache, pool, "k", now + apr_time_from_sec(1741)));
    kf_payment_token_cache_put(cache, "k", "tok-2", now + apr_time_from_sec(3600));
    ck_assert_str_eq(kf_payment_token_cache_get(cache, pool, "k", now + apr_time_from_sec(1800)),
                     "tok-2");
    ck_assert_ptr_null(kf_payment_token_cache_get(NULL, pool, "k", now));
}
END_TEST

/* A tenant's sealed secrets: opened with the aad of their place, the previous events secret
 * kept while its grace lasts; another tenant's or a broken seal opens nothing. */
START_TEST(account_secrets_are_unsealed_in_their_place)
{
    static const unsigned char key[KF_KEY_LEN] = {7};
    kf_keyring *ring = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(ring, key, 1), APR_SUCCESS);
    const char *json = "{\"private_key\": \"prv\", \"events_secret\": \"ev\","
                       " \"integrity_secret\": \"int\", \"previous_events_secret\": \"old\","
                       " \"previous_events_secret_until\": 1700003600}";
    const char *sealed = kf_seal(pool, ring, json, strlen(json), "tenant:t1:wompi");
    ck_assert_ptr_nonnull(sealed);
    kf_payment_account acct = {0};
    const char *why = NULL;
    apr_time_t now = apr_time_from_sec(1700000000);
    ck_assert_int_eq(kf_payment_account_unseal(pool, ring, "t1", "wompi", sealed, now, &acct, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(acct.private_key, "prv");
    ck_assert_str_eq(acct.events_secret, "ev");
    ck_assert_str_eq(acct.integrity_secret, "int");
    ck_assert_str_eq(acct.previous_events_secret, "old");
    ck_assert(acct.now == now);

    kf_payment_account later = {0};
    ck_assert_int_eq(kf_payment_account_unseal(pool, ring, "t1", "wompi", sealed,
                                               apr_time_from_sec(1700003601), &later, &why),
                     APR_SUCCESS);
    ck_assert_ptr_null(later.previous_events_secret);
    ck_assert_str_eq(later.events_secret, "ev");

    kf_payment_account other = {0};
    ck_assert_int_ne(kf_payment_account_unseal(pool, ring, "t2", "wompi", sealed, now, &other, &why),
                     APR_SUCCESS);
    ck_assert(strncmp(why, "do not open: ", 13) == 0);
    ck_assert_ptr_null(other.private_key);

    const char *text = kf_seal(pool, ring, "not json", 8, "tenant:t1:stripe");
    ck_assert_int_ne(kf_payment_account_unseal(pool, ring, "t1", "stripe", text, now, &other, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(why, "are not JSON");
}
END_TEST

/* A tenant's row opened as the account calls are made with; no secrets is no account, and
 * nothing to log. */
START_TEST(an_account_opens_from_its_row)
{
    static const unsigned char key[KF_KEY_LEN] = {7};
    kf_keyring *ring = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(ring, key, 1), APR_SUCCESS);
    const char *json = "{\"private_key\": \"prv\", \"events_secret\": \"ev\"}";
    const char *sealed = kf_seal(pool, ring, json, strlen(json), "tenant:t1:wompi");
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    apr_time_t now = apr_time_from_sec(1700000000);
    const char *why = "not cleared";
    const kf_payment_account *acct = kf_payment_account_open(pool, ring, "t1", "wompi", "test",
                                                             "pub_test_1", sealed, tokens, now,
                                                             &why);
    ck_assert_ptr_nonnull(acct);
    ck_assert_ptr_null(why);
    ck_assert_str_eq(acct->mode, "test");
    ck_assert_str_eq(acct->public_key, "pub_test_1");
    ck_assert_str_eq(acct->private_key, "prv");
    ck_assert_ptr_eq(acct->tokens, tokens);
    ck_assert(acct->now == now);
    ck_assert_ptr_null(kf_payment_account_open(pool, ring, "t1", "wompi", "test", "pub_test_1",
                                               NULL, tokens, now, &why));
    ck_assert_ptr_null(why);
    ck_assert_ptr_null(kf_payment_account_open(pool, ring, "t2", "wompi", "test", "pub_test_1",
                                               sealed, tokens, now, &why));
    ck_assert(strncmp(why, "do not open: ", 13) == 0);
}
END_TEST

/* Where a checkout sends the customer back, and where its notices go: Wompi appends its
 * transaction id, the others are told with return=1 */
START_TEST(checkout_addresses)
{
    kf_payment_checkout co = {0};
    ck_assert_int_eq(kf_payment_checkout_addresses(pool, "https://k.example/", &kf_payment_wompi, NULL,
                                                   "corte", "b-1", "t+/=", &co), APR_SUCCESS);
    ck_assert_int_eq(strncmp(co.reference, "KF-", 3), 0);
    ck_assert_str_eq(co.redirect_url,
                     "https://k.example/book/corte/confirmation?booking=b-1&token=t%2B%2F%3D");
    ck_assert_str_eq(co.notify_url, apr_pstrcat(pool, "https://k.example/api/webhooks/wompi"
                                                "?reference=", co.reference, NULL));

    kf_payment_checkout other = {0};
    ck_assert_int_eq(kf_payment_checkout_addresses(pool, "https://k.example", &kf_payment_stripe, NULL, NULL,
                                                   "b-2", "tok", &other), APR_SUCCESS);
    ck_assert_str_ne(other.reference, co.reference);
    ck_assert_str_eq(other.redirect_url,
                     "https://k.example/book/-/confirmation?booking=b-2&token=tok&return=1");

    kf_payment_checkout purchase = {0};
    ck_assert_int_eq(kf_payment_checkout_addresses(pool, "https://k.example", &kf_payment_mercadopago,
                                                   "https://k.example/book/purchase/p?token=x",
                                                   NULL, NULL, NULL, &purchase), APR_SUCCESS);
    ck_assert_str_eq(purchase.redirect_url, "https://k.example/book/purchase/p?token=x&return=1");
    ck_assert_str_eq(purchase.notify_url, apr_pstrcat(pool, "https://k.example/api/webhooks/"
                                                      "mercadopago?reference=",
                                                      purchase.reference, NULL));
}
END_TEST

/* A checkout says what is paid until when and by whom: a booking's described by its service,
 * a purchase's by its package; the window ends on a whole second */
START_TEST(checkout_of_a_started_payment)
{
    kf_payment_start booking = {.tenant_id = "t-1", .reservation_id = "b-1", .link_slug = "corte",
                                .booking_token = "tok", .amount = 5000000, .currency = "COP",
                                .expires_at = apr_time_from_sec(1775142000) + 987654,
                                .customer_name = "Ana", .customer_email = "ana@example.com",
                                .customer_phone = "+573001234567"};
    kf_payment_checkout co = {0};
    ck_assert_int_eq(kf_payment_checkout_start(pool, "https://k.example", &kf_payment_wompi, &booking,
                                               "Corte", &co), APR_SUCCESS);
    ck_assert_int_eq(co.amount, 5000000);
    ck_assert_str_eq(co.currency, "COP");
    ck_assert_str_eq(co.description, "Corte");
    ck_assert(co.expires_at == apr_time_from_sec(1775142000));
    ck_assert_str_eq(co.customer_name, "Ana");
    ck_assert_str_eq(co.customer_email, "ana@example.com");
    ck_assert_str_eq(co.customer_phone, "+573001234567");
    ck_assert_str_eq(co.redirect_url,
                     "https://k.example/book/corte/confirmation?booking=b-1&token=tok");

    kf_payment_start purchase = booking;
    purchase.reservation_id = NULL;
    purchase.purchase_id = "p-1";
    purchase.description = "Bono 5 cortes";
    purchase.redirect_url = "https://k.example/book/purchase/p-1?token=x";
    kf_payment_checkout pco = {0};
    ck_assert_int_eq(kf_payment_checkout_start(pool, "https://k.example", &kf_payment_stripe, &purchase,
                                               "Corte", &pco), APR_SUCCESS);
    ck_assert_str_eq(pco.description, "Bono 5 cortes");
    ck_assert_str_eq(pco.redirect_url, "https://k.example/book/purchase/p-1?token=x&return=1");
}
END_TEST

START_TEST(wompi_checkout_url_exact)
{
    kf_payment_account acct = account();
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_checkout co = {.reference = "sk8-438k4-xmxm392-sn2m", .amount = 2490000,
                              .currency = "COP",
                              .redirect_url =
                                  "https://k.example/book/x/confirmation?booking=b1&token=t/1",
                              .expires_at = apr_time_from_sec(1686342530),
                              .customer_email = "ana+1@example.com",
                              .customer_name = "Ana María",
                              .customer_phone = "+573001234567"};
    const char *why = NULL;
    const char *url = wompi_url(&ep, &acct, &co, &why);
    ck_assert_msg(url != NULL, "%s", why);
    const char *sig = kf_wompi_integrity(pool, "sk8-438k4-xmxm392-sn2m", 2490000, "COP",
                                         "2023-06-09T20:28:50.000Z", acct.integrity_secret);
    ck_assert_str_eq(sig, "e972f58e7de36b283fbb93d9318d39a54ffdff4e8e917b534f30d63c9d7bb89c");
    ck_assert_str_eq(url,
        "https://checkout.wompi.co/p/?public-key=pub_test_abc&currency=COP"
        "&amount-in-cents=2490000&reference=sk8-438k4-xmxm392-sn2m"
        "&signature:integrity=e972f58e7de36b283fbb93d9318d39a54ffdff4e8e917b534f30d63c9d7bb89c"
        "&redirect-url=https%3A%2F%2Fk.example%2Fbook%2Fx%2Fconfirmation%3Fbooking%3Db1%26token%3Dt%2F1"
        "&expiration-time=2023-06-09T20%3A28%3A50.000Z"
        "&customer-data:email=ana%2B1%40example.com&customer-data:full-name=Ana%20Mar%C3%ADa"
        "&customer-data:phone-number=3001234567&customer-data:phone-number-prefix=%2B57");
}
END_TEST

START_TEST(wompi_checkout_url_overridden_base_and_optional_fields)
{
    kf_payment_account acct = account();
    kf_payment_endpoints ep = {"http://127.0.0.1:9/wompi/v1", "http://127.0.0.1:9/wompi/checkout/"};
    kf_payment_checkout co = {.reference = "R1", .amount = 100, .currency = "COP",
                              .customer_phone = "+99912345678"};
    const char *url = wompi_url(&ep, &acct, &co, NULL);
    ck_assert_str_eq(url, apr_pstrcat(pool,
        "http://127.0.0.1:9/wompi/checkout/p/?public-key=pub_test_abc&currency=COP"
        "&amount-in-cents=100&reference=R1&signature:integrity=",
        kf_wompi_integrity(pool, "R1", 100, "COP", NULL, acct.integrity_secret), NULL));
}
END_TEST

START_TEST(wompi_checkout_url_refusals)
{
    kf_payment_account acct = account();
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_checkout co = {.reference = "R1", .amount = 0, .currency = "COP"};
    const char *why = NULL;
    ck_assert_ptr_null(wompi_url(&ep, &acct, &co, &why));
    ck_assert_ptr_nonnull(why);
    co.amount = 100;
    acct.integrity_secret = NULL;
    ck_assert_ptr_null(wompi_url(&ep, &acct, &co, &why));
    acct = account();
    acct.public_key = "";
    ck_assert_ptr_null(wompi_url(&ep, &acct, &co, &why));
}
END_TEST

/* ------------------------------------------------------------------ Wompi webhook */

#define VECTOR_SECRET "prod_events_OcHnIzeBl5socpwByQ4hA52Em3USQ93Z"
#define VECTOR_SUM "5a18ec5e8fdb7df463e9f94774cba8f583ba21bd04a09ceff2ea68a4bc0aefbe"

static const char *vector_event(const char *checksum, const char *type)
{
    return apr_psprintf(pool,
        "{\"event\": \"%s\", \"data\": {\"transaction\": {\"id\": \"1234-1610641025-49201\","
        " \"amount_in_cents\": 4490000, \"reference\": \"MZQ3X2DE2SMX\", \"customer_email\":"
        " \"x@example.com\", \"currency\": \"COP\", \"payment_method_type\": \"NEQUI\","
        " \"redirect_url\": \"https://x/\", \"status\": \"APPROVED\"}}, \"environment\": \"prod\","
        " \"signature\": {\"properties\": [\"transaction.id\", \"transaction.status\","
        " \"transaction.amount_in_cents\"], \"checksum\": \"%s\"}, \"timestamp\": 1530291411,"
        " \"sent_at\": \"2018-07-20T16:45:05.000Z\"}", type, checksum);
}

static kf_payment_account events_account(const char *secret)
{
    kf_payment_account acct = account();
    acct.events_secret = secret;
    return acct;
}

START_TEST(wompi_webhook_vector)
{
    const char *body = vector_event(VECTOR_SUM, "transaction.updated");
    kf_payment_account acct = events_account(VECTOR_SECRET);
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_str_eq(kf_payment_wompi.webhook_reference(pool, &(kf_payment_webhook){body, strlen(body), NULL, NULL, 0, NULL}), "MZQ3X2DE2SMX");
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){body, strlen(body), NULL, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED);
    ck_assert_str_eq(ev.reference, "MZQ3X2DE2SMX");
    ck_assert_str_eq(ev.transaction_id, "1234-1610641025-49201");
    ck_assert_str_eq(ev.provider_status, "APPROVED");
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_int_eq(ev.amount, 4490000);
    ck_assert_str_eq(ev.currency, "COP");
    ck_assert_str_eq(ev.event_key, "1234-1610641025-49201:APPROVED");

    /* The header, uppercase as Wompi prints it, is also accepted. */
    apr_table_t *h = apr_table_make(pool, 1);
    apr_table_set(h, "x-event-checksum",
                  "5A18EC5E8FDB7DF463E9F94774CBA8F583BA21BD04A09CEFF2EA68A4BC0AEFBE");
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){body, strlen(body), h, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED);
}
END_TEST

START_TEST(wompi_webhook_refusals)
{
    const char *body = vector_event(VECTOR_SUM, "transaction.updated");
    kf_payment_account acct = events_account("prod_events_another_tenant");
    kf_payment_event ev;
    const char *why = NULL;
    /* another tenant's secret */
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){body, strlen(body), NULL, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_ptr_nonnull(why);
    /* a wrong checksum with the right secret */
    acct = events_account(VECTOR_SECRET);
    const char *bad = vector_event("5a18ec5e8fdb7df463e9f94774cba8f583ba21bd04a09ceff2ea68a4bc0aefbf",
                                   "transaction.updated");
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){bad, strlen(bad), NULL, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    /* a right body checksum but a wrong header */
    apr_table_t *h = apr_table_make(pool, 1);
    apr_table_set(h, "X-Event-Checksum", "00");
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){body, strlen(body), h, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    /* no secret, not JSON */
    acct = events_account(NULL);
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){body, strlen(body), NULL, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    acct = events_account(VECTOR_SECRET);
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){"{", 1, NULL, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_ptr_null(kf_payment_wompi.webhook_reference(pool, &(kf_payment_webhook){"[1]", 3, NULL, NULL, 0, NULL}));
    ck_assert_ptr_null(kf_payment_wompi.webhook_reference(pool, &(kf_payment_webhook){"{\"data\": {}}", 12, NULL, NULL, 0, NULL}));
}
END_TEST

START_TEST(wompi_webhook_other_event_is_unusable)
{
    /* The checksum does not cover "event": the same checksum verifies a nequi_token event. */
    const char *body = vector_event(VECTOR_SUM, "nequi_token.updated");
    kf_payment_account acct = events_account(VECTOR_SECRET);
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.verify_webhook(pool, &(kf_payment_webhook){body, strlen(body), NULL, NULL, 0, NULL}, &acct, &ev, &why),
                     KF_PAYMENT_UNUSABLE);
}
END_TEST

/* ------------------------------------------------------------------ Wompi API (fake HTTP) */

typedef struct {
    const char *url;      /* last URL asked */
    int status;
    const char *body;
    const char *authorization;  /* last Authorization header sent (NULL: none) */
    int then_status;      /* from the second call on, when set: this answer instead */
    const char *then_body;
    int calls;
    const char *method;   /* last method */
} fake_wompi;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_wompi *f = baton;
    f->url = apr_pstrdup(p, req->url);
    f->method = apr_pstrdup(p, req->method);
    int later = ++f->calls > 1 && f->then_status;
    const char *auth = req->headers ? apr_table_get(req->headers, "Authorization") : NULL;
    f->authorization = auth ? apr_pstrdup(p, auth) : NULL;
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = later ? f->then_status : f->status;
    r->headers = apr_table_make(p, 1);
    r->body = later ? f->then_body : f->body;
    r->body_len = strlen(r->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake-wompi", fake_perform};

#define TX(id, status, created) \
    "{\"id\": \"" id "\", \"created_at\": \"" created "\", \"amount_in_cents\": 3000000," \
    " \"reference\": \"KF-R\", \"currency\": \"COP\", \"payment_method_type\": \"CARD\"," \
    " \"status\": \"" status "\", \"status_message\": null}"

START_TEST(wompi_find_payment_is_merchant_scoped)
{
    fake_wompi f = {NULL, 200,
        "{\"data\": [" TX("15113-1", "DECLINED", "2026-01-01T00:00:00.000Z") "]}", NULL, 0, NULL, 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("production");
    kf_payment_account acct = account();
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_SUCCESS);
    /* searched by reference, with the merchant's private key: never by a browser's id */
    ck_assert_str_eq(f.url, "https://production.wompi.co/v1/transactions?reference=KF-R");
    ck_assert_str_eq(f.authorization, "Bearer prv_test_abc");
    ck_assert_int_eq(ev.status, KF_PAYMENT_DECLINED);
    ck_assert_str_eq(ev.reference, "KF-R");
    ck_assert_int_eq(ev.amount, 3000000);
    /* the same key as the transaction's webhook: one event, whichever comes first */
    ck_assert_str_eq(ev.event_key, "15113-1:DECLINED");

    /* the reference is encoded into one query value */
    kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R&status=APPROVED", NULL, &ev, &why);
    ck_assert_str_eq(f.url,
                     "https://production.wompi.co/v1/transactions?reference=KF-R%26status%3DAPPROVED");

    /* no private key: nothing is asked */
    f.url = NULL;
    kf_payment_account nokey = account();
    nokey.private_key = NULL;
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &nokey, "KF-R", NULL, &ev, &why),
                     APR_EINVAL);
    ck_assert_ptr_null(f.url);
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "", NULL, &ev, &why), APR_EINVAL);
}
END_TEST

START_TEST(wompi_find_payment_picks_approved_else_newest)
{
    fake_wompi f = {NULL, 200,
        "{\"data\": [" TX("1-a", "DECLINED", "2026-01-01T00:00:03.000Z") ","
        TX("1-b", "APPROVED", "2026-01-01T00:00:01.000Z") ","
        TX("1-c", "PENDING", "2026-01-01T00:00:02.000Z") "]}", NULL, 0, NULL, 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.transaction_id, "1-b");
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);

    f.body = "{\"data\": [" TX("1-a", "DECLINED", "2026-01-01T00:00:01.000Z") ","
             TX("1-c", "PENDING", "2026-01-01T00:00:02.000Z") "]}";
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.transaction_id, "1-c");
    ck_assert_int_eq(ev.status, KF_PAYMENT_PENDING);
}
END_TEST

START_TEST(wompi_find_payment_errors)
{
    fake_wompi f = {NULL, 200, "{\"data\": []}", NULL, 0, NULL, 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_NOTFOUND);
    f.status = 401;
    f.body = "{\"error\": {\"type\": \"INVALID_ACCESS_TOKEN\", \"reason\": \"Se esperaba una llave privada\"}}";
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_EACCES);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_null(strstr(why, "prv_"));
    f.status = 502;
    f.body = "<html>";
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_EGENERAL);
    /* an answer about another reference is not believed */
    f.status = 200;
    f.body = "{\"data\": [{\"id\": \"9\", \"created_at\": \"2026-01-01T00:00:00.000Z\","
             " \"amount_in_cents\": 1, \"reference\": \"KF-OTHER\", \"currency\": \"COP\","
             " \"status\": \"APPROVED\"}]}";
    ck_assert_int_eq(kf_payment_wompi.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_EGENERAL);
}
END_TEST

START_TEST(wompi_test_connection)
{
    fake_wompi f = {NULL, 200,
        "{\"data\": {\"id\": 12, \"name\": \"Clínica Prueba\", \"public_key\": \"pub_test_abc\","
        " \"presigned_acceptance\": {}}}", NULL, 0, NULL, 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_account acct = account();
    const char *name = NULL, *why = NULL;
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_wompi, pool, c, &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, "Clínica Prueba");
    ck_assert_str_eq(f.url, "https://sandbox.wompi.co/v1/merchants/pub_test_abc");
    f.status = 422;
    f.body = "{\"error\": {\"type\": \"INPUT_VALIDATION_ERROR\", \"reason\": \"x\"}}";
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_wompi, pool, c, &ep, &acct, &name, &why), APR_NOTFOUND);
    f.status = 500;
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_wompi, pool, c, &ep, &acct, &name, &why), APR_EGENERAL);
}
END_TEST

#define ONE(tx) "{\"data\": " tx ", \"meta\": {}}"

START_TEST(wompi_refund_voids_a_whole_card_payment_once)
{
    fake_wompi f = {NULL, 200, ONE(TX("15113-1", "APPROVED", "2026-01-01T00:00:00.000Z")), NULL,
                    201, ONE(TX("15113-1", "VOIDED", "2026-01-01T00:00:00.000Z")), 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_refund rf = {.transaction_id = "15113-1", .amount = 3000000, .paid = 3000000,
                            .currency = "COP"};
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_payment_wompi.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "15113-1");
    ck_assert_int_eq(f.calls, 2);
    ck_assert_str_eq(f.method, "POST");
    ck_assert_str_eq(f.url, "https://sandbox.wompi.co/v1/transactions/15113-1/void");
    ck_assert_str_eq(f.authorization, "Bearer prv_test_abc");
    /* voided before (the answer was lost): success without asking again */
    fake_wompi g = {NULL, 200, ONE(TX("15113-1", "VOIDED", "2026-01-01T00:00:00.000Z")), NULL,
                    0, NULL, 0, NULL};
    c = kf_http_client_create(pool, &fake_impl, &g);
    ck_assert_int_eq(kf_payment_wompi.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_int_eq(g.calls, 1);
    ck_assert_str_eq(g.method, "GET");
}
END_TEST

START_TEST(wompi_refund_manual_retry_and_refused_key)
{
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_account acct = account();
    const char *id = NULL, *why = NULL;
    /* part of the amount: no API for it, nothing asked */
    fake_wompi f = {NULL, 200, ONE(TX("15113-1", "APPROVED", "2026-01-01T00:00:00.000Z")), NULL,
                    0, NULL, 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_payment_refund part = {.transaction_id = "15113-1", .amount = 1000000, .paid = 3000000,
                              .currency = "COP"};
    ck_assert_int_eq(kf_payment_wompi.refund(pool, c, &ep, &acct, &part, &id, &why), APR_ENOTIMPL);
    ck_assert_int_eq(f.calls, 0);
    /* not a card: manual, and the void is never asked */
    fake_wompi n = {NULL, 200, "{\"data\": {\"id\": \"1-2\", \"status\": \"APPROVED\","
                    " \"payment_method_type\": \"NEQUI\"}}", NULL, 0, NULL, 0, NULL};
    c = kf_http_client_create(pool, &fake_impl, &n);
    kf_payment_refund whole = {.transaction_id = "1-2", .amount = 3000000, .paid = 3000000,
                               .currency = "COP"};
    ck_assert_int_eq(kf_payment_wompi.refund(pool, c, &ep, &acct, &whole, &id, &why), APR_ENOTIMPL);
    ck_assert_ptr_nonnull(strstr(why, "NEQUI"));
    ck_assert_int_eq(n.calls, 1);
    /* the private key refused; an outage is worth retrying */
    fake_wompi k = {NULL, 200, ONE(TX("15113-1", "APPROVED", "2026-01-01T00:00:00.000Z")), NULL,
                    401, "{\"error\": {\"type\": \"INVALID_ACCESS_TOKEN\"}}", 0, NULL};
    c = kf_http_client_create(pool, &fake_impl, &k);
    kf_payment_refund rf = {.transaction_id = "15113-1", .amount = 3000000, .paid = 3000000,
                            .currency = "COP"};
    ck_assert_int_eq(kf_payment_wompi.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EACCES);
    fake_wompi o = {NULL, 503, "{}", NULL, 0, NULL, 0, NULL};
    c = kf_http_client_create(pool, &fake_impl, &o);
    ck_assert_int_eq(kf_payment_wompi.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
}
END_TEST

START_TEST(refund_steps_after_an_attempt)
{
    int retry = -1;
    ck_assert_int_eq(kf_refund_after_attempt(APR_SUCCESS, 1, &retry), KF_REFUND_SUCCEEDED);
    ck_assert_int_eq(kf_refund_after_attempt(APR_ENOTIMPL, 1, &retry), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_after_attempt(APR_EACCES, 1, &retry), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_after_attempt(APR_EGENERAL, 1, &retry), KF_REFUND_RETRY);
    ck_assert_int_eq(retry, 60);
    ck_assert_int_eq(kf_refund_after_attempt(APR_EGENERAL, 3, &retry), KF_REFUND_RETRY);
    ck_assert_int_eq(retry, 240);
    ck_assert_int_eq(kf_refund_after_attempt(APR_EGENERAL, KF_REFUND_MAX_ATTEMPTS - 1, &retry),
                     KF_REFUND_RETRY);
    ck_assert_int_le(retry, 6 * 3600);
    ck_assert_int_eq(kf_refund_after_attempt(APR_EGENERAL, KF_REFUND_MAX_ATTEMPTS, &retry),
                     KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_start(&kf_payment_wompi, 3000000, 3000000), KF_REFUND_RETRY);
    ck_assert_int_eq(kf_refund_start(&kf_payment_wompi, 1000000, 3000000), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_start(&kf_payment_wompi, 3000001, 3000000), KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_start(NULL, 3000000, 3000000), KF_REFUND_MANUAL);
    ck_assert_str_eq(kf_refund_step_name(KF_REFUND_RETRY), "pending");
    ck_assert_str_eq(kf_refund_step_name(KF_REFUND_SUCCEEDED), "succeeded");
    ck_assert_str_eq(kf_refund_step_name(KF_REFUND_MANUAL), "manual");
}
END_TEST

/* What an authentic event does to its payment: decided in the core, run by the glue. */
START_TEST(event_action_decides_mismatch_approve_decline)
{
    kf_payment_event ev = {0};
    ev.amount = 50000;
    ev.currency = "COP";
    ev.status = KF_PAYMENT_APPROVED;
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 50000, "COP"), KF_PAYMENT_ACT_APPROVE);
    /* approvals always count, whatever the payment was (late approvals, repeats) */
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_DECLINED, 50000, "COP"), KF_PAYMENT_ACT_APPROVE);
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 49999, "COP"), KF_PAYMENT_ACT_MISMATCH);
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 50000, "USD"), KF_PAYMENT_ACT_MISMATCH);
    ev.currency = NULL;
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 50000, "COP"), KF_PAYMENT_ACT_MISMATCH);
    ev.currency = "COP";
    const kf_payment_status failures[] = {KF_PAYMENT_DECLINED, KF_PAYMENT_ERROR, KF_PAYMENT_VOIDED};
    for (size_t i = 0; i < sizeof(failures) / sizeof(failures[0]); i++) {
        ev.status = failures[i];
        ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 50000, "COP"),
                         KF_PAYMENT_ACT_DECLINE);
        /* a failure never undoes a settled payment */
        ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_APPROVED, 50000, "COP"),
                         KF_PAYMENT_ACT_NOTHING);
        /* a failure for another amount is still refused and flagged */
        ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 1, "COP"), KF_PAYMENT_ACT_MISMATCH);
    }
    ev.status = KF_PAYMENT_PENDING;
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 50000, "COP"), KF_PAYMENT_ACT_NOTHING);
    ev.status = KF_PAYMENT_UNKNOWN;
    ck_assert_int_eq(kf_payment_event_action(&ev, KF_PAYMENT_PENDING, 50000, "COP"), KF_PAYMENT_ACT_NOTHING);
}
END_TEST

START_TEST(a_webhook_member_is_read_from_its_json_body)
{
    const char *body = "{\"type\": \"payment\", \"data\": {\"object\": {\"id\": \"x\"}}}";
    kf_payment_webhook wh = {.body = body, .len = strlen(body)};
    json_t *obj = kf_payment_webhook_member(pool, &wh, "data.object");
    ck_assert(json_is_object(obj));
    ck_assert_str_eq(json_string_value(json_object_get(obj, "id")), "x");
    ck_assert_str_eq(json_string_value(kf_payment_webhook_member(pool, &wh, "type")), "payment");
    ck_assert_ptr_null(kf_payment_webhook_member(pool, &wh, "data.none"));

    static const char *const not_objects[] = {"", "not json", "[1]", "\"data\""};
    for (size_t i = 0; i < sizeof(not_objects) / sizeof(not_objects[0]); i++) {
        kf_payment_webhook other = {.body = not_objects[i], .len = strlen(not_objects[i])};
        ck_assert_ptr_null(kf_payment_webhook_member(pool, &other, "data"));
    }
}
END_TEST

START_TEST(a_webhook_parsed_on_receipt_is_read_as_parsed)
{
    /* the object given with the webhook is the one read: its body is not parsed again */
    const char *body = "{\"type\": \"payment\"}";
    kf_payment_webhook wh = {.body = body, .len = strlen(body),
                             .object = kf_json_parse_object(pool, body, strlen(body), NULL)};
    ck_assert_ptr_eq(kf_payment_webhook_object(pool, &wh), wh.object);
    ck_assert_str_eq(json_string_value(kf_payment_webhook_member(pool, &wh, "type")), "payment");

    /* none given: parsed where asked, each time alike */
    kf_payment_webhook plain = {.body = body, .len = strlen(body)};
    json_t *parsed = kf_payment_webhook_object(pool, &plain);
    ck_assert(json_equal(parsed, wh.object));
    kf_payment_webhook junk = {.body = "not json", .len = 8};
    ck_assert_ptr_null(kf_payment_webhook_object(pool, &junk));
}
END_TEST

START_TEST(status_parse_and_nothing_to_collect)
{
    const kf_payment_status all[] = {KF_PAYMENT_PENDING, KF_PAYMENT_APPROVED, KF_PAYMENT_DECLINED, KF_PAYMENT_ERROR,
                                 KF_PAYMENT_VOIDED};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        ck_assert_int_eq(kf_payment_status_parse(kf_payment_status_name(all[i])), all[i]);
    }
    ck_assert_int_eq(kf_payment_status_parse("APPROVED"), KF_PAYMENT_UNKNOWN);
    ck_assert_int_eq(kf_payment_status_parse(NULL), KF_PAYMENT_UNKNOWN);

    ck_assert(kf_payment_nothing_to_collect("free", 0));
    ck_assert(kf_payment_nothing_to_collect(NULL, 50000));
    ck_assert(kf_payment_nothing_to_collect("total", 0));
    ck_assert(!kf_payment_nothing_to_collect("total", 50000));
    ck_assert(!kf_payment_nothing_to_collect("partial", 12500));
}
END_TEST

/* A booking's payment of 50 000 COP, pending, locked for an event (KF_PAY_LOCK_COLS). */
static void locked_booking(const char **v)
{
    const char *row[KF_PAY_LOCK_COLS] = {"pay", "pending", "5000000", "COP", "pi_1", "res",
                                         "pending_payment", "tenant", "stripe", "f", NULL};
    memcpy(v, row, sizeof(row));
}

static kf_payment_event payment_event(kf_payment_status status, apr_int64_t amount)
{
    kf_payment_event ev = {0};
    ev.event_key = "evt_1";
    ev.transaction_id = "pi_1";
    ev.provider_status = status == KF_PAYMENT_APPROVED ? "succeeded" : "failed";
    ev.status = status;
    ev.amount = amount;
    ev.currency = "COP";
    return ev;
}

START_TEST(an_event_recorded_before_does_nothing)
{
    const char *v[KF_PAY_LOCK_COLS];
    locked_booking(v);
    v[KF_PAY_LOCK_COL_EVENT_SEEN] = "t";
    kf_payment_event ev = payment_event(KF_PAYMENT_APPROVED, 5000000);
    ck_assert_int_eq(kf_payment_event_plan(pool, &ev, v).step, KF_PAYMENT_STEP_DUPLICATE);
}
END_TEST

START_TEST(an_approval_is_handed_to_the_booking_or_the_purchase)
{
    const char *v[KF_PAY_LOCK_COLS];
    locked_booking(v);
    kf_payment_event ev = payment_event(KF_PAYMENT_APPROVED, 5000000);
    kf_payment_plan plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_APPROVE);
    ck_assert(plan.booking);
    ck_assert(!plan.purchase);
    ck_assert(plan.same_transaction);
    ck_assert_str_eq(plan.result, "unchanged");   /* the booking's move says what it became */
    /* a purchase's payment (packages): its purchase moves, with its reason */
    v[KF_PAY_LOCK_COL_BOOKING] = v[KF_PAY_LOCK_COL_BOOKING_STATUS] = NULL;
    v[KF_PAY_LOCK_COL_PURCHASE] = "pur";
    v[KF_PAY_LOCK_COL_TXID] = "pi_0";
    plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert(plan.purchase);
    ck_assert(!plan.booking);
    ck_assert(!plan.same_transaction);
    ck_assert_str_eq(plan.reason, "payment_approved");
}
END_TEST

START_TEST(a_decline_sets_its_status_and_moves_a_booking_held)
{
    const char *v[KF_PAY_LOCK_COLS];
    locked_booking(v);
    kf_payment_event ev = payment_event(KF_PAYMENT_VOIDED, 5000000);
    kf_payment_plan plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_DECLINE);
    ck_assert_str_eq(plan.status, "voided");
    ck_assert(plan.booking);
    v[KF_PAY_LOCK_COL_BOOKING] = NULL;
    ck_assert(!kf_payment_event_plan(pool, &ev, v).booking);
    v[KF_PAY_LOCK_COL_PURCHASE] = "pur";
    plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert(plan.purchase);
    ck_assert_str_eq(plan.reason, "payment_voided");
    /* a failure after the approval moves nothing */
    locked_booking(v);
    v[KF_PAY_LOCK_COL_STATUS] = "approved";
    plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_RECORD);
    ck_assert_str_eq(plan.result, "unchanged");
}
END_TEST

START_TEST(another_amount_is_refused_and_flagged)
{
    const char *v[KF_PAY_LOCK_COLS];
    locked_booking(v);
    kf_payment_event ev = payment_event(KF_PAYMENT_APPROVED, 100);
    kf_payment_plan plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_MISMATCH);
    ck_assert_str_eq(plan.result, "amount_mismatch");
    ck_assert(plan.flag_refund);                    /* money taken: to give back */
    ck_assert_str_eq(plan.note, "succeeded event for 100 COP but 5000000 COP was asked: "
                                "refused and flagged");
    ev = payment_event(KF_PAYMENT_DECLINED, 100);
    plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_MISMATCH);
    ck_assert(!plan.flag_refund);
}
END_TEST

START_TEST(disputes_and_refunds_are_recorded_as_such)
{
    const char *v[KF_PAY_LOCK_COLS];
    locked_booking(v);
    kf_payment_event ev = payment_event(KF_PAYMENT_APPROVED, 5000000);
    ev.kind = KF_PAYMENT_EVENT_DISPUTE;
    ev.refund_id = "dp_1";
    ev.dispute_state = KF_DISPUTE_LOST;
    kf_payment_plan plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_DISPUTE);
    ck_assert_str_eq(plan.result, "disputed");
    ck_assert_str_eq(plan.note, "dispute dp_1 at stripe is lost (no reason)");
    ev.dispute_reason = "fraudulent";
    ck_assert_str_eq(kf_payment_event_plan(pool, &ev, v).note,
                     "dispute dp_1 at stripe is lost (fraudulent)");
    /* a refund of another amount is no mismatch: it is recorded and its booking may move */
    ev.kind = KF_PAYMENT_EVENT_REFUND;
    ev.amount = 100;
    plan = kf_payment_event_plan(pool, &ev, v);
    ck_assert_int_eq(plan.step, KF_PAYMENT_STEP_REFUND);
    ck_assert_str_eq(plan.result, "refunded");
    ck_assert(plan.booking);
    v[KF_PAY_LOCK_COL_PURCHASE] = "pur";
    ck_assert(!kf_payment_event_plan(pool, &ev, v).booking);
    /* the payment's figures and whether everything went back */
    locked_booking(v);
    v[KF_PAY_LOCK_COL_STATUS] = "approved";
    ev.amount = 5000000;
    kf_refund_figures fig;
    ck_assert(kf_payment_refund_of(&ev, v, NULL, &fig));
    ck_assert_int_eq(fig.taken, 5000000);
    ev.amount = 100;
    ck_assert(!kf_payment_refund_of(&ev, v, NULL, &fig));
    ck_assert_int_eq(fig.total, 100);
}
END_TEST

/* ---- a scripted provider: verification by secret, answers as told ---- */

static apr_status_t found_rv;

static kf_payment_verdict secret_is_good(apr_pool_t *p, const kf_payment_webhook *wh,
                                         const kf_payment_account *acct, kf_payment_event *ev,
                                         const char **why)
{
    *why = "bad signature";
    return strcmp(acct->events_secret, "good") == 0 ? KF_PAYMENT_VERIFIED : KF_PAYMENT_BAD_SIGNATURE;
}

static apr_status_t answer_payment(apr_pool_t *p, kf_http_client *http,
                                   const kf_payment_endpoints *ep, const kf_payment_account *acct,
                                   const char *reference, const char *checkout_id,
                                   kf_payment_event *ev, const char **why)
{
    memset(ev, 0, sizeof(*ev));
    ev->transaction_id = "tx_9";
    ev->provider_status = "APPROVED";
    ev->amount = 5000000;
    ev->currency = "COP";
    ev->reference = reference;
    *why = "provider down";
    return found_rv;
}

static apr_status_t answer_dispute(apr_pool_t *p, kf_http_client *http,
                                   const kf_payment_endpoints *ep, const kf_payment_account *acct,
                                   const char *dispute_id, const char *transaction_id,
                                   kf_payment_event *ev, const char **why)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_DISPUTE;
    ev->refund_id = dispute_id;
    ev->transaction_id = transaction_id;
    *why = "about another payment";
    return found_rv;
}

static const kf_payment_provider answering = {.name = "answering",
                                              .verify_webhook = secret_is_good,
                                              .find_payment = answer_payment,
                                              .find_dispute = answer_dispute};

START_TEST(the_first_dispute_is_kept_and_a_final_state_never_reopens)
{
    const char *v[KF_PAY_LOCK_COLS];
    locked_booking(v);
    kf_payment_event ev = payment_event(KF_PAYMENT_APPROVED, 5000000);
    ev.kind = KF_PAYMENT_EVENT_DISPUTE;
    ev.refund_id = "dp_1";
    ev.dispute_state = KF_DISPUTE_OPEN;
    /* the first dispute of the payment */
    ck_assert_str_eq(kf_payment_event_plan(pool, &ev, v).status, "open");
    v[KF_PAY_LOCK_COL_DISPUTE_ID] = "dp_1";
    v[KF_PAY_LOCK_COL_DISPUTE_STATUS] = "open";
    /* told again: nothing moves */
    ck_assert_ptr_null(kf_payment_event_plan(pool, &ev, v).status);
    ev.dispute_state = KF_DISPUTE_WON;
    ck_assert_str_eq(kf_payment_event_plan(pool, &ev, v).status, "won");
    /* another dispute of the same payment never moves the one kept */
    ev.refund_id = "dp_2";
    ck_assert_ptr_null(kf_payment_event_plan(pool, &ev, v).status);
    /* a late "open" after the ruling is not believed */
    ev.refund_id = "dp_1";
    ev.dispute_state = KF_DISPUTE_OPEN;
    const char *const finals[] = {"won", "lost", "closed"};
    for (int i = 0; i < 3; i++) {
        v[KF_PAY_LOCK_COL_DISPUTE_STATUS] = finals[i];
        ck_assert_ptr_null(kf_payment_event_plan(pool, &ev, v).status);
    }
}
END_TEST

START_TEST(a_webhook_is_answered_200_unless_it_failed)
{
    ck_assert_str_eq(kf_payment_webhook_outcome(KF_PAYMENT_APPLIED), "applied");
    ck_assert_str_eq(kf_payment_webhook_outcome(KF_PAYMENT_DUPLICATE), "duplicate");
    ck_assert_str_eq(kf_payment_webhook_outcome(KF_PAYMENT_NOT_OURS), "ignored");
    /* failed: the provider must send it again */
    ck_assert_ptr_null(kf_payment_webhook_outcome(KF_PAYMENT_FAILED));
}
END_TEST

/* Asking the provider with nothing to apply: what the webhook is answered and the job counts. */
START_TEST(an_answer_without_an_event_is_what_is_known)
{
    ck_assert_int_eq(kf_payment_asked_applied(KF_PAYMENT_ASK_NOTHING), KF_PAYMENT_DUPLICATE);
    ck_assert_int_eq(kf_payment_asked_applied(KF_PAYMENT_ASK_NOT_OURS), KF_PAYMENT_NOT_OURS);
    ck_assert_int_eq(kf_payment_asked_applied(KF_PAYMENT_ASK_FAILED), KF_PAYMENT_FAILED);
    ck_assert_str_eq(kf_payment_webhook_outcome(kf_payment_asked_applied(KF_PAYMENT_ASK_NOTHING)),
                     "duplicate");
    ck_assert_ptr_null(kf_payment_webhook_outcome(kf_payment_asked_applied(KF_PAYMENT_ASK_FAILED)));
}
END_TEST

START_TEST(a_verified_notice_without_its_state_is_asked_of_the_provider)
{
    kf_payment_question q;
    ck_assert(!kf_payment_webhook_question(KF_PAYMENT_VERIFIED, "ref", "co", NULL, "tx", &q));
    ck_assert(kf_payment_webhook_question(KF_PAYMENT_VERIFIED_LOOKUP, "ref", "co", NULL, "tx", &q));
    ck_assert(!q.dispute);
    ck_assert_str_eq(q.name, "ref");
    ck_assert_str_eq(q.about, "co");
    ck_assert_str_eq(q.source, "webhook");
    ck_assert(kf_payment_webhook_question(KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP, "ref", "co", "dp_1",
                                          "tx", &q));
    ck_assert(q.dispute);
    ck_assert_str_eq(q.name, "dp_1");
    ck_assert_str_eq(q.about, "tx");
}
END_TEST

START_TEST(back_from_a_checkout_by_either_return_address)
{
    ck_assert(kf_payment_back_from_checkout("12345-1700000000-00001", NULL));
    ck_assert(kf_payment_back_from_checkout(NULL, "1"));
    ck_assert(kf_payment_back_from_checkout("", "1"));
    ck_assert(!kf_payment_back_from_checkout(NULL, NULL));
    ck_assert(!kf_payment_back_from_checkout("", ""));
}
END_TEST

START_TEST(a_webhook_verifies_with_the_secret_before_a_rotation)
{
    kf_payment_webhook wh = {"{}", 2, NULL, NULL, 0, NULL};
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_verify(pool, &answering, &wh, NULL, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    kf_payment_account acct = {.events_secret = "good"};
    ck_assert_int_eq(kf_payment_verify(pool, &answering, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED);
    acct.events_secret = "new";
    ck_assert_int_eq(kf_payment_verify(pool, &answering, &wh, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    acct.previous_events_secret = "good";
    ck_assert_int_eq(kf_payment_verify(pool, &answering, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED);
}
END_TEST

START_TEST(a_payment_asked_of_the_provider_is_applied_or_waited_for)
{
    kf_payment_account acct = {0};
    kf_payment_endpoints ep = {0};
    kf_payment_question q = {0, "KF-REF", "cs_1", "reconcile"};
    kf_payment_event ev;
    const char *record, *note;
    found_rv = APR_SUCCESS;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_APPLY);
    ck_assert_str_eq(record, "{\"id\":\"tx_9\",\"status\":\"APPROVED\",\"amount_in_cents\":5000000,"
                             "\"currency\":\"COP\",\"reference\":\"KF-REF\"}");
    ck_assert_ptr_null(note);
    found_rv = APR_NOTFOUND;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_NOTHING);
    found_rv = APR_EGENERAL;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_FAILED);
    ck_assert_str_eq(note, "answering look-up (reconcile) failed: provider down");
}
END_TEST

START_TEST(a_dispute_is_recorded_only_as_the_providers_of_this_payment)
{
    kf_payment_account acct = {0};
    kf_payment_endpoints ep = {0};
    kf_payment_question q = {1, "dp 1", "tx_9", "webhook"};
    kf_payment_event ev;
    const char *record, *note;
    found_rv = APR_SUCCESS;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_APPLY);
    ck_assert_ptr_nonnull(strstr(record, "\"payment_id\":\"tx_9\""));
    found_rv = APR_NOTFOUND;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_NOT_OURS);
    ck_assert_str_eq(note, "answering dispute dp%201 not recorded: about another payment");
    found_rv = APR_EINVAL;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_NOT_OURS);
    found_rv = APR_EACCES;
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &answering, &ep, &acct, &q, &ev, &record, &note),
                     KF_PAYMENT_ASK_FAILED);
    ck_assert_str_eq(note, "answering dispute look-up failed: about another payment");
    /* a provider without a dispute look-up records none */
    ck_assert_int_eq(kf_payment_ask(pool, NULL, &kf_payment_wompi, &ep, &acct, &q, &ev, &record,
                                    &note), KF_PAYMENT_ASK_NOT_OURS);
    ck_assert_ptr_null(note);
}
END_TEST

START_TEST(an_expired_bookings_checkout_is_tried_again_later_until_it_ends)
{
    /* ended, already gone, or refused as not the provider's: nothing more to do */
    ck_assert_int_eq(kf_payment_close_retry(APR_SUCCESS, 1), 0);
    ck_assert_int_eq(kf_payment_close_retry(APR_NOTFOUND, 3), 0);
    ck_assert_int_eq(kf_payment_close_retry(APR_EINVAL, 2), 0);
    /* a refused key or a failure: a minute, doubling, at most 256 minutes */
    ck_assert_int_eq(kf_payment_close_retry(APR_EGENERAL, 0), 60);
    ck_assert_int_eq(kf_payment_close_retry(APR_EACCES, 1), 120);
    ck_assert_int_eq(kf_payment_close_retry(APR_EGENERAL, 5), 60 * 32);
    ck_assert_int_eq(kf_payment_close_retry(APR_EGENERAL, 40), 60 * 256);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment");
    TCase *tc = tcase_create("charge");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, charge_total_partial_free);
    tcase_add_test(tc, charge_partial_rounds_up);
    tcase_add_test(tc, charge_refusals);
    tcase_add_test(tc, statuses_and_registry);
    tcase_add_test(tc, the_registry_describes_every_provider);
    tcase_add_test(tc, references_are_fresh);
    suite_add_tcase(s, tc);

    tc = tcase_create("wompi");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, wompi_time_format);
    tcase_add_test(tc, wompi_endpoints_by_mode);
    tcase_add_test(tc, money_in_major_units_is_exact);
    tcase_add_test(tc, tokens_are_kept_until_a_minute_before_expiry);
    tcase_add_test(tc, wompi_checkout_url_exact);
    tcase_add_test(tc, wompi_checkout_url_overridden_base_and_optional_fields);
    tcase_add_test(tc, wompi_checkout_url_refusals);
    tcase_add_test(tc, wompi_webhook_vector);
    tcase_add_test(tc, wompi_webhook_refusals);
    tcase_add_test(tc, wompi_webhook_other_event_is_unusable);
    tcase_add_test(tc, wompi_find_payment_is_merchant_scoped);
    tcase_add_test(tc, wompi_find_payment_picks_approved_else_newest);
    tcase_add_test(tc, wompi_find_payment_errors);
    tcase_add_test(tc, wompi_refund_voids_a_whole_card_payment_once);
    tcase_add_test(tc, wompi_refund_manual_retry_and_refused_key);
    tcase_add_test(tc, refund_steps_after_an_attempt);
    tcase_add_test(tc, wompi_test_connection);
    tcase_add_test(tc, event_action_decides_mismatch_approve_decline);
    tcase_add_test(tc, an_event_recorded_before_does_nothing);
    tcase_add_test(tc, an_approval_is_handed_to_the_booking_or_the_purchase);
    tcase_add_test(tc, a_decline_sets_its_status_and_moves_a_booking_held);
    tcase_add_test(tc, another_amount_is_refused_and_flagged);
    tcase_add_test(tc, disputes_and_refunds_are_recorded_as_such);
    tcase_add_test(tc, the_first_dispute_is_kept_and_a_final_state_never_reopens);
    tcase_add_test(tc, a_webhook_verifies_with_the_secret_before_a_rotation);
    tcase_add_test(tc, a_webhook_is_answered_200_unless_it_failed);
    tcase_add_test(tc, an_answer_without_an_event_is_what_is_known);
    tcase_add_test(tc, a_verified_notice_without_its_state_is_asked_of_the_provider);
    tcase_add_test(tc, back_from_a_checkout_by_either_return_address);
    tcase_add_test(tc, a_payment_asked_of_the_provider_is_applied_or_waited_for);
    tcase_add_test(tc, a_dispute_is_recorded_only_as_the_providers_of_this_payment);
    tcase_add_test(tc, a_webhook_member_is_read_from_its_json_body);
    tcase_add_test(tc, a_webhook_parsed_on_receipt_is_read_as_parsed);
    tcase_add_test(tc, status_parse_and_nothing_to_collect);
    tcase_add_test(tc, a_refund_is_whole_only_when_everything_taken_went_back);
    tcase_add_test(tc, a_refund_event_leaves_the_payments_figures);
    tcase_add_test(tc, a_refund_share_is_asked_once_whatever_the_retries);
    tcase_add_test(tc, a_refund_is_spread_over_transactions_newest_first);
    tcase_add_test(tc, a_spread_refund_starts_by_the_providers_rule);
    tcase_add_test(tc, account_secrets_are_unsealed_in_their_place);
    tcase_add_test(tc, an_account_opens_from_its_row);
    tcase_add_test(tc, checkout_addresses);
    tcase_add_test(tc, an_expired_bookings_checkout_is_tried_again_later_until_it_ends);
    tcase_add_test(tc, checkout_of_a_started_payment);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
