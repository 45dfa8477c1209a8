/* Unit suite for lib/payments/kf_payment_mercadopago.c: the preference create_checkout sends, webhook
 * notices verified with PROVIDERS.md's vector, payments searched merchant-scoped and mapped,
 * refunds and the token test, all through a fake kf_http implementation. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "kf_payment.h"
#include "kf_payment_mercadopago.h"
#include "kf_signatures.h"

#define MP kf_payment_mercadopago
#define TOKEN "TEST-1234567890123456-010203-0a1b2c3d4e5f60718293a4b5c6d7e8f9-123456789"

/* ------------------------------------------------------------------ fake HTTP */

typedef struct {
    const char *method;
    const char *url;
    apr_table_t *headers;
    const char *body;
} sent_request;

typedef struct {
    int status[4];          /* answers in order; the last one given repeats */
    const char *body[4];
    int n_answers;
    int calls;
    sent_request sent[8];
} fake_mp;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_mp *f = baton;
    int i = f->calls < f->n_answers ? f->calls : f->n_answers - 1;
    if (f->calls < 8) {
        sent_request *s = &f->sent[f->calls];
        s->method = apr_pstrdup(p, req->method);
        s->url = apr_pstrdup(p, req->url);
        s->headers = req->headers ? apr_table_copy(p, req->headers) : apr_table_make(p, 1);
        s->body = req->body ? apr_pstrmemdup(p, req->body, req->body_len) : NULL;
    }
    f->calls++;
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = f->status[i];
    r->headers = apr_table_make(p, 1);
    r->body = f->body[i];
    r->body_len = strlen(r->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake-mercadopago", fake_perform};

static kf_http_client *client(fake_mp *f)
{
    return kf_http_client_create(pool, &fake_impl, f);
}

static fake_mp answer(int status, const char *body)
{
    fake_mp f = {.status = {status}, .body = {body}, .n_answers = 1};
    return f;
}

static fake_mp answers(int s1, const char *b1, int s2, const char *b2)
{
    fake_mp f = {.status = {s1, s2}, .body = {b1, b2}, .n_answers = 2};
    return f;
}

static kf_payment_account account(const char *mode)
{
    kf_payment_account acct = {.mode = mode, .private_key = TOKEN, .events_secret = "mp_secret"};
    return acct;
}

static const char *header(const sent_request *s, const char *name)
{
    return apr_table_get(s->headers, name);
}

/* ------------------------------------------------------------------ endpoints, registry */

START_TEST(endpoints_and_registry)
{
    kf_payment_endpoints t = MP.default_endpoints("test");
    kf_payment_endpoints p = MP.default_endpoints("production");
    ck_assert_str_eq(t.api_base, "https://api.mercadopago.com");
    ck_assert_str_eq(p.api_base, "https://api.mercadopago.com");
    ck_assert_ptr_null(t.checkout_base);
    ck_assert_ptr_null(p.checkout_base);
    ck_assert_ptr_eq(kf_payment_provider_find("mercadopago"), &MP);
    ck_assert_str_eq(MP.name, "mercadopago");
    ck_assert_int_eq(MP.refunds_part, 1);
    ck_assert_int_eq(kf_refund_start(&MP, 1000, 3000), KF_REFUND_RETRY);
}
END_TEST

/* ------------------------------------------------------------------ checkout */

#define PREF_ANSWER \
    "{\"id\": \"202809963-920c288b-4ebb-40be-966f-700250fa5370\", \"collector_id\": 202809963," \
    " \"init_point\": \"https://www.mercadopago.com.co/checkout/v1/redirect?pref_id=202809963-920c\"," \
    " \"sandbox_init_point\": \"https://sandbox.mercadopago.com.co/checkout/v1/redirect?pref_id=202809963-920c\"," \
    " \"external_reference\": \"KF-ABCDEFGHIJKLMNOPQRST\", \"date_created\": \"2026-11-23T14:34:05.000-04:00\"}"

static kf_payment_checkout full_checkout(void)
{
    kf_payment_checkout co = {
        .reference = "KF-ABCDEFGHIJKLMNOPQRST", .amount = 7576, .currency = "COP",
        .redirect_url = "https://clinica.konfirmado.co/book/confirmation?booking=b1",
        .cancel_url = "https://clinica.konfirmado.co/book/cancelled",
        .notify_url = "https://konfirmado.co/api/webhooks/mercadopago?reference=KF-ABCDEFGHIJKLMNOPQRST",
        .description = "Limpieza dental \"plus\" ñ",
        /* 2026-11-23T15:04:05.678Z */
        .expires_at = apr_time_from_sec(1795446245) + 678000,
        .customer_email = "ana+1@example.com", .customer_name = "Ana María",
        .customer_phone = "+573001234567"};
    return co;
}

START_TEST(checkout_exact_request)
{
    fake_mp f = answer(201, PREF_ANSWER);
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    kf_payment_checkout co = full_checkout();
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 1);
    const sent_request *s = &f.sent[0];
    ck_assert_str_eq(s->method, "POST");
    ck_assert_str_eq(s->url, "https://api.mercadopago.com/checkout/preferences");
    ck_assert_str_eq(header(s, "Authorization"), "Bearer " TOKEN);
    ck_assert_str_eq(header(s, "X-Idempotency-Key"), "KF-ABCDEFGHIJKLMNOPQRST");
    ck_assert_str_eq(header(s, "Content-Type"), "application/json");
    ck_assert_str_eq(s->body,
        "{\"items\":[{\"id\":\"KF-ABCDEFGHIJKLMNOPQRST\",\"title\":\"Limpieza dental \\\"plus\\\" ñ\","
        "\"quantity\":1,\"currency_id\":\"COP\",\"unit_price\":75.76}],"
        "\"payer\":{\"email\":\"ana+1@example.com\",\"name\":\"Ana María\"},"
        "\"external_reference\":\"KF-ABCDEFGHIJKLMNOPQRST\","
        "\"back_urls\":{\"success\":\"https://clinica.konfirmado.co/book/confirmation?booking=b1\","
        "\"failure\":\"https://clinica.konfirmado.co/book/cancelled\","
        "\"pending\":\"https://clinica.konfirmado.co/book/confirmation?booking=b1\"},"
        "\"auto_return\":\"approved\","
        "\"notification_url\":\"https://konfirmado.co/api/webhooks/mercadopago?reference="
        "KF-ABCDEFGHIJKLMNOPQRST&source_news=webhooks\","
        "\"expires\":true,\"expiration_date_to\":\"2026-11-23T15:04:05.678+00:00\"}");
    /* test credentials: the sandbox page */
    ck_assert_str_eq(out.url,
        "https://sandbox.mercadopago.com.co/checkout/v1/redirect?pref_id=202809963-920c");
    ck_assert_str_eq(out.checkout_id, "202809963-920c288b-4ebb-40be-966f-700250fa5370");
    ck_assert_int_eq(out.expires_at, 0);

    /* production: init_point */
    kf_payment_account prod = account("production");
    f = answer(201, PREF_ANSWER);
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &prod, &co, &out, &why), APR_SUCCESS);
    ck_assert_str_eq(out.url, "https://www.mercadopago.com.co/checkout/v1/redirect?pref_id=202809963-920c");
}
END_TEST

