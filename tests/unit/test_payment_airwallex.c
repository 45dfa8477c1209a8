/* Unit suite for lib/payments/kf_payment_airwallex.c: the login and its token cache, the PaymentIntent
 * and hosted page of a checkout, webhooks (the PROVIDERS.md vector, every event name), the
 * merchant-scoped look-up, refunds and the connection test, through a scripted fake kf_http
 * implementation that records every request. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "kf_crypto.h"
#include "kf_payment.h"
#include "kf_payment_airwallex.h"
#include "kf_signatures.h"

#define P (&kf_payment_airwallex)

/* 2026-05-12T00:00:00+0000, the expires_at of the logins below, and 20 minutes before it */
#define EXPIRY apr_time_from_sec(1778544000)
#define NOW (EXPIRY - apr_time_from_sec(20 * 60))

#define CLIENT "awx_client_1"
#define API_KEY "awx_apikey_SECRET_1"
#define WH_SECRET "whsec_awx_1"
#define REF "KF-ABCDEFGHIJKLMNOPQRST"

#define LOGIN_OK(tok) "{\"token\": \"" tok "\", \"expires_at\": \"2026-05-12T00:00:00+0000\"}"
#define DEMO "https://api-demo.airwallex.com"

/* ------------------------------------------------------------------ scripted fake HTTP */

typedef struct {
    const char *method;
    const char *url;
    const char *body;           /* NULL: none */
    apr_table_t *headers;
} seen;

typedef struct {
    int status[8];
    const char *answer[8];
    int n;                      /* answers scripted; later calls get 599 */
    seen req[8];
    int calls;
} fake_http;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    (void)why;
    fake_http *f = baton;
    int i = f->calls++;
    if (i < 8) {
        f->req[i].method = apr_pstrdup(p, req->method);
        f->req[i].url = apr_pstrdup(p, req->url);
        f->req[i].body = req->body ? apr_pstrmemdup(p, req->body, req->body_len) : NULL;
        f->req[i].headers = req->headers ? apr_table_copy(p, req->headers) : apr_table_make(p, 1);
    }
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = i < f->n ? f->status[i] : 599;
    r->headers = apr_table_make(p, 1);
    r->body = i < f->n ? f->answer[i] : "{}";
    r->body_len = strlen(r->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake-airwallex", fake_perform};

static void script(fake_http *f, int status, const char *body)
{
    f->status[f->n] = status;
    f->answer[f->n] = body;
    f->n++;
}

static kf_http_client *client(fake_http *f)
{
    memset(f, 0, sizeof(*f));
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, f);
    kf_http_allow_insecure_prefix(c, "http://127.0.0.1:9");
    return c;
}

static const char *hdr(const fake_http *f, int i, const char *name)
{
    return apr_table_get(f->req[i].headers, name);
}

static kf_payment_account account(kf_payment_token_cache *tokens)
{
    kf_payment_account acct = {.mode = "test", .public_key = CLIENT, .private_key = API_KEY,
                               .events_secret = WH_SECRET, .tokens = tokens, .now = NOW};
    return acct;
}

static kf_payment_endpoints demo(void)
{
    return P->default_endpoints("test");
}

static const char *cache_key(const char *api, const char *client_id, const char *api_key)
{
    return apr_pstrcat(pool, "airwallex ", api, " ", client_id, " ",
                       kf_sha256_hex(pool, api_key, strlen(api_key)), NULL);
}

/* ------------------------------------------------------------------ registry, endpoints */

START_TEST(endpoints_and_registry)
{
    kf_payment_endpoints t = P->default_endpoints("test");
    kf_payment_endpoints p = P->default_endpoints("production");
    ck_assert_str_eq(t.api_base, "https://api-demo.airwallex.com");
    ck_assert_str_eq(t.checkout_base, "https://checkout-demo.airwallex.com");
    ck_assert_str_eq(p.api_base, "https://api.airwallex.com");
    ck_assert_str_eq(p.checkout_base, "https://checkout.airwallex.com");
    ck_assert_str_eq(P->default_endpoints(NULL).api_base, "https://api-demo.airwallex.com");
    ck_assert_ptr_eq(kf_payment_provider_find("airwallex"), P);
    ck_assert_int_eq(P->refunds_part, 1);
    ck_assert_int_eq(kf_refund_start(P, 1000, 3000), KF_REFUND_RETRY);
}
END_TEST

/* ------------------------------------------------------------------ checkout */

#define INTENT_CREATED \
    "{\"id\": \"int_hkpd1\", \"request_id\": \"" REF "\", \"amount\": 75.76, \"currency\": \"USD\"," \
    " \"merchant_order_id\": \"" REF "\", \"status\": \"REQUIRES_PAYMENT_METHOD\"," \
    " \"client_secret\": \"cs/1+x=\", \"captured_amount\": 0}"

START_TEST(checkout_exact_requests)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 201, INTENT_CREATED);
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    kf_payment_account acct = account(tokens);
    kf_payment_endpoints ep = demo();
    kf_payment_checkout co = {.reference = REF, .amount = 7576, .currency = "USD",
                              .redirect_url = "https://k.example/book/x/confirmation?booking=b1&t=2",
                              .cancel_url = "https://k.example/book/x/cancelled",
                              .notify_url = "https://k.example/api/webhooks/airwallex?reference=" REF,
                              .description = "Consulta de ortodoncia — primera visita larga",
                              .expires_at = NOW + apr_time_from_sec(900),
                              .customer_email = "ana@example.com"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 2);
    /* the login: the client id and API key as headers, no body */
    ck_assert_str_eq(f.req[0].method, "POST");
    ck_assert_str_eq(f.req[0].url, DEMO "/api/v1/authentication/login");
    ck_assert_str_eq(hdr(&f, 0, "x-client-id"), CLIENT);
    ck_assert_str_eq(hdr(&f, 0, "x-api-key"), API_KEY);
    ck_assert_ptr_null(hdr(&f, 0, "Authorization"));
    ck_assert_ptr_null(f.req[0].body);
    /* the intent: Bearer token, the reference as request_id, the amount in major units
     * written exactly, the descriptor cut at 32 characters */
    ck_assert_str_eq(f.req[1].method, "POST");
    ck_assert_str_eq(f.req[1].url, DEMO "/api/v1/pa/payment_intents/create");
    ck_assert_str_eq(hdr(&f, 1, "Authorization"), "Bearer tok-1");
    ck_assert_str_eq(hdr(&f, 1, "Content-Type"), "application/json");
    ck_assert_ptr_null(hdr(&f, 1, "x-api-key"));
    ck_assert_str_eq(f.req[1].body,
        "{\"request_id\":\"" REF "\",\"amount\":75.76,\"currency\":\"USD\","
        "\"merchant_order_id\":\"" REF "\","
        "\"return_url\":\"https://k.example/book/x/confirmation?booking=b1&t=2\","
        "\"metadata\":{\"reference\":\"" REF "\"},"
        "\"descriptor\":\"Consulta de ortodoncia — primera\"}");
    /* what the browser is sent to, and what the glue keeps */
    ck_assert_str_eq(out.checkout_id, "int_hkpd1");
    ck_assert_str_eq(out.url,
        "https://checkout-demo.airwallex.com/#/standalone/checkout?intent_id=int_hkpd1"
        "&client_secret=cs%2F1%2Bx%3D&currency=USD&mode=payment"
        "&successUrl=https%3A%2F%2Fk.example%2Fbook%2Fx%2Fconfirmation%3Fbooking%3Db1%26t%3D2"
        "&failUrl=https%3A%2F%2Fk.example%2Fbook%2Fx%2Fcancelled");
    ck_assert_int_eq(out.expires_at, 0);
    ck_assert_ptr_null(why);
}
END_TEST

