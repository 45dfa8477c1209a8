/* "testpay": a payment provider that exists only in the unit tests, written the way a new one
 * is, in one file: what it is (label, currencies, settings and their checks, its own words),
 * its signature scheme and its methods. Its one other line is the registry's
 * (kf_payment_providers_test.c); nothing else of the tree names it, and
 * test_payment_registry.c shows every rule reading it from there.
 *
 * Its wire format, made up: the checkout is a signed URL (no API call); a webhook is a JSON
 * body {"id", "reference", "transaction", "status": "paid" | "failed" | "pending", "amount",
 * "currency"} signed with X-Testpay-Signature, the lowercase hex HMAC-SHA256 of the body with
 * the events secret. */
#include "kf_payment.h"
#include "kf_json.h"
#include "kf_signatures.h"
#include "kf_text.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

#define TESTPAY_SANDBOX "https://sandbox.testpay.example"
#define TESTPAY_PRODUCTION "https://api.testpay.example"
#define TESTPAY_CHECKOUT "https://pay.testpay.example"

/* ---------------------------------------------------------------- its signature scheme */

/* X-Testpay-Signature over the raw body: KF_SIG_MALFORMED without one, KF_SIG_BAD_SIGNATURE
 * when it is not the body's. */
static kf_sig_result testpay_signature_check(apr_pool_t *p, const char *header, const char *body,
                                             apr_size_t len, const char *secret)
{
    if (!kf_has_text(header)) {
        return KF_SIG_MALFORMED;
    }
    if (!kf_has_text(secret)) {
        return KF_SIG_BAD_SIGNATURE;
    }
    return kf_sig_hex_matches(kf_sig_hmac_hex(p, secret, "", 0, body, len), header)
               ? KF_SIG_OK
               : KF_SIG_BAD_SIGNATURE;
}

/* ---------------------------------------------------------------- its methods */

static kf_payment_endpoints testpay_default_endpoints(const char *mode)
{
    kf_payment_endpoints ep = {
        .api_base = mode && strcmp(mode, "production") == 0 ? TESTPAY_PRODUCTION : TESTPAY_SANDBOX,
        .checkout_base = TESTPAY_CHECKOUT,
    };
    return ep;
}

static apr_status_t testpay_create_checkout(KF_PAYMENT_API_PARAMS, const kf_payment_checkout *co,
                                            kf_payment_session *out, const char **why)
{
    if (!acct || !kf_has_text(acct->public_key) || !kf_has_text(acct->private_key)) {
        *why = "no merchant id or signing key";
        return APR_EINVAL;
    }
    const char *amount = apr_psprintf(p, "%" APR_INT64_T_FMT, co->amount);
    const char *signed_text = apr_pstrcat(p, co->reference, ".", amount, ".", co->currency, NULL);
    out->url = apr_pstrcat(p, ep->checkout_base, "/pay?merchant=", kf_url_encode(p, acct->public_key),
                           "&reference=", kf_url_encode(p, co->reference), "&amount=", amount,
                           "&currency=", co->currency, "&signature=",
                           kf_sig_hmac_hex(p, acct->private_key, "", 0, signed_text,
                                           strlen(signed_text)), NULL);
    return APR_SUCCESS;
}

static const char *testpay_webhook_reference(apr_pool_t *p, const kf_payment_webhook *wh)
{
    json_t *ref = kf_payment_webhook_member(p, wh, "reference");
    return json_is_string(ref) ? apr_pstrdup(p, json_string_value(ref)) : NULL;
}

static kf_payment_status testpay_status(const char *status)
{
    return strcmp(status, "paid") == 0     ? KF_PAYMENT_APPROVED
           : strcmp(status, "failed") == 0 ? KF_PAYMENT_DECLINED
           : strcmp(status, "pending") == 0 ? KF_PAYMENT_PENDING
                                            : KF_PAYMENT_UNKNOWN;
}

