/* Stripe behind kf_payment_provider: Checkout Sessions made with the merchant's secret key
 * (the browser goes to the session's url), checkout.session.* and charge.refunded events
 * verified with the webhook secret (Stripe-Signature), sessions read back merchant-scoped,
 * refunds of a PaymentIntent, whole or part. Wire formats: docs/PROVIDERS.md "Stripe".
 *
 * Amounts: Stripe's "amount" is the currency's smallest unit as Stripe counts it, which is the
 * ISO 4217 minor unit (kf_currency_exponent) except for ISK (two-decimal in Stripe's API,
 * zero in ISO: 1 krona = 100) and MGA (zero-decimal at Stripe, two in ISO); those two are
 * converted both ways, everything else passes as it is. */
#include "kf_payment_stripe.h"
#include "kf_http_api.h"
#include "kf_json.h"
#include "kf_signatures.h"
#include "kf_url.h"
#include "kf_text.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

#define STRIPE_API "https://api.stripe.com"
#define STRIPE_TOLERANCE_SECONDS 300
/* Stripe refuses expires_at less than 30 minutes or more than 24 hours after the session's
 * creation; 60 s more than the minimum leave room for the request's way there. */
#define STRIPE_MIN_EXPIRY_SECONDS (30 * 60 + 60)
#define STRIPE_MAX_EXPIRY_SECONDS (24 * 3600)

static kf_payment_endpoints stripe_default_endpoints(const char *mode)
{
    (void)mode;         /* one API for both: the key (sk_test_ / sk_live_) says which mode */
    kf_payment_endpoints ep = {.api_base = STRIPE_API, .checkout_base = NULL};
    return ep;
}

/* ---------------------------------------------------------------- its signature scheme */

const char *kf_stripe_signature(apr_pool_t *p, const char *secret, apr_int64_t t, const char *body,
                                apr_size_t len)
{
    return kf_sig_timestamped(p, secret, t, body, len);
}

kf_sig_result kf_stripe_verify(apr_pool_t *p, const char *sig_header, const char *body,
                               apr_size_t len, const char *secret, apr_time_t now,
                               int tolerance_seconds)
{
    if (!kf_has_text(sig_header) || (!body && len > 0))
        return KF_SIG_MALFORMED;
    apr_array_header_t *items = kf_sig_params(p, sig_header);
    apr_int64_t t = 0;
    int have_t = 0, n_v1 = 0;
    for (int i = 0; i < items->nelts; i++) {
        const kf_sig_param *it = &APR_ARRAY_IDX(items, i, kf_sig_param);
        if (strcmp(it->key, "t") == 0) {
            if (have_t || !kf_sig_decimal(it->value, &t))
                return KF_SIG_MALFORMED;
            have_t = 1;
        }
        else if (strcmp(it->key, "v1") == 0 && kf_has_text(it->value))
            n_v1++;
    }
    if (!have_t || n_v1 == 0)
        return KF_SIG_MALFORMED;
    if (!kf_has_text(secret))
        return KF_SIG_BAD_SIGNATURE;

    const char *expected = kf_stripe_signature(p, secret, t, body, len);
    int match = 0;
    for (int i = 0; i < items->nelts; i++) {
        const kf_sig_param *it = &APR_ARRAY_IDX(items, i, kf_sig_param);
        if (strcmp(it->key, "v1") == 0 && it->value)
            match |= kf_sig_hex_matches(expected, it->value);
    }
    if (!match)
        return KF_SIG_BAD_SIGNATURE;

    apr_int64_t age = (apr_int64_t)apr_time_sec(now) - t;
    if (age < 0)
        age = -age;
    if (tolerance_seconds < 0 || age > (apr_int64_t)tolerance_seconds)
        return KF_SIG_STALE;
    return KF_SIG_OK;
}

/* ---------------------------------------------------------------- small helpers */

/* A copy of a three-letter currency code in upper (upper = 1) or lower case; NULL when it is
 * not three ASCII letters. */
static const char *currency_case(apr_pool_t *p, const char *currency, int upper)
{
    if (!currency || strlen(currency) != 3) {
        return NULL;
    }
    char *out = apr_pstrdup(p, currency);
    for (char *c = out; *c; c++) {
        if (!apr_isalpha(*c) || (unsigned char)*c > 0x7f) {
            return NULL;
        }
        *c = (char)(upper ? apr_toupper(*c) : apr_tolower(*c));
    }
    return out;
}

/* Powers of ten between ISO minor units and Stripe's amount: +2 for ISK (Stripe's amount is
 * 100 per ISO unit), -2 for MGA (Stripe's amount is 1 per 100 ISO minor units), else 0.
 * currency is upper case. */
