/* Unit suite for lib/payments/kf_payment_stripe.c: the PROVIDERS.md signature vector through
 * verify_webhook, every event type's mapping (and its event key against find_payment's), the
 * exact Checkout Session request, merchant-scoped look-ups, refunds and the account test,
 * all through a fake kf_http implementation. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "kf_payment.h"
#include "kf_payment_stripe.h"
#include "kf_signatures.h"

#define SK "sk_test_51HqLyjWDarjtT1zdp7dcabcd"
#define WHSEC "whsec_test_secret"
#define NOW 1700000000

/* ------------------------------------------------------------------ fake HTTP */

#define MAX_ANSWERS 4

typedef struct {
    int status[MAX_ANSWERS];        /* answers in turn; the last one repeats */
    const char *body[MAX_ANSWERS];
    int answers;
    int calls;
    /* the last request */
    const char *method;
    const char *url;
    const char *req_body;
    apr_table_t *headers;
} fake_http;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    (void)why;
    fake_http *f = baton;
    int i = f->calls < f->answers ? f->calls : f->answers - 1;
    f->calls++;
    f->method = apr_pstrdup(p, req->method);
    f->url = apr_pstrdup(p, req->url);
    f->req_body = req->body ? apr_pstrmemdup(p, req->body, req->body_len) : NULL;
    f->headers = req->headers ? apr_table_copy(p, req->headers) : apr_table_make(p, 1);
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = f->status[i];
    r->headers = apr_table_make(p, 1);
    r->body = f->body[i];
    r->body_len = strlen(r->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake-stripe", fake_perform};

/* A client answering status/body to every request. */
static kf_http_client *answering(fake_http *f, int status, const char *body)
{
    memset(f, 0, sizeof(*f));
    f->status[0] = status;
    f->body[0] = body;
    f->answers = 1;
    return kf_http_client_create(pool, &fake_impl, f);
}

static const char *header(const fake_http *f, const char *name)
{
    return f->headers ? apr_table_get(f->headers, name) : NULL;
}

static kf_payment_account account(void)
{
    kf_payment_account acct = {.mode = "test", .private_key = SK, .events_secret = WHSEC,
                               .now = apr_time_from_sec(NOW)};
    return acct;
}

/* Stripe's error body for an unknown key: its message holds part of the key. */
#define BAD_KEY_BODY \
    "{\"error\": {\"message\": \"Invalid API Key provided: sk_test_****abcd\"," \
    " \"type\": \"invalid_request_error\"}}"

/* ------------------------------------------------------------------ objects */

/* A Checkout Session as Stripe writes it; pi NULL -> "payment_intent": null. */
static const char *session(const char *id, const char *status, const char *pay, const char *pi,
                           const char *reference, apr_int64_t amount, const char *currency)
{
    return apr_psprintf(pool,
        "{\"id\": \"%s\", \"object\": \"checkout.session\", \"amount_subtotal\": %" APR_INT64_T_FMT
        ", \"amount_total\": %" APR_INT64_T_FMT ", \"cancel_url\": \"https://k.example/c\","
        " \"client_reference_id\": \"%s\", \"created\": 1699999000, \"currency\": \"%s\","
        " \"customer_email\": null, \"expires_at\": 1700086400, \"livemode\": false,"
        " \"metadata\": {\"reference\": \"%s\"}, \"mode\": \"payment\", \"payment_intent\": %s%s%s,"
        " \"payment_status\": \"%s\", \"status\": \"%s\", \"success_url\": \"https://k.example/s\","
        " \"url\": null}",
        id, amount, amount, reference, currency, reference, pi ? "\"" : "", pi ? pi : "null",
        pi ? "\"" : "", pay, status);
}

static const char *envelope(const char *type, const char *object)
{
    return apr_psprintf(pool,
        "{\"id\": \"evt_1NG8Du2eZvKYlo2CUI79vXWy\", \"object\": \"event\", \"api_version\":"
        " \"2024-06-20\", \"created\": %d, \"data\": {\"object\": %s}, \"livemode\": false,"
        " \"pending_webhooks\": 1, \"request\": {\"id\": null, \"idempotency_key\": null},"
        " \"type\": \"%s\"}", NOW, object, type);
}

/* A Charge after refunds: Stripe copies the PaymentIntent's metadata onto it. */
static const char *charge(apr_int64_t amount, apr_int64_t refunded, const char *refunds)
{
    return apr_psprintf(pool,
        "{\"id\": \"ch_3MmlLrLkdIwHu7ix0snN0B15\", \"object\": \"charge\", \"amount\": %"
        APR_INT64_T_FMT ", \"amount_captured\": %" APR_INT64_T_FMT ", \"amount_refunded\": %"
        APR_INT64_T_FMT ", \"currency\": \"usd\", \"metadata\": {\"reference\": \"KF-R\"},"
        " \"paid\": true, \"payment_intent\": \"pi_3MmlLrLkdIwHu7ix0uke3Ezy\", \"refunded\": %s,"
        " \"refunds\": {\"object\": \"list\", \"data\": [%s], \"has_more\": false,"
        " \"url\": \"/v1/charges/ch_3MmlLrLkdIwHu7ix0snN0B15/refunds\"}, \"status\": \"succeeded\"}",
        amount, amount, refunded, refunded == amount ? "true" : "false", refunds);
}

static kf_payment_webhook signed_at(const char *body, const char *secret, apr_int64_t t,
                                    apr_int64_t now)
{
    apr_table_t *h = apr_table_make(pool, 1);
    apr_table_set(h, "Stripe-Signature",
                  apr_psprintf(pool, "t=%" APR_INT64_T_FMT ",v1=%s", t,
                               kf_stripe_signature(pool, secret, t, body, strlen(body))));
    kf_payment_webhook wh = {.body = body, .len = strlen(body), .headers = h, .query = NULL,
                             .now = apr_time_from_sec(now)};
    return wh;
}

static kf_payment_webhook signed_hook(const char *body)
{
    return signed_at(body, WHSEC, NOW, NOW + 5);
}

static kf_payment_verdict verify(const kf_payment_webhook *wh, kf_payment_event *ev)
{
    kf_payment_account acct = account();
    const char *why = NULL;
    memset(ev, 0, sizeof(*ev));
    return kf_payment_stripe.verify_webhook(pool, wh, &acct, ev, &why);
}

/* ------------------------------------------------------------------ registry, endpoints */

START_TEST(registered_with_stripe_endpoints)
{
    ck_assert_ptr_eq(kf_payment_provider_find("stripe"), &kf_payment_stripe);
    ck_assert_str_eq(kf_payment_stripe.name, "stripe");
    ck_assert_int_eq(kf_payment_stripe.refunds_part, 1);
    kf_payment_endpoints t = kf_payment_stripe.default_endpoints("test");
    kf_payment_endpoints p = kf_payment_stripe.default_endpoints("production");
    ck_assert_str_eq(t.api_base, "https://api.stripe.com");
    ck_assert_str_eq(p.api_base, "https://api.stripe.com");
    ck_assert_ptr_null(t.checkout_base);
    ck_assert_ptr_null(p.checkout_base);
    /* part of a payment can go back through the API */
    ck_assert_int_eq(kf_refund_start(&kf_payment_stripe, 1000, 5000), KF_REFUND_RETRY);
}
END_TEST

/* ------------------------------------------------------------------ webhooks */

START_TEST(signature_vector_through_verify_webhook)
{
    const char *body = "{\"id\":\"evt_test_webhook\",\"object\":\"event\"}";
    ck_assert_str_eq(kf_stripe_signature(pool, WHSEC, 1700000000, body, strlen(body)),
                     "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990");
    apr_table_t *h = apr_table_make(pool, 1);
    apr_table_set(h, "stripe-signature",
                  "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990");
    kf_payment_webhook wh = {.body = body, .len = strlen(body), .headers = h,
                             .now = apr_time_from_sec(1700000000 + 300)};
    kf_payment_event ev;
    /* authentic (300 s old is still fresh), but an event without a type: nothing to act on */
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    /* one second later it is stale */
    wh.now = apr_time_from_sec(1700000000 + 301);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    /* another v1 beside it (a secret being rolled) still verifies */
    wh.now = apr_time_from_sec(1700000000);
    apr_table_set(h, "Stripe-Signature",
                  "t=1700000000, v1=00, v0=abc, v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990");
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
}
END_TEST

START_TEST(completed_paid_is_approved)
{
    const char *body = envelope("checkout.session.completed",
                                session("cs_test_a1", "complete", "paid", "pi_3Abc", "KF-R", 5000,
                                        "usd"));
    kf_payment_webhook wh = signed_hook(body);
    ck_assert_str_eq(kf_payment_stripe.webhook_reference(pool, &wh), "KF-R");
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_PAYMENT);
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_str_eq(ev.reference, "KF-R");
    ck_assert_str_eq(ev.transaction_id, "pi_3Abc");
    ck_assert_str_eq(ev.provider_status, "complete/paid");
    ck_assert_int_eq(ev.amount, 5000);
    ck_assert_str_eq(ev.currency, "USD");
    ck_assert_str_eq(ev.event_key, "cs_test_a1:approved");
    ck_assert_ptr_null(ev.refund_id);
}
END_TEST

