/* Airwallex behind kf_payment_provider (wire formats: docs/PROVIDERS.md "Airwallex"): a
 * PaymentIntent per payment, paid on Airwallex's hosted payment page; payment_intent.* and
 * refund.* webhooks signed with x-timestamp + x-signature; the intent read back by its id with
 * the merchant's own login; refunds by intent, in part or whole.
 *
 * Every API call is authorized by a login token (POST /api/v1/authentication/login with the
 * client id and API key, valid 30 minutes) kept in acct->tokens under a key made of the API
 * base, the client id and the SHA-256 of the API key (never the key itself). A call answered
 * 401 with a cached token logs in again once and is retried.
 *
 * Amounts travel in major units (75.76); request bodies write them exactly (kf_money_major),
 * answers are read back with kf_money_minor_of. */
#include "kf_payment_airwallex.h"
#include "kf_http_api.h"
#include "kf_time.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_signatures.h"
#include "kf_url.h"
#include "kf_text.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

#define AWX_API_DEMO "https://api-demo.airwallex.com"
#define AWX_API_PRODUCTION "https://api.airwallex.com"
#define AWX_CHECKOUT_DEMO "https://checkout-demo.airwallex.com"
#define AWX_CHECKOUT_PRODUCTION "https://checkout.airwallex.com"

/* A login token is valid 30 minutes: kept at most that long whatever expires_at says, and
 * 25 minutes when expires_at cannot be read. */
#define AWX_TOKEN_MAX apr_time_from_sec(30 * 60)
#define AWX_TOKEN_FALLBACK apr_time_from_sec(25 * 60)

/* x-timestamp further than this from the time of the call: stale (a replay). */
#define AWX_TOLERANCE_MS ((apr_int64_t)5 * 60 * 1000)

/* Airwallex caps request_id at 64 characters and the descriptor at 32. */
#define AWX_REQUEST_ID_MAX 64
#define AWX_DESCRIPTOR_MAX 32

static kf_payment_endpoints airwallex_default_endpoints(const char *mode)
{
    int production = mode && strcmp(mode, "production") == 0;
    kf_payment_endpoints ep = {
        .api_base = production ? AWX_API_PRODUCTION : AWX_API_DEMO,
        .checkout_base = production ? AWX_CHECKOUT_PRODUCTION : AWX_CHECKOUT_DEMO,
    };
    return ep;
}

/* ---------------------------------------------------------------- its signature scheme */

const char *kf_airwallex_signature(apr_pool_t *p, const char *secret, const char *x_timestamp,
                                   const char *body, apr_size_t len)
{
    if (!x_timestamp)
        return NULL;
    return kf_sig_hmac_hex(p, secret, x_timestamp, strlen(x_timestamp), body, len);
}

kf_sig_result kf_airwallex_verify(apr_pool_t *p, const char *x_timestamp, const char *x_signature,
                                  const char *body, apr_size_t len, const char *secret)
{
    apr_int64_t ts;
    if (!kf_has_text(x_signature) || !kf_sig_decimal(x_timestamp, &ts) || (!body && len > 0))
        return KF_SIG_MALFORMED;
    if (!kf_has_text(secret))
        return KF_SIG_BAD_SIGNATURE;
    const char *expected = kf_airwallex_signature(p, secret, x_timestamp, body, len);
    return kf_sig_hex_matches(expected, x_signature) ? KF_SIG_OK : KF_SIG_BAD_SIGNATURE;
}

static int has_keys(const kf_payment_account *acct)
{
    return acct && kf_has_text(acct->public_key) && kf_has_text(acct->private_key);
}

static const char *api_url(apr_pool_t *p, const kf_payment_endpoints *ep, const char *path)
{
    const char *base = ep && ep->api_base ? ep->api_base : AWX_API_DEMO;
    return apr_pstrcat(p, kf_url_trim_slash(p, base), path, NULL);
}

/* ------------------------------------------------------------------ answers and errors */

typedef struct {
    int status;
    json_t *doc;        /* the body when it is a JSON object, else NULL */
} awx_answer;

/* Printable ASCII only, at most max bytes: what an answer says goes into a log line. */
static const char *clean(apr_pool_t *p, const char *s, apr_size_t max)
{
    apr_size_t n = strlen(s) < max ? strlen(s) : max;
    char *out = apr_pstrndup(p, s, n);
    for (char *c = out; *c; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
            *c = '?';
        }
    }
    return out;
}

static const char *answer_code(const awx_answer *a)
{
    const char *code = NULL;
    return a->doc && kf_json_get_string(a->doc, "code", &code) == KF_JSON_FIELD_OK ? code : NULL;
}

/* "<what> answered HTTP 400: validation_error (amount): amount must be ..." from Airwallex's
 * error body {"code", "message", "source"?}. The message is left out if it repeats a secret. */