static int stripe_shift(const char *currency)
{
    if (currency && strcmp(currency, "ISK") == 0) {
        return 2;
    }
    if (currency && strcmp(currency, "MGA") == 0) {
        return -2;
    }
    return 0;
}

/* Minor units -> Stripe's amount. 0 when it cannot be said exactly (or overflows). */
static int to_stripe_amount(const char *currency, apr_int64_t minor, apr_int64_t *amount)
{
    int shift = stripe_shift(currency);
    if (minor < 0 || (shift > 0 && minor > APR_INT64_MAX / 100) ||
        (shift < 0 && minor % 100 != 0)) {
        return 0;
    }
    *amount = shift > 0 ? minor * 100 : shift < 0 ? minor / 100 : minor;
    return 1;
}

/* Stripe's amount -> minor units. 0 when it cannot be said exactly (or overflows). */
static int from_stripe_amount(const char *currency, json_int_t amount, apr_int64_t *minor)
{
    int shift = stripe_shift(currency);
    if (amount < 0 || (shift > 0 && amount % 100 != 0) ||
        (shift < 0 && amount > APR_INT64_MAX / 100)) {
        return 0;
    }
    *minor = shift > 0 ? amount / 100 : shift < 0 ? amount * 100 : (apr_int64_t)amount;
    return 1;
}

/* A value Stripe wrote (an error type, code or parameter name), fit for a log line: at most
 * 64 bytes of [A-Za-z0-9_.[]-], anything else dropped. */
