/* Stripe: the webhook (reference, Stripe-Signature, event and its data.object) and every answer
 * of Stripe's API the provider reads (checkout session created and retrieved, account, refund,
 * error bodies), all from untrusted bytes. The input is signed with the account's secret, so
 * that the event parsing behind the signature check is reached too. */
#include "fuzz_common.h"
#include "kf_payment.h"
#include "kf_payment_stripe.h"
#include "kf_signatures.h"

#include <string.h>

#define FUZZ_NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int statuses[] = {200, 200, 200, 400, 401, 404, 500};
    apr_pool_t *p = fuzz_pool();
    const char *body = apr_pstrmemdup(p, (const char *)data, size);
    kf_payment_account acct = {.mode = "test", .private_key = "sk_test_fuzz",
                               .events_secret = "whsec_fuzz",
                               .now = apr_time_from_sec(FUZZ_NOW)};
    kf_payment_event ev;
    const char *why = NULL;

    apr_table_t *h = apr_table_make(p, 1);
    apr_table_set(h, "Stripe-Signature",
                  apr_psprintf(p, "t=%d,v1=%s", FUZZ_NOW,
                               kf_stripe_signature(p, acct.events_secret, FUZZ_NOW, body, size)));
    kf_payment_webhook wh = {.body = body, .len = size, .headers = h, .query = NULL,
                             .now = apr_time_from_sec(FUZZ_NOW)};
    kf_payment_stripe.webhook_reference(p, &wh);
    kf_payment_stripe.verify_webhook(p, &wh, &acct, &ev, &why);
    /* the input as the signature header itself */
    apr_table_set(h, "Stripe-Signature", fuzz_text(p, data, size));
    kf_payment_stripe.verify_webhook(p, &wh, &acct, &ev, &why);

    fuzz_answer.status = statuses[size % (sizeof(statuses) / sizeof(statuses[0]))];
    fuzz_answer.body = body;
    fuzz_answer.len = size;
    kf_http_client *c = kf_http_client_create(p, &fuzz_http, NULL);
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_stripe.find_payment(p, c, &ep, &acct, "KF-FUZZ", "cs_test_fuzz", &ev, &why);
    const char *name = NULL, *refund_id = NULL;
    kf_payment_call_test_connection(&kf_payment_stripe, p, c, &ep, &acct, &name, &why);
    kf_payment_refund rf = {.transaction_id = "pi_fuzz", .reference = "KF-FUZZ",
                            .idempotency_key = "kf-fuzz", .amount = 100, .paid = 100,
                            .currency = "USD"};
    kf_payment_stripe.refund(p, c, &ep, &acct, &rf, &refund_id, &why);
    kf_payment_checkout co = {.reference = "KF-FUZZ", .amount = 100, .currency = "USD",
                              .redirect_url = "https://k.example/ok"};
    kf_payment_session out;
    kf_payment_call_create_checkout(&kf_payment_stripe, p, c, &ep, &acct, &co, &out, &why);
    apr_pool_destroy(p);
    return 0;
}
