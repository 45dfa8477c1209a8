/* Mercado Pago: the webhook notice (query, x-signature, body) and every answer the provider
 * gives (preference, payments search, payment, refund, users/me, error bodies), read from
 * untrusted bytes. The input's first line is the notice's query, the rest its body; the
 * whole input is also each API answer, with status 200 and then 400. The notice is signed
 * here with the data.id the query carries, so that what follows a valid signature is
 * reached too. */
#include "fuzz_common.h"
#include "kf_crypto.h"
#include "kf_payment.h"
#include "kf_payment_mercadopago.h"
#include "kf_query.h"
#include "kf_signatures.h"

#include <string.h>

#define SECRET "mp_fuzz_secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *input = apr_pstrmemdup(p, (const char *)data, size);
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    apr_size_t cut = nl ? (apr_size_t)(nl - text) : size;
    const char *query = nl ? apr_pstrmemdup(p, text, cut) : input;
    const char *body = nl ? input + cut + 1 : input;
    apr_size_t body_len = nl ? size - cut - 1 : size;
    kf_payment_account acct = {.mode = "test", .private_key = "TEST-fuzz-token",
                               .events_secret = SECRET};
    kf_payment_event ev;
    const char *why = NULL;
    const kf_payment_provider *mp = &kf_payment_mercadopago;

    /* a notice as received, once with a signature made for its data.id, once forged */
    apr_table_t *q = NULL;
    const char *bad = NULL;
    kf_query_parse(p, query, &q, &bad);
    const char *data_id = q ? apr_table_get(q, "data.id") : NULL;
    const char *manifest = kf_mercadopago_manifest(p, data_id, "req-1", "1742505638683");
    const char *v1 = kf_hmac_sha256_hex(p, SECRET, strlen(SECRET), manifest, strlen(manifest));
    apr_table_t *h = apr_table_make(p, 2);
    apr_table_set(h, "x-signature", apr_pstrcat(p, "ts=1742505638683,v1=", v1, NULL));
    apr_table_set(h, "x-request-id", "req-1");
    kf_payment_webhook wh = {.body = body, .len = body_len, .headers = h, .query = query,
                             .now = (apr_time_t)1742505638683LL * 1000};
    mp->webhook_reference(p, &wh);
    mp->verify_webhook(p, &wh, &acct, &ev, &why);
    apr_table_t *forged = apr_table_make(p, 2);
    apr_table_set(forged, "x-signature", query);
    apr_table_set(forged, "x-request-id", body);
    wh.headers = forged;
    mp->verify_webhook(p, &wh, &acct, &ev, &why);

    /* the provider's answers */
    kf_http_client *c = kf_http_client_create(p, &fuzz_http, NULL);
    kf_payment_endpoints ep = mp->default_endpoints("test");
    fuzz_answer.body = input;
    fuzz_answer.len = size;
    static const int statuses[] = {200, 400};
    for (int i = 0; i < 2; i++) {
        fuzz_answer.status = statuses[i];
        kf_payment_checkout co = {.reference = "KF-FUZZ", .amount = 7576, .currency = "COP",
                                  .redirect_url = "https://x.example/back",
                                  .notify_url = "https://x.example/hook?reference=KF-FUZZ",
                                  .expires_at = apr_time_from_sec(1795446245)};
        kf_payment_session out;
        kf_payment_call_create_checkout(mp, p, c, &ep, &acct, &co, &out, &why);
        mp->find_payment(p, c, &ep, &acct, "KF-FUZZ", NULL, &ev, &why);
        const char *name = NULL, *refund_id = NULL;
        kf_payment_call_test_connection(mp, p, c, &ep, &acct, &name, &why);
        kf_payment_refund rf = {.transaction_id = "1319483029", .reference = "KF-FUZZ",
                                .idempotency_key = "rf-fuzz", .amount = 2505, .paid = 7576,
                                .currency = "COP"};
        mp->refund(p, c, &ep, &acct, &rf, &refund_id, &why);
    }
    fuzz_answer.status = 200;
    apr_pool_destroy(p);
    return 0;
}