static const char *clean(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, 65);
    apr_size_t n = 0;
    for (; s && *s && n < 64; s++) {
        if (apr_isalnum(*s) || strchr("_.[]-", *s)) {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    return out;
}

/* "HTTP 400 (invalid_request_error, code parameter_missing, param success_url)" from a
 * Stripe error body {"error": {"type", "code", "param", "decline_code", "message"}}. The
 * message is never copied: Stripe's "Invalid API Key provided: sk_test_****abcd" holds part
 * of the key. */
static const char *error_text(apr_pool_t *p, int status, const json_t *doc)
{
    json_t *err = doc ? json_object_get(doc, "error") : NULL;
    const char *type = NULL, *code = NULL, *param = NULL, *decline = NULL;
    kf_json_get_string(err, "type", &type);
    kf_json_get_string(err, "code", &code);
    kf_json_get_string(err, "param", &param);
    kf_json_get_string(err, "decline_code", &decline);
    if (!type && !code) {
        return apr_psprintf(p, "HTTP %d", status);
    }
    return apr_psprintf(p, "HTTP %d (%s%s%s%s%s%s%s)", status, type ? clean(p, type) : "error",
                        code ? ", code " : "", code ? clean(p, code) : "",
                        param ? ", param " : "", param ? clean(p, param) : "",
                        decline ? ", decline_code " : "", decline ? clean(p, decline) : "");
}

static const char *error_code(const json_t *doc)
{
    const char *code = NULL;
    json_t *err = doc ? json_object_get(doc, "error") : NULL;
    return kf_json_get_string(err, "code", &code) == KF_JSON_FIELD_OK ? code : NULL;
}

/* A form body, application/x-www-form-urlencoded: keys as Stripe writes them (brackets
 * included), values percent-encoded. */
typedef struct {
    apr_pool_t *p;
    apr_array_header_t *parts;
} stripe_form;

static void form_add(stripe_form *f, const char *key, const char *value)
{
    if (value) {
        APR_ARRAY_PUSH(f->parts, const char *) =
            apr_pstrcat(f->p, key, "=", kf_url_encode(f->p, value), NULL);
    }
}

static void form_add_int(stripe_form *f, const char *key, apr_int64_t value)
{
    form_add(f, key, apr_psprintf(f->p, "%" APR_INT64_T_FMT, value));
}

/* One call of Stripe's API with the secret key: body (form) may be NULL, idempotency_key
 * too. *doc is the answer when it is a JSON object, else NULL. APR_EACCES with *why when
 * Stripe refuses the key (401, 403). */
static apr_status_t stripe_call(apr_pool_t *p, kf_http_client *http, const char *method,
                                const char *url, const char *secret_key, const char *body,
                                const char *idempotency_key, int *status, json_t **doc,
                                const char **why)
{
    kf_http_request *req = kf_http_api_request(p, method, url, secret_key);
    if (body) {
        kf_http_request_set_body(req, "application/x-www-form-urlencoded", body);
    }
    if (idempotency_key) {
        apr_table_setn(req->headers, "Idempotency-Key", idempotency_key);
    }
    apr_status_t rv = kf_http_api_exchange(http, p, req, status, doc, why);
    if (rv == APR_SUCCESS && (*status == 401 || *status == 403)) {
        *why = apr_pstrcat(p, "Stripe refused the secret key: ", error_text(p, *status, *doc), NULL);
        return APR_EACCES;
    }
    return rv;
}

static const char *api_url(apr_pool_t *p, const kf_payment_endpoints *ep, const char *path)
{
    const char *base = ep && kf_has_text(ep->api_base) ? ep->api_base : STRIPE_API;
    return apr_pstrcat(p, kf_url_trim_slash(p, base), path, NULL);
}

/* An id field that may also come expanded into its object ({"id": ...}); NULL when null. */
static const char *id_field(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    const char *id = NULL;
    if (json_is_object(v)) {
        v = json_object_get(v, "id");
    }
    id = json_is_string(v) ? json_string_value(v) : NULL;
    return kf_has_text(id) ? id : NULL;
}

/* The payment reference an object carries: client_reference_id (Checkout Sessions), else
 * metadata.reference (sessions, PaymentIntents, and Charges, which copy their PaymentIntent's
 * metadata). */
static const char *object_reference(const json_t *obj)
{
    const char *ref = NULL;
    if (kf_json_get_string(obj, "client_reference_id", &ref) == KF_JSON_FIELD_OK && *ref) {
        return ref;
    }
    json_t *meta = json_object_get(obj, "metadata");
    if (kf_json_get_string(meta, "reference", &ref) == KF_JSON_FIELD_OK && *ref) {
        return ref;
    }
    return NULL;
}

/* ---------------------------------------------------------------- checkout */

/* The expires_at to send, in Unix seconds: the end of the payment window, within Stripe's
 * bounds after now (24 h when the window has no end); 0 (none sent) without a now. */
static apr_int64_t session_expiry(const kf_payment_account *acct, const kf_payment_checkout *co)
{
    if (acct->now <= 0) {
        return co->expires_at > 0 ? (apr_int64_t)apr_time_sec(co->expires_at) : 0;
    }
    apr_int64_t now = (apr_int64_t)apr_time_sec(acct->now);
    apr_int64_t lo = now + (acct->now % APR_USEC_PER_SEC ? 1 : 0) + STRIPE_MIN_EXPIRY_SECONDS;
    apr_int64_t hi = now + STRIPE_MAX_EXPIRY_SECONDS;
    apr_int64_t want = co->expires_at > 0 ? (apr_int64_t)apr_time_sec(co->expires_at) : hi;
    return want < lo ? lo : want > hi ? hi : want;
}

static apr_status_t stripe_create_checkout(KF_PAYMENT_API_PARAMS, const kf_payment_checkout *co,
                                           kf_payment_session *out, const char **why)
{
    if (!kf_payment_has_key(acct, why, "no secret key")) {
        return APR_EINVAL;
    }
    const char *upper = co ? currency_case(p, co->currency, 1) : NULL;
    if (!co || !kf_has_text(co->reference) || co->amount <= 0 || !upper) {
        *why = "reference, currency and a positive amount are required";
        return APR_EINVAL;
    }
    if (!kf_has_text(co->redirect_url)) {
        *why = "Stripe Checkout needs a redirect URL (success_url)";
        return APR_EINVAL;
    }
    apr_int64_t unit_amount = 0;
    if (!to_stripe_amount(upper, co->amount, &unit_amount)) {
        *why = apr_psprintf(p, "%" APR_INT64_T_FMT " minor units of %s cannot be charged by Stripe",
                            co->amount, upper);
        return APR_EINVAL;
    }
    apr_int64_t expires = session_expiry(acct, co);

    stripe_form f = {p, apr_array_make(p, 16, sizeof(const char *))};
    form_add(&f, "mode", "payment");
    form_add(&f, "success_url", co->redirect_url);
    form_add(&f, "cancel_url", kf_has_text(co->cancel_url) ? co->cancel_url : co->redirect_url);
    form_add(&f, "client_reference_id", co->reference);
    if (kf_has_text(co->customer_email)) {
        form_add(&f, "customer_email", co->customer_email);
    }
    form_add(&f, "line_items[0][price_data][currency]", currency_case(p, upper, 0));
    form_add_int(&f, "line_items[0][price_data][unit_amount]", unit_amount);
    form_add(&f, "line_items[0][price_data][product_data][name]",
             kf_has_text(co->description) ? co->description : co->reference);
    form_add(&f, "line_items[0][quantity]", "1");
    form_add(&f, "metadata[reference]", co->reference);
    form_add(&f, "payment_intent_data[metadata][reference]", co->reference);
    if (expires > 0) {
        form_add_int(&f, "expires_at", expires);
    }
    const char *body = apr_array_pstrcat(p, f.parts, '&');

    int status = 0;
    json_t *doc = NULL;
    /* The reference is the idempotency key: a retried creation gives back the same session. */
    apr_status_t rv = stripe_call(p, http, "POST", api_url(p, ep, "/v1/checkout/sessions"),
                                  acct->private_key, body, co->reference, &status, &doc, why);
    out->http_status = status;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status != 200) {
        *why = apr_pstrcat(p, "checkout session not created: ", error_text(p, status, doc), NULL);
        return APR_EGENERAL;
    }
    const char *id = NULL, *url = NULL;
    if (kf_json_get_string(doc, "id", &id) != KF_JSON_FIELD_OK || !*id ||
        kf_json_get_string(doc, "url", &url) != KF_JSON_FIELD_OK || !*url) {
        *why = "Stripe's checkout session lacks id or url";
        return APR_EGENERAL;
    }
    out->url = apr_pstrdup(p, url);
    out->checkout_id = apr_pstrdup(p, id);
    out->expires_at = expires > 0 ? apr_time_from_sec(expires) : 0;
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- events and sessions */

static const char *stripe_webhook_reference(apr_pool_t *p, const kf_payment_webhook *wh)
{
    json_t *obj = kf_payment_webhook_member(p, wh, "data.object");
    const char *ref = json_is_object(obj) ? object_reference(obj) : NULL;
    const char *kind = NULL;
    if (!ref && kf_json_get_string(obj, "object", &kind) == KF_JSON_FIELD_OK &&
        strcmp(kind, "dispute") == 0) {
        /* a Dispute carries no metadata of ours: its PaymentIntent names the payment */
        kf_json_get_string(obj, "payment_intent", &ref);
        ref = ref && *ref ? ref : NULL;
    }
    return ref ? apr_pstrdup(p, ref) : NULL;
}

/* What a session's status and payment_status say (find_payment): complete + paid is paid;
 * open, or complete + unpaid (an asynchronous method still settling), is pending; expired
 * ends the payment. */
static kf_payment_status session_status(const char *status, const char *payment_status)
{
    if (strcmp(status, "complete") == 0) {
        return strcmp(payment_status, "paid") == 0     ? KF_PAYMENT_APPROVED
               : strcmp(payment_status, "unpaid") == 0 ? KF_PAYMENT_PENDING
                                                       : KF_PAYMENT_UNKNOWN;
    }
    return strcmp(status, "expired") == 0 ? KF_PAYMENT_VOIDED
           : strcmp(status, "open") == 0  ? KF_PAYMENT_PENDING
                                          : KF_PAYMENT_UNKNOWN;
}

/* A Checkout Session (an event's data.object, or GET /v1/checkout/sessions/{id}) into *ev.
 * status < 0: the status from the session's own fields (session_status). */
static int read_session(apr_pool_t *p, const json_t *s, int status, kf_payment_event *ev,
                        const char **why)
{
    const char *id = NULL, *st = NULL, *pay = NULL, *currency = NULL;
    json_int_t amount = 0;
    const char *reference = object_reference(s);
    if (kf_json_get_string(s, "id", &id) != KF_JSON_FIELD_OK || !*id ||
        kf_json_get_string(s, "status", &st) != KF_JSON_FIELD_OK ||
        kf_json_get_string(s, "payment_status", &pay) != KF_JSON_FIELD_OK ||
        kf_json_get_string(s, "currency", &currency) != KF_JSON_FIELD_OK ||
        kf_json_get_int(s, "amount_total", &amount) != KF_JSON_FIELD_OK || !reference) {
        *why = "checkout session lacks id, status, payment_status, currency, amount_total or "
               "client_reference_id";
        return 0;
    }
    const char *upper = currency_case(p, currency, 1);
    apr_int64_t minor = 0;
    if (!upper || !from_stripe_amount(upper, amount, &minor)) {
        *why = "checkout session has an unusable currency or amount_total";
        return 0;
    }
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_PAYMENT;
    ev->reference = apr_pstrdup(p, reference);
    const char *intent = id_field(s, "payment_intent");
    ev->transaction_id = apr_pstrdup(p, intent ? intent : id);
    ev->provider_status = apr_pstrcat(p, st, "/", pay, NULL);
    ev->status = status < 0 ? session_status(st, pay) : (kf_payment_status)status;
    ev->amount = minor;
    ev->currency = upper;
    /* One key per (session, normalized status): the event and the session fetched when the
     * customer comes back are one event, whichever comes first. */
    ev->event_key = apr_pstrcat(p, id, ":", kf_payment_status_name(ev->status), NULL);
    return 1;
}

/* The newest refund of a Charge's refunds.data (greatest "created"; the first on a tie, as
 * Stripe lists newest first), or NULL. */
static const char *newest_refund(const json_t *charge)
{
    json_t *list = kf_json_path(charge, "refunds.data");
    const char *best = NULL;
    json_int_t best_at = 0;
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        const char *id = NULL;
        json_int_t at = 0;
        if (kf_json_get_string(r, "id", &id) != KF_JSON_FIELD_OK || !*id) {
            continue;
        }
        kf_json_get_int(r, "created", &at);
        if (!best || at > best_at) {
            best = id;
            best_at = at;
        }
    }
    return best;
}