START_TEST(checkout_minimal_and_overridden_base)
{
    fake_mp f = answer(201, "{\"id\": \"1-x\", \"init_point\": \"http://127.0.0.1:9/mercadopago/checkout/pay?pref_id=1-x\","
                            " \"sandbox_init_point\": \"http://127.0.0.1:9/mercadopago/checkout/pay?pref_id=1-x\"}");
    kf_payment_endpoints ep = {.api_base = "http://127.0.0.1:9/mercadopago/", .checkout_base = NULL};
    kf_payment_account acct = account("test");
    /* no description, no URLs, no customer, no window; a currency without decimals */
    kf_payment_checkout co = {.reference = "KF-R1", .amount = 7500, .currency = "CLP"};
    kf_payment_session out;
    const char *why = NULL;
    kf_http_client *c = client(&f);
    kf_http_allow_insecure_prefix(c, "http://127.0.0.1:9/");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_str_eq(f.sent[0].url, "http://127.0.0.1:9/mercadopago/checkout/preferences");
    ck_assert_str_eq(f.sent[0].body,
        "{\"items\":[{\"id\":\"KF-R1\",\"title\":\"KF-R1\",\"quantity\":1,\"currency_id\":\"CLP\","
        "\"unit_price\":7500}],\"external_reference\":\"KF-R1\"}");
    ck_assert_str_eq(out.url, "http://127.0.0.1:9/mercadopago/checkout/pay?pref_id=1-x");
    ck_assert_str_eq(out.checkout_id, "1-x");

    /* no cancel URL: failure goes back to the redirect URL too; a notify URL without a query */
    co.redirect_url = "https://x.example/back";
    co.notify_url = "https://x.example/hook";
    co.amount = 1;
    co.currency = "KWD";
    f = answer(201, "{\"id\": \"1-x\", \"init_point\": \"https://x/p\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(f.sent[0].body, "\"unit_price\":0.001}"));
    ck_assert_ptr_nonnull(strstr(f.sent[0].body,
        "\"back_urls\":{\"success\":\"https://x.example/back\",\"failure\":\"https://x.example/back\","
        "\"pending\":\"https://x.example/back\"},\"auto_return\":\"approved\","
        "\"notification_url\":\"https://x.example/hook?source_news=webhooks\"}"));
    /* no sandbox page in the answer: the one page there is */
    ck_assert_str_eq(out.url, "https://x/p");
}
END_TEST

