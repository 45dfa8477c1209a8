/* Wompi behind kf_payment_provider: web checkout URL, transaction.updated events, transactions
 * searched by reference with the merchant's private key, and the merchant look-up that tests a public key. Wire formats: docs/PROVIDERS.md. */
#include "kf_payment_wompi.h"
#include "kf_http_api.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_signatures.h"
#include "kf_url.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

#define WOMPI_SANDBOX "https://sandbox.wompi.co/v1"
#define WOMPI_PRODUCTION "https://production.wompi.co/v1"
#define WOMPI_CHECKOUT "https://checkout.wompi.co"

static kf_payment_endpoints wompi_default_endpoints(const char *mode)
{
    kf_payment_endpoints ep;
    ep.api_base = mode && strcmp(mode, "production") == 0 ? WOMPI_PRODUCTION : WOMPI_SANDBOX;
    ep.checkout_base = WOMPI_CHECKOUT;
    return ep;
}

const char *kf_wompi_time(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;
    if (apr_time_exp_gmt(&tm, t) != APR_SUCCESS) {
        return NULL;
    }
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                        tm.tm_usec / 1000);
}

/* ---------------------------------------------------------------- its signature scheme */

const char *kf_wompi_integrity(apr_pool_t *p, const char *reference, apr_int64_t amount_in_cents,
                               const char *currency, const char *expiration_time,
                               const char *integrity_secret)
{
    if (!kf_has_text(reference) || !kf_has_text(currency) || !kf_has_text(integrity_secret) ||
        amount_in_cents < 0) {
        return NULL;
    }
    const char *amount = apr_psprintf(p, "%" APR_INT64_T_FMT, amount_in_cents);
    const char *expires = expiration_time ? expiration_time : "";
    /* hashed piece by piece: the secret is never copied */
    const kf_sig_part parts[] = {
        {reference, strlen(reference)}, {amount, strlen(amount)}, {currency, strlen(currency)},
        {expires, strlen(expires)}, {integrity_secret, strlen(integrity_secret)},
    };
    return kf_sig_sha256_parts(p, parts, (int)(sizeof(parts) / sizeof(parts[0])));
}

/* Decimal text of a JSON integer. Not apr_psprintf: APR's formatter does not know the "ll"
 * of JSON_INTEGER_FORMAT and would print "%ld" literally. */
static const char *json_int_text(apr_pool_t *p, json_int_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, v);
    return apr_pstrdup(p, buf);
}

static const json_t *lookup_path(const json_t *root, const char *path, int *bad_path)
{
    *bad_path = 0;
    if (!*path || path[0] == '.' || path[strlen(path) - 1] == '.' || strstr(path, "..")) {
        *bad_path = 1;
        return NULL;
    }
    const json_t *cur = root;
    const char *seg = path;
    char name[256];
    while (cur && *seg) {
        const char *dot = strchr(seg, '.');
        apr_size_t n = dot ? (apr_size_t)(dot - seg) : strlen(seg);
        if (n >= sizeof name || !json_is_object(cur)) {
            return NULL;
        }
        memcpy(name, seg, n);
        name[n] = '\0';
        cur = json_object_get(cur, name);
        seg = dot ? dot + 1 : seg + n;
    }
    return cur;
}