/* A Dispute's status as a state: won, lost; warning_closed (an inquiry that never became a
 * chargeback) and prevented end it without a ruling; the others (warning_needs_response,
 * needs_response, *_under_review) wait for the merchant or the bank. */
static kf_dispute_state dispute_state(const char *status)
{
    if (!status) {
        return KF_DISPUTE_OPEN;
    }
    if (strcmp(status, "won") == 0) {
        return KF_DISPUTE_WON;
    }
    if (strcmp(status, "lost") == 0) {
        return KF_DISPUTE_LOST;
    }
    if (strcmp(status, "warning_closed") == 0 || strcmp(status, "prevented") == 0) {
        return KF_DISPUTE_CLOSED;
    }
    return KF_DISPUTE_OPEN;
}

/* charge.dispute.created / .updated / .closed: data.object = Dispute {id dp_..., amount,
 * currency, charge, payment_intent, reason, status}. The opening is one event per dispute;
 * each later status another. */
static int read_dispute(apr_pool_t *p, const json_t *d, int created, kf_payment_event *ev,
                        const char **why)
{
    const char *id = NULL, *currency = NULL, *pi = NULL, *reason = NULL, *status = NULL;
    json_int_t amount = 0;
    if (kf_json_get_string(d, "id", &id) != KF_JSON_FIELD_OK || !*id ||
        kf_json_get_string(d, "currency", &currency) != KF_JSON_FIELD_OK ||
        kf_json_get_int(d, "amount", &amount) != KF_JSON_FIELD_OK ||
        kf_json_get_string(d, "payment_intent", &pi) != KF_JSON_FIELD_OK || !*pi) {
        *why = "dispute lacks id, amount, currency or payment_intent";
        return 0;
    }
    if (kf_json_get_string(d, "status", &status) != KF_JSON_FIELD_OK || !*status) {
        status = NULL;
        if (!created) {
            *why = "dispute update without a status";
            return 0;
        }
    }
    const char *upper = currency_case(p, currency, 1);
    apr_int64_t minor = 0;
    if (!upper || !from_stripe_amount(upper, amount, &minor)) {
        *why = "dispute has an unusable currency or amount";
        return 0;
    }
    const char *ref = object_reference(d);
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_DISPUTE;
    ev->status = KF_PAYMENT_UNKNOWN;    /* moves no booking */
    ev->reference = apr_pstrdup(p, ref ? ref : "");
    ev->transaction_id = apr_pstrdup(p, pi);
    ev->provider_status = status ? apr_pstrdup(p, status) : "disputed";
    ev->dispute_state = created ? KF_DISPUTE_OPEN : dispute_state(status);
    ev->amount = minor;
    ev->currency = upper;
    ev->refund_id = apr_pstrdup(p, id);
    ev->dispute_reason =
        kf_json_get_string(d, "reason", &reason) == KF_JSON_FIELD_OK ? apr_pstrdup(p, reason) : NULL;
    ev->event_key = created ? apr_pstrcat(p, id, ":created", NULL)
                            : apr_pstrcat(p, id, ":", status, NULL);
    return 1;
}