START_TEST(checkout_refusals)
{
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    kf_payment_checkout co = full_checkout();
    kf_payment_session out;
    const char *why = NULL;

    /* nothing asked without a token or with a bad checkout */
    fake_mp f = answer(201, PREF_ANSWER);
    kf_payment_account none = account("test");
    none.private_key = "";
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &none, &co, &out, &why), APR_EINVAL);
    co.amount = 0;
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EINVAL);
    co = full_checkout();
    co.description = "bad \xff utf-8";
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);
    co = full_checkout();

    /* the token refused */
    f = answer(401, "{\"message\": \"invalid access token\", \"error\": \"unauthorized\","
                    " \"status\": 401, \"cause\": [{\"code\": 2002, \"description\": \"invalid token\"}]}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EACCES);
    ck_assert_ptr_null(strstr(why, TOKEN));
    f = answer(403, "{\"message\": \"forbidden\", \"error\": \"forbidden\", \"status\": 403}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EACCES);

    /* an error body: error and cause code in *why; a token the provider echoes is withheld */
    f = answer(400, "{\"message\": \"auto_return invalid. back_url.success must be defined for "
                    "Bearer " TOKEN "\", \"error\": \"bad_request\", \"status\": 400,"
                    " \"cause\": [{\"code\": \"invalid_auto_return\", \"description\": \"back_url.success must be defined\"}]}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(why, "HTTP 400 bad_request"));
    ck_assert_ptr_nonnull(strstr(why, "invalid_auto_return"));
    ck_assert_ptr_nonnull(strstr(why, "[redacted]"));
    ck_assert_ptr_null(strstr(why, TOKEN));
    ck_assert_ptr_null(strstr(why, "TEST-1234"));
    f = answer(500, "{\"message\": \"internal error\", \"error\": \"internal_error\", \"status\": 500,"
                    " \"cause\": [{\"code\": 1000, \"description\": \"oops\\nsecond line\"}]}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "internal_error, cause 1000 oops second line"));
    ck_assert_ptr_null(strchr(why, '\n'));
    /* a long answer is cut, never leaving part of the token behind */
    const char *pad = apr_pstrcat(pool, "{\"message\": \"", apr_psprintf(pool, "%0245d", 0), " "
                                  TOKEN "\", \"error\": \"bad_request\"}", NULL);
    f = answer(502, pad);
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EGENERAL);
    ck_assert_ptr_null(strstr(why, "TEST-"));
    ck_assert_uint_le(strlen(why), 300);
    /* an answer without the checkout URL */
    f = answer(201, "{\"id\": \"1-x\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &acct, &co, &out, &why), APR_EGENERAL);
    /* production never falls back to the sandbox page */
    kf_payment_account prod = account("production");
    f = answer(201, "{\"id\": \"1-x\", \"sandbox_init_point\": \"https://sandbox/p\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&MP, pool, client(&f), &ep, &prod, &co, &out, &why), APR_EGENERAL);
}
END_TEST

/* ------------------------------------------------------------------ webhook */

#define VEC_REQUEST_ID "bb56a2f1-6aae-46ac-982e-9dcd3581d08e"
#define VEC_TS "1742505638683"
#define VEC_V1 "feacb3b594880035653849a0541efc1d33eb558f7405975f9fbff8574c019b48"
#define VEC_QUERY "reference=KF-ABCDEFGHIJKLMNOPQRST&data.id=123456&type=payment"
#define NOTICE_BODY \
    "{\"action\": \"payment.updated\", \"api_version\": \"v1\", \"data\": {\"id\": \"123456\"}," \
    " \"date_created\": \"2025-03-20T21:20:38Z\", \"id\": 12345, \"live_mode\": false," \
    " \"type\": \"payment\", \"user_id\": \"202809963\"}"

static kf_payment_webhook notice(const char *query, const char *signature, const char *request_id,
                                 const char *body, apr_time_t now)
{
    apr_table_t *h = apr_table_make(pool, 2);
    if (signature) {
        apr_table_set(h, "x-signature", signature);
    }
    if (request_id) {
        apr_table_set(h, "X-Request-Id", request_id);
    }
    kf_payment_webhook wh = {.body = body, .len = body ? strlen(body) : 0, .headers = h,
                             .query = query, .now = now};
    return wh;
}

/* the vector's ts, as apr_time_t */
static apr_time_t vec_now(apr_int64_t plus_seconds)
{
    return (apr_time_t)1742505638683LL * 1000 + apr_time_from_sec(plus_seconds);
}

START_TEST(webhook_vector_asks_for_a_lookup)
{
    ck_assert_str_eq(kf_mercadopago_manifest(pool, "123456", VEC_REQUEST_ID, VEC_TS),
                     "id:123456;request-id:" VEC_REQUEST_ID ";ts:" VEC_TS ";");
    kf_payment_account acct = account("test");
    kf_payment_event ev;
    const char *why = NULL;
    kf_payment_webhook wh = notice(VEC_QUERY, "ts=" VEC_TS ",v1=" VEC_V1, VEC_REQUEST_ID,
                                   NOTICE_BODY, vec_now(3));
    ck_assert_str_eq(MP.webhook_reference(pool, &wh), "KF-ABCDEFGHIJKLMNOPQRST");
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED_LOOKUP);
    ck_assert_str_eq(ev.event_key, "notice:" VEC_REQUEST_ID);
    ck_assert_str_eq(ev.reference, "KF-ABCDEFGHIJKLMNOPQRST");
    /* spaces around the items, uppercase hex, no clock given: still authentic */
    wh = notice(VEC_QUERY, "ts=" VEC_TS ", v1=FEACB3B594880035653849A0541EFC1D33EB558F7405975F9FBFF8574C019B48",
                VEC_REQUEST_ID, "", 0);
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED_LOOKUP);
    /* the type may come in the body only */
    wh = notice("reference=KF-ABCDEFGHIJKLMNOPQRST&data.id=123456", "ts=" VEC_TS ",v1=" VEC_V1,
                VEC_REQUEST_ID, NOTICE_BODY, vec_now(-60));
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED_LOOKUP);
}
END_TEST

START_TEST(webhook_reference_is_decoded)
{
    kf_payment_webhook wh = notice("data.id=1&reference=KF%2DAB%20C&type=payment", NULL, NULL, "", 0);
    ck_assert_str_eq(MP.webhook_reference(pool, &wh), "KF-AB C");
    wh = notice("data.id=1&type=payment", NULL, NULL, "", 0);
    ck_assert_ptr_null(MP.webhook_reference(pool, &wh));
    wh = notice(NULL, NULL, NULL, "", 0);
    ck_assert_ptr_null(MP.webhook_reference(pool, &wh));
    wh = notice("reference=", NULL, NULL, "", 0);
    ck_assert_ptr_null(MP.webhook_reference(pool, &wh));
    wh = notice("reference=KF-A&reference=KF-B", NULL, NULL, "", 0);
    ck_assert_ptr_null(MP.webhook_reference(pool, &wh));
    wh = notice("reference=%zz", NULL, NULL, "", 0);
    ck_assert_ptr_null(MP.webhook_reference(pool, &wh));
}
END_TEST

START_TEST(webhook_bad_signatures)
{
    kf_payment_account acct = account("test");
    kf_payment_event ev;
    const char *why = NULL;
    const char *good = "ts=" VEC_TS ",v1=" VEC_V1;
#define REFUSED(wh) \
    do { \
        kf_payment_webhook w_ = (wh); \
        why = NULL; \
        ck_assert_int_eq(MP.verify_webhook(pool, &w_, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE); \
        ck_assert_ptr_nonnull(why); \
        ck_assert_ptr_null(strstr(why, "mp_secret")); \
    } while (0)
    /* missing, malformed */
    REFUSED(notice(VEC_QUERY, NULL, VEC_REQUEST_ID, NOTICE_BODY, 0));
    REFUSED(notice(VEC_QUERY, "", VEC_REQUEST_ID, NOTICE_BODY, 0));
    REFUSED(notice(VEC_QUERY, "v1=" VEC_V1, VEC_REQUEST_ID, NOTICE_BODY, 0));
    REFUSED(notice(VEC_QUERY, "ts=" VEC_TS, VEC_REQUEST_ID, NOTICE_BODY, 0));
    /* wrong: another v1, another data.id, another request id, no request id */
    REFUSED(notice(VEC_QUERY, "ts=" VEC_TS ",v1=00", VEC_REQUEST_ID, NOTICE_BODY, 0));
    REFUSED(notice("reference=KF-ABCDEFGHIJKLMNOPQRST&data.id=123457&type=payment", good,
                   VEC_REQUEST_ID, NOTICE_BODY, 0));
    REFUSED(notice("reference=KF-ABCDEFGHIJKLMNOPQRST&type=payment", good, VEC_REQUEST_ID,
                   NOTICE_BODY, 0));
    REFUSED(notice(VEC_QUERY, good, "bb56a2f1-6aae-46ac-982e-9dcd3581d08f", NOTICE_BODY, 0));
    REFUSED(notice(VEC_QUERY, good, NULL, NOTICE_BODY, 0));
    /* a query that cannot be read */
    REFUSED(notice(VEC_QUERY "&data.id=123456", good, VEC_REQUEST_ID, NOTICE_BODY, 0));
    /* stale: more than an hour away from the webhook's time, either way */
    REFUSED(notice(VEC_QUERY, good, VEC_REQUEST_ID, NOTICE_BODY, vec_now(3601)));
    REFUSED(notice(VEC_QUERY, good, VEC_REQUEST_ID, NOTICE_BODY, vec_now(-3601)));
    /* another tenant's secret, or none */
    acct.events_secret = "another_secret";
    REFUSED(notice(VEC_QUERY, good, VEC_REQUEST_ID, NOTICE_BODY, 0));
    acct.events_secret = NULL;
    REFUSED(notice(VEC_QUERY, good, VEC_REQUEST_ID, NOTICE_BODY, 0));
    ck_assert_int_eq(MP.verify_webhook(pool, &(kf_payment_webhook){.body = "", .query = VEC_QUERY},
                                       NULL, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
#undef REFUSED
}
END_TEST

/* a signed notice of another kind for data.id 123456 */
static kf_payment_verdict verdict_of(const char *query, const char *body)
{
    kf_payment_account acct = account("test");
    kf_payment_event ev;
    const char *why = NULL;
    kf_payment_webhook wh = notice(query, "ts=" VEC_TS ",v1=" VEC_V1, VEC_REQUEST_ID, body, 0);
    kf_payment_verdict v = MP.verify_webhook(pool, &wh, &acct, &ev, &why);
    if (v == KF_PAYMENT_UNUSABLE) {
        ck_assert_ptr_nonnull(why);
    }
    return v;
}

START_TEST(webhook_other_notices_are_unusable)
{
    ck_assert_int_eq(verdict_of("reference=KF-A&data.id=123456&type=merchant_order", NOTICE_BODY),
                     KF_PAYMENT_UNUSABLE);
    ck_assert_int_eq(verdict_of("reference=KF-A&data.id=123456",
                                "{\"type\": \"subscription_preapproval\", \"data\": {\"id\": \"123456\"}}"),
                     KF_PAYMENT_UNUSABLE);
    /* no type anywhere, or a body that is no JSON */
    ck_assert_int_eq(verdict_of("reference=KF-A&data.id=123456", ""), KF_PAYMENT_UNUSABLE);
    ck_assert_int_eq(verdict_of("reference=KF-A&data.id=123456", "{"), KF_PAYMENT_UNUSABLE);
    /* a payment notice without the glue's reference: nothing to look up */
    ck_assert_int_eq(verdict_of("data.id=123456&type=payment", NOTICE_BODY), KF_PAYMENT_UNUSABLE);
    ck_assert_int_eq(verdict_of("reference=KF-A&data.id=123456&type=payment", NOTICE_BODY),
                     KF_PAYMENT_VERIFIED_LOOKUP);
}
END_TEST

/* ------------------------------------------------------------------ chargebacks */

/* Mercado Pago's chargeback notice (topic chargebacks on the application's webhook): no
 * reference of ours, data.id is the chargeback, data.payment_id the disputed payment */
#define CHARGEBACK_NOTICE \
    "{\"actions\": [\"changed_case_status\"], \"api_version\": \"v1\"," \
    " \"application_id\": 9007201037432480, \"data\": {\"checkout\": \"PRO\"," \
    " \"date_updated\": \"2025-03-20T21:20:38Z\", \"id\": 123456, \"payment_id\": 1319483029," \
    " \"product_id\": \"C0000000000000000000\", \"site_id\": \"MCO\"}," \
    " \"date_created\": \"2025-03-20T21:20:38Z\", \"id\": 116200000000, \"live_mode\": false," \
    " \"type\": \"topic_chargebacks_wh\", \"version\": 1}"

START_TEST(chargeback_notice_asks_for_the_chargeback)
{
    kf_payment_account acct = account("test");
    kf_payment_event ev;
    const char *why = NULL;
    /* signed like any notice: the manifest's id is the query's data.id (the chargeback) */
    kf_payment_webhook wh = notice("data.id=123456&type=topic_chargebacks_wh",
                                   "ts=" VEC_TS ",v1=" VEC_V1, VEC_REQUEST_ID, CHARGEBACK_NOTICE,
                                   vec_now(2));
    /* the disputed payment's id finds whose secret verifies it */
    ck_assert_str_eq(MP.webhook_reference(pool, &wh), "1319483029");
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_DISPUTE);
    ck_assert_str_eq(ev.refund_id, "123456");
    ck_assert_int_ne(ev.status, KF_PAYMENT_APPROVED);
    /* the topic may come in the body only; "chargebacks" names it too */
    wh = notice("data.id=123456", "ts=" VEC_TS ",v1=" VEC_V1, VEC_REQUEST_ID, CHARGEBACK_NOTICE, 0);
    ck_assert_str_eq(MP.webhook_reference(pool, &wh), "1319483029");
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP);
    wh = notice("data.id=123456&type=chargebacks", "ts=" VEC_TS ",v1=" VEC_V1, VEC_REQUEST_ID,
                CHARGEBACK_NOTICE, 0);
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP);
    /* signature first: another secret, another chargeback id, a stale ts are refused */
    acct.events_secret = "another_secret";
    wh = notice("data.id=123456&type=topic_chargebacks_wh", "ts=" VEC_TS ",v1=" VEC_V1,
                VEC_REQUEST_ID, CHARGEBACK_NOTICE, 0);
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    acct = account("test");
    wh = notice("data.id=123457&type=topic_chargebacks_wh", "ts=" VEC_TS ",v1=" VEC_V1,
                VEC_REQUEST_ID, CHARGEBACK_NOTICE, 0);
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    wh = notice("data.id=123456&type=topic_chargebacks_wh", "ts=" VEC_TS ",v1=" VEC_V1,
                VEC_REQUEST_ID, CHARGEBACK_NOTICE, vec_now(3601));
    ck_assert_int_eq(MP.verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    /* a payment notice still needs the glue's reference */
    wh = notice("data.id=123456&type=payment", NULL, NULL, CHARGEBACK_NOTICE, 0);
    ck_assert_ptr_null(MP.webhook_reference(pool, &wh));
}
END_TEST

#define CHARGEBACK(payments, covered) \
    "{\"id\": \"123456\", \"payments\": [" payments "], \"currency\": \"COP\"," \
    " \"amount\": 75.76, \"reason\": \"general\", \"coverage_applied\": " covered "," \
    " \"coverage_elegible\": true, \"documentation_required\": true," \
    " \"documentation_status\": \"pending\", \"documentation\": []," \
    " \"date_documentation_deadline\": \"2026-12-10T23:59:59.000-04:00\"," \
    " \"date_created\": \"2026-12-01T10:00:00.000-04:00\"," \
    " \"date_last_updated\": \"2026-12-01T10:00:00.000-04:00\", \"live_mode\": false}"

static apr_status_t find_cb(fake_mp *f, const char *txid, kf_payment_event *ev, const char **why)
{
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    return MP.find_dispute(pool, client(f), &ep, &acct, "123456", txid, ev, why);
}

START_TEST(find_dispute_reads_the_chargeback_merchant_scoped)
{
    fake_mp f = answer(200, CHARGEBACK("1319483029", "null"));
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_SUCCESS);
    ck_assert_str_eq(f.sent[0].method, "GET");
    ck_assert_str_eq(f.sent[0].url, "https://api.mercadopago.com/v1/chargebacks/123456");
    ck_assert_str_eq(header(&f.sent[0], "Authorization"), "Bearer " TOKEN);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_DISPUTE);
    ck_assert_int_eq(ev.dispute_state, KF_DISPUTE_OPEN);
    ck_assert_str_eq(ev.refund_id, "123456");
    ck_assert_str_eq(ev.transaction_id, "1319483029");
    ck_assert_int_eq(ev.amount, 7576);
    ck_assert_str_eq(ev.currency, "COP");
    ck_assert_str_eq(ev.dispute_reason, "general");
    ck_assert_str_eq(ev.provider_status, "pending");
    ck_assert_str_eq(ev.event_key, "chargeback:123456:open");
    /* the ruling: coverage applied (the money stays) or not */
    f = answer(200, CHARGEBACK("1319483029", "true"));
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.dispute_state, KF_DISPUTE_WON);
    ck_assert_str_eq(ev.event_key, "chargeback:123456:won");
    f = answer(200, CHARGEBACK("\"1\", 1319483029", "false"));
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.dispute_state, KF_DISPUTE_LOST);
    ck_assert_str_eq(ev.event_key, "chargeback:123456:lost");
}
END_TEST