apr_status_t kf_wompi_event_checksum(apr_pool_t *p, const json_t *event, const char *events_secret,
                                     const char **hex, const char **why)
{
    const char *dummy_hex, *dummy_why;
    if (!hex) {
        hex = &dummy_hex;
    }
    if (!why) {
        why = &dummy_why;
    }
    *hex = NULL;
    *why = NULL;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        *why = apr_psprintf(p, __VA_ARGS__);                                                       \
        return APR_EINVAL;                                                                         \
    } while (0)

    if (!kf_has_text(events_secret))
        FAIL("no events secret configured");
    if (!json_is_object(event))
        FAIL("event is not a JSON object");
    const json_t *data = json_object_get(event, "data");
    if (!json_is_object(data))
        FAIL("event has no data object");
    const json_t *props = json_object_get(json_object_get(event, "signature"), "properties");
    if (!json_is_array(props))
        FAIL("event has no signature.properties list");
    if (json_array_size(props) == 0)
        FAIL("signature.properties is empty");
    const json_t *ts = json_object_get(event, "timestamp");
    if (!json_is_integer(ts))
        FAIL("event timestamp is missing or not an integer");

    apr_array_header_t *pieces = apr_array_make(p, (int)json_array_size(props) + 2,
                                                sizeof(kf_sig_part));
    for (size_t i = 0; i < json_array_size(props); i++) {
        const json_t *name = json_array_get(props, i);
        if (!json_is_string(name))
            FAIL("signature.properties[%lu] is not a string", (unsigned long)i);
        const char *path = json_string_value(name);
        int bad_path;
        const json_t *v = lookup_path(data, path, &bad_path);
        if (bad_path)
            FAIL("signature.properties[%lu] is not a valid path", (unsigned long)i);
        if (!v)
            FAIL("signature property %s is not in the event data", path);
        kf_sig_part *pc = apr_array_push(pieces);
        if (json_is_string(v)) {
            pc->ptr = json_string_value(v);
            pc->len = json_string_length(v);
        }
        else if (json_is_integer(v)) {
            pc->ptr = json_int_text(p, json_integer_value(v));
            pc->len = strlen(pc->ptr);
        }
        else if (json_is_real(v))
            FAIL("signature property %s is a real number, not an integer", path);
        else
            FAIL("signature property %s is not a string or an integer", path);
    }
    kf_sig_part *pc = apr_array_push(pieces);
    pc->ptr = json_int_text(p, json_integer_value(ts));
    pc->len = strlen(pc->ptr);
    pc = apr_array_push(pieces);
    pc->ptr = events_secret;
    pc->len = strlen(events_secret);
#undef FAIL

    *hex = kf_sig_sha256_parts(p, (const kf_sig_part *)pieces->elts, pieces->nelts);
    if (!*hex) {
        *why = "SHA-256 failed";
        return KF_CRYPTO_EINTERNAL;
    }
    return APR_SUCCESS;
}

int kf_wompi_event_verify(apr_pool_t *p, const json_t *event, const char *header_checksum,
                          const char *events_secret)
{
    const char *computed = NULL;
    if (kf_wompi_event_checksum(p, event, events_secret, &computed, NULL) != APR_SUCCESS) {
        return 0;
    }
    const json_t *sig = json_object_get(event, "signature");
    const json_t *body_sum = json_object_get(sig, "checksum");
    if ((body_sum && !json_is_string(body_sum)) || (!body_sum && !header_checksum)) {
        return 0;
    }
    /* Evaluate both comparisons whatever the first gives. */
    int ok = 1;
    if (body_sum) {
        ok &= kf_sig_hex_matches(computed, json_string_value(body_sum));
    }
    if (header_checksum) {
        ok &= kf_sig_hex_matches(computed, header_checksum);
    }
    return ok;
}

/* Calling codes Wompi's checkout is likely to see, longest first where they share digits.
 * A number whose code is not listed is sent without phone fields (they are optional). */
static const char *const calling_codes[] = {
    "+593", "+591", "+595", "+598", "+502", "+503", "+504", "+505", "+506", "+507",
    "+57", "+52", "+54", "+55", "+56", "+58", "+51", "+53", "+34", "+44", "+49", "+33",
    "+39", "+1", NULL,
};

static int split_phone(apr_pool_t *p, const char *phone, const char **prefix, const char **number)
{
    if (!phone || phone[0] != '+') {
        return 0;
    }
    for (int i = 0; calling_codes[i]; i++) {
        apr_size_t n = strlen(calling_codes[i]);
        if (strncmp(phone, calling_codes[i], n) == 0 && phone[n]) {
            *prefix = calling_codes[i];
            *number = phone + n;
            return 1;
        }
    }
    return 0;
}