static const char *answer_why(apr_pool_t *p, const char *what, const awx_answer *a,
                              const kf_payment_account *acct, const char *token)
{
    const char *code = answer_code(a), *source = NULL, *message = NULL;
    if (a->doc) {
        kf_json_get_string(a->doc, "source", &source);
        kf_json_get_string(a->doc, "message", &message);
    }
    if (message && ((acct && kf_has_text(acct->private_key) && strstr(message, acct->private_key)) ||
                    (kf_has_text(token) && strstr(message, token)))) {
        message = NULL;
    }
    return apr_psprintf(p, "%s answered HTTP %d%s%s%s%s%s%s", what, a->status,
                        code ? ": " : "", code ? clean(p, code, 64) : "",
                        source ? " (" : "", source ? clean(p, source, 64) : "",
                        source ? ")" : "",
                        message ? apr_pstrcat(p, ": ", clean(p, message, 160), NULL) : "");
}

/* One exchange: req (kf_http_api_request) with body, when there is one, as JSON. */
static apr_status_t awx_send(apr_pool_t *p, kf_http_client *http, kf_http_request *req,
                             const char *body, awx_answer *a, const char **why)
{
    if (body) {
        kf_http_request_set_body(req, "application/json", body);
    }
    return kf_http_api_exchange(http, p, req, &a->status, &a->doc, why);
}

/* ------------------------------------------------------------------ login and token cache */

/* Airwallex's times ("2026-05-12T00:00:00+0000"): 0 when it is not one. */
static apr_time_t parse_time(const char *s)
{
    apr_int64_t usec = 0;
    return kf_time_parse_provider(s, &usec) ? (apr_time_t)usec : 0;
}

/* Whose token: the API base, the client id and a hash of the API key (a changed key is
 * another entry; the key itself is never kept). */
static const char *token_key(apr_pool_t *p, const kf_payment_endpoints *ep,
                             const kf_payment_account *acct)
{
    return apr_pstrcat(p, "airwallex ", api_url(p, ep, ""), " ", acct->public_key, " ",
                       kf_sha256_hex(p, acct->private_key, strlen(acct->private_key)), NULL);
}

/* A fresh login; the token is cached. APR_EACCES when Airwallex refuses the keys. *status
 * (may be NULL): the HTTP status of its answer, 0 when none came. */
static apr_status_t awx_login(apr_pool_t *p, kf_http_client *http, const kf_payment_endpoints *ep,
                          const kf_payment_account *acct, const char **token, int *status,
                          const char **why)
{
    kf_http_request *req =
        kf_http_api_request(p, "POST", api_url(p, ep, "/api/v1/authentication/login"), NULL);
    apr_table_setn(req->headers, "x-client-id", acct->public_key);
    apr_table_setn(req->headers, "x-api-key", acct->private_key);
    awx_answer a = {0};
    apr_status_t rv = awx_send(p, http, req, NULL, &a, why);
    if (status) {
        *status = rv == APR_SUCCESS ? a.status : 0;
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (a.status == 401 || a.status == 403) {
        *why = answer_why(p, "login (the client id or API key was refused)", &a, acct, NULL);
        return APR_EACCES;
    }
    const char *tok = NULL, *expires = NULL;
    if ((a.status != 200 && a.status != 201) ||
        kf_json_get_string(a.doc, "token", &tok) != KF_JSON_FIELD_OK || !*tok) {
        *why = answer_why(p, "login", &a, acct, NULL);
        return APR_EGENERAL;
    }
    apr_time_t until = 0;
    if (kf_json_get_string(a.doc, "expires_at", &expires) == KF_JSON_FIELD_OK) {
        until = parse_time(expires);
    }
    if (!until) {
        until = acct->now + AWX_TOKEN_FALLBACK;
    }
    else if (until > acct->now + AWX_TOKEN_MAX) {
        until = acct->now + AWX_TOKEN_MAX;
    }
    *token = apr_pstrdup(p, tok);
    kf_payment_token_cache_put(acct->tokens, token_key(p, ep, acct), *token, until);
    return APR_SUCCESS;
}

/* One authorized call: the cached token (or a login), and once more after a fresh login
 * when a cached token is answered 401. *token is the one last used. */
static apr_status_t awx_call(apr_pool_t *p, kf_http_client *http, const kf_payment_endpoints *ep,
                         const kf_payment_account *acct, const char *method, const char *path,
                         const char *body, awx_answer *a, const char **token, const char **why)
{
    const char *tok = kf_payment_token_cache_get(acct->tokens, p, token_key(p, ep, acct), acct->now);
    int cached = tok != NULL;
    apr_status_t rv = APR_EGENERAL;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!tok && (rv = awx_login(p, http, ep, acct, &tok, &a->status, why)) != APR_SUCCESS) {
            return rv;
        }
        rv = awx_send(p, http, kf_http_api_request(p, method, api_url(p, ep, path), tok), body, a,
                      why);
        *token = tok;
        if (rv != APR_SUCCESS || a->status != 401 || !cached) {
            return rv;
        }
        tok = NULL;         /* the cached token is no longer good: log in again, once */
        cached = 0;
    }
    return rv;
}

/* ------------------------------------------------------------------ objects read back */

static const char *string_at(apr_pool_t *p, const json_t *obj, const char *key)
{
    const char *s = NULL;
    return kf_json_get_string(obj, key, &s) == KF_JSON_FIELD_OK ? apr_pstrdup(p, s) : NULL;
}

/* merchant_order_id, else metadata.reference: the payment reference an object names. */
/* The reference an intent or refund names; a refund made in Airwallex's dashboard has no
 * metadata: its intent id names the payment then (the glue also finds payments by the
 * provider's ids). */