START_TEST(find_dispute_of_another_payment_or_merchant_is_not_found)
{
    kf_payment_event ev;
    const char *why = NULL;
    /* a chargeback of another payment of this merchant: not this payment's */
    fake_mp f = answer(200, CHARGEBACK("1319483030", "null"));
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_NOTFOUND);
    ck_assert_ptr_nonnull(why);
    /* another merchant's chargeback: this token does not see it */
    f = answer(404, "{\"message\": \"chargeback not found\", \"error\": \"not_found\", \"status\": 404}");
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_NOTFOUND);
    /* a payment never approved has no id at the provider: nothing asked */
    f = answer(200, CHARGEBACK("1319483029", "null"));
    ck_assert_int_eq(find_cb(&f, NULL, &ev, &why), APR_NOTFOUND);
    ck_assert_int_eq(f.calls, 0);
    /* the token refused; an answer without its amount */
    f = answer(401, "{\"message\": \"invalid access token\", \"error\": \"unauthorized\", \"status\": 401}");
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_EACCES);
    f = answer(200, "{\"id\": \"123456\", \"payments\": [1319483029], \"currency\": \"COP\"}");
    ck_assert_int_eq(find_cb(&f, "1319483029", &ev, &why), APR_EGENERAL);
}
END_TEST

/* ------------------------------------------------------------------ find_payment */