START_TEST(completed_unpaid_is_pending)
{
    const char *body = envelope("checkout.session.completed",
                                session("cs_test_a2", "complete", "unpaid", "pi_3Def", "KF-R",
                                        3000000, "cop"));
    kf_payment_webhook wh = signed_hook(body);
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_PENDING);
    ck_assert_str_eq(ev.provider_status, "complete/unpaid");
    ck_assert_int_eq(ev.amount, 3000000);
    ck_assert_str_eq(ev.currency, "COP");
    ck_assert_str_eq(ev.event_key, "cs_test_a2:pending");
    /* no payment required (a 100 % discount): not a payment we know, nothing moves */
    body = envelope("checkout.session.completed",
                    session("cs_test_a2", "complete", "no_payment_required", NULL, "KF-R", 0, "usd"));
    wh = signed_hook(body);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_UNKNOWN);
}
END_TEST

START_TEST(async_succeeded_and_failed)
{
    const char *body = envelope("checkout.session.async_payment_succeeded",
                                session("cs_test_a3", "complete", "paid", "pi_3Ghi", "KF-R", 5000,
                                        "usd"));
    kf_payment_webhook wh = signed_hook(body);
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_str_eq(ev.transaction_id, "pi_3Ghi");
    ck_assert_str_eq(ev.event_key, "cs_test_a3:approved");

    body = envelope("checkout.session.async_payment_failed",
                    session("cs_test_a3", "complete", "unpaid", "pi_3Ghi", "KF-R", 5000, "usd"));
    wh = signed_hook(body);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_DECLINED);
    ck_assert_str_eq(ev.event_key, "cs_test_a3:declined");
    ck_assert_int_eq(ev.amount, 5000);
}
END_TEST

START_TEST(expired_is_voided_and_named_by_session)
{
    const char *body = envelope("checkout.session.expired",
                                session("cs_test_a4", "expired", "unpaid", NULL, "KF-R", 5000,
                                        "usd"));
    kf_payment_webhook wh = signed_hook(body);
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_VOIDED);
    /* no PaymentIntent was ever made: the session names the transaction */
    ck_assert_str_eq(ev.transaction_id, "cs_test_a4");
    ck_assert_str_eq(ev.provider_status, "expired/unpaid");
    ck_assert_str_eq(ev.event_key, "cs_test_a4:voided");
}
END_TEST

START_TEST(reference_from_metadata_and_expanded_intent)
{
    /* no client_reference_id: metadata.reference; payment_intent expanded into an object */
    const char *obj =
        "{\"id\": \"cs_test_a5\", \"object\": \"checkout.session\", \"amount_total\": 700,"
        " \"client_reference_id\": null, \"currency\": \"eur\", \"metadata\": {\"reference\": \"KF-M\"},"
        " \"payment_intent\": {\"id\": \"pi_3X\", \"object\": \"payment_intent\"},"
        " \"payment_status\": \"paid\", \"status\": \"complete\"}";
    kf_payment_webhook wh = signed_hook(envelope("checkout.session.completed", obj));
    ck_assert_str_eq(kf_payment_stripe.webhook_reference(pool, &wh), "KF-M");
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_str_eq(ev.reference, "KF-M");
    ck_assert_str_eq(ev.transaction_id, "pi_3X");
    ck_assert_str_eq(ev.currency, "EUR");
}
END_TEST