/* charge.refunded: money given back on a Charge (amount_refunded = all of it so far). */
static int read_refunded_charge(apr_pool_t *p, const json_t *charge, kf_payment_event *ev,
                                const char **why)
{
    const char *id = NULL, *currency = NULL;
    json_int_t refunded = 0;
    int whole = 0;
    const char *reference = object_reference(charge);
    if (kf_json_get_string(charge, "id", &id) != KF_JSON_FIELD_OK || !*id ||
        kf_json_get_string(charge, "currency", &currency) != KF_JSON_FIELD_OK ||
        kf_json_get_int(charge, "amount_refunded", &refunded) != KF_JSON_FIELD_OK ||
        !reference) {
        *why = "charge lacks id, currency, amount_refunded or metadata.reference";
        return 0;
    }
    const char *upper = currency_case(p, currency, 1);
    apr_int64_t minor = 0;
    if (!upper || !from_stripe_amount(upper, refunded, &minor)) {
        *why = "charge has an unusable currency or amount_refunded";
        return 0;
    }
    kf_json_get_bool(charge, "refunded", &whole);
    const char *intent = id_field(charge, "payment_intent");
    const char *refund = newest_refund(charge);
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_REFUND;
    ev->reference = apr_pstrdup(p, reference);
    ev->transaction_id = apr_pstrdup(p, intent ? intent : id);
    ev->provider_status = whole ? "refunded" : "partially_refunded";
    ev->status = KF_PAYMENT_APPROVED;   /* the charge stays succeeded; kind says refund */
    ev->amount = minor;
    ev->currency = upper;
    ev->refund_id = refund ? apr_pstrdup(p, refund) : NULL;
    ev->event_key = apr_psprintf(p, "%s:refunded:%" APR_INT64_T_FMT, id, minor);
    return 1;
}