START_TEST(checkout_amounts_endpoints_and_defaults)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 200, "{\"id\": \"int_2\", \"client_secret\": \"cs2\"}");
    kf_payment_account acct = account(NULL);
    kf_payment_endpoints ep = {"http://127.0.0.1:9/airwallex/", "http://127.0.0.1:9/airwallex/checkout"};
    kf_payment_checkout co = {.reference = REF, .amount = 5, .currency = "USD",
                              .redirect_url = "https://k.example/r"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_str_eq(f.req[0].url, "http://127.0.0.1:9/airwallex/api/v1/authentication/login");
    ck_assert_str_eq(f.req[1].url, "http://127.0.0.1:9/airwallex/api/v1/pa/payment_intents/create");
    /* no description: the reference; no cancel_url: back to redirect_url */
    ck_assert_str_eq(f.req[1].body,
        "{\"request_id\":\"" REF "\",\"amount\":0.05,\"currency\":\"USD\","
        "\"merchant_order_id\":\"" REF "\",\"return_url\":\"https://k.example/r\","
        "\"metadata\":{\"reference\":\"" REF "\"},\"descriptor\":\"" REF "\"}");
    ck_assert_str_eq(out.url,
        "http://127.0.0.1:9/airwallex/checkout/#/standalone/checkout?intent_id=int_2"
        "&client_secret=cs2&currency=USD&mode=payment&successUrl=https%3A%2F%2Fk.example%2Fr"
        "&failUrl=https%3A%2F%2Fk.example%2Fr");

    /* currencies without and with three decimals; no redirect at all */
    const struct { apr_int64_t minor; const char *cur, *major; } cases[] = {
        {1500, "JPY", "1500"}, {1000, "KWD", "1.000"}, {123456789012, "COP", "1234567890.12"},
        {100, "USD", "1.00"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        c = client(&f);
        script(&f, 201, LOGIN_OK("tok-1"));
        script(&f, 201, "{\"id\": \"int_3\", \"client_secret\": \"cs3\"}");
        kf_payment_checkout k = {.reference = "KF-1", .amount = cases[i].minor,
                                 .currency = cases[i].cur, .description = "x"};
        ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &k, &out, &why), APR_SUCCESS);
        ck_assert_str_eq(f.req[1].body, apr_psprintf(pool,
            "{\"request_id\":\"KF-1\",\"amount\":%s,\"currency\":\"%s\",\"merchant_order_id\":"
            "\"KF-1\",\"metadata\":{\"reference\":\"KF-1\"},\"descriptor\":\"x\"}",
            cases[i].major, cases[i].cur));
        ck_assert_str_eq(out.url, apr_psprintf(pool,
            "http://127.0.0.1:9/airwallex/checkout/#/standalone/checkout?intent_id=int_3"
            "&client_secret=cs3&currency=%s&mode=payment", cases[i].cur));
    }
}
END_TEST

START_TEST(checkout_refusals_and_errors)
{
    fake_http f;
    kf_http_client *c = client(&f);
    kf_payment_endpoints ep = demo();
    kf_payment_checkout co = {.reference = REF, .amount = 100, .currency = "USD"};
    kf_payment_session out;
    const char *why = NULL;
    /* bad input: nothing asked */
    kf_payment_account nokey = account(NULL);
    nokey.private_key = "";
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &nokey, &co, &out, &why), APR_EINVAL);
    kf_payment_account acct = account(NULL);
    kf_payment_checkout zero = {.reference = REF, .amount = 0, .currency = "USD"};
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &zero, &out, &why), APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);

    /* the keys refused at login */
    script(&f, 401, "{\"code\": \"credentials_invalid\", \"message\": \"Invalid client id or api key\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 1);
    ck_assert_ptr_nonnull(strstr(why, "credentials_invalid"));
    ck_assert_ptr_null(strstr(why, API_KEY));

    /* Airwallex's error body: code, source and message, no secret */
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-SECRET"));
    script(&f, 400, "{\"code\": \"validation_error\", \"source\": \"amount\","
                    " \"message\": \"amount must be greater than 0\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "HTTP 400"));
    ck_assert_ptr_nonnull(strstr(why, "validation_error (amount)"));
    ck_assert_ptr_nonnull(strstr(why, "amount must be greater than 0"));
    ck_assert_ptr_null(strstr(why, "tok-SECRET"));
    /* a message that repeats the key or token is left out */
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-SECRET"));
    script(&f, 400, "{\"code\": \"bad_token\", \"message\": \"token tok-SECRET is odd\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "bad_token"));
    ck_assert_ptr_null(strstr(why, "tok-SECRET"));
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 500, "<html>oops</html>");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "HTTP 500"));
    /* an answer without a client_secret, or about another order, is not used */
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 201, "{\"id\": \"int_1\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EGENERAL);
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s\", \"merchant_order_id\": \"KF-OTHER\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EGENERAL);
    /* the key refused on the intent itself (a fresh login: no retry) */
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 403, "{\"code\": \"unauthorized\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 2);
}
END_TEST

/* Airwallex refuses a request_id used before (duplicate_request): the intent the earlier
 * request made is found by its merchant_order_id. */
