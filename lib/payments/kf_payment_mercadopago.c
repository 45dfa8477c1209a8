/* Mercado Pago behind kf_payment_provider: Checkout Pro preferences, signed webhook notices
 * (which carry no state: the payment is asked back, merchant-scoped), payments searched by
 * external_reference with the merchant's access token, refunds with an idempotency key, and
 * /users/me to test the token. Wire formats: docs/PROVIDERS.md "Mercado Pago".
 *
 * Money travels in major units ("unit_price": 75.76): written from kf_money_major's exact
 * text, never through a double; read back with kf_money_minor_of. */
#include "kf_payment_mercadopago.h"
#include "kf_http_api.h"
#include "kf_time.h"
#include "kf_json.h"
#include "kf_query.h"
#include "kf_signatures.h"
#include "kf_url.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#define MP_API "https://api.mercadopago.com"

/* x-signature's ts farther than this from the webhook's time: stale. Mercado Pago documents
 * no window; a notice only makes us ask the payment back (merchant-scoped, idempotent), so
 * this is generous and only bounds how long a captured notice can be replayed. */
#define MP_SIGNATURE_TOLERANCE apr_time_from_sec(3600)

/* The longest *why text taken from an answer of the provider. */
#define MP_WHY_MAX 300

static kf_payment_endpoints mp_default_endpoints(const char *mode)
{
    (void)mode;                     /* one host: the access token says test or production */
    kf_payment_endpoints ep = {.api_base = MP_API, .checkout_base = NULL};
    return ep;
}

/* ---------------------------------------------------------------- its signature scheme */

const char *kf_mercadopago_manifest(apr_pool_t *p, const char *data_id, const char *request_id,
                                    const char *ts)
{
    if (!kf_has_text(ts))
        return NULL;
    char *id = NULL;
    if (data_id) {
        id = apr_pstrdup(p, data_id);
        for (char *c = id; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
    }
    return apr_pstrcat(p, id ? "id:" : "", id ? id : "", id ? ";" : "",
                       request_id ? "request-id:" : "", request_id ? request_id : "",
                       request_id ? ";" : "", "ts:", ts, ";", NULL);
}

kf_sig_result kf_mercadopago_verify(apr_pool_t *p, const char *x_signature,
                                    const char *x_request_id, const char *data_id,
                                    const char *secret)
{
    if (!kf_has_text(x_signature))
        return KF_SIG_MALFORMED;
    apr_array_header_t *items = kf_sig_params(p, x_signature);
    const char *ts = NULL;
    int n_v1 = 0;
    for (int i = 0; i < items->nelts; i++) {
        const kf_sig_param *it = &APR_ARRAY_IDX(items, i, kf_sig_param);
        if (strcmp(it->key, "ts") == 0) {
            if (ts || !kf_has_text(it->value))
                return KF_SIG_MALFORMED;
            ts = it->value;
        }
        else if (strcmp(it->key, "v1") == 0 && kf_has_text(it->value))
            n_v1++;
    }
    if (!ts || n_v1 == 0)
        return KF_SIG_MALFORMED;
    if (!kf_has_text(secret))
        return KF_SIG_BAD_SIGNATURE;
    const char *manifest = kf_mercadopago_manifest(p, data_id, x_request_id, ts);
    const char *expected = kf_hmac_sha256_hex(p, secret, strlen(secret), manifest, strlen(manifest));
    int match = 0;
    for (int i = 0; i < items->nelts; i++) {
        const kf_sig_param *it = &APR_ARRAY_IDX(items, i, kf_sig_param);
        if (strcmp(it->key, "v1") == 0 && it->value)
            match |= kf_sig_hex_matches(expected, it->value);
    }
    return match ? KF_SIG_OK : KF_SIG_BAD_SIGNATURE;
}

static const char *api_url(apr_pool_t *p, const kf_payment_endpoints *ep, const char *path)
{
    const char *base = ep && kf_has_text(ep->api_base) ? ep->api_base : MP_API;
    return apr_pstrcat(p, kf_url_trim_slash(p, base), path, NULL);
}

/* "2026-11-23T15:04:05.000+00:00": ISO 8601 with milliseconds and an offset, as the
 * preference's expiration_date_to asks. */
static const char *mp_time(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;
    if (apr_time_exp_gmt(&tm, t) != APR_SUCCESS) {
        return NULL;
    }
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+00:00", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                        tm.tm_usec / 1000);
}

/* Mercado Pago's times ("2026-01-01T10:00:00.000-04:00", also "Z" or no fraction) ->
 * apr_time_t. 0 when it is not one. */
static apr_time_t parse_time(const char *s)
{
    apr_int64_t usec = 0;
    return kf_time_parse_provider(s, &usec) ? (apr_time_t)usec : 0;
}

/* An id that Mercado Pago writes as an integer (payments, refunds, users) or a string
 * (preferences) as text; NULL when absent or of another type. */
static const char *id_text(apr_pool_t *p, const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(v));
    }
    if (json_is_string(v) && json_string_length(v) > 0) {
        return apr_pstrdup(p, json_string_value(v));
    }
    return NULL;
}