static void add_param(apr_pool_t *p, apr_array_header_t *parts, const char *name, const char *value)
{
    if (value && *value) {
        APR_ARRAY_PUSH(parts, const char *) =
            apr_pstrcat(p, name, "=", kf_url_encode(p, value), NULL);
    }
}

static const char *wompi_checkout_url(apr_pool_t *p, const kf_payment_endpoints *ep,
                                      const kf_payment_account *acct, const kf_payment_checkout *co,
                                      const char **why)
{
    if (!acct || !acct->public_key || !*acct->public_key) {
        *why = "no public key";
        return NULL;
    }
    if (!co || !co->reference || !co->currency || co->amount <= 0) {
        *why = "reference, currency and a positive amount are required";
        return NULL;
    }
    const char *expiration = co->expires_at ? kf_wompi_time(p, co->expires_at) : NULL;
    const char *integrity = kf_wompi_integrity(p, co->reference, co->amount, co->currency,
                                               expiration, acct->integrity_secret);
    if (!integrity) {
        *why = "no integrity secret";
        return NULL;
    }
    apr_array_header_t *parts = apr_array_make(p, 12, sizeof(const char *));
    add_param(p, parts, "public-key", acct->public_key);
    add_param(p, parts, "currency", co->currency);
    add_param(p, parts, "amount-in-cents", apr_psprintf(p, "%" APR_INT64_T_FMT, co->amount));
    add_param(p, parts, "reference", co->reference);
    add_param(p, parts, "signature:integrity", integrity);
    add_param(p, parts, "redirect-url", co->redirect_url);
    add_param(p, parts, "expiration-time", expiration);
    add_param(p, parts, "customer-data:email", co->customer_email);
    add_param(p, parts, "customer-data:full-name", co->customer_name);
    const char *prefix = NULL, *number = NULL;
    if (split_phone(p, co->customer_phone, &prefix, &number)) {
        add_param(p, parts, "customer-data:phone-number", number);
        add_param(p, parts, "customer-data:phone-number-prefix", prefix);
    }
    const char *base = ep && ep->checkout_base ? ep->checkout_base : WOMPI_CHECKOUT;
    return apr_pstrcat(p, kf_url_trim_slash(p, base), "/p/?",
                       apr_array_pstrcat(p, parts, '&'), NULL);
}

/* Wompi's web checkout is a signed URL: nothing is asked of the API. */
static apr_status_t wompi_create_checkout(KF_PAYMENT_API_PARAMS, const kf_payment_checkout *co,
                                          kf_payment_session *out, const char **why)
{
    (void)http;
    out->url = wompi_checkout_url(p, ep, acct, co, why);
    return out->url ? APR_SUCCESS : APR_EINVAL;
}

static const char *wompi_webhook_reference(apr_pool_t *p, const kf_payment_webhook *wh)
{
    json_t *ref = kf_payment_webhook_member(p, wh, "data.transaction.reference");
    return json_is_string(ref) ? apr_pstrdup(p, json_string_value(ref)) : NULL;
}