START_TEST(checkout_after_duplicate_request)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 400, "{\"code\": \"duplicate_request\", \"message\": \"The request ID has been used\"}");
    script(&f, 200, "{\"has_more\": false, \"items\": [{\"id\": \"int_other\", \"request_id\": \"x\","
                    " \"merchant_order_id\": \"" REF "\", \"client_secret\": \"nope\"},"
                    " {\"id\": \"int_first\", \"request_id\": \"" REF "\", \"merchant_order_id\": \""
                    REF "\", \"client_secret\": \"cs_first\", \"status\": \"REQUIRES_PAYMENT_METHOD\"}]}");
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    kf_payment_account acct = account(tokens);
    kf_payment_endpoints ep = demo();
    kf_payment_checkout co = {.reference = REF, .amount = 100, .currency = "USD"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_str_eq(f.req[2].method, "GET");
    ck_assert_str_eq(f.req[2].url, DEMO "/api/v1/pa/payment_intents?merchant_order_id=" REF);
    ck_assert_str_eq(hdr(&f, 2, "Authorization"), "Bearer tok-1");
    ck_assert_str_eq(out.checkout_id, "int_first");
    ck_assert_ptr_nonnull(strstr(out.url, "intent_id=int_first&client_secret=cs_first&"));
    /* none found: an error */
    c = client(&f);
    script(&f, 400, "{\"code\": \"duplicate_request\"}");
    script(&f, 200, "{\"items\": []}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(why);
}
END_TEST

/* ------------------------------------------------------------------ token cache */

START_TEST(token_cached_under_hashed_key_until_expiry)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    script(&f, 201, "{\"id\": \"int_2\", \"client_secret\": \"s2\"}");
    script(&f, 201, LOGIN_OK("tok-2"));
    script(&f, 201, "{\"id\": \"int_3\", \"client_secret\": \"s3\"}");
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    kf_payment_account acct = account(tokens);
    kf_payment_endpoints ep = demo();
    kf_payment_checkout co = {.reference = REF, .amount = 100, .currency = "USD"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    /* kept under api base + client id + SHA-256 of the API key, never the key itself */
    ck_assert_str_eq(kf_payment_token_cache_get(tokens, pool, cache_key(DEMO, CLIENT, API_KEY), NOW),
                     "tok-1");
    ck_assert_ptr_nonnull(strstr(cache_key(DEMO, CLIENT, API_KEY), " " CLIENT " "));
    ck_assert_ptr_null(strstr(cache_key(DEMO, CLIENT, API_KEY), API_KEY));
    /* until expires_at: a later call in the window does not log in */
    acct.now = EXPIRY - apr_time_from_sec(120);
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_str_eq(hdr(&f, 2, "Authorization"), "Bearer tok-1");
    /* less than a minute left: a new login */
    acct.now = EXPIRY - apr_time_from_sec(30);
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 5);
    ck_assert_str_eq(f.req[3].url, DEMO "/api/v1/authentication/login");
    ck_assert_str_eq(hdr(&f, 4, "Authorization"), "Bearer tok-2");

    /* another API key for the same client id is another entry */
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-k2"));
    script(&f, 201, "{\"id\": \"int_4\", \"client_secret\": \"s4\"}");
    kf_payment_account other = account(tokens);
    other.private_key = "awx_apikey_SECRET_2";
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &other, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 2);
    ck_assert_str_eq(f.req[0].url, DEMO "/api/v1/authentication/login");
}
END_TEST

START_TEST(token_expiry_unparseable_or_far)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, "{\"token\": \"tok-u\", \"expires_at\": \"tomorrow\"}");
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    kf_payment_account acct = account(tokens);
    kf_payment_endpoints ep = demo();
    kf_payment_checkout co = {.reference = REF, .amount = 100, .currency = "USD"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    const char *key = cache_key(DEMO, CLIENT, API_KEY);
    /* unreadable expires_at: 25 minutes */
    ck_assert_str_eq(kf_payment_token_cache_get(tokens, pool, key, NOW + apr_time_from_sec(23 * 60)),
                     "tok-u");
    ck_assert_ptr_null(kf_payment_token_cache_get(tokens, pool, key, NOW + apr_time_from_sec(24 * 60 + 1)));
    /* an expiry beyond 30 minutes is not believed; other offsets are read */
    acct.tokens = tokens = kf_payment_token_cache_create(pool);
    c = client(&f);
    script(&f, 201, "{\"token\": \"tok-f\", \"expires_at\": \"2099-01-01T00:00:00+0000\"}");
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_str_eq(kf_payment_token_cache_get(tokens, pool, key, NOW + apr_time_from_sec(28 * 60)),
                     "tok-f");
    ck_assert_ptr_null(kf_payment_token_cache_get(tokens, pool, key, NOW + apr_time_from_sec(29 * 60 + 1)));
    acct.tokens = tokens = kf_payment_token_cache_create(pool);
    c = client(&f);
    /* 2026-05-12T01:00:00+01:00 is EXPIRY */
    script(&f, 201, "{\"token\": \"tok-o\", \"expires_at\": \"2026-05-12T01:00:00.123+01:00\"}");
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_str_eq(kf_payment_token_cache_get(tokens, pool, key, EXPIRY - apr_time_from_sec(61)),
                     "tok-o");
    ck_assert_ptr_null(kf_payment_token_cache_get(tokens, pool, key, EXPIRY - apr_time_from_sec(59)));
}
END_TEST

START_TEST(token_refused_logs_in_again_once)
{
    fake_http f;
    kf_http_client *c = client(&f);
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    kf_payment_account acct = account(tokens);
    kf_payment_token_cache_put(tokens, cache_key(DEMO, CLIENT, API_KEY), "tok-old", EXPIRY);
    kf_payment_endpoints ep = demo();
    kf_payment_checkout co = {.reference = REF, .amount = 100, .currency = "USD"};
    kf_payment_session out;
    const char *why = NULL;
    script(&f, 401, "{\"code\": \"unauthorized\", \"message\": \"Access denied, authentication failed\"}");
    script(&f, 201, LOGIN_OK("tok-new"));
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_str_eq(hdr(&f, 0, "Authorization"), "Bearer tok-old");
    ck_assert_str_eq(f.req[1].url, DEMO "/api/v1/authentication/login");
    ck_assert_str_eq(hdr(&f, 2, "Authorization"), "Bearer tok-new");
    ck_assert_str_eq(f.req[2].body, f.req[0].body);
    ck_assert_str_eq(kf_payment_token_cache_get(tokens, pool, cache_key(DEMO, CLIENT, API_KEY), NOW),
                     "tok-new");
    /* refused again after the new login: no loop */
    c = client(&f);
    kf_payment_token_cache_put(tokens, cache_key(DEMO, CLIENT, API_KEY), "tok-old", EXPIRY);
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    script(&f, 201, LOGIN_OK("tok-new"));
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 3);
    /* the login itself refused on the retry */
    c = client(&f);
    kf_payment_token_cache_put(tokens, cache_key(DEMO, CLIENT, API_KEY), "tok-old", EXPIRY);
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    script(&f, 403, "{\"code\": \"credentials_invalid\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 2);
    /* no cache: a login for every call */
    c = client(&f);
    acct.tokens = NULL;
    script(&f, 201, LOGIN_OK("tok-a"));
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    script(&f, 201, LOGIN_OK("tok-b"));
    script(&f, 201, "{\"id\": \"int_1\", \"client_secret\": \"s1\"}");
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(kf_payment_call_create_checkout(P, pool, c, &ep, &acct, &co, &out, &why), APR_SUCCESS);
    ck_assert_int_eq(f.calls, 4);
    ck_assert_str_eq(hdr(&f, 3, "Authorization"), "Bearer tok-b");
}
END_TEST

/* ------------------------------------------------------------------ webhooks */

#define VEC_TS "1357872222592"
#define VEC_BODY "{\"id\":\"evt_1\",\"name\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"int_1\",\"status\":\"SUCCEEDED\"}}}"
#define VEC_SIG "24d081674370e296c94f6c189087a4282eb7be7c0e1b4b97b2e75aabb39a96d9"
#define VEC_NOW ((apr_time_t)1357872222592 * 1000 + apr_time_from_sec(3))