static const char *object_reference(apr_pool_t *p, const json_t *obj)
{
    const char *ref = string_at(p, obj, "merchant_order_id");
    if (!kf_has_text(ref)) {
        json_t *r = kf_json_path(obj, "metadata.reference");
        ref = json_is_string(r) ? apr_pstrdup(p, json_string_value(r)) : NULL;
    }
    if (!kf_has_text(ref)) {
        ref = string_at(p, obj, "payment_intent_id");
    }
    return kf_has_text(ref) ? ref : NULL;
}

static kf_payment_status intent_status(const char *status)
{
    if (!status) {
        return KF_PAYMENT_UNKNOWN;
    }
    if (strcmp(status, "SUCCEEDED") == 0) {
        return KF_PAYMENT_APPROVED;
    }
    if (strcmp(status, "CANCELLED") == 0) {
        return KF_PAYMENT_VOIDED;
    }
    if (strcmp(status, "REQUIRES_PAYMENT_METHOD") == 0 ||
        strcmp(status, "REQUIRES_CUSTOMER_ACTION") == 0 ||
        strcmp(status, "REQUIRES_CAPTURE") == 0 || strcmp(status, "PENDING") == 0) {
        return KF_PAYMENT_PENDING;
    }
    return KF_PAYMENT_UNKNOWN;
}

/* A PaymentIntent (GET /pa/payment_intents/{id}, or data.object of its events) as an event:
 * its id and status make the key, so that a webhook and a look-up of one state are one. */
static int read_intent(apr_pool_t *p, const json_t *intent, kf_payment_event *ev, const char **why)
{
    const char *id = string_at(p, intent, "id"), *status = string_at(p, intent, "status");
    const char *currency = string_at(p, intent, "currency");
    const char *reference = object_reference(p, intent);
    apr_int64_t amount = 0;
    if (!kf_has_text(id) || !kf_has_text(status) || !kf_has_text(currency) || !reference) {
        *why = "the intent lacks id, status, currency or merchant_order_id";
        return 0;
    }
    if (kf_money_minor_of(json_object_get(intent, "amount"), currency, &amount) != APR_SUCCESS) {
        *why = "the intent's amount is not a number of major units";
        return 0;
    }
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_PAYMENT;
    ev->transaction_id = id;
    ev->provider_status = status;
    ev->status = intent_status(status);
    ev->reference = reference;
    ev->currency = currency;
    ev->amount = amount;
    ev->event_key = apr_pstrcat(p, id, ":", status, NULL);
    return 1;
}

/* ------------------------------------------------------------------ checkout */

/* At most max UTF-8 characters of s (cut at a character boundary). */
static const char *cut_chars(apr_pool_t *p, const char *s, int max)
{
    const unsigned char *c = (const unsigned char *)s;
    int n = 0;
    while (*c && n < max) {
        c++;
        while ((*c & 0xC0) == 0x80) {
            c++;
        }
        n++;
    }
    return apr_pstrndup(p, s, (apr_size_t)((const char *)c - s));
}

/* The JSON object of head's members, "amount": <major units as written>, then tail's
 * members: jansson would print a real with 17 significant digits. */
static const char *with_amount(apr_pool_t *p, const json_t *head, const char *major,
                               const json_t *tail)
{
    const char *h = kf_json_dump(p, head), *t = kf_json_dump(p, tail);
    if (!h || !t) {
        return NULL;
    }
    apr_size_t hl = strlen(h);
    return apr_pstrcat(p, apr_pstrndup(p, h, hl - 1), hl > 2 ? "," : "", "\"amount\":", major,
                       strlen(t) > 2 ? "," : "", t + 1, NULL);
}

/* The hosted payment page of an intent: what Airwallex.js redirectToCheckout builds
 * (UNCONFIRMED: the page has no documented server-side URL; this shape is the one the JS
 * SDK and public integrations use). The glue may point checkout_base at a fake. */
static const char *checkout_url(apr_pool_t *p, const kf_payment_endpoints *ep,
                                const kf_payment_checkout *co, const char *id, const char *secret)
{
    const char *base = ep && ep->checkout_base ? ep->checkout_base : AWX_CHECKOUT_DEMO;
    const char *fail = co->cancel_url ? co->cancel_url : co->redirect_url;
    return apr_pstrcat(p, kf_url_trim_slash(p, base), "/#/standalone/checkout?intent_id=",
                       kf_url_encode(p, id), "&client_secret=", kf_url_encode(p, secret),
                       "&currency=", kf_url_encode(p, co->currency), "&mode=payment",
                       co->redirect_url ? "&successUrl=" : "",
                       co->redirect_url ? kf_url_encode(p, co->redirect_url) : "",
                       fail ? "&failUrl=" : "", fail ? kf_url_encode(p, fail) : "", NULL);
}

/* After duplicate_request (Airwallex refuses a request_id used before instead of answering
 * the first result again): the intent made by the earlier request, found by its
 * merchant_order_id among the merchant's own. */