START_TEST(charge_refunded_is_a_refund_event)
{
    const char *refunds =
        "{\"id\": \"re_old\", \"object\": \"refund\", \"amount\": 1000, \"created\": 1700000100},"
        " {\"id\": \"re_new\", \"object\": \"refund\", \"amount\": 500, \"created\": 1700000200}";
    const char *body = envelope("charge.refunded", charge(5000, 1500, refunds));
    kf_payment_webhook wh = signed_hook(body);
    ck_assert_str_eq(kf_payment_stripe.webhook_reference(pool, &wh), "KF-R");
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_REFUND);
    ck_assert_str_eq(ev.reference, "KF-R");
    ck_assert_int_eq(ev.amount, 1500);          /* refunded so far, not this refund */
    ck_assert_str_eq(ev.currency, "USD");
    ck_assert_str_eq(ev.transaction_id, "pi_3MmlLrLkdIwHu7ix0uke3Ezy");
    ck_assert_str_eq(ev.refund_id, "re_new");
    ck_assert_str_eq(ev.provider_status, "partially_refunded");
    ck_assert_str_eq(ev.event_key, "ch_3MmlLrLkdIwHu7ix0snN0B15:refunded:1500");

    /* the whole of it, refunds not included (newer API versions): no refund id */
    body = envelope("charge.refunded", charge(5000, 5000, ""));
    wh = signed_hook(body);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.amount, 5000);
    ck_assert_ptr_null(ev.refund_id);
    ck_assert_str_eq(ev.provider_status, "refunded");
    ck_assert_str_eq(ev.event_key, "ch_3MmlLrLkdIwHu7ix0snN0B15:refunded:5000");
}
END_TEST

START_TEST(charge_dispute_created_is_a_dispute_event)
{
    /* Stripe's Dispute object: no metadata of ours, its PaymentIntent names the payment */
    const char *body = envelope("charge.dispute.created",
        "{\"id\": \"dp_1MmlLrLkdIwHu7ix0abcdEF\", \"object\": \"dispute\", \"amount\": 5000,"
        " \"balance_transactions\": [], \"charge\": \"ch_3MmlLrLkdIwHu7ix0snN0B15\","
        " \"created\": 1700000300, \"currency\": \"usd\", \"evidence_details\": {\"due_by\":"
        " 1701000000, \"has_evidence\": false, \"past_due\": false, \"submission_count\": 0},"
        " \"is_charge_refundable\": true, \"livemode\": false, \"metadata\": {},"
        " \"payment_intent\": \"pi_3MmlLrLkdIwHu7ix0uke3Ezy\", \"reason\": \"fraudulent\","
        " \"status\": \"warning_needs_response\"}");
    kf_payment_webhook wh = signed_hook(body);
    ck_assert_str_eq(kf_payment_stripe.webhook_reference(pool, &wh), "pi_3MmlLrLkdIwHu7ix0uke3Ezy");
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_DISPUTE);
    ck_assert_int_ne(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_int_eq(ev.amount, 5000);
    ck_assert_str_eq(ev.currency, "USD");
    ck_assert_str_eq(ev.transaction_id, "pi_3MmlLrLkdIwHu7ix0uke3Ezy");
    ck_assert_str_eq(ev.refund_id, "dp_1MmlLrLkdIwHu7ix0abcdEF");
    ck_assert_str_eq(ev.dispute_reason, "fraudulent");
    ck_assert_str_eq(ev.event_key, "dp_1MmlLrLkdIwHu7ix0abcdEF:created");
    ck_assert_int_eq(ev.dispute_state, KF_DISPUTE_OPEN);
    /* without its PaymentIntent it names no payment */
    wh = signed_hook(envelope("charge.dispute.created",
        "{\"id\": \"dp_2\", \"object\": \"dispute\", \"amount\": 5000, \"currency\": \"usd\"}"));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
}
END_TEST

/* the dispute's later states: charge.dispute.closed carries won, lost or warning_closed;
 * each status is its own event (a repeat of one is a repeat) */