static kf_payment_webhook webhook(const char *body, const char *ts, const char *sig, apr_time_t now)
{
    apr_table_t *h = apr_table_make(pool, 2);
    if (ts) {
        apr_table_set(h, "X-Timestamp", ts);
    }
    if (sig) {
        apr_table_set(h, "x-signature", sig);
    }
    kf_payment_webhook wh = {.body = body, .len = strlen(body), .headers = h, .now = now};
    return wh;
}

/* body signed with secret at now, as Airwallex sends it */
static kf_payment_webhook signed_webhook(const char *body, const char *secret, apr_time_t now)
{
    const char *ts = apr_psprintf(pool, "%" APR_INT64_T_FMT, (apr_int64_t)(now / 1000));
    return webhook(body, ts, kf_airwallex_signature(pool, secret, ts, body, strlen(body)), now);
}

START_TEST(webhook_vector)
{
    kf_payment_account acct = account(NULL);
    acct.events_secret = "awx_secret";
    kf_payment_event ev;
    const char *why = NULL;
    kf_payment_webhook wh = webhook(VEC_BODY, VEC_TS, VEC_SIG, VEC_NOW);
    /* authentic, but the vector's intent has no amount, currency or order id */
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
    wh = webhook(VEC_BODY, VEC_TS, "24D081674370E296C94F6C189087A4282EB7BE7C0E1B4B97B2E75AABB39A96D9", 0);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
    /* the vector's signature over another timestamp, body or secret */
    wh = webhook(VEC_BODY, "1357872222593", VEC_SIG, VEC_NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_ptr_nonnull(why);
    wh = webhook(VEC_BODY " ", VEC_TS, VEC_SIG, VEC_NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    acct.events_secret = "awx_secreT";
    wh = webhook(VEC_BODY, VEC_TS, VEC_SIG, VEC_NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    acct.events_secret = NULL;
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, NULL, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    /* missing headers */
    acct.events_secret = "awx_secret";
    wh = webhook(VEC_BODY, NULL, VEC_SIG, VEC_NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    wh = webhook(VEC_BODY, VEC_TS, NULL, VEC_NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    kf_payment_webhook bare = {.body = VEC_BODY, .len = strlen(VEC_BODY)};
    ck_assert_int_eq(P->verify_webhook(pool, &bare, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    /* stale: more than 5 minutes before or after the time of the call */
    wh = webhook(VEC_BODY, VEC_TS, VEC_SIG, VEC_NOW + apr_time_from_sec(6 * 60));
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_ptr_nonnull(strstr(why, "stale"));
    wh = webhook(VEC_BODY, VEC_TS, VEC_SIG, VEC_NOW - apr_time_from_sec(6 * 60));
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_BAD_SIGNATURE);
    wh = webhook(VEC_BODY, VEC_TS, VEC_SIG, VEC_NOW + apr_time_from_sec(4 * 60));
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
}
END_TEST

#define INTENT(id, status, amount, cur) \
    "{\"id\": \"" id "\", \"request_id\": \"" REF "\", \"amount\": " amount ", \"currency\": \"" cur \
    "\", \"merchant_order_id\": \"" REF "\", \"status\": \"" status "\", \"captured_amount\": 0," \
    " \"metadata\": {\"reference\": \"" REF "\"}, \"created_at\": \"2026-05-11T23:40:00+0000\"}"

static const char *event(const char *name, const char *object)
{
    return apr_psprintf(pool, "{\"id\": \"evt_9\", \"name\": \"%s\", \"account_id\": \"acct_1\","
                        " \"data\": {\"object\": %s}, \"created_at\": \"2026-05-11T23:45:00+0000\","
                        " \"version\": \"2024-02-22\"}", name, object);
}

/* The event find_payment reads from GET /pa/payment_intents/{id} answering intent. */
static kf_payment_event looked_up(const char *intent)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 200, intent);
    kf_payment_account acct = account(NULL);
    kf_payment_endpoints ep = demo();
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_e1", &ev, &why), APR_SUCCESS);
    return ev;
}

START_TEST(webhook_payment_events)
{
    const struct {
        const char *name, *status;
        kf_payment_status expect;
    } cases[] = {
        {"payment_intent.succeeded", "SUCCEEDED", KF_PAYMENT_APPROVED},
        {"payment_intent.cancelled", "CANCELLED", KF_PAYMENT_VOIDED},
        {"payment_intent.requires_payment_method", "REQUIRES_PAYMENT_METHOD", KF_PAYMENT_PENDING},
        {"payment_intent.pending", "PENDING", KF_PAYMENT_PENDING},
        {"payment_intent.requires_customer_action", "REQUIRES_CUSTOMER_ACTION", KF_PAYMENT_PENDING},
        {"payment_intent.requires_capture", "REQUIRES_CAPTURE", KF_PAYMENT_PENDING},
    };
    kf_payment_account acct = account(NULL);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *intent = apr_psprintf(pool,
            "{\"id\": \"int_e1\", \"amount\": 75.76, \"currency\": \"USD\", \"merchant_order_id\":"
            " \"" REF "\", \"status\": \"%s\", \"client_secret\": \"cs\"}", cases[i].status);
        const char *body = event(cases[i].name, intent);
        kf_payment_webhook wh = signed_webhook(body, WH_SECRET, NOW);
        kf_payment_event ev;
        const char *why = NULL;
        ck_assert_str_eq(P->webhook_reference(pool, &wh), REF);
        ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
        ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_PAYMENT);
        ck_assert_int_eq(ev.status, cases[i].expect);
        ck_assert_str_eq(ev.provider_status, cases[i].status);
        ck_assert_str_eq(ev.reference, REF);
        ck_assert_str_eq(ev.transaction_id, "int_e1");
        ck_assert_int_eq(ev.amount, 7576);
        ck_assert_str_eq(ev.currency, "USD");
        ck_assert_str_eq(ev.event_key, apr_pstrcat(pool, "int_e1:", cases[i].status, NULL));
        /* the same state asked of the API is the same event */
        kf_payment_event found = looked_up(intent);
        ck_assert_str_eq(found.event_key, ev.event_key);
        ck_assert_int_eq(found.status, ev.status);
        ck_assert_int_eq(found.amount, ev.amount);
        ck_assert_str_eq(found.transaction_id, ev.transaction_id);
    }
}
END_TEST

START_TEST(webhook_amounts_and_references)
{
    kf_payment_account acct = account(NULL);
    kf_payment_event ev;
    const char *why = NULL;
    /* zero-decimal currency; the reference in metadata only; no status: the name's */
    const char *body = event("payment_intent.succeeded",
        "{\"id\": \"int_j\", \"amount\": 1500, \"currency\": \"JPY\", \"metadata\": {\"reference\": \"" REF "\"}}");
    kf_payment_webhook wh = signed_webhook(body, WH_SECRET, NOW);
    ck_assert_str_eq(P->webhook_reference(pool, &wh), REF);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.amount, 1500);
    ck_assert_str_eq(ev.reference, REF);
    ck_assert_str_eq(ev.event_key, "int_j:SUCCEEDED");
    /* an amount that floats badly still reads to the right minor units */
    body = event("payment_intent.succeeded", INTENT("int_k", "SUCCEEDED", "19.99", "USD"));
    wh = signed_webhook(body, WH_SECRET, NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.amount, 1999);
    /* the name and the intent's status disagree: not acted on */
    body = event("payment_intent.succeeded", INTENT("int_k", "REQUIRES_PAYMENT_METHOD", "19.99", "USD"));
    wh = signed_webhook(body, WH_SECRET, NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
    ck_assert_ptr_nonnull(why);
    /* fields missing or wrong */
    const char *broken[] = {
        "{\"id\": \"int_k\", \"amount\": 1, \"currency\": \"USD\", \"status\": \"SUCCEEDED\"}",
        "{\"id\": \"int_k\", \"amount\": \"1.00\", \"currency\": \"USD\", \"merchant_order_id\": \"" REF "\"}",
        "{\"id\": \"int_k\", \"amount\": -1, \"currency\": \"USD\", \"merchant_order_id\": \"" REF "\"}",
        "{\"amount\": 1, \"currency\": \"USD\", \"merchant_order_id\": \"" REF "\"}",
        "{\"id\": \"int_k\", \"amount\": 1, \"merchant_order_id\": \"" REF "\"}",
        "{\"id\": \"int_k\", \"amount\": 1, \"currency\": \"USD\", \"merchant_order_id\": \"" REF "\", \"status\": null}",
    };
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
        wh = signed_webhook(event("payment_intent.succeeded", broken[i]), WH_SECRET, NOW);
        ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
    }
    /* not JSON, or no data.object: authentic but unusable; no reference for the glue */
    wh = signed_webhook("[1]", WH_SECRET, NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
    ck_assert_ptr_null(P->webhook_reference(pool, &wh));
    wh = signed_webhook("{\"name\": \"payment_intent.succeeded\", \"data\": {}}", WH_SECRET, NOW);
    ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
    ck_assert_ptr_null(P->webhook_reference(pool, &wh));
    wh = signed_webhook("{\"data\": {\"object\": {\"merchant_order_id\": 7}}}", WH_SECRET, NOW);
    ck_assert_ptr_null(P->webhook_reference(pool, &wh));
}
END_TEST

START_TEST(webhook_other_events_unusable)
{
    kf_payment_account acct = account(NULL);
    const char *names[] = {
        "payment_attempt.authorization_failed", "payment_attempt.capture_failed",
        "payment_attempt.authentication_failed", "payment_intent.created", "refund.received",
        "refund.accepted", "refund.failed", "payout.transfer.paid", "", "PAYMENT_INTENT.SUCCEEDED",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        kf_payment_webhook wh = signed_webhook(
            event(names[i], INTENT("int_x", "SUCCEEDED", "10", "USD")), WH_SECRET, NOW);
        kf_payment_event ev;
        const char *why = NULL;
        ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_UNUSABLE);
        ck_assert_ptr_nonnull(why);
    }
    /* but a forged one of them is still a bad signature */
    kf_payment_webhook wh = signed_webhook(
        event("payment_attempt.capture_failed", INTENT("int_x", "SUCCEEDED", "10", "USD")),
        "another_secret", NOW);
    kf_payment_event ev;
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_BAD_SIGNATURE);
}
END_TEST