/* A text from the provider fit for *why: never the access token (a provider that echoes
 * the Authorization header must not leak it), one line, at most MP_WHY_MAX bytes (cut on a
 * UTF-8 character boundary). The secret is taken out before the cut, so no part of it stays. */
static const char *clean_why(apr_pool_t *p, const char *text, const char *secret)
{
    const char *s = text ? text : "";
    if (kf_has_text(secret)) {
        const char *hit;
        while ((hit = strstr(s, secret)) != NULL) {
            s = apr_pstrcat(p, apr_pstrndup(p, s, (apr_size_t)(hit - s)), "[redacted]",
                            hit + strlen(secret), NULL);
        }
    }
    char *out = apr_pstrndup(p, s, MP_WHY_MAX);
    apr_size_t n = strlen(out);
    if (n == MP_WHY_MAX && n < strlen(s)) {
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80) {
            n--;                    /* out[n] continues a character: cut before its start */
        }
        out[n] = '\0';
    }
    for (char *c = out; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = ' ';
        }
    }
    return out;
}

/* Mercado Pago's error body {"message", "error", "status", "cause": [{"code",
 * "description"}]} as one line: "HTTP 400 bad_request, cause 4292
 * Header-X-Idempotency-Key-can't-be-null: <message>". */
static const char *error_why(apr_pool_t *p, const char *what, int status, const json_t *doc,
                             const char *secret)
{
    const char *error = NULL, *message = NULL, *cause = "";
    kf_json_get_string(doc, "error", &error);
    kf_json_get_string(doc, "message", &message);
    json_t *first = kf_json_path(doc, "cause.0");
    if (json_is_object(first)) {
        const char *code_text = id_text(p, first, "code"), *desc = NULL;
        kf_json_get_string(first, "description", &desc);
        if (code_text || desc) {
            cause = apr_pstrcat(p, ", cause", code_text ? " " : "", code_text ? code_text : "",
                                desc ? " " : "", desc ? desc : "", NULL);
        }
    }
    const char *text = apr_psprintf(p, "%s answered HTTP %d%s%s%s%s%s", what, status,
                                    error ? " " : "", error ? error : "", cause,
                                    message ? ": " : "", message ? message : "");
    return clean_why(p, text, secret);
}

/* The first cause's numeric code of an error body, or -1. */
static json_int_t cause_code(const json_t *doc)
{
    json_t *code = kf_json_path(doc, "cause.0.code");
    if (json_is_integer(code)) {
        return json_integer_value(code);
    }
    if (json_is_string(code)) {
        const char *s = json_string_value(code);
        char *end = NULL;
        long v = strtol(s, &end, 10);
        return *s && end && !*end ? (json_int_t)v : -1;
    }
    return -1;
}

/* One call to the API `what` (named in *why) with the account's access token. *doc is the
 * answer's JSON object (NULL when the body is none). APR_EACCES when the token is refused
 * (401, 403); transport failures come back as they are, with kf_http's *why. */
static apr_status_t mp_call(apr_pool_t *p, kf_http_client *http, const kf_payment_account *acct,
                            const char *what, const char *method, const char *url,
                            const char *idempotency_key, const char *body, int *status,
                            json_t **doc, const char **why)
{
    kf_http_request *req = kf_http_api_request(p, method, url, acct->private_key);
    if (idempotency_key) {
        apr_table_setn(req->headers, "X-Idempotency-Key", idempotency_key);
    }
    if (body) {
        kf_http_request_set_body(req, "application/json", body);
    }
    apr_status_t rv = kf_http_api_exchange(http, p, req, status, doc, why);
    if (rv == APR_SUCCESS && (*status == 401 || *status == 403)) {
        *why = error_why(p, what, *status, *doc, acct->private_key);
        return APR_EACCES;
    }
    return rv;
}

/* ---------------------------------------------------------------- checkout */

/* The preference: items[0] carries the amount, external_reference the payment's reference
 * (what payments are searched by), notification_url the glue's webhook URL. unit_price is
 * spliced in as the exact decimal text of the amount (jansson writes reals with 17 digits:
 * 75.76 would go out as 75.760000000000005). NULL if a text is not valid UTF-8. */
#define PRICE_MARK "\"unit_price\":\"@@price@@\""