static apr_status_t find_created_intent(apr_pool_t *p, kf_http_client *http,
                                        const kf_payment_endpoints *ep,
                                        const kf_payment_account *acct, const char *reference,
                                        const char **id, const char **secret, const char **why)
{
    awx_answer a = {0};
    const char *tok = NULL;
    apr_status_t rv = awx_call(p, http, ep, acct, "GET",
                           apr_pstrcat(p, "/api/v1/pa/payment_intents?merchant_order_id=",
                                       kf_url_encode(p, reference), NULL),
                           NULL, &a, &tok, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    json_t *items = a.doc ? json_object_get(a.doc, "items") : NULL;
    size_t i;
    json_t *it;
    if (a.status == 200 && json_is_array(items)) {
        json_array_foreach(items, i, it) {
            const char *rid = string_at(p, it, "request_id");
            const char *mid = string_at(p, it, "merchant_order_id");
            if ((rid ? strcmp(rid, reference) == 0 : mid && strcmp(mid, reference) == 0) &&
                kf_has_text(*id = string_at(p, it, "id")) &&
                kf_has_text(*secret = string_at(p, it, "client_secret"))) {
                return APR_SUCCESS;
            }
        }
    }
    *why = a.status == 200 ? "request_id used before, and no intent of it with a client_secret found"
                           : answer_why(p, "payment_intents (after duplicate_request)", &a, acct, tok);
    return APR_EGENERAL;
}

static apr_status_t airwallex_create_checkout(KF_PAYMENT_API_PARAMS, const kf_payment_checkout *co,
                                              kf_payment_session *out, const char **why)
{
    if (!has_keys(acct)) {
        *why = "no client id or API key";
        return APR_EINVAL;
    }
    if (!co || !kf_has_text(co->reference) || strlen(co->reference) > AWX_REQUEST_ID_MAX ||
        !kf_has_text(co->currency) || co->amount <= 0) {
        *why = "reference (at most 64 characters), currency and a positive amount are required";
        return APR_EINVAL;
    }
    json_t *head = kf_json_obj(p), *tail = kf_json_obj(p), *meta = json_object();
    kf_json_set_str(head, "request_id", co->reference);     /* idempotency of the creation */
    kf_json_set_str(tail, "currency", co->currency);
    kf_json_set_str(tail, "merchant_order_id", co->reference);
    if (co->redirect_url) {
        kf_json_set_str(tail, "return_url", co->redirect_url);
    }
    kf_json_set_str(meta, "reference", co->reference);
    kf_json_set_new(tail, "metadata", meta);
    /* what the customer's statement shows; left out when it is not UTF-8 */
    kf_json_set_str(tail, "descriptor",
                    cut_chars(p, co->description ? co->description : co->reference,
                              AWX_DESCRIPTOR_MAX));
    const char *body = with_amount(p, head, kf_money_major(p, co->amount, co->currency), tail);
    if (!body) {
        *why = "cannot write the request";
        return APR_EINVAL;
    }
    awx_answer a = {0};
    const char *tok = NULL;
    apr_status_t rv = awx_call(p, http, ep, acct, "POST", "/api/v1/pa/payment_intents/create", body,
                           &a, &tok, why);
    out->http_status = a.status;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *id = NULL, *secret = NULL;
    if (a.status == 401 || a.status == 403) {
        *why = answer_why(p, "payment_intents/create (the key was refused)", &a, acct, tok);
        return APR_EACCES;
    }
    if (a.status == 400 && answer_code(&a) && strcmp(answer_code(&a), "duplicate_request") == 0) {
        rv = find_created_intent(p, http, ep, acct, co->reference, &id, &secret, why);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    else {
        const char *mid = string_at(p, a.doc, "merchant_order_id");
        id = string_at(p, a.doc, "id");
        secret = string_at(p, a.doc, "client_secret");
        if ((a.status != 200 && a.status != 201) || !kf_has_text(id) || !kf_has_text(secret)) {
            *why = answer_why(p, "payment_intents/create", &a, acct, tok);
            return APR_EGENERAL;
        }
        if (mid && strcmp(mid, co->reference) != 0) {
            *why = "payment_intents/create answered with another merchant_order_id";
            return APR_EGENERAL;
        }
    }
    out->checkout_id = id;
    out->url = checkout_url(p, ep, co, id, secret);
    out->expires_at = 0;        /* an intent does not expire by itself */
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ webhooks */

static const char *airwallex_webhook_reference(apr_pool_t *p, const kf_payment_webhook *wh)
{
    json_t *obj = kf_payment_webhook_member(p, wh, "data.object");
    return json_is_object(obj) ? object_reference(p, obj) : NULL;
}

/* The intent status a payment_intent.* event stands for, or NULL for the names not acted
 * on. payment_attempt.* failures are not: the intent stays open for another card. */
static const char *status_of_name(const char *name)
{
    static const char *const names[][2] = {
        {"payment_intent.succeeded", "SUCCEEDED"},
        {"payment_intent.cancelled", "CANCELLED"},
        {"payment_intent.requires_payment_method", "REQUIRES_PAYMENT_METHOD"},
        {"payment_intent.requires_customer_action", "REQUIRES_CUSTOMER_ACTION"},
        {"payment_intent.requires_capture", "REQUIRES_CAPTURE"},
        {"payment_intent.pending", "PENDING"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i][0]) == 0) {
            return names[i][1];
        }
    }
    return NULL;
}

/* What a refund and a dispute (`what`) both carry: their id, their intent's, and an amount
 * of money (major units, read as minor). 0 with *why when one of them is missing. */
static int read_money_of_intent(apr_pool_t *p, const json_t *obj, const char *what,
                                const char **id, const char **intent, const char **currency,
                                apr_int64_t *amount, const char **why)
{
    *id = string_at(p, obj, "id");
    *intent = string_at(p, obj, "payment_intent_id");
    *currency = string_at(p, obj, "currency");
    if (!kf_has_text(*id) || !kf_has_text(*intent) || !kf_has_text(*currency)) {
        *why = apr_psprintf(p, "the %s lacks id, payment_intent_id or currency", what);
        return 0;
    }
    if (kf_money_minor_of(json_object_get(obj, "amount"), *currency, amount) != APR_SUCCESS) {
        *why = apr_psprintf(p, "the %s's amount is not a number of major units", what);
        return 0;
    }
    return 1;
}

/* refund.settled / refund.succeeded: money given back (this refund's amount). */
static kf_payment_verdict read_refund_event(apr_pool_t *p, const json_t *obj, const char *name,
                                            kf_payment_event *ev, const char **why)
{
    const char *id, *intent, *currency, *status = string_at(p, obj, "status");
    json_t *r = kf_json_path(obj, "metadata.reference");
    apr_int64_t amount = 0;
    if (!read_money_of_intent(p, obj, "refund", &id, &intent, &currency, &amount, why)) {
        return KF_PAYMENT_UNUSABLE;
    }
    if (!kf_has_text(status)) {
        status = strcmp(name, "refund.settled") == 0 ? "SETTLED" : "SUCCEEDED";
    }
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_REFUND;
    ev->status = KF_PAYMENT_UNKNOWN;    /* a refund moves no payment status */
    ev->transaction_id = intent;
    ev->refund_id = id;
    ev->reference = json_is_string(r) && *json_string_value(r)
                        ? apr_pstrdup(p, json_string_value(r)) : NULL;
    ev->currency = currency;
    ev->amount = amount;
    ev->provider_status = status;
    ev->event_key = apr_pstrcat(p, id, ":", status, NULL);
    return KF_PAYMENT_VERIFIED;
}

/* A payment dispute's status as a state. ACCEPTED (the merchant gave in) and EXPIRED (no
 * answer in time: accepted for them) send the money back like a loss; REVERSED, CANCELLED
 * and CLOSED end it without a ruling; the others (REQUIRES_RESPONSE, CHALLENGED,
 * PENDING_DECISION, ...) wait for the merchant or the bank. */
static kf_dispute_state dispute_state(const char *status)
{
    static const struct {
        const char *status;
        kf_dispute_state state;
    } map[] = {
        {"WON", KF_DISPUTE_WON},         {"LOST", KF_DISPUTE_LOST},
        {"ACCEPTED", KF_DISPUTE_LOST},   {"EXPIRED", KF_DISPUTE_LOST},
        {"REVERSED", KF_DISPUTE_CLOSED}, {"CANCELLED", KF_DISPUTE_CLOSED},
        {"CLOSED", KF_DISPUTE_CLOSED},
    };
    for (size_t i = 0; status && i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(status, map[i].status) == 0) {
            return map[i].state;
        }
    }
    return KF_DISPUTE_OPEN;
}