#define REFUND_OBJ(status) \
    "{\"id\": \"rfd_1\", \"request_id\": \"rq-1\", \"payment_intent_id\": \"int_p\"," \
    " \"payment_attempt_id\": \"att_1\", \"amount\": 30.5, \"currency\": \"USD\"," \
    " \"reason\": \"Booking cancelled\", \"status\": \"" status "\"," \
    " \"metadata\": {\"reference\": \"" REF "\"}}"

START_TEST(webhook_refund_events)
{
    kf_payment_account acct = account(NULL);
    const struct { const char *name, *obj, *key; } cases[] = {
        {"refund.settled", REFUND_OBJ("SETTLED"), "rfd_1:SETTLED"},
        {"refund.succeeded", REFUND_OBJ("SUCCEEDED"), "rfd_1:SUCCEEDED"},
        {"refund.settled", "{\"id\": \"rfd_1\", \"payment_intent_id\": \"int_p\", \"amount\": 30.5,"
                           " \"currency\": \"USD\", \"metadata\": {\"reference\": \"" REF "\"}}",
         "rfd_1:SETTLED"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kf_payment_webhook wh = signed_webhook(event(cases[i].name, cases[i].obj), WH_SECRET, NOW);
        kf_payment_event ev;
        const char *why = NULL;
        ck_assert_str_eq(P->webhook_reference(pool, &wh), REF);
        ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
        ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
        ck_assert_int_eq(ev.amount, 3050);
        ck_assert_str_eq(ev.currency, "USD");
        ck_assert_str_eq(ev.transaction_id, "int_p");
        ck_assert_str_eq(ev.refund_id, "rfd_1");
        ck_assert_str_eq(ev.reference, REF);
        ck_assert_str_eq(ev.event_key, cases[i].key);
        ck_assert(!kf_payment_status_is_failure(ev.status));
        ck_assert_int_ne(ev.status, KF_PAYMENT_APPROVED);
    }
    /* a refund made in Airwallex's dashboard has no metadata: its intent names the payment */
    kf_payment_webhook wh = signed_webhook(event("refund.settled",
        "{\"id\": \"rfd_1\", \"payment_intent_id\": \"int_p\", \"amount\": 30.5, \"currency\": \"USD\"}"),
        WH_SECRET, NOW);
    ck_assert_str_eq(P->webhook_reference(pool, &wh), "int_p");
    kf_payment_event ev;
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
    ck_assert_ptr_null(ev.reference);
    ck_assert_str_eq(ev.transaction_id, "int_p");
    /* without an intent or an amount it is not used */
    wh = signed_webhook(event("refund.settled",
        "{\"id\": \"rfd_1\", \"amount\": 30.5, \"currency\": \"USD\", \"metadata\": {\"reference\": \"" REF "\"}}"),
        WH_SECRET, NOW);
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_UNUSABLE);
    wh = signed_webhook(event("refund.settled",
        "{\"id\": \"rfd_1\", \"payment_intent_id\": \"int_p\", \"currency\": \"USD\", \"metadata\": {\"reference\": \"" REF "\"}}"),
        WH_SECRET, NOW);
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_UNUSABLE);
}
END_TEST

/* Airwallex's PaymentDispute (payment_dispute.* events): no merchant_order_id of ours, its
 * intent names the payment; amounts in major units */