/* The transaction object of an event (data.transaction) or of GET /transactions (data). */
static int read_transaction(apr_pool_t *p, const json_t *tx, kf_payment_event *ev, const char **why)
{
    const char *id = NULL, *status = NULL, *reference = NULL, *currency = NULL;
    json_int_t amount = 0;
    if (kf_json_get_string(tx, "id", &id) != KF_JSON_FIELD_OK ||
        kf_json_get_string(tx, "status", &status) != KF_JSON_FIELD_OK ||
        kf_json_get_string(tx, "reference", &reference) != KF_JSON_FIELD_OK ||
        kf_json_get_string(tx, "currency", &currency) != KF_JSON_FIELD_OK ||
        kf_json_get_int(tx, "amount_in_cents", &amount) != KF_JSON_FIELD_OK) {
        *why = "transaction lacks id, status, reference, currency or amount_in_cents";
        return 0;
    }
    memset(ev, 0, sizeof(*ev));
    ev->transaction_id = apr_pstrdup(p, id);
    ev->provider_status = apr_pstrdup(p, status);
    ev->reference = apr_pstrdup(p, reference);
    ev->currency = apr_pstrdup(p, currency);
    ev->amount = amount;
    ev->status = strcmp(status, "APPROVED") == 0   ? KF_PAYMENT_APPROVED
                 : strcmp(status, "DECLINED") == 0 ? KF_PAYMENT_DECLINED
                 : strcmp(status, "ERROR") == 0    ? KF_PAYMENT_ERROR
                 : strcmp(status, "VOIDED") == 0   ? KF_PAYMENT_VOIDED
                 : strcmp(status, "PENDING") == 0  ? KF_PAYMENT_PENDING
                                                   : KF_PAYMENT_UNKNOWN;
    /* One key per (transaction, status): a webhook repeated by Wompi and the same
     * transaction fetched when the customer returns are one event. */
    ev->event_key = apr_pstrcat(p, ev->transaction_id, ":", ev->provider_status, NULL);
    return 1;
}