#define PAY(id, status, detail, amount, created) \
    "{\"id\": " id ", \"status\": \"" status "\", \"status_detail\": \"" detail "\"," \
    " \"external_reference\": \"KF-R\", \"transaction_amount\": " amount "," \
    " \"transaction_amount_refunded\": 0, \"currency_id\": \"COP\", \"collector_id\": 202809963," \
    " \"date_created\": \"" created "\", \"live_mode\": false}"
#define SEARCH(...) "{\"paging\": {\"total\": 1, \"limit\": 30, \"offset\": 0}, \"results\": [" __VA_ARGS__ "]}"

static apr_status_t find(fake_mp *f, kf_payment_event *ev, const char **why)
{
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    return MP.find_payment(pool, client(f), &ep, &acct, "KF-R", "202809963-pref", ev, why);
}

START_TEST(find_payment_is_merchant_scoped)
{
    fake_mp f = answer(200, SEARCH(PAY("1319483029", "approved", "accredited", "75.76",
                                       "2026-01-01T10:00:00.000-04:00")));
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_str_eq(f.sent[0].method, "GET");
    ck_assert_str_eq(f.sent[0].url,
                     "https://api.mercadopago.com/v1/payments/search?external_reference=KF-R");
    /* the merchant's own token: only its payments are searched */
    ck_assert_str_eq(header(&f.sent[0], "Authorization"), "Bearer " TOKEN);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_PAYMENT);
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_str_eq(ev.transaction_id, "1319483029");
    ck_assert_str_eq(ev.reference, "KF-R");
    ck_assert_int_eq(ev.amount, 7576);
    ck_assert_str_eq(ev.currency, "COP");
    ck_assert_str_eq(ev.provider_status, "approved/accredited");
    ck_assert_str_eq(ev.event_key, "1319483029:approved");

    /* the reference is one encoded query value */
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    MP.find_payment(pool, client(&f), &ep, &acct, "KF-R&status=approved", NULL, &ev, &why);
    ck_assert_str_eq(f.sent[1].url, "https://api.mercadopago.com/v1/payments/search"
                                    "?external_reference=KF-R%26status%3Dapproved");
    /* no token, no reference: nothing asked */
    kf_payment_account none = account("test");
    none.private_key = NULL;
    ck_assert_int_eq(MP.find_payment(pool, client(&f), &ep, &none, "KF-R", NULL, &ev, &why), APR_EINVAL);
    ck_assert_int_eq(MP.find_payment(pool, client(&f), &ep, &acct, "", NULL, &ev, &why), APR_EINVAL);
    ck_assert_int_eq(f.calls, 2);
}
END_TEST