#define DISPUTE_OBJ(stage, status) \
    "{\"id\": \"pdp_hkpd1\", \"payment_intent_id\": \"int_p\", \"payment_attempt_id\": \"att_1\"," \
    " \"amount\": 30.5, \"currency\": \"USD\", \"reason\": {\"type\": \"fraud\"," \
    " \"code\": \"10.4\"}, \"stage\": \"" stage "\", \"status\": \"" status "\"," \
    " \"due_at\": \"2026-06-01T00:00:00+0000\", \"created_at\": \"2026-05-12T00:00:00+0000\"}"

START_TEST(webhook_dispute_events)
{
    kf_payment_account acct = account(NULL);
    const struct {
        const char *name, *obj, *key;
        kf_dispute_state state;
    } cases[] = {
        {"payment_dispute.requires_response", DISPUTE_OBJ("CHARGEBACK", "REQUIRES_RESPONSE"),
         "pdp_hkpd1:CHARGEBACK:REQUIRES_RESPONSE", KF_DISPUTE_OPEN},
        {"payment_dispute.challenged", DISPUTE_OBJ("CHARGEBACK", "CHALLENGED"),
         "pdp_hkpd1:CHARGEBACK:CHALLENGED", KF_DISPUTE_OPEN},
        {"payment_dispute.won", DISPUTE_OBJ("CHARGEBACK", "WON"), "pdp_hkpd1:CHARGEBACK:WON",
         KF_DISPUTE_WON},
        {"payment_dispute.lost", DISPUTE_OBJ("CHARGEBACK", "LOST"), "pdp_hkpd1:CHARGEBACK:LOST",
         KF_DISPUTE_LOST},
        {"payment_dispute.accepted", DISPUTE_OBJ("PRE_CHARGEBACK", "ACCEPTED"),
         "pdp_hkpd1:PRE_CHARGEBACK:ACCEPTED", KF_DISPUTE_LOST},
        {"payment_dispute.reversed", DISPUTE_OBJ("CHARGEBACK", "REVERSED"),
         "pdp_hkpd1:CHARGEBACK:REVERSED", KF_DISPUTE_CLOSED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kf_payment_webhook wh = signed_webhook(event(cases[i].name, cases[i].obj), WH_SECRET, NOW);
        kf_payment_event ev;
        const char *why = NULL;
        ck_assert_str_eq(P->webhook_reference(pool, &wh), "int_p");
        ck_assert_int_eq(P->verify_webhook(pool, &wh, &acct, &ev, &why), KF_PAYMENT_VERIFIED);
        ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_DISPUTE);
        ck_assert_int_eq(ev.dispute_state, cases[i].state);
        ck_assert_int_eq(ev.amount, 3050);
        ck_assert_str_eq(ev.currency, "USD");
        ck_assert_str_eq(ev.transaction_id, "int_p");
        ck_assert_str_eq(ev.refund_id, "pdp_hkpd1");
        ck_assert_str_eq(ev.dispute_reason, "fraud");
        ck_assert_str_eq(ev.event_key, cases[i].key);
        ck_assert_int_ne(ev.status, KF_PAYMENT_APPROVED);
        ck_assert(!kf_payment_status_is_failure(ev.status));
    }
    /* no status in the object: the event's name says it; a reason given as text */
    kf_payment_webhook wh = signed_webhook(event("payment_dispute.won",
        "{\"id\": \"pdp_2\", \"payment_intent_id\": \"int_p\", \"amount\": 30.5,"
        " \"currency\": \"USD\", \"reason\": \"product_not_received\"}"), WH_SECRET, NOW);
    kf_payment_event ev;
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.dispute_state, KF_DISPUTE_WON);
    ck_assert_str_eq(ev.dispute_reason, "product_not_received");
    ck_assert_str_eq(ev.event_key, "pdp_2:WON");
    /* without its intent or amount it names nothing */
    wh = signed_webhook(event("payment_dispute.requires_response",
        "{\"id\": \"pdp_3\", \"amount\": 30.5, \"currency\": \"USD\"}"), WH_SECRET, NOW);
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_UNUSABLE);
    wh = signed_webhook(event("payment_dispute.requires_response",
        "{\"id\": \"pdp_3\", \"payment_intent_id\": \"int_p\", \"currency\": \"USD\"}"),
        WH_SECRET, NOW);
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_UNUSABLE);
    /* signature first: a forged dispute is refused */
    wh = signed_webhook(event("payment_dispute.lost", DISPUTE_OBJ("CHARGEBACK", "LOST")),
                        "another_secret", NOW);
    ck_assert_int_eq(kf_payment_verify(pool, P, &wh, &acct, &ev, NULL), KF_PAYMENT_BAD_SIGNATURE);
}
END_TEST

/* ------------------------------------------------------------------ find_payment */

START_TEST(find_payment_is_merchant_scoped)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 200, INTENT("int_e1", "SUCCEEDED", "120000", "COP"));
    kf_payment_account acct = account(kf_payment_token_cache_create(pool));
    kf_payment_endpoints ep = P->default_endpoints("production");
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_e1", &ev, &why), APR_SUCCESS);
    ck_assert_str_eq(f.req[0].url, "https://api.airwallex.com/api/v1/authentication/login");
    ck_assert_str_eq(f.req[1].method, "GET");
    ck_assert_str_eq(f.req[1].url, "https://api.airwallex.com/api/v1/pa/payment_intents/int_e1");
    ck_assert_str_eq(hdr(&f, 1, "Authorization"), "Bearer tok-1");
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_int_eq(ev.amount, 12000000);
    ck_assert_str_eq(ev.currency, "COP");
    ck_assert_str_eq(ev.reference, REF);
    ck_assert_str_eq(ev.event_key, "int_e1:SUCCEEDED");

    /* each status */
    const struct { const char *status; kf_payment_status expect; } st[] = {
        {"CANCELLED", KF_PAYMENT_VOIDED}, {"REQUIRES_PAYMENT_METHOD", KF_PAYMENT_PENDING},
        {"REQUIRES_CUSTOMER_ACTION", KF_PAYMENT_PENDING}, {"REQUIRES_CAPTURE", KF_PAYMENT_PENDING},
        {"PENDING", KF_PAYMENT_PENDING}, {"EXPIRED", KF_PAYMENT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
        c = client(&f);
        script(&f, 200, apr_psprintf(pool, "{\"id\": \"int_e1\", \"amount\": 1, \"currency\": \"USD\","
                                     " \"merchant_order_id\": \"" REF "\", \"status\": \"%s\"}",
                                     st[i].status));
        ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_e1", &ev, &why), APR_SUCCESS);
        ck_assert_int_eq(f.calls, 1);     /* the cached token */
        ck_assert_int_eq(ev.status, st[i].expect);
        ck_assert_str_eq(ev.provider_status, st[i].status);
    }
    /* the id is one path segment */
    c = client(&f);
    script(&f, 404, "{\"code\": \"resource_not_found\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1/../../account", &ev, &why),
                     APR_NOTFOUND);
    ck_assert_str_eq(f.req[0].url,
                     "https://api.airwallex.com/api/v1/pa/payment_intents/int_1%2F..%2F..%2Faccount");
}
END_TEST