START_TEST(charge_dispute_closed_gives_its_state)
{
    static const struct {
        const char *type, *status;
        kf_dispute_state state;
    } cases[] = {
        {"charge.dispute.closed", "won", KF_DISPUTE_WON},
        {"charge.dispute.closed", "lost", KF_DISPUTE_LOST},
        {"charge.dispute.closed", "warning_closed", KF_DISPUTE_CLOSED},
        {"charge.dispute.updated", "under_review", KF_DISPUTE_OPEN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *body = envelope(cases[i].type, apr_psprintf(pool,
            "{\"id\": \"dp_1MmlLrLkdIwHu7ix0abcdEF\", \"object\": \"dispute\", \"amount\": 5000,"
            " \"charge\": \"ch_3MmlLrLkdIwHu7ix0snN0B15\", \"currency\": \"usd\", \"metadata\": {},"
            " \"payment_intent\": \"pi_3MmlLrLkdIwHu7ix0uke3Ezy\", \"reason\": \"fraudulent\","
            " \"status\": \"%s\"}", cases[i].status));
        kf_payment_webhook wh = signed_hook(body);
        kf_payment_event ev;
        ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
        ck_assert_int_eq(ev.kind, KF_PAYMENT_EVENT_DISPUTE);
        ck_assert_int_eq(ev.dispute_state, cases[i].state);
        ck_assert_str_eq(ev.refund_id, "dp_1MmlLrLkdIwHu7ix0abcdEF");
        ck_assert_str_eq(ev.provider_status, cases[i].status);
        ck_assert_str_eq(ev.event_key, apr_pstrcat(pool, "dp_1MmlLrLkdIwHu7ix0abcdEF:",
                                                   cases[i].status, NULL));
    }
    /* a closing without its status says nothing */
    kf_payment_webhook wh = signed_hook(envelope("charge.dispute.closed",
        "{\"id\": \"dp_3\", \"object\": \"dispute\", \"amount\": 5000, \"currency\": \"usd\","
        " \"payment_intent\": \"pi_3\"}"));
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
}
END_TEST

START_TEST(bad_missing_and_stale_signatures)
{
    const char *body = envelope("checkout.session.completed",
                                session("cs_test_b", "complete", "paid", "pi_1", "KF-R", 5000,
                                        "usd"));
    kf_payment_event ev;
    kf_payment_account acct = account();
    const char *why = NULL;
    /* another tenant's secret */
    kf_payment_webhook wh = signed_at(body, "whsec_another_tenant", NOW, NOW);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    /* stale: 301 s old, or 301 s in the future */
    wh = signed_at(body, WHSEC, NOW - 301, NOW);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    wh = signed_at(body, WHSEC, NOW + 301, NOW);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    wh = signed_at(body, WHSEC, NOW - 300, NOW);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    /* a body changed after signing */
    wh = signed_at(body, WHSEC, NOW, NOW);
    char *tampered = apr_pstrdup(pool, body);
    *strstr(tampered, "5000") = '9';
    wh.body = tampered;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    /* no header, malformed headers */
    wh = signed_at(body, WHSEC, NOW, NOW);
    wh.headers = apr_table_make(pool, 1);
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    wh.headers = NULL;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_BAD_SIGNATURE);
    apr_table_t *h = apr_table_make(pool, 1);
    apr_table_set(h, "Stripe-Signature", "v1=abc");
    wh.headers = h;
    ck_assert_int_eq(kf_payment_stripe.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_str_eq(why, "Stripe-Signature: malformed");
    /* no secret configured, or no account at all */
    wh = signed_at(body, WHSEC, NOW, NOW);
    acct.events_secret = NULL;
    ck_assert_int_eq(kf_payment_stripe.verify_webhook(pool, &wh, &acct, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_int_eq(kf_payment_stripe.verify_webhook(pool, &wh, NULL, &ev, &why),
                     KF_PAYMENT_BAD_SIGNATURE);
    ck_assert_ptr_null(strstr(why, "whsec"));
}
END_TEST

START_TEST(other_events_are_unusable)
{
    kf_payment_event ev;
    const char *pi = "{\"id\": \"pi_1\", \"object\": \"payment_intent\", \"amount\": 5000,"
                     " \"currency\": \"usd\", \"metadata\": {\"reference\": \"KF-R\"},"
                     " \"status\": \"succeeded\"}";
    kf_payment_webhook wh = signed_hook(envelope("payment_intent.succeeded", pi));
    /* its reference still finds the tenant, so that it is answered 200, not 401 */
    ck_assert_str_eq(kf_payment_stripe.webhook_reference(pool, &wh), "KF-R");
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    wh = signed_hook(envelope("refund.created", "{\"id\": \"re_1\", \"object\": \"refund\"}"));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    /* authentic, but not enough to act on */
    wh = signed_hook(envelope("checkout.session.completed",
                              "{\"id\": \"cs_1\", \"status\": \"complete\", \"payment_status\": \"paid\"}"));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    wh = signed_hook(envelope("checkout.session.completed",
                              session("cs_1", "complete", "paid", "pi_1", "", 5000, "usd")));
    ck_assert_ptr_null(kf_payment_stripe.webhook_reference(pool, &wh));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    wh = signed_hook(envelope("checkout.session.completed",
                              session("cs_1", "complete", "paid", "pi_1", "KF-R", 5000, "us")));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    wh = signed_hook(envelope("charge.refunded", "{\"id\": \"ch_1\", \"currency\": \"usd\","
                                                 " \"amount_refunded\": 10, \"metadata\": {}}"));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    wh = signed_hook("[1]");
    ck_assert_ptr_null(kf_payment_stripe.webhook_reference(pool, &wh));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
    wh = signed_hook("{\"type\": \"checkout.session.completed\", \"data\": {}}");
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_UNUSABLE);
}
END_TEST

/* ------------------------------------------------------------------ create_checkout */

#define CREATED \
    "{\"id\": \"cs_test_a1b2\", \"object\": \"checkout.session\", \"status\": \"open\"," \
    " \"payment_status\": \"unpaid\", \"url\": \"https://checkout.stripe.com/c/pay/cs_test_a1b2#fid\"}"

static kf_payment_checkout checkout(void)
{
    kf_payment_checkout co = {.reference = "KF-ABCDEFGHIJKLMNOPQRST", .amount = 5000,
                              .currency = "USD",
                              .redirect_url = "https://k.example/book/x/confirmation?booking=b1&t=1",
                              .cancel_url = "https://k.example/book/x",
                              .notify_url = "https://k.example/api/webhooks/stripe?reference=KF-X",
                              .description = "Consulta ñ & más",
                              .expires_at = apr_time_from_sec(NOW + 3600),
                              .customer_email = "ana+1@example.com",
                              .customer_name = "Ana", .customer_phone = "+573001234567"};
    return co;
}

START_TEST(create_checkout_exact_request)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200, CREATED);
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_checkout co = checkout();
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_SUCCESS);
    ck_assert_int_eq(f.calls, 1);
    ck_assert_str_eq(f.method, "POST");
    ck_assert_str_eq(f.url, "https://api.stripe.com/v1/checkout/sessions");
    ck_assert_str_eq(header(&f, "Authorization"), "Bearer " SK);
    ck_assert_str_eq(header(&f, "Idempotency-Key"), "KF-ABCDEFGHIJKLMNOPQRST");
    ck_assert_str_eq(header(&f, "Content-Type"), "application/x-www-form-urlencoded");
    ck_assert_str_eq(f.req_body,
        "mode=payment"
        "&success_url=https%3A%2F%2Fk.example%2Fbook%2Fx%2Fconfirmation%3Fbooking%3Db1%26t%3D1"
        "&cancel_url=https%3A%2F%2Fk.example%2Fbook%2Fx"
        "&client_reference_id=KF-ABCDEFGHIJKLMNOPQRST"
        "&customer_email=ana%2B1%40example.com"
        "&line_items[0][price_data][currency]=usd"
        "&line_items[0][price_data][unit_amount]=5000"
        "&line_items[0][price_data][product_data][name]=Consulta%20%C3%B1%20%26%20m%C3%A1s"
        "&line_items[0][quantity]=1"
        "&metadata[reference]=KF-ABCDEFGHIJKLMNOPQRST"
        "&payment_intent_data[metadata][reference]=KF-ABCDEFGHIJKLMNOPQRST"
        "&expires_at=1700003600");
    ck_assert_str_eq(out.url, "https://checkout.stripe.com/c/pay/cs_test_a1b2#fid");
    ck_assert_str_eq(out.checkout_id, "cs_test_a1b2");
    ck_assert(out.expires_at == apr_time_from_sec(NOW + 3600));
}
END_TEST