static const char *preference_body(apr_pool_t *p, const kf_payment_checkout *co)
{
    json_t *pref = kf_json_obj(p);
    json_t *item = json_object();
    json_t *items = json_array();
    int bad = !pref || !item || !items;
    bad |= kf_json_set_str(item, "id", co->reference);
    bad |= kf_json_set_str(item, "title",
                           kf_has_text(co->description) ? co->description : co->reference);
    bad |= kf_json_set_int(item, "quantity", 1);
    bad |= kf_json_set_str(item, "currency_id", co->currency);
    bad |= kf_json_set_str(item, "unit_price", "@@price@@");
    bad |= json_array_append(items, item);
    json_decref(item);
    bad |= kf_json_set_new(pref, "items", items);
    if (kf_has_text(co->customer_email) || kf_has_text(co->customer_name)) {
        json_t *payer = json_object();
        if (kf_has_text(co->customer_email)) {
            bad |= kf_json_set_str(payer, "email", co->customer_email);
        }
        if (kf_has_text(co->customer_name)) {
            bad |= kf_json_set_str(payer, "name", co->customer_name);
        }
        bad |= kf_json_set_new(pref, "payer", payer);
    }
    bad |= kf_json_set_str(pref, "external_reference", co->reference);
    if (kf_has_text(co->redirect_url)) {
        json_t *back = json_object();
        bad |= kf_json_set_str(back, "success", co->redirect_url);
        bad |= kf_json_set_str(back, "failure",
                               kf_has_text(co->cancel_url) ? co->cancel_url : co->redirect_url);
        bad |= kf_json_set_str(back, "pending", co->redirect_url);
        bad |= kf_json_set_new(pref, "back_urls", back);
        /* auto_return needs back_urls.success (Mercado Pago refuses the preference without) */
        bad |= kf_json_set_str(pref, "auto_return", "approved");
    }
    if (kf_has_text(co->notify_url)) {
        /* source_news=webhooks: only the signed Webhooks notices, not the legacy IPN ones
         * (topic=...&id=...), which carry no verifiable signature */
        bad |= kf_json_set_str(pref, "notification_url",
                               apr_pstrcat(p, co->notify_url,
                                           strchr(co->notify_url, '?') ? "&" : "?",
                                           "source_news=webhooks", NULL));
    }
    if (co->expires_at) {
        const char *to = mp_time(p, co->expires_at);
        bad |= kf_json_set_bool(pref, "expires", 1);
        bad |= to ? kf_json_set_str(pref, "expiration_date_to", to) : -1;
    }
    const char *text = bad ? NULL : kf_json_dump(p, pref);
    const char *mark = text ? strstr(text, PRICE_MARK) : NULL;
    if (!mark) {
        return NULL;
    }
    return apr_pstrcat(p, apr_pstrndup(p, text, (apr_size_t)(mark - text)), "\"unit_price\":",
                       kf_money_major(p, co->amount, co->currency), mark + strlen(PRICE_MARK),
                       NULL);
}

static apr_status_t mp_create_checkout(KF_PAYMENT_API_PARAMS, const kf_payment_checkout *co,
                                       kf_payment_session *out, const char **why)
{
    if (!kf_payment_has_key(acct, why, "no access token")) {
        return APR_EINVAL;
    }
    if (!co || !kf_has_text(co->reference) || !kf_has_text(co->currency) || co->amount <= 0) {
        *why = "reference, currency and a positive amount are required";
        return APR_EINVAL;
    }
    const char *body = preference_body(p, co);
    if (!body) {
        *why = "the checkout's texts are not valid UTF-8";
        return APR_EINVAL;
    }
    int status = 0;
    json_t *doc = NULL;
    /* the reference is the idempotency key: a retried creation gives the same preference */
    apr_status_t rv = mp_call(p, http, acct, "preferences API", "POST",
                              api_url(p, ep, "/checkout/preferences"), co->reference, body,
                              &status, &doc, why);
    out->http_status = status;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status != 200 && status != 201) {
        *why = error_why(p, "preferences API", status, doc, acct->private_key);
        return status == 400 ? APR_EINVAL : APR_EGENERAL;
    }
    const char *id = id_text(p, doc, "id"), *init = NULL, *sandbox = NULL;
    kf_json_get_string(doc, "init_point", &init);
    kf_json_get_string(doc, "sandbox_init_point", &sandbox);
    int production = acct->mode && strcmp(acct->mode, "production") == 0;
    /* test credentials pay on the sandbox page; when none is given, the one page there is */
    const char *url = production ? init : kf_has_text(sandbox) ? sandbox : init;
    if (!id || !kf_has_text(url)) {
        *why = "the preference has no id or no checkout URL";
        return APR_EGENERAL;
    }
    out->url = apr_pstrdup(p, url);
    out->checkout_id = id;
    out->expires_at = 0;
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- webhook */

/* The notice's query (the glue's "reference" plus Mercado Pago's data.id and type), decoded;
 * NULL when it cannot be read unambiguously. */
static apr_table_t *notice_query(apr_pool_t *p, const kf_payment_webhook *wh)
{
    apr_table_t *q = NULL;
    const char *bad = NULL;
    if (kf_query_parse(p, wh->query, &q, &bad) != KF_QUERY_OK) {
        return NULL;
    }
    return q;
}