START_TEST(find_payment_refusals)
{
    fake_http f;
    kf_http_client *c = client(&f);
    kf_payment_account acct = account(kf_payment_token_cache_create(pool));
    kf_payment_endpoints ep = demo();
    kf_payment_event ev;
    const char *why = NULL;
    /* nothing made yet: nothing asked */
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, NULL, &ev, &why), APR_NOTFOUND);
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "", &ev, &why), APR_NOTFOUND);
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, "", "int_1", &ev, &why), APR_EINVAL);
    kf_payment_account nokey = account(NULL);
    nokey.public_key = NULL;
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &nokey, REF, "int_1", &ev, &why), APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);
    /* another account's intent, or none: unknown to this account */
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 404, "{\"code\": \"resource_not_found\", \"message\": \"The resource with ID int_1 cannot be found\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_NOTFOUND);
    c = client(&f);
    script(&f, 400, "{\"code\": \"resource_not_found\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_NOTFOUND);
    /* an intent of another reference, or another id, is not believed */
    c = client(&f);
    script(&f, 200, "{\"id\": \"int_1\", \"amount\": 1, \"currency\": \"USD\","
                    " \"merchant_order_id\": \"KF-OTHER\", \"status\": \"SUCCEEDED\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_EGENERAL);
    c = client(&f);
    script(&f, 200, INTENT("int_2", "SUCCEEDED", "1", "USD"));
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_EGENERAL);
    /* 401 after a new login: the key refused; outages */
    c = client(&f);
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    script(&f, 201, LOGIN_OK("tok-2"));
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 3);
    ck_assert_ptr_null(strstr(why, "tok-2"));
    c = client(&f);
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    script(&f, 401, "{\"code\": \"credentials_invalid\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_EACCES);
    c = client(&f);
    script(&f, 503, "{\"code\": \"service_unavailable\"}");
    ck_assert_int_eq(P->find_payment(pool, c, &ep, &acct, REF, "int_1", &ev, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "service_unavailable"));
}
END_TEST

/* ------------------------------------------------------------------ test_connection */

START_TEST(test_connection_names_the_business)
{
    fake_http f;
    kf_http_client *c = client(&f);
    kf_payment_token_cache *tokens = kf_payment_token_cache_create(pool);
    kf_payment_token_cache_put(tokens, cache_key(DEMO, CLIENT, API_KEY), "tok-cached", EXPIRY);
    kf_payment_account acct = account(tokens);
    kf_payment_endpoints ep = demo();
    const char *name = NULL, *why = NULL;
    script(&f, 201, LOGIN_OK("tok-fresh"));
    script(&f, 200, "{\"id\": \"acct_1\", \"account_details\": {\"business_details\":"
                    " {\"business_name\": \"Clínica Sonrisa Ltd\"}}}");
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, "Clínica Sonrisa Ltd");
    /* the keys themselves are tried, whatever is cached */
    ck_assert_str_eq(f.req[0].url, DEMO "/api/v1/authentication/login");
    ck_assert_str_eq(f.req[1].method, "GET");
    ck_assert_str_eq(f.req[1].url, DEMO "/api/v1/account");
    ck_assert_str_eq(hdr(&f, 1, "Authorization"), "Bearer tok-fresh");
    ck_assert_str_eq(kf_payment_token_cache_get(tokens, pool, cache_key(DEMO, CLIENT, API_KEY), NOW),
                     "tok-fresh");
    /* no business name, or an account this key may not read: the client id */
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-fresh"));
    script(&f, 200, "{\"id\": \"acct_1\"}");
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, CLIENT);
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-fresh"));
    script(&f, 403, "{\"code\": \"forbidden\"}");
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &acct, &name, &why), APR_SUCCESS);
    ck_assert_str_eq(name, CLIENT);
    /* keys refused: not found; outage: an error */
    c = client(&f);
    script(&f, 401, "{\"code\": \"credentials_invalid\", \"message\": \"Invalid credentials\"}");
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &acct, &name, &why), APR_NOTFOUND);
    ck_assert_ptr_null(strstr(why, API_KEY));
    ck_assert_int_eq(f.calls, 1);
    c = client(&f);
    script(&f, 500, "{\"code\": \"internal_error\"}");
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &acct, &name, &why), APR_EGENERAL);
    c = client(&f);
    script(&f, 201, LOGIN_OK("tok-fresh"));
    script(&f, 502, "bad gateway");
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &acct, &name, &why), APR_EGENERAL);
    kf_payment_account nokey = account(NULL);
    nokey.private_key = NULL;
    ck_assert_int_eq(kf_payment_call_test_connection(P, pool, c, &ep, &nokey, &name, &why), APR_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ refund */

START_TEST(refund_exact_request_and_partial_amounts)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 201, REFUND_OBJ("RECEIVED"));
    kf_payment_account acct = account(kf_payment_token_cache_create(pool));
    kf_payment_endpoints ep = demo();
    kf_payment_refund rf = {.transaction_id = "int_p", .reference = REF,
                            .idempotency_key = "refund-7f3a", .amount = 3050, .paid = 7576,
                            .currency = "USD"};
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "rfd_1");
    ck_assert_str_eq(f.req[1].method, "POST");
    ck_assert_str_eq(f.req[1].url, DEMO "/api/v1/pa/refunds/create");
    ck_assert_str_eq(hdr(&f, 1, "Authorization"), "Bearer tok-1");
    ck_assert_str_eq(f.req[1].body,
        "{\"request_id\":\"refund-7f3a\",\"payment_intent_id\":\"int_p\",\"amount\":30.50,"
        "\"reason\":\"Booking cancelled\",\"metadata\":{\"reference\":\"" REF "\"}}");
    /* every status of a refund under way or done */
    const char *ok[] = {"ACCEPTED", "SETTLED", "SUCCEEDED"};
    for (size_t i = 0; i < 3; i++) {
        c = client(&f);
        script(&f, 201, apr_psprintf(pool, "{\"id\": \"rfd_2\", \"status\": \"%s\"}", ok[i]));
        ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
        ck_assert_str_eq(id, "rfd_2");
    }
    /* the whole payment; a three-decimal currency */
    c = client(&f);
    script(&f, 201, "{\"id\": \"rfd_3\", \"status\": \"RECEIVED\"}");
    kf_payment_refund whole = {.transaction_id = "int_q", .reference = REF,
                               .idempotency_key = "k2", .amount = 12345, .paid = 12345,
                               .currency = "KWD"};
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &whole, &id, &why), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(f.req[0].body, "\"amount\":12.345,"));
    /* a key longer than Airwallex takes: its SHA-256, the same on every attempt */
    c = client(&f);
    script(&f, 201, "{\"id\": \"rfd_4\", \"status\": \"RECEIVED\"}");
    char longkey[80];
    memset(longkey, 'k', sizeof(longkey) - 1);
    longkey[sizeof(longkey) - 1] = '\0';
    rf.idempotency_key = longkey;
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(f.req[0].body, apr_pstrcat(pool, "{\"request_id\":\"",
                                 kf_sha256_hex(pool, longkey, strlen(longkey)), "\",", NULL)));
}
END_TEST