static kf_payment_verdict stripe_verify_webhook(apr_pool_t *p, const kf_payment_webhook *wh,
                                                const kf_payment_account *acct,
                                                kf_payment_event *ev, const char **why)
{
    const char *header = wh->headers ? apr_table_get(wh->headers, "Stripe-Signature") : NULL;
    kf_sig_result sig = kf_stripe_verify(p, header, wh->body, wh->len,
                                         acct ? acct->events_secret : NULL, wh->now,
                                         STRIPE_TOLERANCE_SECONDS);
    if (sig != KF_SIG_OK) {
        *why = apr_pstrcat(p, "Stripe-Signature: ", kf_sig_result_str(sig), NULL);
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    json_t *event = kf_payment_webhook_object(p, wh);
    const char *type = NULL;
    if (!event || kf_json_get_string(event, "type", &type) != KF_JSON_FIELD_OK) {
        *why = "not a Stripe event";
        return KF_PAYMENT_UNUSABLE;
    }
    json_t *obj = kf_json_path(event, "data.object");
    if (!json_is_object(obj)) {
        *why = "event without data.object";
        return KF_PAYMENT_UNUSABLE;
    }
    int ok = 0;
    if (strcmp(type, "charge.refunded") == 0) {
        ok = read_refunded_charge(p, obj, ev, why);
    }
    else if (strcmp(type, "charge.dispute.created") == 0) {
        ok = read_dispute(p, obj, 1, ev, why);
    }
    else if (strcmp(type, "charge.dispute.updated") == 0 ||
             strcmp(type, "charge.dispute.closed") == 0) {
        ok = read_dispute(p, obj, 0, ev, why);
    }
    else if (strcmp(type, "checkout.session.completed") == 0) {
        const char *pay = NULL;
        kf_json_get_string(obj, "payment_status", &pay);
        /* paid: money taken; unpaid: an asynchronous method (bank debit) still settling */
        kf_payment_status st = !pay                        ? KF_PAYMENT_UNKNOWN
                               : strcmp(pay, "paid") == 0   ? KF_PAYMENT_APPROVED
                               : strcmp(pay, "unpaid") == 0 ? KF_PAYMENT_PENDING
                                                            : KF_PAYMENT_UNKNOWN;
        ok = read_session(p, obj, (int)st, ev, why);
    }
    else if (strcmp(type, "checkout.session.async_payment_succeeded") == 0) {
        ok = read_session(p, obj, KF_PAYMENT_APPROVED, ev, why);
    }
    else if (strcmp(type, "checkout.session.async_payment_failed") == 0) {
        ok = read_session(p, obj, KF_PAYMENT_DECLINED, ev, why);
    }
    else if (strcmp(type, "checkout.session.expired") == 0) {
        ok = read_session(p, obj, KF_PAYMENT_VOIDED, ev, why);
    }
    else {
        *why = "not an event acted on";
        return KF_PAYMENT_UNUSABLE;
    }
    return ok ? KF_PAYMENT_VERIFIED : KF_PAYMENT_UNUSABLE;
}

static apr_status_t stripe_find_payment(KF_PAYMENT_API_PARAMS, const char *reference,
                                        const char *checkout_id, kf_payment_event *ev,
                                        const char **why)
{
    if (!kf_has_text(reference)) {
        *why = "bad reference";
        return APR_EINVAL;
    }
    if (!kf_payment_has_key(acct, why, "no secret key")) {
        return APR_EINVAL;
    }
    if (!kf_has_text(checkout_id)) {
        *why = "no checkout session yet";
        return APR_NOTFOUND;
    }
    const char *url = api_url(p, ep, apr_pstrcat(p, "/v1/checkout/sessions/",
                                                 kf_url_encode(p, checkout_id), NULL));
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = stripe_call(p, http, "GET", url, acct->private_key, NULL, NULL, &status,
                                  &doc, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status == 404) {
        /* resource_missing: no such session in THIS account (another account's never pays) */
        *why = apr_pstrcat(p, "no such checkout session in this account: ",
                           error_text(p, status, doc), NULL);
        return APR_NOTFOUND;
    }
    if (status != 200 || !doc) {
        *why = apr_pstrcat(p, "checkout session not read: ", error_text(p, status, doc), NULL);
        return APR_EGENERAL;
    }
    if (!read_session(p, doc, -1, ev, why)) {
        return APR_EGENERAL;
    }
    if (strcmp(ev->reference, reference) != 0) {
        *why = "the checkout session names another reference";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- account and refunds */

static apr_status_t stripe_test_connection(KF_PAYMENT_API_PARAMS, const char **merchant_name,
                                           const char **why)
{
    if (!kf_payment_has_key(acct, why, "no secret key")) {
        return APR_EINVAL;
    }
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = stripe_call(p, http, "GET", api_url(p, ep, "/v1/account"),
                                  acct->private_key, NULL, NULL, &status, &doc, why);
    if (rv != APR_SUCCESS) {
        return rv == APR_EACCES ? APR_NOTFOUND : rv;
    }
    const char *name = NULL;
    if (status != 200 || !doc) {
        *why = apr_pstrcat(p, "account not read: ", error_text(p, status, doc), NULL);
        return APR_EGENERAL;
    }
    if (!((kf_json_get_string(kf_json_path(doc, "settings.dashboard"), "display_name", &name) ==
               KF_JSON_FIELD_OK && *name) ||
          (kf_json_get_string(kf_json_path(doc, "business_profile"), "name", &name) ==
               KF_JSON_FIELD_OK && *name) ||
          (kf_json_get_string(doc, "id", &name) == KF_JSON_FIELD_OK && *name))) {
        *why = "Stripe's account has no name and no id";
        return APR_EGENERAL;
    }
    *merchant_name = apr_pstrdup(p, name);
    return APR_SUCCESS;
}

/* POST /v1/refunds of the PaymentIntent, whole or part, with the glue's idempotency key (the
 * same on every attempt: a retry whose first answer was lost gets that answer again, never a
 * second refund). */
static apr_status_t stripe_refund(KF_PAYMENT_API_PARAMS, const kf_payment_refund *rf,
                                  const char **refund_id, const char **why)
{
    *refund_id = NULL;
    if (!rf || !kf_has_text(rf->transaction_id) || strncmp(rf->transaction_id, "cs_", 3) == 0) {
        /* a session id stands in for the PaymentIntent only when the session never had one */
        *why = "no PaymentIntent to refund";
        return APR_ENOTIMPL;
    }
    if (!kf_payment_has_key(acct, why, "no secret key")) {
        return APR_EACCES;
    }
    if (!kf_has_text(rf->idempotency_key)) {
        *why = "a refund needs an idempotency key";
        return APR_EINVAL;
    }
    const char *upper = rf->currency ? currency_case(p, rf->currency, 1) : NULL;
    apr_int64_t amount = 0;
    if (rf->amount <= 0 || !to_stripe_amount(upper, rf->amount, &amount)) {
        *why = "the refund's amount cannot be given to Stripe";
        return APR_EINVAL;
    }
    stripe_form f = {p, apr_array_make(p, 4, sizeof(const char *))};
    form_add(&f, strncmp(rf->transaction_id, "ch_", 3) == 0 ? "charge" : "payment_intent",
             rf->transaction_id);
    form_add_int(&f, "amount", amount);
    if (kf_has_text(rf->reference)) {
        form_add(&f, "metadata[reference]", rf->reference);
    }
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = stripe_call(p, http, "POST", api_url(p, ep, "/v1/refunds"),
                                  acct->private_key, apr_array_pstrcat(p, f.parts, '&'),
                                  rf->idempotency_key, &status, &doc, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *code = error_code(doc);
    if (status == 400 && code && strcmp(code, "charge_already_refunded") == 0) {
        return APR_SUCCESS;         /* refunded before: nothing more goes back */
    }
    const char *id = NULL, *st = NULL;
    if (status != 200 || kf_json_get_string(doc, "id", &id) != KF_JSON_FIELD_OK || !*id ||
        kf_json_get_string(doc, "status", &st) != KF_JSON_FIELD_OK) {
        *why = apr_pstrcat(p, "refund not made: ", error_text(p, status, doc), NULL);
        return APR_EGENERAL;
    }
    /* pending and requires_action: the refund exists and Stripe finishes it; asking again
     * would only give this answer back (same key) or risk a second one */
    if (strcmp(st, "succeeded") == 0 || strcmp(st, "pending") == 0 ||
        strcmp(st, "requires_action") == 0) {
        *refund_id = apr_pstrdup(p, id);
        return APR_SUCCESS;
    }
    *why = apr_psprintf(p, "Stripe's refund %s is %s", clean(p, id), clean(p, st));
    return APR_EGENERAL;
}

/* POST /v1/checkout/sessions/{id}/expire: allowed only while the session is open; any other
 * state is answered 400 invalid_request_error (nothing left to end). */
static apr_status_t stripe_close_checkout(KF_PAYMENT_API_PARAMS, const char *checkout_id,
                                          const char **why)
{
    if (!kf_has_text(checkout_id) || strncmp(checkout_id, "cs_", 3) != 0) {
        *why = "no Checkout Session to expire";
        return APR_EINVAL;
    }
    if (!kf_payment_has_key(acct, why, "no secret key")) {
        return APR_EACCES;
    }
    int status = 0;
    json_t *doc = NULL;
    const char *path = apr_pstrcat(p, "/v1/checkout/sessions/", kf_url_encode(p, checkout_id),
                                   "/expire", NULL);
    apr_status_t rv = stripe_call(p, http, "POST", api_url(p, ep, path), acct->private_key, "",
                                  NULL, &status, &doc, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status == 404) {
        *why = apr_pstrcat(p, "session not found: ", error_text(p, status, doc), NULL);
        return APR_NOTFOUND;
    }
    const char *type = NULL;
    json_t *err = json_object_get(doc, "error");
    if (status == 200 ||
        (status == 400 && kf_json_get_string(err, "type", &type) == KF_JSON_FIELD_OK &&
         strcmp(type, "invalid_request_error") == 0)) {
        return APR_SUCCESS;
    }
    *why = apr_pstrcat(p, "session not expired: ", error_text(p, status, doc), NULL);
    return APR_EGENERAL;
}

/* ---------------------------------------------------------------- what Stripe is */

/* Stripe's presentment currencies (its documentation, PROVIDERS.md). */
static const char *const stripe_currencies[] = {
    "USD", "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD",
    "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP",
    "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL",
    "HTG", "HUF", "IDR", "ILS", "INR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
    "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
    "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SZL", "THB",
    "TJS", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "UYU", "UZS", "VND", "VUV",
    "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", NULL};

static const kf_payment_setting stripe_settings[] = {
    {"secret_key", KF_PAYMENT_SLOT_PRIVATE},
    {"webhook_secret", KF_PAYMENT_SLOT_EVENTS},
    {NULL, KF_PAYMENT_SLOT_PUBLIC},
};

static const kf_payment_message stripe_messages[] = {
    {"stripe_secret_key_prefix",
     "Debe empezar por sk_test_ (o rk_test_) en modo test, o por sk_live_ (o rk_live_) en modo "
     "production.",
     "Must start with sk_test_ (or rk_test_) in test mode, or sk_live_ (or rk_live_) in "
     "production mode."},
    {"stripe_webhook_secret_prefix", "Debe empezar por whsec_.", "Must start with whsec_."},
    {"stripe_not_configured", "Primero guarda las llaves de Stripe.", "Save the Stripe keys first."},
    {NULL, NULL, NULL},
};

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The secret key is a secret or a restricted key of the mode (sk_test_ / rk_test_, sk_live_
 * / rk_live_); the webhook's signing secret starts with whsec_. */
static const char *stripe_check_setting(const char *mode, const kf_payment_setting *setting,
                                        const char *value)
{
    int test = mode && strcmp(mode, "test") == 0;
    if (setting->slot == KF_PAYMENT_SLOT_PRIVATE) {
        const char *secret = test ? "sk_test_" : "sk_live_";
        const char *restricted = test ? "rk_test_" : "rk_live_";
        if (!starts_with(value, secret) && !starts_with(value, restricted)) {
            return "stripe_secret_key_prefix";
        }
        return kf_payment_key_check(value + strlen(secret));
    }
    if (!starts_with(value, "whsec_")) {
        return "stripe_webhook_secret_prefix";
    }
    return kf_payment_key_check(value + strlen("whsec_"));
}

const kf_payment_provider kf_payment_stripe = {
    .name = "stripe",
    .label = "Stripe",
    .currencies = stripe_currencies,
    .settings = stripe_settings,
    .check_setting = stripe_check_setting,
    .messages = stripe_messages,
    .refunds_part = 1,
    .default_endpoints = stripe_default_endpoints,
    .create_checkout = stripe_create_checkout,
    .webhook_reference = stripe_webhook_reference,
    .verify_webhook = stripe_verify_webhook,
    .find_payment = stripe_find_payment,
    .test_connection = stripe_test_connection,
    .refund = stripe_refund,
    .close_checkout = stripe_close_checkout,
};