/* The notice's topic: the query's type, else the body's. */
static const char *notice_type(apr_pool_t *p, const kf_payment_webhook *wh, apr_table_t *q)
{
    const char *type = q ? apr_table_get(q, "type") : NULL;
    if (!type) {
        json_t *body_type = kf_payment_webhook_member(p, wh, "type");
        type = json_is_string(body_type) ? json_string_value(body_type) : NULL;
    }
    return type;
}

/* Chargebacks come on the application's webhook (Your integrations > Webhooks, topic
 * "chargebacks"; the notice says "topic_chargebacks_wh"), not on a checkout's
 * notification_url: they carry no reference of ours. */
static int is_chargeback_notice(const char *type)
{
    return type && (strcmp(type, "topic_chargebacks_wh") == 0 || strcmp(type, "chargebacks") == 0);
}

static const char *mp_webhook_reference(apr_pool_t *p, const kf_payment_webhook *wh)
{
    apr_table_t *q = notice_query(p, wh);
    const char *ref = q ? apr_table_get(q, "reference") : NULL;
    if (!kf_has_text(ref) && q && is_chargeback_notice(notice_type(p, wh, q))) {
        /* the disputed payment's id (body data.payment_id): the glue finds the payment by
         * its provider id to know whose secret verifies the notice, nothing more */
        ref = id_text(p, kf_payment_webhook_member(p, wh, "data"), "payment_id");
    }
    return kf_has_text(ref) ? ref : NULL;
}

/* ts of "ts=<ts>,v1=<hex>" as apr_time_t (milliseconds, as Mercado Pago sends now; an older
 * value of 11 digits or fewer is seconds). 0 when there is no usable ts (more than 15 digits
 * is none: no time of this world). */
static apr_time_t signature_time(apr_pool_t *p, const char *header)
{
    char *copy = apr_pstrdup(p, header), *state = NULL;
    for (char *item = apr_strtok(copy, ",", &state); item; item = apr_strtok(NULL, ",", &state)) {
        while (*item == ' ' || *item == '\t') {
            item++;
        }
        if (strncmp(item, "ts=", 3) != 0) {
            continue;
        }
        const char *v = item + 3;
        apr_int64_t n = 0;
        int len = 0;
        for (; *v >= '0' && *v <= '9' && len < 15; v++, len++) {
            n = n * 10 + (*v - '0');
        }
        while (*v == ' ' || *v == '\t') {
            v++;
        }
        if (len == 0 || *v) {
            return 0;
        }
        return len <= 11 ? apr_time_from_sec(n) : (apr_time_t)n * 1000;
    }
    return 0;
}

