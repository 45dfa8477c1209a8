/* Wompi: the webhook (reference, checksum, transaction) and the merchant-scoped search answer
 * (GET /transactions?reference=), both read from untrusted bytes. */
#include "fuzz_common.h"
#include "kf_payment.h"
#include "kf_payment_wompi.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *body = apr_pstrmemdup(p, (const char *)data, size);
    kf_payment_account acct = {"test", "pub_test_fuzz", "prv_test_fuzz", "test_events_fuzz",
                           "test_integrity_fuzz", NULL, NULL, 0};
    kf_payment_event ev;
    const char *why = NULL;
    apr_table_t *h = apr_table_make(p, 1);
    apr_table_set(h, "X-Event-Checksum", "00");
    kf_payment_webhook wh = {body, size, h, NULL, 0, NULL};
    kf_payment_wompi.webhook_reference(p, &wh);
    kf_payment_wompi.verify_webhook(p, &wh, &acct, &ev, &why);
    fuzz_answer.body = body;
    fuzz_answer.len = size;
    kf_http_client *c = kf_http_client_create(p, &fuzz_http, NULL);
    kf_payment_endpoints ep = kf_payment_wompi.default_endpoints("test");
    kf_payment_wompi.find_payment(p, c, &ep, &acct, "KF-FUZZ", NULL, &ev, &why);
    apr_pool_destroy(p);
    return 0;
}