/* The dispute's reason: a text, or an object naming its type (or category, or code). */
static const char *dispute_reason(apr_pool_t *p, const json_t *obj)
{
    json_t *r = json_object_get(obj, "reason");
    if (json_is_string(r) && *json_string_value(r)) {
        return clean(p, json_string_value(r), 128);
    }
    static const char *const keys[] = {"type", "category", "code"};
    for (size_t i = 0; json_is_object(r) && i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = string_at(p, r, keys[i]);
        if (kf_has_text(v)) {
            return clean(p, v, 128);
        }
    }
    const char *code = string_at(p, obj, "reason_code");
    return kf_has_text(code) ? clean(p, code, 128) : NULL;
}

/* payment_dispute.*: data.object = PaymentDispute {id, payment_intent_id, amount (major
 * units), currency, reason, stage, status}. Its status (or, when it has none, the event
 * name's last word) is where it stands; each (stage, status) is one event. */
static kf_payment_verdict read_dispute_event(apr_pool_t *p, const json_t *obj, const char *name,
                                             kf_payment_event *ev, const char **why)
{
    const char *id, *intent, *currency, *status = string_at(p, obj, "status");
    const char *stage = string_at(p, obj, "stage");
    apr_int64_t amount = 0;
    if (!read_money_of_intent(p, obj, "dispute", &id, &intent, &currency, &amount, why)) {
        return KF_PAYMENT_UNUSABLE;
    }
    if (!kf_has_text(status)) {
        status = apr_pstrdup(p, name + strlen("payment_dispute."));
        for (char *c = (char *)status; *c; c++) {
            *c = (char)apr_toupper(*c);
        }
    }
    if (!*status) {
        *why = "the dispute has no status";
        return KF_PAYMENT_UNUSABLE;
    }
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_DISPUTE;
    ev->status = KF_PAYMENT_UNKNOWN;    /* moves no booking */
    ev->transaction_id = intent;
    ev->refund_id = id;
    ev->reference = object_reference(p, obj);
    ev->currency = currency;
    ev->amount = amount;
    ev->provider_status = status;
    ev->dispute_state = dispute_state(status);
    ev->dispute_reason = dispute_reason(p, obj);
    ev->event_key = kf_has_text(stage) ? apr_pstrcat(p, id, ":", stage, ":", status, NULL)
                                    : apr_pstrcat(p, id, ":", status, NULL);
    return KF_PAYMENT_VERIFIED;
}