START_TEST(create_checkout_defaults_and_overridden_base)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200, CREATED);
    kf_payment_endpoints ep = {.api_base = "http://127.0.0.1:9/stripe/", .checkout_base = NULL};
    kf_http_allow_insecure_prefix(c, "http://127.0.0.1:9/stripe");
    kf_payment_account acct = account();
    kf_payment_checkout co = {.reference = "KF-R", .amount = 120000, .currency = "cop",
                              .redirect_url = "https://k.example/ok"};
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(f.url, "http://127.0.0.1:9/stripe/v1/checkout/sessions");
    /* no cancel URL: back to the redirect URL; no description: the reference; no email;
     * no window: Stripe's longest, 24 h */
    ck_assert_str_eq(f.req_body,
        "mode=payment&success_url=https%3A%2F%2Fk.example%2Fok"
        "&cancel_url=https%3A%2F%2Fk.example%2Fok&client_reference_id=KF-R"
        "&line_items[0][price_data][currency]=cop"
        "&line_items[0][price_data][unit_amount]=120000"
        "&line_items[0][price_data][product_data][name]=KF-R"
        "&line_items[0][quantity]=1&metadata[reference]=KF-R"
        "&payment_intent_data[metadata][reference]=KF-R&expires_at=1700086400");
    ck_assert(out.expires_at == apr_time_from_sec(NOW + 86400));
}
END_TEST

/* The expires_at sent for a window ending `window` seconds after now (0: none). */
static const char *sent_expiry(apr_time_t now, apr_time_t expires_at)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200, CREATED);
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    acct.now = now;
    kf_payment_checkout co = checkout();
    co.expires_at = expires_at;
    kf_payment_session out;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, NULL),
                     APR_SUCCESS);
    const char *at = strstr(f.req_body, "&expires_at=");
    ck_assert_ptr_nonnull(at);
    ck_assert(out.expires_at == apr_time_from_sec(apr_atoi64(at + 12)));
    return at + 12;
}

START_TEST(create_checkout_expiry_within_stripe_bounds)
{
    apr_time_t now = apr_time_from_sec(NOW);
    /* a 10-minute window: Stripe's minimum, 30 min, plus 60 s for the way there */
    ck_assert_str_eq(sent_expiry(now, now + apr_time_from_sec(600)), "1700001860");
    /* a window already over gets the minimum too */
    ck_assert_str_eq(sent_expiry(now, now - apr_time_from_sec(60)), "1700001860");
    /* now with a fraction of a second: the minimum is rounded up, never below 31 min */
    ck_assert_str_eq(sent_expiry(now + 999999, now + apr_time_from_sec(600)), "1700001861");
    /* exactly the floor, and one second past it */
    ck_assert_str_eq(sent_expiry(now, now + apr_time_from_sec(1860)), "1700001860");
    ck_assert_str_eq(sent_expiry(now, now + apr_time_from_sec(1861)), "1700001861");
    /* a window end with a fraction: whole seconds, never later than the window */
    ck_assert_str_eq(sent_expiry(now, now + apr_time_from_sec(7200) + 500000), "1700007200");
    /* two days: Stripe's maximum, 24 h */
    ck_assert_str_eq(sent_expiry(now, now + apr_time_from_sec(2 * 86400)), "1700086400");
    ck_assert_str_eq(sent_expiry(now, now + apr_time_from_sec(86400)), "1700086400");
}
END_TEST

START_TEST(create_checkout_stripe_amount_units)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200, CREATED);
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_checkout co = checkout();
    kf_payment_session out;
    const char *why = NULL;
    /* zero-decimal everywhere: as it is */
    co.currency = "JPY";
    co.amount = 500;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(f.req_body, "[currency]=jpy&line_items[0][price_data][unit_amount]=500&"));
    /* ISK: zero-decimal in ISO 4217, two-decimal in Stripe's API */
    co.currency = "ISK";
    co.amount = 5000;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(f.req_body, "[unit_amount]=500000&"));
    /* MGA: two-decimal in ISO 4217, zero-decimal at Stripe: whole ariary only */
    co.currency = "MGA";
    co.amount = 1230000;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(f.req_body, "[unit_amount]=12300&"));
    f.calls = 0;
    co.amount = 1230050;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);

    /* and back: an ISK session of 500000 is 5000 minor units */
    const char *body = envelope("checkout.session.completed",
                                session("cs_isk", "complete", "paid", "pi_1", "KF-R", 500000, "isk"));
    kf_payment_webhook wh = signed_hook(body);
    kf_payment_event ev;
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.amount, 5000);
    ck_assert_str_eq(ev.currency, "ISK");
    wh = signed_hook(envelope("checkout.session.completed",
                              session("cs_mga", "complete", "paid", "pi_1", "KF-R", 12300, "mga")));
    ck_assert_int_eq(verify(&wh, &ev), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.amount, 1230000);
}
END_TEST

START_TEST(create_checkout_refusals_ask_nothing)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200, CREATED);
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_session out;
    const char *why = NULL;
    kf_payment_checkout co = checkout();
    co.amount = 0;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EINVAL);
    co = checkout();
    co.currency = "US";
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EINVAL);
    co = checkout();
    co.redirect_url = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EINVAL);
    co = checkout();
    co.reference = "";
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EINVAL);
    co = checkout();
    acct.private_key = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EINVAL);
    ck_assert_str_eq(why, "no secret key");
    ck_assert_int_eq(f.calls, 0);
    ck_assert_ptr_null(out.url);
}
END_TEST