static kf_payment_verdict testpay_verify_webhook(apr_pool_t *p, const kf_payment_webhook *wh,
                                                 const kf_payment_account *acct,
                                                 kf_payment_event *ev, const char **why)
{
    kf_sig_result sig = testpay_signature_check(
        p, apr_table_get(wh->headers, "X-Testpay-Signature"), wh->body, wh->len,
        acct->events_secret);
    if (sig != KF_SIG_OK) {
        *why = kf_sig_result_str(sig);
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    json_t *body = kf_json_parse_object(p, wh->body, wh->len, NULL);
    const char *id = NULL, *status = NULL, *currency = NULL;
    json_int_t amount = 0;
    if (kf_json_get_string(body, "id", &id) != KF_JSON_FIELD_OK ||
        kf_json_get_string(body, "reference", &ev->reference) != KF_JSON_FIELD_OK ||
        kf_json_get_string(body, "transaction", &ev->transaction_id) != KF_JSON_FIELD_OK ||
        kf_json_get_string(body, "status", &status) != KF_JSON_FIELD_OK ||
        kf_json_get_string(body, "currency", &currency) != KF_JSON_FIELD_OK ||
        kf_json_get_int(body, "amount", &amount) != KF_JSON_FIELD_OK) {
        *why = "not a payment event";
        return KF_PAYMENT_UNUSABLE;
    }
    ev->event_key = apr_pstrcat(p, ev->transaction_id, ":", status, NULL);
    ev->provider_status = apr_pstrdup(p, status);
    ev->status = testpay_status(status);
    ev->amount = amount;
    ev->currency = apr_pstrdup(p, currency);
    ev->kind = KF_PAYMENT_EVENT_PAYMENT;
    return KF_PAYMENT_VERIFIED;
}

/* It has no API to ask a payment of: the webhook is all it says. */
static apr_status_t testpay_find_payment(KF_PAYMENT_API_PARAMS, const char *reference,
                                         const char *checkout_id, kf_payment_event *ev,
                                         const char **why)
{
    *why = "testpay answers no look-up";
    return APR_NOTFOUND;
}

static apr_status_t testpay_test_connection(KF_PAYMENT_API_PARAMS, const char **merchant_name,
                                            const char **why)
{
    *merchant_name = acct->public_key;
    return APR_SUCCESS;
}

/* Its checkouts stay payable until ended, like Stripe's and Airwallex's: the expiry job ends
 * them (nothing to call here). */
static apr_status_t testpay_close_checkout(KF_PAYMENT_API_PARAMS, const char *checkout_id,
                                           const char **why)
{
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- what testpay is */

static const char *const testpay_currencies[] = {"CLP", "USD", NULL};

static const kf_payment_setting testpay_settings[] = {
    {"merchant_id", KF_PAYMENT_SLOT_PUBLIC},
    {"signing_key", KF_PAYMENT_SLOT_PRIVATE},
    {"webhook_secret", KF_PAYMENT_SLOT_EVENTS},
    {NULL, KF_PAYMENT_SLOT_PUBLIC},
};

/* No "testpay_not_configured": the shared words say it with its label. */
static const kf_payment_message testpay_messages[] = {
    {"testpay_signing_key_prefix", "Debe empezar por tp_test_ en modo test o por tp_live_ en modo "
     "production.", "Must start with tp_test_ in test mode or tp_live_ in production mode."},
    {NULL, NULL, NULL},
};

/* The signing key of the mode: tp_test_... or tp_live_...; the others have no prefix. */
static const char *testpay_check_setting(const char *mode, const kf_payment_setting *setting,
                                         const char *value)
{
    if (setting->slot != KF_PAYMENT_SLOT_PRIVATE) {
        return kf_payment_key_check(value);
    }
    const char *prefix = mode && strcmp(mode, "test") == 0 ? "tp_test_" : "tp_live_";
    if (strncmp(value, prefix, strlen(prefix)) != 0) {
        return "testpay_signing_key_prefix";
    }
    return kf_payment_key_check(value + strlen(prefix));
}

const kf_payment_provider kf_payment_testpay = {
    .name = "testpay",
    .label = "Test Pay",
    .currencies = testpay_currencies,
    .settings = testpay_settings,
    .check_setting = testpay_check_setting,
    .messages = testpay_messages,
    .refunds_part = 0,
    .default_endpoints = testpay_default_endpoints,
    .create_checkout = testpay_create_checkout,
    .webhook_reference = testpay_webhook_reference,
    .verify_webhook = testpay_verify_webhook,
    .find_payment = testpay_find_payment,
    .test_connection = testpay_test_connection,
    .refund = NULL,             /* the merchant refunds by hand */
    .close_checkout = testpay_close_checkout,
};