/* Each status Mercado Pago names, found for one payment. */
START_TEST(find_payment_status_mapping)
{
    static const struct {
        const char *status;
        kf_payment_status expect;
    } cases[] = {
        {"approved", KF_PAYMENT_APPROVED},    {"pending", KF_PAYMENT_PENDING},
        {"in_process", KF_PAYMENT_PENDING},   {"in_mediation", KF_PAYMENT_PENDING},
        {"authorized", KF_PAYMENT_PENDING},   {"rejected", KF_PAYMENT_DECLINED},
        {"cancelled", KF_PAYMENT_VOIDED},     {"brand_new_status", KF_PAYMENT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *body = apr_psprintf(pool,
            SEARCH("{\"id\": 77, \"status\": \"%s\", \"external_reference\": \"KF-R\","
                   " \"transaction_amount\": 50000, \"currency_id\": \"CLP\"}"), cases[i].status);
        fake_mp f = answer(200, body);
        kf_payment_event ev;
        const char *why = NULL;
        ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
        ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_PAYMENT);
        ck_assert_int_eq(ev.status, cases[i].expect);
        ck_assert_int_eq(ev.amount, 50000);      /* CLP has no decimals */
        ck_assert_str_eq(ev.currency, "CLP");
        ck_assert_str_eq(ev.provider_status, cases[i].status);   /* no status_detail */
        ck_assert_str_eq(ev.event_key, apr_pstrcat(pool, "77:", cases[i].status, NULL));
    }
    /* rejected card: declined, with the detail kept */
    fake_mp f = answer(200, SEARCH(PAY("5", "rejected", "cc_rejected_other_reason", "100", "2026-01-01T00:00:00.000Z")));
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.status, KF_PAYMENT_DECLINED);
    ck_assert_str_eq(ev.provider_status, "rejected/cc_rejected_other_reason");
    ck_assert_int_eq(ev.amount, 10000);
    /* a partial refund keeps approved: the same event as the approval */
    f = answer(200, SEARCH(PAY("5", "approved", "partially_refunded", "100", "2026-01-01T00:00:00.000Z")));
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_PAYMENT);
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_str_eq(ev.event_key, "5:approved");
}
END_TEST

START_TEST(find_payment_refunds)
{
    fake_mp f = answer(200, SEARCH(
        "{\"id\": 1319483029, \"status\": \"refunded\", \"status_detail\": \"refunded\","
        " \"external_reference\": \"KF-R\", \"transaction_amount\": 75.76,"
        " \"transaction_amount_refunded\": 75.76, \"currency_id\": \"COP\","
        " \"refunds\": [{\"id\": 1009042015, \"amount\": 25.76}, {\"id\": 1009042016, \"amount\": 50}]}"));
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
    ck_assert_int_eq(ev.amount, 7576);
    ck_assert_str_eq(ev.transaction_id, "1319483029");
    ck_assert_str_eq(ev.refund_id, "1009042016");
    ck_assert_str_eq(ev.event_key, "1319483029:refunded");
    ck_assert_int_ne(ev.status, KF_PAYMENT_APPROVED);
    /* a charge-back without the refunded amount: the whole payment went back */
    f = answer(200, SEARCH("{\"id\": 9, \"status\": \"charged_back\", \"status_detail\": \"settled\","
                           " \"external_reference\": \"KF-R\", \"transaction_amount\": 120.5,"
                           " \"currency_id\": \"BRL\"}"));
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
    ck_assert_int_eq(ev.amount, 12050);
    ck_assert_ptr_null(ev.refund_id);
    ck_assert_str_eq(ev.event_key, "9:charged_back");
    ck_assert_str_eq(ev.provider_status, "charged_back/settled");
    /* approved/partially_refunded: a part went back (its own event per amount), the payment
     * stands */
    f = answer(200, SEARCH(
        "{\"id\": 1319483029, \"status\": \"approved\", \"status_detail\": \"partially_refunded\","
        " \"external_reference\": \"KF-R\", \"transaction_amount\": 75.76,"
        " \"transaction_amount_refunded\": 25.76, \"currency_id\": \"COP\","
        " \"refunds\": [{\"id\": 1009042015, \"amount\": 25.76}]}"));
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
    ck_assert_int_eq(ev.amount, 2576);
    ck_assert_str_eq(ev.refund_id, "1009042015");
    ck_assert_str_eq(ev.event_key, "1319483029:partially_refunded:2576");
    ck_assert_str_eq(ev.provider_status, "approved/partially_refunded");
}
END_TEST

START_TEST(find_payment_picks_approved_else_newest)
{
    /* approved wins over newer attempts */
    fake_mp f = answer(200, SEARCH(PAY("1", "rejected", "cc_rejected_other_reason", "10", "2026-01-01T10:00:03.000-04:00") ","
                                   PAY("2", "approved", "accredited", "10", "2026-01-01T10:00:01.000-04:00") ","
                                   PAY("3", "pending", "pending_waiting_payment", "10", "2026-01-01T10:00:02.000-04:00")));
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_str_eq(ev.transaction_id, "2");
    /* else the newest by time, whatever the offsets (14:00Z is later than 10:00:30-04:00) */
    f = answer(200, SEARCH(PAY("1", "rejected", "cc_rejected_other_reason", "10", "2026-01-01T10:00:30.000-04:00") ","
                           PAY("2", "pending", "pending_waiting_payment", "10", "2026-01-01T14:00:31Z") ","
                           PAY("3", "cancelled", "expired", "10", "2026-01-01T09:00:00.000-05:00")));
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_str_eq(ev.transaction_id, "2");
    ck_assert_int_eq(ev.status, KF_PAYMENT_PENDING);
    /* a refunded payment is heard about before a later failed attempt */
    f = answer(200, SEARCH(PAY("1", "refunded", "refunded", "10", "2026-01-01T10:00:00.000-04:00") ","
                           PAY("2", "rejected", "cc_rejected_other_reason", "10", "2026-01-01T11:00:00.000-04:00")));
    ck_assert_int_eq(find(&f, &ev, &why), APR_SUCCESS);
    ck_assert_str_eq(ev.transaction_id, "1");
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
    ck_assert_int_eq(ev.amount, 1000);     /* transaction_amount_refunded 0: the whole payment */
}
END_TEST

