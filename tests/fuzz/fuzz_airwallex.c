/* Airwallex: the webhook (reference, signature, event) and every API answer the provider reads
 * (login, intent created / looked up / listed, refund created / listed, account), all from
 * untrusted bytes. The webhook is signed with the account's secret so that its parsing is
 * reached. The calls run twice: answered 200 (a token in the input logs in and is cached),
 * then with a status picked by the input's length (error bodies, duplicate_request paths). */
#include "fuzz_common.h"
#include "kf_payment.h"
#include "kf_payment_airwallex.h"
#include "kf_signatures.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int statuses[] = {200, 201, 400, 401, 404, 500};
    apr_pool_t *p = fuzz_pool();
    const char *body = apr_pstrmemdup(p, (const char *)data, size);
    const kf_payment_provider *prov = &kf_payment_airwallex;
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(p);
    kf_payment_account acct = {.mode = "test", .public_key = "fuzz_client",
                               .private_key = "fuzz_api_key", .events_secret = "fuzz_whsec",
                               .tokens = tokens, .now = apr_time_from_sec(1778544000)};
    kf_payment_event ev;
    const char *why = NULL;

    /* webhooks: signed right (parsed), and signed wrong */
    const char *ts = "1778544000000";
    apr_table_t *h = apr_table_make(p, 2);
    apr_table_set(h, "x-timestamp", ts);
    apr_table_set(h, "x-signature", kf_airwallex_signature(p, acct.events_secret, ts, body, size));
    kf_payment_webhook wh = {.body = body, .len = size, .headers = h, .now = acct.now};
    prov->webhook_reference(p, &wh);
    prov->verify_webhook(p, &wh, &acct, &ev, &why);
    apr_table_set(h, "x-signature", "00");
    prov->verify_webhook(p, &wh, &acct, &ev, &why);

    fuzz_answer.body = body;
    fuzz_answer.len = size;
    kf_http_client *c = kf_http_client_create(p, &fuzz_http, NULL);
    kf_payment_endpoints ep = prov->default_endpoints("test");
    kf_payment_session out;
    kf_payment_checkout co = {.reference = "KF-FUZZ", .amount = 7576, .currency = "USD",
                              .redirect_url = "https://k.example/r", .description = "Fuzz"};
    kf_payment_refund rf = {.transaction_id = "int_fuzz", .reference = "KF-FUZZ",
                            .idempotency_key = "rq-fuzz", .amount = 100, .paid = 7576,
                            .currency = "USD"};
    const char *refund_id = NULL, *name = NULL;
    for (int round = 0; round < 2; round++) {
        fuzz_answer.status = round == 0 ? 200 : statuses[size % (sizeof(statuses) / sizeof(statuses[0]))];
        kf_payment_call_test_connection(prov, p, c, &ep, &acct, &name, &why);
        kf_payment_call_create_checkout(prov, p, c, &ep, &acct, &co, &out, &why);
        prov->find_payment(p, c, &ep, &acct, "KF-FUZZ", "int_fuzz", &ev, &why);
        prov->refund(p, c, &ep, &acct, &rf, &refund_id, &why);
    }
    apr_pool_destroy(p);
    return 0;
}