static kf_payment_verdict wompi_verify_webhook(apr_pool_t *p, const kf_payment_webhook *wh,
                                               const kf_payment_account *acct,
                                               kf_payment_event *ev, const char **why)
{
    const apr_table_t *headers = wh->headers;
    json_t *event = kf_payment_webhook_object(p, wh);
    if (!event) {
        *why = "body is not a JSON object";
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    const char *header = headers ? apr_table_get(headers, "X-Event-Checksum") : NULL;
    if (!acct || !kf_wompi_event_verify(p, event, header, acct->events_secret)) {
        *why = "checksum missing or wrong";
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    const char *type = NULL;
    if (kf_json_get_string(event, "event", &type) != KF_JSON_FIELD_OK ||
        strcmp(type, "transaction.updated") != 0) {
        *why = "not a transaction.updated event";
        return KF_PAYMENT_UNUSABLE;
    }
    json_t *tx = kf_json_path(event, "data.transaction");
    if (!json_is_object(tx) || !read_transaction(p, tx, ev, why)) {
        if (!*why) {
            *why = "no data.transaction";
        }
        return KF_PAYMENT_UNUSABLE;
    }
    return KF_PAYMENT_VERIFIED;
}

/* transaction.updated as Wompi posts it (docs/PROVIDERS.md), for a trial: the properties it
 * signs, its checksum in the body and in X-Event-Checksum. */
static apr_status_t wompi_trial_notice(apr_pool_t *p, const kf_payment_account *acct,
                                       const kf_payment_trial *trial, kf_payment_notice *out,
                                       const char **why)
{
    const char *status = trial->approved ? "APPROVED" : "DECLINED";
    json_t *event = kf_json_own(p, json_pack(
        "{s:s, s:{s:{s:s, s:I, s:s, s:s, s:s, s:s}}, s:s,"
        " s:{s:[s, s, s], s:s}, s:I, s:s}",
        "event", "transaction.updated",
        "data", "transaction", "id", trial->transaction_id,
        "amount_in_cents", (json_int_t)trial->amount, "reference", trial->reference,
        "currency", trial->currency, "payment_method_type", "CARD", "status", status,
        "environment", "test",
        "signature", "properties", "transaction.id", "transaction.status",
        "transaction.amount_in_cents", "checksum", "",
        "timestamp", (json_int_t)apr_time_sec(trial->now),
        "sent_at", kf_wompi_time(p, trial->now)));
    const char *checksum = NULL;
    if (!event) {
        *why = "the event cannot be made of this payment";
        return APR_EINVAL;
    }
    apr_status_t rv = kf_wompi_event_checksum(p, event, acct ? acct->events_secret : NULL,
                                              &checksum, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    json_object_set_new(json_object_get(event, "signature"), "checksum", json_string(checksum));
    out->body = kf_json_dump(p, event);
    out->len = strlen(out->body);
    out->headers = apr_table_make(p, 2);
    apr_table_set(out->headers, "Content-Type", "application/json");
    apr_table_set(out->headers, "X-Event-Checksum", checksum);
    return APR_SUCCESS;
}

/* GET (or POST without a body) url, optionally with the merchant's private key; *data is
 * the answer's "data" member (NULL when the body is not a JSON object). */
static apr_status_t wompi_call(apr_pool_t *p, kf_http_client *http, const char *method,
                               const char *url, const char *bearer, json_t **data, int *status,
                               const char **why)
{
    json_t *doc = NULL;
    apr_status_t rv = kf_http_api_exchange(http, p, kf_http_api_request(p, method, url, bearer),
                                           status, &doc, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *data = doc ? json_object_get(doc, "data") : NULL;
    return APR_SUCCESS;
}

/* Of the transactions sharing one reference: an APPROVED one, else the newest. created_at
 * is ISO 8601 UTC with a fixed width, so comparing the strings orders the times. */
static const json_t *pick_transaction(const json_t *list)
{
    const json_t *best = NULL, *approved = NULL;
    const char *best_at = "";
    size_t i;
    json_t *tx;
    json_array_foreach(list, i, tx) {
        const char *status = NULL, *at = NULL;
        if (!json_is_object(tx)) {
            continue;
        }
        if (!approved && kf_json_get_string(tx, "status", &status) == KF_JSON_FIELD_OK &&
            strcmp(status, "APPROVED") == 0) {
            approved = tx;
        }
        if (kf_json_get_string(tx, "created_at", &at) != KF_JSON_FIELD_OK) {
            at = "";
        }
        if (!best || strcmp(at, best_at) > 0) {
            best = tx;
            best_at = at;
        }
    }
    return approved ? approved : best;
}

static apr_status_t wompi_find_payment(KF_PAYMENT_API_PARAMS, const char *reference,
                                       const char *checkout_id, kf_payment_event *ev,
                                       const char **why)
{
    (void)checkout_id;              /* Wompi searches by reference */
    if (!reference || !*reference || strlen(reference) > 64) {
        *why = "bad reference";
        return APR_EINVAL;
    }
    if (!acct || !acct->private_key || !*acct->private_key) {
        *why = "no private key";
        return APR_EINVAL;
    }
    const char *url = apr_pstrcat(p, kf_url_trim_slash(p, ep->api_base), "/transactions?reference=",
                                  kf_url_encode(p, reference), NULL);
    json_t *data = NULL;
    int status = 0;
    apr_status_t rv = wompi_call(p, http, "GET", url, acct->private_key, &data, &status, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status == 401 || status == 403) {
        *why = "the provider refused the private key";
        return APR_EACCES;
    }
    if (status != 200 || !json_is_array(data)) {
        *why = apr_psprintf(p, "transactions API answered HTTP %d", status);
        return APR_EGENERAL;
    }
    const json_t *tx = pick_transaction(data);
    if (!tx) {
        *why = "no transaction with this reference";
        return APR_NOTFOUND;
    }
    if (!read_transaction(p, tx, ev, why)) {
        return APR_EGENERAL;
    }
    /* the filter is the provider's; the reference we asked about is checked here again */
    if (strcmp(ev->reference, reference) != 0) {
        *why = "the provider answered with another reference";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static apr_status_t wompi_test_connection(KF_PAYMENT_API_PARAMS, const char **merchant_name,
                                          const char **why)
{
    if (!acct || !acct->public_key || !*acct->public_key) {
        *why = "no public key";
        return APR_EINVAL;
    }
    const char *url = apr_pstrcat(p, kf_url_trim_slash(p, ep->api_base), "/merchants/",
                                  kf_url_encode(p, acct->public_key), NULL);
    json_t *data = NULL;
    int status = 0;
    apr_status_t rv = wompi_call(p, http, "GET", url, NULL, &data, &status, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *name = NULL;
    if (status == 200 && kf_json_get_string(data, "name", &name) == KF_JSON_FIELD_OK) {
        *merchant_name = apr_pstrdup(p, name);
        return APR_SUCCESS;
    }
    if (status >= 400 && status < 500) {
        *why = "the provider does not know this public key";
        return APR_NOTFOUND;
    }
    *why = apr_psprintf(p, "merchants API answered HTTP %d", status);
    return APR_EGENERAL;
}

/* PROVIDERS.md: Wompi voids APPROVED card transactions, whole; there is no refund API for
 * the other methods (PSE, Nequi, transfers) nor for part of an amount. The transaction is read
 * first, so a void that succeeded before (and whose answer was lost) is not asked again. */
static apr_status_t wompi_refund(KF_PAYMENT_API_PARAMS, const kf_payment_refund *rf,
                                 const char **refund_id, const char **why)
{
    if (!rf || !rf->transaction_id || !*rf->transaction_id) {
        *why = "no transaction to refund";
        return APR_ENOTIMPL;
    }
    if (!acct || !acct->private_key || !*acct->private_key) {
        *why = "no private key";
        return APR_EACCES;
    }
    if (rf->amount != rf->paid) {
        *why = "Wompi voids whole card payments only: give part of it back by hand";
        return APR_ENOTIMPL;
    }
    const char *tx_url = apr_pstrcat(p, kf_url_trim_slash(p, ep->api_base), "/transactions/",
                                     kf_url_encode(p, rf->transaction_id), NULL);
    json_t *data = NULL;
    int status = 0;
    apr_status_t rv = wompi_call(p, http, "GET", tx_url, NULL, &data, &status, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *tx_status = NULL, *method = NULL;
    if (status != 200 || kf_json_get_string(data, "status", &tx_status) != KF_JSON_FIELD_OK) {
        *why = apr_psprintf(p, "transactions API answered HTTP %d", status);
        return status >= 400 && status < 500 ? APR_ENOTIMPL : APR_EGENERAL;
    }
    if (strcmp(tx_status, "VOIDED") == 0) {
        *refund_id = apr_pstrdup(p, rf->transaction_id);
        return APR_SUCCESS;
    }
    if (strcmp(tx_status, "APPROVED") != 0) {
        *why = apr_psprintf(p, "the transaction is %s, not APPROVED", tx_status);
        return APR_ENOTIMPL;
    }
    if (kf_json_get_string(data, "payment_method_type", &method) != KF_JSON_FIELD_OK ||
        strcmp(method, "CARD") != 0) {
        *why = apr_psprintf(p, "Wompi has no refund API for %s payments",
                            method ? method : "these");
        return APR_ENOTIMPL;
    }
    rv = wompi_call(p, http, "POST", apr_pstrcat(p, tx_url, "/void", NULL), acct->private_key,
                    &data, &status, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (status == 401 || status == 403) {
        *why = "the provider refused the private key";
        return APR_EACCES;
    }
    if ((status == 200 || status == 201) &&
        kf_json_get_string(data, "status", &tx_status) == KF_JSON_FIELD_OK &&
        strcmp(tx_status, "VOIDED") == 0) {
        *refund_id = apr_pstrdup(p, rf->transaction_id);
        return APR_SUCCESS;
    }
    *why = apr_psprintf(p, "void answered HTTP %d", status);
    return status >= 400 && status < 500 ? APR_ENOTIMPL : APR_EGENERAL;
}

/* ---------------------------------------------------------------- what Wompi is */

/* Colombian pesos only. */
static const char *const wompi_currencies[] = {"COP", NULL};

/* In slot order (kf_payment_slot): the prefixes below are indexed by it. */
static const kf_payment_setting wompi_settings[] = {
    {"public_key", KF_PAYMENT_SLOT_PUBLIC},
    {"private_key", KF_PAYMENT_SLOT_PRIVATE},
    {"events_secret", KF_PAYMENT_SLOT_EVENTS},
    {"integrity_secret", KF_PAYMENT_SLOT_INTEGRITY},
    {NULL, KF_PAYMENT_SLOT_PUBLIC},
};

static const kf_payment_message wompi_messages[] = {
    {"wompi_public_key_prefix",
     "Debe empezar por pub_test_ en modo test o por pub_prod_ en modo production.",
     "Must start with pub_test_ in test mode or pub_prod_ in production mode."},
    {"wompi_private_key_prefix",
     "Debe empezar por prv_test_ en modo test o por prv_prod_ en modo production.",
     "Must start with prv_test_ in test mode or prv_prod_ in production mode."},
    {"wompi_events_secret_prefix",
     "Debe empezar por test_events_ en modo test o por prod_events_ en modo production.",
     "Must start with test_events_ in test mode or prod_events_ in production mode."},
    {"wompi_integrity_secret_prefix",
     "Debe empezar por test_integrity_ en modo test o por prod_integrity_ en modo production.",
     "Must start with test_integrity_ in test mode or prod_integrity_ in production mode."},
    {"wompi_key_format", "Después del prefijo debe tener de 8 a 200 letras, números, _ o -.",
     "After the prefix it must have 8 to 200 letters, digits, _ or -."},
    {"wompi_not_configured", "Primero guarda las llaves de Wompi.", "Save the Wompi keys first."},
    {NULL, NULL, NULL},
};

/* Every key starts with its kind's prefix for the mode (PROVIDERS.md), then 8..200 of
 * [A-Za-z0-9_-]. */
static const char *wompi_check_setting(const char *mode, const kf_payment_setting *setting,
                                       const char *value)
{
    static const char *const test[] = {"pub_test_", "prv_test_", "test_events_",
                                       "test_integrity_"};
    static const char *const production[] = {"pub_prod_", "prv_prod_", "prod_events_",
                                             "prod_integrity_"};
    static const char *const wrong_prefix[] = {
        "wompi_public_key_prefix", "wompi_private_key_prefix", "wompi_events_secret_prefix",
        "wompi_integrity_secret_prefix"};
    kf_payment_slot slot = setting->slot;
    if (slot > KF_PAYMENT_SLOT_INTEGRITY) {
        return "wompi_key_format";
    }
    const char *prefix = !kf_payment_mode_valid(mode)     ? NULL
                         : strcmp(mode, "test") == 0 ? test[slot]
                                                     : production[slot];
    if (!prefix || strncmp(value, prefix, strlen(prefix)) != 0) {
        return wrong_prefix[slot];
    }
    return kf_payment_key_chars(value + strlen(prefix), 8, 200, "wompi_key_format");
}

const kf_payment_provider kf_payment_wompi = {
    .name = "wompi",
    .label = "Wompi",
    .currencies = wompi_currencies,
    .settings = wompi_settings,
    .check_setting = wompi_check_setting,
    .messages = wompi_messages,
    .refunds_part = 0,          /* a void gives back the whole payment, never part of it */
    .returns_with_id = 1,       /* its redirect appends ?id=<transaction>&env=... */
    .default_endpoints = wompi_default_endpoints,
    .create_checkout = wompi_create_checkout,
    .webhook_reference = wompi_webhook_reference,
    .verify_webhook = wompi_verify_webhook,
    .find_payment = wompi_find_payment,
    .test_connection = wompi_test_connection,
    .refund = wompi_refund,
    .close_checkout = NULL,     /* the signed checkout ends at its expiration-time */
    .find_dispute = NULL,       /* Wompi reports no disputes (docs/payments-and-callbacks.md) */
    .trial_notice = wompi_trial_notice, /* its checkout is a signed URL: made offline too */
};