START_TEST(create_checkout_errors_without_secrets)
{
    fake_http f;
    kf_http_client *c = answering(&f, 401, BAD_KEY_BODY);
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_checkout co = checkout();
    kf_payment_session out;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EACCES);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_null(strstr(why, "sk_"));
    ck_assert_ptr_null(strstr(why, "abcd"));
    ck_assert_ptr_nonnull(strstr(why, "invalid_request_error"));

    c = answering(&f, 400,
        "{\"error\": {\"code\": \"parameter_missing\", \"doc_url\": \"https://stripe.com/docs/error-codes/parameter-missing\","
        " \"message\": \"Missing required param: success_url.\", \"param\": \"success_url\","
        " \"type\": \"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EGENERAL);
    ck_assert_str_eq(why, "checkout session not created: HTTP 400 (invalid_request_error, code "
                          "parameter_missing, param success_url)");
    c = answering(&f, 400,
        "{\"error\": {\"message\": \"Keys for idempotent requests can only be used with the same"
        " parameters they were first used with.\", \"type\": \"idempotency_error\"}}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EGENERAL);
    ck_assert_str_eq(why, "checkout session not created: HTTP 400 (idempotency_error)");
    /* a code with odd bytes is cleaned before it reaches a log */
    c = answering(&f, 402, "{\"error\": {\"type\": \"card_error\", \"code\": \"x\\ny sk_live\"}}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EGENERAL);
    ck_assert_str_eq(why, "checkout session not created: HTTP 402 (card_error, code xysk_live)");
    c = answering(&f, 503, "<html>");
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EGENERAL);
    ck_assert_str_eq(why, "checkout session not created: HTTP 503");
    /* 200 without an id or url */
    c = answering(&f, 200, "{\"id\": \"cs_1\", \"url\": null}");
    ck_assert_int_eq(kf_payment_call_create_checkout(&kf_payment_stripe, pool, c, &ep, &acct, &co, &out, &why),
                     APR_EGENERAL);
}
END_TEST

/* ------------------------------------------------------------------ find_payment */

START_TEST(find_payment_is_merchant_scoped_and_keys_match_webhooks)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200,
                                  session("cs_test_a1", "complete", "paid", "pi_3Abc", "KF-R",
                                          5000, "usd"));
    kf_payment_endpoints ep = {.api_base = "http://127.0.0.1:9/stripe"};
    kf_http_allow_insecure_prefix(c, "http://127.0.0.1:9/stripe");
    kf_payment_account acct = account();
    kf_payment_event ev;
    const char *why = NULL;
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_test_a1", &ev,
                                                    &why), APR_SUCCESS);
    ck_assert_str_eq(f.method, "GET");
    ck_assert_str_eq(f.url, "http://127.0.0.1:9/stripe/v1/checkout/sessions/cs_test_a1");
    ck_assert_str_eq(header(&f, "Authorization"), "Bearer " SK);
    ck_assert_ptr_null(f.req_body);
    ck_assert_int_eq(ev.status, KF_PAYMENT_APPROVED);
    ck_assert_str_eq(ev.transaction_id, "pi_3Abc");
    ck_assert_int_eq(ev.amount, 5000);
    ck_assert_str_eq(ev.currency, "USD");
    ck_assert_str_eq(ev.reference, "KF-R");
    ck_assert_str_eq(ev.provider_status, "complete/paid");
    /* the same key as the checkout.session.completed webhook of this state */
    kf_payment_event hook;
    kf_payment_webhook wh = signed_hook(envelope("checkout.session.completed", f.body[0]));
    ck_assert_int_eq(verify(&wh, &hook), KF_PAYMENT_VERIFIED);
    ck_assert_str_eq(ev.event_key, hook.event_key);
    ck_assert_str_eq(ev.event_key, "cs_test_a1:approved");
    ck_assert_str_eq(ev.transaction_id, hook.transaction_id);

    /* expired: the same key as checkout.session.expired */
    f.body[0] = session("cs_test_a1", "expired", "unpaid", NULL, "KF-R", 5000, "usd");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_test_a1", &ev,
                                                    &why), APR_SUCCESS);
    wh = signed_hook(envelope("checkout.session.expired", f.body[0]));
    ck_assert_int_eq(verify(&wh, &hook), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_VOIDED);
    ck_assert_str_eq(ev.event_key, hook.event_key);

    /* complete but unpaid (bank debit settling): the same key as its completed event */
    f.body[0] = session("cs_test_a1", "complete", "unpaid", "pi_3Abc", "KF-R", 5000, "usd");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_test_a1", &ev,
                                                    &why), APR_SUCCESS);
    wh = signed_hook(envelope("checkout.session.completed", f.body[0]));
    ck_assert_int_eq(verify(&wh, &hook), KF_PAYMENT_VERIFIED);
    ck_assert_int_eq(ev.status, KF_PAYMENT_PENDING);
    ck_assert_str_eq(ev.event_key, hook.event_key);

    /* open: pending */
    f.body[0] = session("cs_test_a1", "open", "unpaid", NULL, "KF-R", 5000, "usd");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_test_a1", &ev,
                                                    &why), APR_SUCCESS);
    ck_assert_int_eq(ev.status, KF_PAYMENT_PENDING);
    ck_assert_str_eq(ev.event_key, "cs_test_a1:pending");
    ck_assert_str_eq(ev.transaction_id, "cs_test_a1");

    /* the session id is one path segment */
    kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_1/../../v1/account?x", &ev,
                                   &why);
    ck_assert_str_eq(f.url,
                     "http://127.0.0.1:9/stripe/v1/checkout/sessions/cs_1%2F..%2F..%2Fv1%2Faccount%3Fx");
}
END_TEST