static kf_payment_verdict airwallex_verify_webhook(apr_pool_t *p, const kf_payment_webhook *wh,
                                                   const kf_payment_account *acct,
                                                   kf_payment_event *ev, const char **why)
{
    const char *ts = wh->headers ? apr_table_get(wh->headers, "x-timestamp") : NULL;
    const char *sig = wh->headers ? apr_table_get(wh->headers, "x-signature") : NULL;
    kf_sig_result r = kf_airwallex_verify(p, ts, sig, wh->body, wh->len,
                                          acct ? acct->events_secret : NULL);
    if (r != KF_SIG_OK) {
        *why = r == KF_SIG_MALFORMED ? "x-timestamp or x-signature missing or malformed"
                                     : "x-signature does not match";
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    /* authentic; a replay of an old one is refused when the time of the call is known */
    apr_int64_t sent_ms = apr_atoi64(ts);
    apr_int64_t now_ms = (apr_int64_t)(wh->now / 1000);
    if (wh->now > 0 && (sent_ms > now_ms + AWX_TOLERANCE_MS || sent_ms < now_ms - AWX_TOLERANCE_MS)) {
        *why = "x-timestamp is more than 5 minutes away: stale";
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    json_t *event = kf_payment_webhook_object(p, wh);
    const char *name = event ? string_at(p, event, "name") : NULL;
    json_t *obj = event ? kf_json_path(event, "data.object") : NULL;
    if (!name || !json_is_object(obj)) {
        *why = "not an event with a name and data.object";
        return KF_PAYMENT_UNUSABLE;
    }
    if (strcmp(name, "refund.settled") == 0 || strcmp(name, "refund.succeeded") == 0) {
        return read_refund_event(p, obj, name, ev, why);
    }
    if (strncmp(name, "payment_dispute.", strlen("payment_dispute.")) == 0) {
        return read_dispute_event(p, obj, name, ev, why);
    }
    const char *named = status_of_name(name);
    if (!named) {
        *why = apr_psprintf(p, "%s events are not acted on", clean(p, name, 64));
        return KF_PAYMENT_UNUSABLE;
    }
    /* an intent without its own status stands for the one the name says */
    if (!json_object_get(obj, "status")) {
        json_t *copy = kf_json_own(p, json_copy(obj));
        kf_json_set_str(copy, "status", named);
        obj = copy;
    }
    if (!read_intent(p, obj, ev, why)) {
        return KF_PAYMENT_UNUSABLE;
    }
    if (ev->status != intent_status(named)) {
        *why = apr_psprintf(p, "%s for an intent in status %s", clean(p, name, 64),
                            clean(p, ev->provider_status, 64));
        return KF_PAYMENT_UNUSABLE;
    }
    return KF_PAYMENT_VERIFIED;
}

/* ------------------------------------------------------------------ look-up */

static int is_not_found(const awx_answer *a)
{
    const char *code = answer_code(a);
    return a->status == 404 || (a->status == 400 && code && strcmp(code, "resource_not_found") == 0);
}

static apr_status_t airwallex_find_payment(KF_PAYMENT_API_PARAMS, const char *reference,
                                           const char *checkout_id, kf_payment_event *ev,
                                           const char **why)
{
    if (!kf_has_text(reference)) {
        *why = "bad reference";
        return APR_EINVAL;
    }
    if (!has_keys(acct)) {
        *why = "no client id or API key";
        return APR_EINVAL;
    }
    if (!kf_has_text(checkout_id)) {
        *why = "no intent was made for this payment";
        return APR_NOTFOUND;
    }
    awx_answer a = {0};
    const char *tok = NULL;
    apr_status_t rv = awx_call(p, http, ep, acct, "GET",
                           apr_pstrcat(p, "/api/v1/pa/payment_intents/",
                                       kf_url_encode(p, checkout_id), NULL),
                           NULL, &a, &tok, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (a.status == 401 || a.status == 403) {
        *why = answer_why(p, "payment_intents (the key was refused)", &a, acct, tok);
        return APR_EACCES;
    }
    if (is_not_found(&a)) {
        *why = "this account has no such intent";
        return APR_NOTFOUND;
    }
    if (a.status != 200 || !a.doc) {
        *why = answer_why(p, "payment_intents", &a, acct, tok);
        return APR_EGENERAL;
    }
    if (!read_intent(p, a.doc, ev, why)) {
        return APR_EGENERAL;
    }
    /* the id asked about, and the reference this payment gave it: checked, not assumed */
    if (strcmp(ev->transaction_id, checkout_id) != 0 || strcmp(ev->reference, reference) != 0) {
        *why = "the provider answered about another intent or reference";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ test connection */

static apr_status_t airwallex_test_connection(KF_PAYMENT_API_PARAMS, const char **merchant_name,
                                              const char **why)
{
    if (!has_keys(acct)) {
        *why = "no client id or API key";
        return APR_EINVAL;
    }
    /* always a fresh login: the button tests the keys, not a token cached before */
    const char *tok = NULL;
    apr_status_t rv = awx_login(p, http, ep, acct, &tok, NULL, why);
    if (rv != APR_SUCCESS) {
        return rv == APR_EACCES ? APR_NOTFOUND : rv;
    }
    awx_answer a = {0};
    rv = awx_send(p, http, kf_http_api_request(p, "GET", api_url(p, ep, "/api/v1/account"), tok),
                  NULL, &a, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (a.status == 401) {
        *why = answer_why(p, "account (the token was refused)", &a, acct, tok);
        return APR_NOTFOUND;
    }
    if (a.status >= 500 || a.status < 200) {
        *why = answer_why(p, "account", &a, acct, tok);
        return APR_EGENERAL;
    }
    /* logged in: the keys are good even when this key may not read the account (403) */
    json_t *name = a.status == 200 && a.doc
                       ? kf_json_path(a.doc, "account_details.business_details.business_name")
                       : NULL;
    *merchant_name = json_is_string(name) && *json_string_value(name)
                         ? apr_pstrdup(p, json_string_value(name))
                         : apr_pstrdup(p, acct->public_key);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ refund */

static int refund_done(const char *status)
{
    return status && (strcmp(status, "RECEIVED") == 0 || strcmp(status, "ACCEPTED") == 0 ||
                      strcmp(status, "SETTLED") == 0 || strcmp(status, "SUCCEEDED") == 0);
}

/* What a refund object says: APR_SUCCESS with *refund_id when it is under way or done. */
static apr_status_t refund_outcome(apr_pool_t *p, const json_t *refund, const char **refund_id,
                                   const char **why)
{
    const char *id = string_at(p, refund, "id"), *status = string_at(p, refund, "status");
    if (!kf_has_text(id) || !kf_has_text(status)) {
        *why = "the refund lacks id or status";
        return APR_EGENERAL;
    }
    if (refund_done(status)) {
        *refund_id = id;
        return APR_SUCCESS;
    }
    if (strcmp(status, "FAILED") == 0) {
        /* asking again with the same request_id cannot change it: the merchant's to do */
        *why = apr_psprintf(p, "Airwallex failed refund %s: give the money back by hand",
                            clean(p, id, 64));
        return APR_ENOTIMPL;
    }
    *why = apr_psprintf(p, "refund %s is %s", clean(p, id, 64), clean(p, status, 32));
    return APR_EGENERAL;
}

/* The refund an earlier request with this request_id made, among the intent's refunds. */
static apr_status_t find_refund(KF_PAYMENT_API_PARAMS, const char *intent, const char *request_id,
                                const json_t **found, const char **why)
{
    awx_answer a = {0};
    const char *tok = NULL;
    apr_status_t rv = awx_call(p, http, ep, acct, "GET",
                           apr_pstrcat(p, "/api/v1/pa/refunds?payment_intent_id=",
                                       kf_url_encode(p, intent), NULL),
                           NULL, &a, &tok, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    json_t *items = a.doc ? json_object_get(a.doc, "items") : NULL;
    if (a.status != 200 || !json_is_array(items)) {
        *why = answer_why(p, "refunds", &a, acct, tok);
        return a.status == 401 || a.status == 403 ? APR_EACCES : APR_EGENERAL;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *rid = string_at(p, it, "request_id");
        if (rid && strcmp(rid, request_id) == 0) {
            *found = it;
            return APR_SUCCESS;
        }
    }
    return APR_NOTFOUND;
}

static apr_status_t airwallex_refund(KF_PAYMENT_API_PARAMS, const kf_payment_refund *rf,
                                     const char **refund_id, const char **why)
{
    if (!rf || !kf_has_text(rf->transaction_id)) {
        *why = "no payment intent to refund";
        return APR_ENOTIMPL;
    }
    if (!has_keys(acct)) {
        *why = "no client id or API key";
        return APR_EACCES;
    }
    if (!kf_has_text(rf->idempotency_key) || !kf_has_text(rf->currency) || rf->amount <= 0 ||
        (rf->paid > 0 && rf->amount > rf->paid)) {
        *why = "a refund needs an idempotency key, a currency and an amount up to what was paid";
        return APR_EINVAL;
    }
    /* the same request_id on every attempt; a longer key is hashed (64 hex characters) */
    const char *request_id = strlen(rf->idempotency_key) <= AWX_REQUEST_ID_MAX
                                 ? rf->idempotency_key
                                 : kf_sha256_hex(p, rf->idempotency_key,
                                                 strlen(rf->idempotency_key));
    json_t *head = kf_json_obj(p), *tail = kf_json_obj(p), *meta = json_object();
    kf_json_set_str(head, "request_id", request_id);
    kf_json_set_str(head, "payment_intent_id", rf->transaction_id);
    kf_json_set_str(tail, "reason", "Booking cancelled");
    kf_json_set_str(meta, "reference", rf->reference ? rf->reference : "");
    kf_json_set_new(tail, "metadata", meta);
    const char *body = with_amount(p, head, kf_money_major(p, rf->amount, rf->currency), tail);
    if (!body) {
        *why = "cannot write the request";
        return APR_EINVAL;
    }
    awx_answer a = {0};
    const char *tok = NULL;
    apr_status_t rv = awx_call(p, http, ep, acct, "POST", "/api/v1/pa/refunds/create", body, &a, &tok,
                           why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (a.status == 401 || a.status == 403) {
        *why = answer_why(p, "refunds/create (the key was refused)", &a, acct, tok);
        return APR_EACCES;
    }
    if ((a.status == 200 || a.status == 201) && a.doc) {
        return refund_outcome(p, a.doc, refund_id, why);
    }
    if (is_not_found(&a)) {
        *why = answer_why(p, "refunds/create (no such intent for this account)", &a, acct, tok);
        return APR_ENOTIMPL;
    }
    if (a.status == 400) {
        /* duplicate_request (an earlier attempt made it, its answer lost) or a refusal
         * because it was refunded already: the intent's refunds say which */
        const char *first = answer_why(p, "refunds/create", &a, acct, tok);
        const json_t *earlier = NULL;
        rv = find_refund(p, http, ep, acct, rf->transaction_id, request_id, &earlier, why);
        if (rv == APR_SUCCESS) {
            return refund_outcome(p, earlier, refund_id, why);
        }
        if (rv == APR_NOTFOUND) {
            *why = first;
            return APR_EGENERAL;
        }
        return rv;
    }
    *why = answer_why(p, "refunds/create", &a, acct, tok);
    return APR_EGENERAL;
}

/* POST /api/v1/pa/payment_intents/{id}/cancel: an intent never expires by itself, so one
 * whose booking expired is cancelled (its request_id derived from the intent: a repeat is
 * the same request). SUCCEEDED or CANCELLED before is answered 400: nothing left to end. */
static apr_status_t airwallex_close_checkout(KF_PAYMENT_API_PARAMS, const char *checkout_id,
                                             const char **why)
{
    if (!kf_has_text(checkout_id)) {
        *why = "no payment intent to cancel";
        return APR_EINVAL;
    }
    if (!acct || !kf_has_text(acct->public_key) || !kf_has_text(acct->private_key)) {
        *why = "no client id or API key";
        return APR_EACCES;
    }
    json_t *body = json_object();
    kf_json_set_str(body, "request_id", apr_pstrcat(p, "cancel-", checkout_id, NULL));
    kf_json_set_str(body, "cancellation_reason", "payment window passed");
    const char *text = kf_json_dump(p, body);
    json_decref(body);
    awx_answer a = {0};
    const char *token = NULL;
    const char *path = apr_pstrcat(p, "/api/v1/pa/payment_intents/", kf_url_encode(p, checkout_id),
                                   "/cancel", NULL);
    apr_status_t rv = awx_call(p, http, ep, acct, "POST", path, text, &a, &token, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (a.status == 401 || a.status == 403) {
        *why = answer_why(p, "cancel (the key was refused)", &a, acct, token);
        return APR_EACCES;
    }
    if (a.status == 404) {
        *why = answer_why(p, "cancel", &a, acct, token);
        return APR_NOTFOUND;
    }
    if (a.status == 200 || a.status == 201 || a.status == 400) {
        return APR_SUCCESS;
    }
    *why = answer_why(p, "cancel", &a, acct, token);
    return APR_EGENERAL;
}

/* ---------------------------------------------------------------- what Airwallex is */

/* Its payment acceptance currencies (PROVIDERS.md). */
static const char *const airwallex_currencies[] = {
    "AED", "AUD", "BDT", "BGN", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD",
    "HUF", "IDR", "ILS", "INR", "JPY", "KRW", "LKR", "MXN", "MYR", "NOK", "NPR", "NZD", "PHP",
    "PKR", "PLN", "RON", "SEK", "SGD", "THB", "TRY", "TWD", "USD", "VND", "ZAR", NULL};

static const kf_payment_setting airwallex_settings[] = {
    {"client_id", KF_PAYMENT_SLOT_PUBLIC},
    {"api_key", KF_PAYMENT_SLOT_PRIVATE},
    {"webhook_secret", KF_PAYMENT_SLOT_EVENTS},
    {NULL, KF_PAYMENT_SLOT_PUBLIC},
};

static const kf_payment_message airwallex_messages[] = {
    {"airwallex_not_configured", "Primero guarda las credenciales de Airwallex.",
     "Save the Airwallex credentials first."},
    {NULL, NULL, NULL},
};

const kf_payment_provider kf_payment_airwallex = {
    .name = "airwallex",
    .label = "Airwallex",
    .currencies = airwallex_currencies,
    .settings = airwallex_settings,
    .check_setting = NULL,      /* no prefixes: kf_payment_key_check for every setting */
    .messages = airwallex_messages,
    .refunds_part = 1,          /* several refunds up to the captured amount */
    .default_endpoints = airwallex_default_endpoints,
    .create_checkout = airwallex_create_checkout,
    .webhook_reference = airwallex_webhook_reference,
    .verify_webhook = airwallex_verify_webhook,
    .find_payment = airwallex_find_payment,
    .test_connection = airwallex_test_connection,
    .refund = airwallex_refund,
    .close_checkout = airwallex_close_checkout,
};