START_TEST(find_payment_errors)
{
    kf_payment_event ev;
    const char *why = NULL;
    fake_mp f = answer(200, SEARCH());
    ck_assert_int_eq(find(&f, &ev, &why), APR_NOTFOUND);
    f = answer(401, "{\"message\": \"invalid access token\", \"error\": \"unauthorized\", \"status\": 401,"
                    " \"cause\": [{\"code\": 2002}]}");
    ck_assert_int_eq(find(&f, &ev, &why), APR_EACCES);
    ck_assert_ptr_null(strstr(why, TOKEN));
    f = answer(500, "<html>");
    ck_assert_int_eq(find(&f, &ev, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "HTTP 500"));
    f = answer(200, "{\"results\": {}}");
    ck_assert_int_eq(find(&f, &ev, &why), APR_EGENERAL);
    /* an answer about another reference is not believed */
    f = answer(200, SEARCH("{\"id\": 1, \"status\": \"approved\", \"external_reference\": \"KF-OTHER\","
                           " \"transaction_amount\": 10, \"currency_id\": \"COP\"}"));
    ck_assert_int_eq(find(&f, &ev, &why), APR_EGENERAL);
    f = answer(200, SEARCH("{\"id\": 1, \"status\": \"approved\", \"external_reference\": null,"
                           " \"transaction_amount\": 10, \"currency_id\": \"COP\"}"));
    ck_assert_int_eq(find(&f, &ev, &why), APR_EGENERAL);
    /* a payment without its amount */
    f = answer(200, SEARCH("{\"id\": 1, \"status\": \"approved\", \"external_reference\": \"KF-R\","
                           " \"transaction_amount\": \"10\", \"currency_id\": \"COP\"}"));
    ck_assert_int_eq(find(&f, &ev, &why), APR_EGENERAL);
}
END_TEST

/* ------------------------------------------------------------------ test_connection */