START_TEST(find_payment_refusals_and_errors)
{
    fake_http f;
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("production");
    kf_payment_account acct = account();
    kf_payment_event ev;
    const char *why = NULL;
    /* no session yet: nothing asked */
    kf_http_client *c = answering(&f, 200, "{}");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", NULL, &ev, &why),
                     APR_NOTFOUND);
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "", &ev, &why),
                     APR_NOTFOUND);
    ck_assert_int_eq(f.calls, 0);
    kf_payment_account nokey = account();
    nokey.private_key = "";
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &nokey, "KF-R", "cs_1", &ev, &why),
                     APR_EINVAL);
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, NULL, "cs_1", &ev, &why),
                     APR_EINVAL);
    ck_assert_int_eq(f.calls, 0);
    /* another account's session: Stripe says it does not exist */
    c = answering(&f, 404,
        "{\"error\": {\"code\": \"resource_missing\", \"message\": \"No such checkout.session:"
        " 'cs_1'\", \"param\": \"session\", \"type\": \"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_1", &ev, &why),
                     APR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(why, "resource_missing"));
    c = answering(&f, 401, BAD_KEY_BODY);
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_1", &ev, &why),
                     APR_EACCES);
    ck_assert_ptr_null(strstr(why, "sk_"));
    c = answering(&f, 500, "{\"error\": {\"type\": \"api_error\"}}");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_1", &ev, &why),
                     APR_EGENERAL);
    ck_assert_str_eq(why, "checkout session not read: HTTP 500 (api_error)");
    /* a session of another payment (a checkout id mixed up): not believed */
    c = answering(&f, 200, session("cs_1", "complete", "paid", "pi_1", "KF-OTHER", 5000, "usd"));
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_1", &ev, &why),
                     APR_EGENERAL);
    ck_assert_str_eq(why, "the checkout session names another reference");
    c = answering(&f, 200, "{\"id\": \"cs_1\", \"status\": \"complete\"}");
    ck_assert_int_eq(kf_payment_stripe.find_payment(pool, c, &ep, &acct, "KF-R", "cs_1", &ev, &why),
                     APR_EGENERAL);
}
END_TEST

/* ------------------------------------------------------------------ refund */

#define REFUND(id, amount, status) \
    "{\"id\": \"" id "\", \"object\": \"refund\", \"amount\": " #amount ", \"charge\": \"ch_1\"," \
    " \"created\": 1700000300, \"currency\": \"usd\", \"metadata\": {\"reference\": \"KF-R\"}," \
    " \"payment_intent\": \"pi_3Abc\", \"reason\": null, \"status\": \"" status "\"}"

static kf_payment_refund refund_of(apr_int64_t amount)
{
    kf_payment_refund rf = {.transaction_id = "pi_3Abc", .reference = "KF-R",
                            .idempotency_key = "kf-refund-42", .amount = amount, .paid = 5000,
                            .currency = "USD"};
    return rf;
}

START_TEST(refund_sends_idempotency_key_and_part_amounts)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200, REFUND("re_1", 1500, "succeeded"));
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_refund rf = refund_of(1500);
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "re_1");
    ck_assert_str_eq(f.method, "POST");
    ck_assert_str_eq(f.url, "https://api.stripe.com/v1/refunds");
    ck_assert_str_eq(header(&f, "Authorization"), "Bearer " SK);
    ck_assert_str_eq(header(&f, "Idempotency-Key"), "kf-refund-42");
    ck_assert_str_eq(header(&f, "Content-Type"), "application/x-www-form-urlencoded");
    ck_assert_str_eq(f.req_body, "payment_intent=pi_3Abc&amount=1500&metadata[reference]=KF-R");
    /* the rest of it, later, with its own key */
    c = answering(&f, 200, REFUND("re_2", 3500, "pending"));
    rf = refund_of(3500);
    rf.idempotency_key = "kf-refund-43";
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "re_2");
    ck_assert_str_eq(f.req_body, "payment_intent=pi_3Abc&amount=3500&metadata[reference]=KF-R");
    ck_assert_str_eq(header(&f, "Idempotency-Key"), "kf-refund-43");
    /* a charge id is refunded as a charge; ISK amounts in Stripe's unit */
    c = answering(&f, 200, REFUND("re_3", 100, "succeeded"));
    rf = refund_of(1);
    rf.transaction_id = "ch_9";
    rf.currency = "ISK";
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(f.req_body, "charge=ch_9&amount=100&metadata[reference]=KF-R");
}
END_TEST

START_TEST(close_checkout_expires_an_open_session)
{
    fake_http f;
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    const char *why = NULL;
    kf_http_client *c = answering(&f, 200, "{\"id\": \"cs_test_1\", \"object\": \"checkout.session\","
                                           " \"status\": \"expired\"}");
    ck_assert_int_eq(kf_payment_call_close_checkout(&kf_payment_stripe, pool, c, &ep, &acct, "cs_test_1", &why),
                     APR_SUCCESS);
    ck_assert_str_eq(f.method, "POST");
    ck_assert_str_eq(f.url, "https://api.stripe.com/v1/checkout/sessions/cs_test_1/expire");
    ck_assert_str_eq(header(&f, "Authorization"), "Bearer " SK);
    /* complete or expired before: not open any more, nothing left to end */
    c = answering(&f, 400, "{\"error\": {\"message\": \"Only Checkout Sessions with a status of `open`"
                           " can be expired. This session has a status of `complete`.\","
                           " \"type\": \"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_call_close_checkout(&kf_payment_stripe, pool, c, &ep, &acct, "cs_test_1", &why),
                     APR_SUCCESS);
    c = answering(&f, 404, "{\"error\": {\"code\": \"resource_missing\", \"message\": \"No such"
                           " checkout.session\", \"type\": \"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_call_close_checkout(&kf_payment_stripe, pool, c, &ep, &acct, "cs_test_1", &why),
                     APR_NOTFOUND);
    c = answering(&f, 401, "{\"error\": {\"message\": \"Invalid API Key\", \"type\": "
                           "\"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_call_close_checkout(&kf_payment_stripe, pool, c, &ep, &acct, "cs_test_1", &why),
                     APR_EACCES);
    c = answering(&f, 500, "{\"error\": {\"message\": \"boom\", \"type\": \"api_error\"}}");
    ck_assert_int_eq(kf_payment_call_close_checkout(&kf_payment_stripe, pool, c, &ep, &acct, "cs_test_1", &why),
                     APR_EGENERAL);
    ck_assert_ptr_nonnull(why);
    /* not a session id: nothing asked of Stripe */
    ck_assert_int_eq(kf_payment_call_close_checkout(&kf_payment_stripe, pool, c, &ep, &acct, "pi_1", &why),
                     APR_EINVAL);
}
END_TEST