START_TEST(close_checkout_cancels_the_intent)
{
    fake_http f;
    kf_http_client *c = client(&f);
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 200, "{\"id\": \"int_p\", \"status\": \"CANCELLED\"}");
    kf_payment_account acct = account(kf_payment_token_cache_create(pool));
    kf_payment_endpoints ep = demo();
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_close_checkout(P, pool, c, &ep, &acct, "int_p", &why), APR_SUCCESS);
    ck_assert_str_eq(f.req[1].method, "POST");
    ck_assert_str_eq(f.req[1].url, DEMO "/api/v1/pa/payment_intents/int_p/cancel");
    ck_assert_str_eq(hdr(&f, 1, "Authorization"), "Bearer tok-1");
    ck_assert_str_eq(f.req[1].body,
        "{\"request_id\":\"cancel-int_p\",\"cancellation_reason\":\"payment window passed\"}");
    /* SUCCEEDED or CANCELLED before: nothing left to end */
    c = client(&f);
    script(&f, 400, "{\"code\": \"invalid_status_for_operation\", \"message\": \"The PaymentIntent"
                    " is SUCCEEDED.\"}");
    ck_assert_int_eq(kf_payment_call_close_checkout(P, pool, c, &ep, &acct, "int_p", &why), APR_SUCCESS);
    c = client(&f);
    script(&f, 404, "{\"code\": \"resource_not_found\", \"message\": \"not found\"}");
    ck_assert_int_eq(kf_payment_call_close_checkout(P, pool, c, &ep, &acct, "int_p", &why), APR_NOTFOUND);
    c = client(&f);
    script(&f, 500, "{\"code\": \"internal_error\"}");
    ck_assert_int_eq(kf_payment_call_close_checkout(P, pool, c, &ep, &acct, "int_p", &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(refund_repeated_failed_refused)
{
    fake_http f;
    kf_http_client *c = client(&f);
    kf_payment_account acct = account(kf_payment_token_cache_create(pool));
    kf_payment_endpoints ep = demo();
    kf_payment_refund rf = {.transaction_id = "int_p", .reference = REF, .idempotency_key = "rq-1",
                            .amount = 3050, .paid = 7576, .currency = "USD"};
    const char *id = NULL, *why = NULL;
    /* made before (its answer lost): Airwallex says duplicate_request; the intent's refund
     * with this request_id is the answer */
    script(&f, 201, LOGIN_OK("tok-1"));
    script(&f, 400, "{\"code\": \"duplicate_request\", \"message\": \"The request ID rq-1 has been used\"}");
    script(&f, 200, "{\"has_more\": false, \"items\": [{\"id\": \"rfd_0\", \"request_id\": \"rq-0\","
                    " \"status\": \"SETTLED\"}, " REFUND_OBJ("SETTLED") "]}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "rfd_1");
    ck_assert_str_eq(f.req[2].method, "GET");
    ck_assert_str_eq(f.req[2].url, DEMO "/api/v1/pa/refunds?payment_intent_id=int_p");
    ck_assert_str_eq(hdr(&f, 2, "Authorization"), "Bearer tok-1");
    /* refused for what is left, and none of ours: an error worth retrying later */
    c = client(&f);
    script(&f, 400, "{\"code\": \"validation_error\", \"source\": \"amount\","
                    " \"message\": \"The refund amount exceeds the remaining amount\"}");
    script(&f, 200, "{\"items\": [{\"id\": \"rfd_0\", \"request_id\": \"rq-0\", \"status\": \"SETTLED\"}]}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    ck_assert_ptr_nonnull(strstr(why, "validation_error"));
    /* Airwallex failed it: the same request_id cannot do better, the merchant must */
    c = client(&f);
    script(&f, 201, REFUND_OBJ("FAILED"));
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_ENOTIMPL);
    ck_assert_ptr_nonnull(strstr(why, "rfd_1"));
    c = client(&f);
    script(&f, 400, "{\"code\": \"duplicate_request\"}");
    script(&f, 200, "{\"items\": [" REFUND_OBJ("FAILED") "]}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_ENOTIMPL);
    /* an unknown intent: no API can refund it */
    c = client(&f);
    script(&f, 404, "{\"code\": \"resource_not_found\"}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_ENOTIMPL);
    /* the key refused (after one new login) */
    c = client(&f);
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    script(&f, 201, LOGIN_OK("tok-2"));
    script(&f, 401, "{\"code\": \"unauthorized\"}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EACCES);
    ck_assert_ptr_null(strstr(why, "tok-2"));
    /* outage */
    c = client(&f);
    script(&f, 500, "{\"code\": \"internal_error\"}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    c = client(&f);
    script(&f, 201, "{\"id\": \"rfd_5\", \"status\": \"SOMETHING_NEW\"}");
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    /* bad input: nothing asked */
    c = client(&f);
    kf_payment_refund none = rf;
    none.transaction_id = NULL;
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &none, &id, &why), APR_ENOTIMPL);
    kf_payment_account nokey = account(NULL);
    nokey.private_key = "";
    ck_assert_int_eq(P->refund(pool, c, &ep, &nokey, &rf, &id, &why), APR_EACCES);
    kf_payment_refund nokeyed = rf;
    nokeyed.idempotency_key = NULL;
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &nokeyed, &id, &why), APR_EINVAL);
    kf_payment_refund more = rf;
    more.amount = rf.paid + 1;
    ck_assert_int_eq(P->refund(pool, c, &ep, &acct, &more, &id, &why), APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_airwallex");
    TCase *tc = tcase_create("airwallex");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, endpoints_and_registry);
    tcase_add_test(tc, checkout_exact_requests);
    tcase_add_test(tc, checkout_amounts_endpoints_and_defaults);
    tcase_add_test(tc, checkout_refusals_and_errors);
    tcase_add_test(tc, checkout_after_duplicate_request);
    tcase_add_test(tc, token_cached_under_hashed_key_until_expiry);
    tcase_add_test(tc, token_expiry_unparseable_or_far);
    tcase_add_test(tc, token_refused_logs_in_again_once);
    tcase_add_test(tc, webhook_vector);
    tcase_add_test(tc, webhook_payment_events);
    tcase_add_test(tc, webhook_amounts_and_references);
    tcase_add_test(tc, webhook_other_events_unusable);
    tcase_add_test(tc, webhook_refund_events);
    tcase_add_test(tc, webhook_dispute_events);
    tcase_add_test(tc, find_payment_is_merchant_scoped);
    tcase_add_test(tc, find_payment_refusals);
    tcase_add_test(tc, test_connection_names_the_business);
    tcase_add_test(tc, refund_exact_request_and_partial_amounts);
    tcase_add_test(tc, refund_repeated_failed_refused);
    tcase_add_test(tc, close_checkout_cancels_the_intent);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