static kf_payment_verdict mp_verify_webhook(apr_pool_t *p, const kf_payment_webhook *wh,
                                            const kf_payment_account *acct, kf_payment_event *ev,
                                            const char **why)
{
    apr_table_t *q = notice_query(p, wh);
    if (!q) {
        *why = "the notice's query cannot be read";
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    const char *signature = wh->headers ? apr_table_get(wh->headers, "x-signature") : NULL;
    const char *request_id = wh->headers ? apr_table_get(wh->headers, "x-request-id") : NULL;
    const char *data_id = apr_table_get(q, "data.id");
    if (!acct || !kf_has_text(acct->events_secret)) {
        *why = "no webhook secret";
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    kf_sig_result r = kf_mercadopago_verify(p, signature, request_id, data_id, acct->events_secret);
    if (r != KF_SIG_OK) {
        *why = apr_pstrcat(p, "x-signature: ", kf_sig_result_str(r), NULL);
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    if (wh->now) {
        apr_time_t ts = signature_time(p, signature);
        apr_time_t skew = ts > wh->now ? ts - wh->now : wh->now - ts;
        if (!ts || skew > MP_SIGNATURE_TOLERANCE) {
            *why = "x-signature: stale";
            return KF_PAYMENT_BAD_SIGNATURE;
        }
    }
    /* Authentic from here on (the signature covers data.id, x-request-id and ts only) */
    const char *type = notice_type(p, wh, q);
    if (is_chargeback_notice(type)) {
        if (!kf_has_text(data_id)) {
            *why = "the chargeback notice names no chargeback (data.id)";
            return KF_PAYMENT_UNUSABLE;
        }
        memset(ev, 0, sizeof(*ev));
        /* no state either: the glue asks find_dispute about data.id, merchant-scoped */
        ev->kind = KF_PAYMENT_EVENT_DISPUTE;
        ev->status = KF_PAYMENT_UNKNOWN;
        ev->refund_id = data_id;
        ev->event_key = apr_pstrcat(p, "notice:", kf_has_text(request_id) ? request_id : signature,
                                    NULL);
        return KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP;
    }
    if (!type || strcmp(type, "payment") != 0) {
        *why = "not a payment notice";
        return KF_PAYMENT_UNUSABLE;
    }
    const char *reference = apr_table_get(q, "reference");
    if (!kf_has_text(data_id) || !kf_has_text(reference)) {
        *why = "the notice names no payment (data.id) or no reference";
        return KF_PAYMENT_UNUSABLE;
    }
    memset(ev, 0, sizeof(*ev));
    /* the notice carries no state: the glue asks find_payment; this key records the notice */
    ev->event_key = apr_pstrcat(p, "notice:", kf_has_text(request_id) ? request_id : signature, NULL);
    ev->reference = reference;
    return KF_PAYMENT_VERIFIED_LOOKUP;
}

/* ---------------------------------------------------------------- payments */

static int is_status(const json_t *pay, const char *want)
{
    const char *status = NULL;
    return kf_json_get_string(pay, "status", &status) == KF_JSON_FIELD_OK &&
           strcmp(status, want) == 0;
}

/* Of the payments of one reference: an approved one, else one that was paid and given back
 * (refunded, charged_back: what the glue must hear about), else the newest by date_created
 * (the higher id when the times tie or cannot be read). */
static const json_t *pick_payment(const json_t *list)
{
    const json_t *approved = NULL, *returned = NULL, *newest = NULL;
    apr_time_t newest_at = 0;
    json_int_t newest_id = 0;
    size_t i;
    json_t *pay;
    json_array_foreach(list, i, pay) {
        if (!json_is_object(pay)) {
            continue;
        }
        if (!approved && is_status(pay, "approved")) {
            approved = pay;
        }
        if (!returned && (is_status(pay, "refunded") || is_status(pay, "charged_back"))) {
            returned = pay;
        }
        const char *created = NULL;
        kf_json_get_string(pay, "date_created", &created);
        apr_time_t at = parse_time(created);
        json_t *idv = json_object_get(pay, "id");
        json_int_t id = json_is_integer(idv) ? json_integer_value(idv) : 0;
        if (!newest || at > newest_at || (at == newest_at && id > newest_id)) {
            newest = pay;
            newest_at = at;
            newest_id = id;
        }
    }
    return approved ? approved : returned ? returned : newest;
}

static kf_payment_status map_status(const char *status)
{
    static const struct {
        const char *name;
        kf_payment_status status;
    } map[] = {
        {"approved", KF_PAYMENT_APPROVED},   {"pending", KF_PAYMENT_PENDING},
        {"in_process", KF_PAYMENT_PENDING},  {"in_mediation", KF_PAYMENT_PENDING},
        {"authorized", KF_PAYMENT_PENDING},  {"rejected", KF_PAYMENT_DECLINED},
        {"cancelled", KF_PAYMENT_VOIDED},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(status, map[i].name) == 0) {
            return map[i].status;
        }
    }
    return KF_PAYMENT_UNKNOWN;
}

/* A payment object (GET /v1/payments/{id}, or one of the search's results) -> *ev. */
static int read_payment(apr_pool_t *p, const json_t *pay, kf_payment_event *ev, const char **why)
{
    const char *id = id_text(p, pay, "id");
    const char *status = NULL, *detail = NULL, *reference = NULL, *currency = NULL;
    apr_int64_t amount = 0;
    if (!id || kf_json_get_string(pay, "status", &status) != KF_JSON_FIELD_OK ||
        kf_json_get_string(pay, "currency_id", &currency) != KF_JSON_FIELD_OK ||
        kf_money_minor_of(json_object_get(pay, "transaction_amount"), currency, &amount) !=
            APR_SUCCESS) {
        *why = "payment lacks id, status, currency_id or transaction_amount";
        return 0;
    }
    if (kf_json_get_string(pay, "external_reference", &reference) != KF_JSON_FIELD_OK) {
        reference = "";
    }
    memset(ev, 0, sizeof(*ev));
    ev->transaction_id = id;
    ev->reference = apr_pstrdup(p, reference);
    ev->currency = apr_pstrdup(p, currency);
    ev->provider_status =
        kf_json_get_string(pay, "status_detail", &detail) == KF_JSON_FIELD_OK && *detail
            ? apr_pstrcat(p, status, "/", detail, NULL)
            : apr_pstrdup(p, status);
    ev->amount = amount;
    apr_int64_t part = 0;
    if (strcmp(status, "approved") == 0 &&
        kf_money_minor_of(json_object_get(pay, "transaction_amount_refunded"), currency, &part) ==
            APR_SUCCESS && part > 0 && part < amount) {
        /* approved/partially_refunded: a part went back, the payment stands; one event per
         * amount refunded so far, as each refund notifies */
        json_t *refunds = json_object_get(pay, "refunds");
        size_t n = json_is_array(refunds) ? json_array_size(refunds) : 0;
        ev->kind = KF_PAYMENT_EVENT_REFUND;
        ev->status = KF_PAYMENT_UNKNOWN;
        ev->amount = part;
        ev->refund_id = n ? id_text(p, json_array_get(refunds, n - 1), "id") : NULL;
        ev->event_key = apr_psprintf(p, "%s:partially_refunded:%" APR_INT64_T_FMT, id, part);
        return 1;
    }
    if (strcmp(status, "refunded") == 0 || strcmp(status, "charged_back") == 0) {
        /* money given back: amount = what went back so far (a charge-back may not fill
         * transaction_amount_refunded: then the whole payment went) */
        apr_int64_t refunded = 0;
        ev->kind = KF_PAYMENT_EVENT_REFUND;
        ev->status = KF_PAYMENT_UNKNOWN;    /* moves no booking by itself */
        if (kf_money_minor_of(json_object_get(pay, "transaction_amount_refunded"), currency,
                              &refunded) == APR_SUCCESS && refunded > 0) {
            ev->amount = refunded;
        }
        json_t *refunds = json_object_get(pay, "refunds");
        size_t n = json_is_array(refunds) ? json_array_size(refunds) : 0;
        ev->refund_id = n ? id_text(p, json_array_get(refunds, n - 1), "id") : NULL;
    }
    else {
        ev->kind = KF_PAYMENT_EVENT_PAYMENT;
        ev->status = map_status(status);
    }
    /* one key per (payment, status): the state notified, then fetched, is one event */
    ev->event_key = apr_pstrcat(p, id, ":", status, NULL);
    return 1;
}

static apr_status_t mp_find_payment(KF_PAYMENT_API_PARAMS, const char *reference,
                                    const char *checkout_id, kf_payment_event *ev, const char **why)
{
    (void)checkout_id;              /* payments are searched by external_reference */
    if (!kf_has_text(reference) || strlen(reference) > 256) {
        *why = "bad reference";
        return APR_EINVAL;
    }
    if (!kf_payment_has_key(acct, why, "no access token")) {
        return APR_EINVAL;
    }
    const char *url = apr_pstrcat(p, api_url(p, ep, "/v1/payments/search?external_reference="),
                                  kf_url_encode(p, reference), NULL);
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = mp_call(p, http, acct, "payments search", "GET", url, NULL, NULL, &status,
                              &doc, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    json_t *results = json_object_get(doc, "results");
    if (status != 200 || !json_is_array(results)) {
        *why = error_why(p, "payments search", status, doc, acct->private_key);
        return APR_EGENERAL;
    }
    const json_t *pay = pick_payment(results);
    if (!pay) {
        *why = "no payment with this reference";
        return APR_NOTFOUND;
    }
    if (!read_payment(p, pay, ev, why)) {
        return APR_EGENERAL;
    }
    /* the filter is the provider's; the reference asked about is checked here again */
    if (strcmp(ev->reference, reference) != 0) {
        *why = "the provider answered with another reference";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- chargebacks */

/* GET /v1/chargebacks/{id} -> {id, payments: [payment ids], currency, amount (major units),
 * reason, coverage_applied: null | true | false, coverage_elegible, documentation_required,
 * documentation_status, date_documentation_deadline, date_created, date_last_updated,
 * live_mode}. coverage_applied is the ruling: true, decided for the seller (the money
 * stays: won); false, against (lost); null, not decided yet (open). */
static apr_status_t mp_find_dispute(KF_PAYMENT_API_PARAMS, const char *dispute_id,
                                    const char *transaction_id, kf_payment_event *ev,
                                    const char **why)
{
    if (!kf_has_text(dispute_id) || strlen(dispute_id) > 64) {
        *why = "bad chargeback id";
        return APR_EINVAL;
    }
    if (!kf_has_text(transaction_id)) {
        *why = "the payment has no Mercado Pago payment id: nothing of it can be disputed";
        return APR_NOTFOUND;
    }
    if (!kf_payment_has_key(acct, why, "no access token")) {
        return APR_EINVAL;
    }
    const char *url = api_url(p, ep, apr_pstrcat(p, "/v1/chargebacks/",
                                                 kf_url_encode(p, dispute_id), NULL));
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = mp_call(p, http, acct, "chargeback", "GET", url, NULL, NULL, &status, &doc,
                              why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status == 404) {
        /* not this merchant's: another account's chargeback is never seen */
        *why = error_why(p, "chargeback", status, doc, acct->private_key);
        return APR_NOTFOUND;
    }
    const char *id = id_text(p, doc, "id"), *currency = NULL;
    json_t *payments = json_object_get(doc, "payments");
    apr_int64_t amount = 0;
    if (status != 200 || !id || !json_is_array(payments) ||
        kf_json_get_string(doc, "currency", &currency) != KF_JSON_FIELD_OK ||
        kf_money_minor_of(json_object_get(doc, "amount"), currency, &amount) != APR_SUCCESS) {
        *why = status == 200 ? "chargeback lacks id, payments, currency or amount"
                             : error_why(p, "chargeback", status, doc, acct->private_key);
        return APR_EGENERAL;
    }
    int ours = 0;
    for (size_t i = 0; i < json_array_size(payments) && !ours; i++) {
        json_t *one = json_array_get(payments, i);
        const char *pid = json_is_integer(one)
            ? apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(one))
            : json_is_string(one) ? json_string_value(one) : NULL;
        ours = pid && strcmp(pid, transaction_id) == 0;
    }
    if (!ours) {
        *why = "the chargeback is about another payment";
        return APR_NOTFOUND;
    }
    json_t *covered = json_object_get(doc, "coverage_applied");
    const char *reason = NULL, *docs = NULL;
    memset(ev, 0, sizeof(*ev));
    ev->kind = KF_PAYMENT_EVENT_DISPUTE;
    ev->status = KF_PAYMENT_UNKNOWN;    /* moves no booking */
    ev->reference = "";
    ev->transaction_id = apr_pstrdup(p, transaction_id);
    ev->refund_id = id;
    ev->amount = amount;
    ev->currency = apr_pstrdup(p, currency);
    ev->dispute_state = json_is_true(covered) ? KF_DISPUTE_WON
                        : json_is_false(covered) ? KF_DISPUTE_LOST : KF_DISPUTE_OPEN;
    ev->dispute_reason = kf_json_get_string(doc, "reason", &reason) == KF_JSON_FIELD_OK && *reason
                             ? clean_why(p, reason, acct->private_key) : NULL;
    ev->provider_status =
        ev->dispute_state == KF_DISPUTE_WON ? "coverage_applied"
        : ev->dispute_state == KF_DISPUTE_LOST ? "coverage_denied"
        : kf_json_get_string(doc, "documentation_status", &docs) == KF_JSON_FIELD_OK && *docs
            ? clean_why(p, docs, acct->private_key) : "open";
    /* one key per (chargeback, state): the notice of a state already recorded is a repeat */
    ev->event_key = apr_pstrcat(p, "chargeback:", id, ":",
                                kf_dispute_state_name(ev->dispute_state), NULL);
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- test connection */

static apr_status_t mp_test_connection(KF_PAYMENT_API_PARAMS, const char **merchant_name,
                                       const char **why)
{
    if (!kf_payment_has_key(acct, why, "no access token")) {
        return APR_EINVAL;
    }
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = mp_call(p, http, acct, "users API", "GET", api_url(p, ep, "/users/me"),
                              NULL, NULL, &status, &doc, why);
    if (rv == APR_EACCES) {
        *why = "Mercado Pago refused the access token";
        return APR_NOTFOUND;
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *name = NULL;
    if (status == 200 && doc) {
        if ((kf_json_get_string(doc, "nickname", &name) == KF_JSON_FIELD_OK && *name) ||
            (kf_json_get_string(doc, "first_name", &name) == KF_JSON_FIELD_OK && *name)) {
            *merchant_name = apr_pstrdup(p, name);
            return APR_SUCCESS;
        }
        if ((name = id_text(p, doc, "id")) != NULL) {
            *merchant_name = name;
            return APR_SUCCESS;
        }
    }
    *why = error_why(p, "users API", status, doc, acct->private_key);
    return APR_EGENERAL;
}

/* ---------------------------------------------------------------- refund */

/* Refusals that asking again will not change (PROVIDERS.md): 2063 not valid in the
 * payment's state, 2024 / 15016 too old, 3024 no partial refund for it, 4040 amount. */
static int refusal_is_final(json_int_t code)
{
    return code == 2063 || code == 2024 || code == 15016 || code == 3024 || code == 4040;
}

/* The error body says the payment was refunded already ("Payment already refunded",
 * "payment_already_refunded", ...). */
static int says_already_refunded(apr_pool_t *p, const json_t *doc)
{
    const char *texts[2] = {NULL, NULL};
    kf_json_get_string(doc, "message", &texts[0]);
    kf_json_get_string(kf_json_path(doc, "cause.0"), "description", &texts[1]);
    for (int i = 0; i < 2; i++) {
        if (!texts[i]) {
            continue;
        }
        char *low = apr_pstrdup(p, texts[i]);
        for (char *c = low; *c; c++) {
            *c = (char)(*c >= 'A' && *c <= 'Z'   ? *c - 'A' + 'a'
                        : *c == '_' || *c == '-' ? ' '
                                                 : *c);
        }
        if (strstr(low, "already refunded")) {
            return 1;
        }
    }
    return 0;
}

static apr_status_t mp_refund(KF_PAYMENT_API_PARAMS, const kf_payment_refund *rf,
                              const char **refund_id, const char **why)
{
    if (!rf || !kf_has_text(rf->transaction_id)) {
        *why = "no payment to refund";
        return APR_ENOTIMPL;
    }
    if (!kf_payment_has_key(acct, why, "no access token")) {
        return APR_EACCES;
    }
    if (!kf_has_text(rf->idempotency_key)) {
        *why = "no idempotency key";       /* Mercado Pago refuses refunds without one */
        return APR_EINVAL;
    }
    if (rf->amount <= 0 || rf->paid <= 0 || rf->amount > rf->paid) {
        *why = "the amount to refund must be positive and at most what was paid";
        return APR_EINVAL;
    }
    const char *pay_url = api_url(p, ep, apr_pstrcat(p, "/v1/payments/",
                                                     kf_url_encode(p, rf->transaction_id), NULL));
    /* {} gives back the whole payment; {"amount": 75.76} part of it */
    const char *body = rf->amount >= rf->paid
                           ? "{}"
                           : apr_pstrcat(p, "{\"amount\":",
                                         kf_money_major(p, rf->amount, rf->currency), "}", NULL);
    int status = 0;
    json_t *doc = NULL;
    apr_status_t rv = mp_call(p, http, acct, "refunds API", "POST",
                              apr_pstrcat(p, pay_url, "/refunds", NULL), rf->idempotency_key,
                              body, &status, &doc, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status == 200 || status == 201) {
        *refund_id = id_text(p, doc, "id");
        return APR_SUCCESS;
    }
    if (status == 404) {
        *why = apr_pstrcat(p, "this account has no such payment to refund (",
                           error_why(p, "refunds API", status, doc, acct->private_key), ")", NULL);
        return APR_ENOTIMPL;
    }
    const char *refused = error_why(p, "refunds API", status, doc, acct->private_key);
    if (status < 400 || status >= 500 || status == 409 || status == 429) {
        *why = refused;                    /* an outage, or busy: asked again later */
        return APR_EGENERAL;
    }
    /* Refused: maybe because it was refunded before (an answer lost, or the merchant did it
     * by hand). The payment itself says so. */
    int already = says_already_refunded(p, doc);
    json_int_t code = cause_code(doc);
    int pay_status = 0;
    json_t *pay = NULL;
    const char *get_why = NULL;
    if (mp_call(p, http, acct, "payments API", "GET", pay_url, NULL, NULL, &pay_status, &pay,
                &get_why) == APR_SUCCESS &&
        pay_status == 200) {
        if (is_status(pay, "refunded")) {
            json_t *refunds = json_object_get(pay, "refunds");
            size_t n = json_is_array(refunds) ? json_array_size(refunds) : 0;
            *refund_id = n ? id_text(p, json_array_get(refunds, n - 1), "id") : NULL;
            return APR_SUCCESS;
        }
        already = 0;                       /* the payment says otherwise */
    }
    if (already) {
        *refund_id = NULL;
        return APR_SUCCESS;
    }
    *why = refused;
    return status == 400 && refusal_is_final(code) ? APR_ENOTIMPL : APR_EGENERAL;
}

/* ---------------------------------------------------------------- what Mercado Pago is */

/* The currency of each country's site it charges in. */
static const char *const mercadopago_currencies[] = {"ARS", "BRL", "CLP", "COP", "MXN", "PEN",
                                                     "UYU", NULL};

static const kf_payment_setting mercadopago_settings[] = {
    {"access_token", KF_PAYMENT_SLOT_PRIVATE},
    {"webhook_secret", KF_PAYMENT_SLOT_EVENTS},
    {NULL, KF_PAYMENT_SLOT_PUBLIC},
};

static const kf_payment_message mercadopago_messages[] = {
    {"mercadopago_access_token_prefix",
     "Debe empezar por TEST- en modo test o por APP_USR- en modo production.",
     "Must start with TEST- in test mode or APP_USR- in production mode."},
    {"mercadopago_not_configured", "Primero guarda las credenciales de Mercado Pago.",
     "Save the Mercado Pago credentials first."},
    {NULL, NULL, NULL},
};

/* The access token of the mode: TEST-... or APP_USR-...; the webhook secret has no prefix. */
static const char *mp_check_setting(const char *mode, const kf_payment_setting *setting,
                                    const char *value)
{
    if (setting->slot != KF_PAYMENT_SLOT_PRIVATE) {
        return kf_payment_key_check(value);
    }
    const char *prefix = mode && strcmp(mode, "test") == 0 ? "TEST-" : "APP_USR-";
    if (strncmp(value, prefix, strlen(prefix)) != 0) {
        return "mercadopago_access_token_prefix";
    }
    return kf_payment_key_check(value + strlen(prefix));
}

const kf_payment_provider kf_payment_mercadopago = {
    .name = "mercadopago",
    .label = "Mercado Pago",
    .currencies = mercadopago_currencies,
    .settings = mercadopago_settings,
    .check_setting = mp_check_setting,
    .messages = mercadopago_messages,
    .refunds_part = 1,
    .default_endpoints = mp_default_endpoints,
    .create_checkout = mp_create_checkout,
    .webhook_reference = mp_webhook_reference,
    .verify_webhook = mp_verify_webhook,
    .find_dispute = mp_find_dispute,
    .find_payment = mp_find_payment,
    .test_connection = mp_test_connection,
    .refund = mp_refund,
    .close_checkout = NULL,     /* the preference's expiration_date_to ends it */
};