START_TEST(refund_already_refunded_failed_and_refused)
{
    fake_http f;
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    kf_payment_refund rf = refund_of(5000);
    const char *id = "x", *why = NULL;
    kf_http_client *c = answering(&f, 400,
        "{\"error\": {\"code\": \"charge_already_refunded\", \"message\": \"Charge ch_1 has already"
        " been refunded.\", \"type\": \"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_ptr_null(id);
    /* more than remains: an error (retried, then the merchant's) */
    c = answering(&f, 400,
        "{\"error\": {\"code\": \"amount_too_large\", \"param\": \"amount\", \"message\": \"Refund"
        " amount ($50.00) is greater than unrefunded amount on charge ($35.00)\","
        " \"type\": \"invalid_request_error\"}}");
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    ck_assert_str_eq(why, "refund not made: HTTP 400 (invalid_request_error, code amount_too_large,"
                          " param amount)");
    c = answering(&f, 200, REFUND("re_4", 5000, "failed"));
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    ck_assert_str_eq(why, "Stripe's refund re_4 is failed");
    c = answering(&f, 200, REFUND("re_5", 5000, "canceled"));
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    c = answering(&f, 200, REFUND("re_6", 5000, "requires_action"));
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_SUCCESS);
    ck_assert_str_eq(id, "re_6");
    c = answering(&f, 401, BAD_KEY_BODY);
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EACCES);
    ck_assert_ptr_null(strstr(why, "sk_"));
    c = answering(&f, 503, "");
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EGENERAL);
    ck_assert_int_eq(kf_refund_after_attempt(APR_EGENERAL, 1, &(int){0}), KF_REFUND_RETRY);

    /* nothing asked: no PaymentIntent (a session id stood in), no key, no idempotency key */
    c = answering(&f, 200, REFUND("re_7", 5000, "succeeded"));
    rf.transaction_id = "cs_test_a4";
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_ENOTIMPL);
    rf = refund_of(5000);
    rf.idempotency_key = NULL;
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EINVAL);
    rf = refund_of(0);
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EINVAL);
    rf = refund_of(5000);
    acct.private_key = NULL;
    ck_assert_int_eq(kf_payment_stripe.refund(pool, c, &ep, &acct, &rf, &id, &why), APR_EACCES);
    ck_assert_int_eq(f.calls, 0);
}
END_TEST

/* ------------------------------------------------------------------ test_connection */

START_TEST(test_connection_names_the_account)
{
    fake_http f;
    kf_http_client *c = answering(&f, 200,
        "{\"id\": \"acct_1Nv0FGQ9RKHgCVdK\", \"object\": \"account\", \"business_profile\":"
        " {\"name\": \"Clínica Legal Name\"}, \"settings\": {\"dashboard\": {\"display_name\":"
        " \"Clínica Prueba\", \"timezone\": \"America/Bogota\"}}}");
    kf_payment_endpoints ep = kf_payment_stripe.default_endpoints("test");
    kf_payment_account acct = account();
    const char *name = NULL, *why = NULL;
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(name, "Clínica Prueba");
    ck_assert_str_eq(f.method, "GET");
    ck_assert_str_eq(f.url, "https://api.stripe.com/v1/account");
    ck_assert_str_eq(header(&f, "Authorization"), "Bearer " SK);
    c = answering(&f, 200, "{\"id\": \"acct_1\", \"business_profile\": {\"name\": \"Legal\"},"
                           " \"settings\": {\"dashboard\": {\"display_name\": null}}}");
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(name, "Legal");
    c = answering(&f, 200, "{\"id\": \"acct_1\", \"business_profile\": {\"name\": \"\"}}");
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(name, "acct_1");
    c = answering(&f, 401, BAD_KEY_BODY);
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_NOTFOUND);
    ck_assert_ptr_null(strstr(why, "sk_"));
    c = answering(&f, 500, "{\"error\": {\"type\": \"api_error\"}}");
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_EGENERAL);
    c = answering(&f, 200, "{}");
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_EGENERAL);
    acct.private_key = NULL;
    ck_assert_int_eq(kf_payment_call_test_connection(&kf_payment_stripe, pool, c, &ep, &acct, &name, &why),
                     APR_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_stripe");
    TCase *tc = tcase_create("webhooks");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, registered_with_stripe_endpoints);
    tcase_add_test(tc, signature_vector_through_verify_webhook);
    tcase_add_test(tc, completed_paid_is_approved);
    tcase_add_test(tc, completed_unpaid_is_pending);
    tcase_add_test(tc, async_succeeded_and_failed);
    tcase_add_test(tc, expired_is_voided_and_named_by_session);
    tcase_add_test(tc, reference_from_metadata_and_expanded_intent);
    tcase_add_test(tc, charge_refunded_is_a_refund_event);
    tcase_add_test(tc, charge_dispute_created_is_a_dispute_event);
    tcase_add_test(tc, charge_dispute_closed_gives_its_state);
    tcase_add_test(tc, bad_missing_and_stale_signatures);
    tcase_add_test(tc, other_events_are_unusable);
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, create_checkout_exact_request);
    tcase_add_test(tc, create_checkout_defaults_and_overridden_base);
    tcase_add_test(tc, create_checkout_expiry_within_stripe_bounds);
    tcase_add_test(tc, create_checkout_stripe_amount_units);
    tcase_add_test(tc, create_checkout_refusals_ask_nothing);
    tcase_add_test(tc, create_checkout_errors_without_secrets);
    tcase_add_test(tc, find_payment_is_merchant_scoped_and_keys_match_webhooks);
    tcase_add_test(tc, find_payment_refusals_and_errors);
    tcase_add_test(tc, refund_sends_idempotency_key_and_part_amounts);
    tcase_add_test(tc, refund_already_refunded_failed_and_refused);
    tcase_add_test(tc, close_checkout_expires_an_open_session);
    tcase_add_test(tc, test_connection_names_the_account);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