START_TEST(test_connection_names_the_account)
{
    kf_payment_endpoints ep = MP.default_endpoints("production");
    kf_payment_account acct = account("production");
    const char *name = NULL, *why = NULL;
    fake_mp f = answer(200, "{\"id\": 202809963, \"nickname\": \"TESTUSER202809963\","
                            " \"first_name\": \"Clínica\", \"site_id\": \"MCO\"}");
    ck_assert_int_eq(kf_payment_call_test_connection(&MP, pool, client(&f), &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, "TESTUSER202809963");
    ck_assert_str_eq(f.sent[0].method, "GET");
    ck_assert_str_eq(f.sent[0].url, "https://api.mercadopago.com/users/me");
    ck_assert_str_eq(header(&f.sent[0], "Authorization"), "Bearer " TOKEN);
    f = answer(200, "{\"id\": 202809963, \"nickname\": \"\", \"first_name\": \"Clínica\"}");
    ck_assert_int_eq(kf_payment_call_test_connection(&MP, pool, client(&f), &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, "Clínica");
    f = answer(200, "{\"id\": 202809963}");
    ck_assert_int_eq(kf_payment_call_test_connection(&MP, pool, client(&f), &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, "202809963");
    f = answer(401, "{\"message\": \"invalid access token\", \"error\": \"unauthorized\", \"status\": 401}");
    ck_assert_int_eq(kf_payment_call_test_connection(&MP, pool, client(&f), &ep, &acct, &name, &why), APR_NOTFOUND);
    f = answer(503, "{\"message\": \"down\", \"error\": \"service_unavailable\", \"status\": 503}");
    ck_assert_int_eq(kf_payment_call_test_connection(&MP, pool, client(&f), &ep, &acct, &name, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "503"));
    kf_payment_account none = account("test");
    none.private_key = NULL;
    ck_assert_int_eq(kf_payment_call_test_connection(&MP, pool, client(&f), &ep, &none, &name, &why), APR_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ refund */

#define REFUND_ANSWER(id, amount) \
    "{\"id\": " id ", \"payment_id\": 1319483029, \"amount\": " amount "," \
    " \"source\": {\"id\": \"202809963\", \"name\": \"Clínica\", \"type\": \"collector\"}," \
    " \"date_created\": \"2026-01-02T10:00:00.000-04:00\", \"status\": \"approved\"}"
#define ALREADY \
    "{\"message\": \"Payment already refunded\", \"error\": \"bad_request\", \"status\": 400," \
    " \"cause\": [{\"code\": 2063, \"description\": \"The action requested is not valid for the current payment state\"}]}"

static apr_status_t refund(fake_mp *f, apr_int64_t amount, const char *key, const char **id,
                           const char **why)
{
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    kf_payment_refund rf = {.transaction_id = "1319483029", .reference = "KF-R",
                            .idempotency_key = key, .amount = amount, .paid = 7576,
                            .currency = "COP"};
    return MP.refund(pool, client(f), &ep, &acct, &rf, id, why);
}

START_TEST(refund_whole_and_part)
{
    const char *id = NULL, *why = NULL;
    fake_mp f = answer(201, REFUND_ANSWER("1009042015", "75.76"));
    ck_assert_int_eq(refund(&f, 7576, "rf-1-key", &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "1009042015");
    ck_assert_int_eq(f.calls, 1);
    ck_assert_str_eq(f.sent[0].method, "POST");
    ck_assert_str_eq(f.sent[0].url, "https://api.mercadopago.com/v1/payments/1319483029/refunds");
    ck_assert_str_eq(header(&f.sent[0], "Authorization"), "Bearer " TOKEN);
    ck_assert_str_eq(header(&f.sent[0], "X-Idempotency-Key"), "rf-1-key");
    ck_assert_str_eq(f.sent[0].body, "{}");
    /* part of it, in major units */
    f = answer(200, REFUND_ANSWER("1009042016", "25.05"));
    ck_assert_int_eq(refund(&f, 2505, "rf-2-key", &id, &why), APR_SUCCESS);
    ck_assert_str_eq(f.sent[0].body, "{\"amount\":25.05}");
    ck_assert_str_eq(header(&f.sent[0], "X-Idempotency-Key"), "rf-2-key");
    ck_assert_str_eq(id, "1009042016");
    /* nothing asked without a key, or for more than was paid */
    f = answer(201, REFUND_ANSWER("1", "1"));
    ck_assert_int_eq(refund(&f, 7576, NULL, &id, &why), APR_EINVAL);
    ck_assert_int_eq(refund(&f, 7576, "", &id, &why), APR_EINVAL);
    ck_assert_int_eq(refund(&f, 7577, "k", &id, &why), APR_EINVAL);
    ck_assert_int_eq(refund(&f, 0, "k", &id, &why), APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);
}
END_TEST

START_TEST(refund_already_refunded_is_success)
{
    const char *id = NULL, *why = NULL;
    /* refused, and the payment says refunded: done before (an answer lost) */
    fake_mp f = answers(400, ALREADY, 200,
        "{\"id\": 1319483029, \"status\": \"refunded\", \"status_detail\": \"refunded\","
        " \"external_reference\": \"KF-R\", \"transaction_amount\": 75.76, \"currency_id\": \"COP\","
        " \"refunds\": [{\"id\": 1009042015, \"amount\": 75.76}]}");
    ck_assert_int_eq(refund(&f, 7576, "rf-1-key", &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "1009042015");
    ck_assert_int_eq(f.calls, 2);
    ck_assert_str_eq(f.sent[1].method, "GET");
    ck_assert_str_eq(f.sent[1].url, "https://api.mercadopago.com/v1/payments/1319483029");
    ck_assert_str_eq(header(&f.sent[1], "Authorization"), "Bearer " TOKEN);
    /* the cause says so and the payment cannot be read: believed */
    f = answers(400, ALREADY, 503, "{}");
    id = "x";
    ck_assert_int_eq(refund(&f, 7576, "rf-1-key", &id, &why), APR_SUCCESS);
    ck_assert_ptr_null(id);
    /* the cause says so but the payment is still approved: the refusal stands (final: 2063) */
    f = answers(400, ALREADY, 200,
        "{\"id\": 1319483029, \"status\": \"approved\", \"external_reference\": \"KF-R\","
        " \"transaction_amount\": 75.76, \"currency_id\": \"COP\"}");
    ck_assert_int_eq(refund(&f, 7576, "rf-1-key", &id, &why), APR_ENOTIMPL);
    ck_assert_ptr_nonnull(strstr(why, "2063"));
}
END_TEST

START_TEST(refund_refusals)
{
    const char *id = NULL, *why = NULL;
    const char *approved = "{\"id\": 1319483029, \"status\": \"approved\", \"external_reference\": \"KF-R\","
                           " \"transaction_amount\": 75.76, \"currency_id\": \"COP\"}";
    /* the key refused */
    fake_mp f = answer(401, "{\"message\": \"Unauthorized use of live credentials\", \"error\": \"unauthorized\","
                            " \"status\": 401, \"cause\": [{\"code\": 7}]}");
    ck_assert_int_eq(refund(&f, 7576, "k", &id, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 1);
    ck_assert_ptr_null(strstr(why, TOKEN));
    /* unknown to this account: nothing the API can do */
    f = answer(404, "{\"message\": \"Payment not found\", \"error\": \"not_found\", \"status\": 404,"
                    " \"cause\": [{\"code\": 2000, \"description\": \"Payment not found\"}]}");
    ck_assert_int_eq(refund(&f, 7576, "k", &id, &why), APR_ENOTIMPL);
    ck_assert_ptr_nonnull(strstr(why, "2000"));
    /* final refusals: too old, no partial refund for this payment */
    f = answers(400, "{\"message\": \"Payment too old to be refunded\", \"error\": \"bad_request\","
                     " \"status\": 400, \"cause\": [{\"code\": 2024}]}", 200, approved);
    ck_assert_int_eq(refund(&f, 7576, "k", &id, &why), APR_ENOTIMPL);
    f = answers(400, "{\"message\": \"partial refund unsupported\", \"error\": \"bad_request\","
                     " \"status\": 400, \"cause\": [{\"code\": \"3024\"}]}", 200, approved);
    ck_assert_int_eq(refund(&f, 1000, "k", &id, &why), APR_ENOTIMPL);
    ck_assert_ptr_nonnull(strstr(why, "3024"));
    /* another refusal, an outage, too many requests: asked again later */
    f = answers(400, "{\"message\": \"insufficient balance\", \"error\": \"bad_request\", \"status\": 400,"
                     " \"cause\": [{\"code\": 9999}]}", 200, approved);
    ck_assert_int_eq(refund(&f, 7576, "k", &id, &why), APR_EGENERAL);
    f = answer(500, "{\"message\": \"internal error\", \"error\": \"internal_error\", \"status\": 500}");
    ck_assert_int_eq(refund(&f, 7576, "k", &id, &why), APR_EGENERAL);
    ck_assert_int_eq(f.calls, 1);
    f = answer(429, "{}");
    ck_assert_int_eq(refund(&f, 7576, "k", &id, &why), APR_EGENERAL);
    /* no payment named, no token */
    kf_payment_endpoints ep = MP.default_endpoints("test");
    kf_payment_account acct = account("test");
    kf_payment_refund rf = {.transaction_id = NULL, .idempotency_key = "k", .amount = 1, .paid = 1,
                            .currency = "COP"};
    ck_assert_int_eq(MP.refund(pool, client(&f), &ep, &acct, &rf, &id, &why), APR_ENOTIMPL);
    rf.transaction_id = "1";
    acct.private_key = NULL;
    ck_assert_int_eq(MP.refund(pool, client(&f), &ep, &acct, &rf, &id, &why), APR_EACCES);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_mercadopago");
    TCase *tc = tcase_create("mercadopago");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, endpoints_and_registry);
    tcase_add_test(tc, checkout_exact_request);
    tcase_add_test(tc, checkout_minimal_and_overridden_base);
    tcase_add_test(tc, checkout_refusals);
    tcase_add_test(tc, webhook_vector_asks_for_a_lookup);
    tcase_add_test(tc, webhook_reference_is_decoded);
    tcase_add_test(tc, webhook_bad_signatures);
    tcase_add_test(tc, webhook_other_notices_are_unusable);
    tcase_add_test(tc, chargeback_notice_asks_for_the_chargeback);
    tcase_add_test(tc, find_dispute_reads_the_chargeback_merchant_scoped);
    tcase_add_test(tc, find_dispute_of_another_payment_or_merchant_is_not_found);
    tcase_add_test(tc, find_payment_is_merchant_scoped);
    tcase_add_test(tc, find_payment_status_mapping);
    tcase_add_test(tc, find_payment_refunds);
    tcase_add_test(tc, find_payment_picks_approved_else_newest);
    tcase_add_test(tc, find_payment_errors);
    tcase_add_test(tc, test_connection_names_the_account);
    tcase_add_test(tc, refund_whole_and_part);
    tcase_add_test(tc, refund_already_refunded_is_success);
    tcase_add_test(tc, refund_refusals);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
