/* Provider signature schemes: see kf_signatures.h and docs/PROVIDERS.md. */
#include "kf_signatures.h"
#include "kf_crypto.h"
#include "kf_text.h"

#include <stdio.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

const char *kf_sig_result_str(kf_sig_result r)
{
    switch (r) {
    case KF_SIG_OK:
        return "ok";
    case KF_SIG_MALFORMED:
        return "malformed";
    case KF_SIG_BAD_SIGNATURE:
        return "bad signature";
    case KF_SIG_STALE:
        return "stale";
    }
    return "unknown";
}

/* ---------------------------------------------------------------- helpers */

/* 1 if s is 1..18 decimal digits (so it fits an apr_int64_t), value in *out. */
static int parse_decimal(const char *s, apr_int64_t *out)
{
    apr_size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 18)
        return 0;
    apr_int64_t v = 0;
    for (apr_size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

typedef struct {
    const char *key;
    const char *value;
} kv_item;

/* Drop spaces and tabs at both ends of s, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    apr_size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Split "k1=v1,k2=v2,..." at commas and at the first '=' of each item; spaces and tabs
 * around keys and values are dropped. An item without '=' gets value NULL. */
static apr_array_header_t *parse_kv_list(apr_pool_t *p, const char *header)
{
    apr_array_header_t *items = apr_array_make(p, 4, sizeof(kv_item));
    char *copy = apr_pstrdup(p, header), *state = NULL;
    for (char *tok = apr_strtok(copy, ",", &state); tok; tok = apr_strtok(NULL, ",", &state)) {
        char *eq = strchr(tok, '=');
        kv_item *it = apr_array_push(items);
        if (eq)
            *eq = '\0';
        it->key = trim(tok);
        it->value = eq ? trim(eq + 1) : NULL;
    }
    return items;
}

/* Constant-time, case-insensitive check of hex candidate against the computed lowercase hex. */
static int hex_matches(const char *computed, const char *candidate)
{
    return computed && candidate && kf_hex_equal_ci(computed, candidate);
}

/* ---------------------------------------------------------------- Wompi */

const char *kf_wompi_integrity(apr_pool_t *p, const char *reference, apr_int64_t amount_in_cents,
                               const char *currency, const char *expiration_time,
                               const char *integrity_secret)
{
    if (!kf_has_text(reference) || !kf_has_text(currency) || !kf_has_text(integrity_secret)
        || amount_in_cents < 0)
        return NULL;
    char *msg = apr_psprintf(p, "%s%" APR_INT64_T_FMT "%s%s%s", reference, amount_in_cents,
                             currency, expiration_time ? expiration_time : "", integrity_secret);
    apr_size_t n = strlen(msg);
    const char *hex = kf_sha256_hex(p, msg, n);
    OPENSSL_cleanse(msg, n); /* the buffer ends with the secret */
    return hex;
}

typedef struct {
    const char *ptr;
    apr_size_t len;
} piece;

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
        if (n >= sizeof name || !json_is_object(cur))
            return NULL;
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
    if (!hex)
        hex = &dummy_hex;
    if (!why)
        why = &dummy_why;
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

    apr_array_header_t *pieces = apr_array_make(p, (int)json_array_size(props) + 2, sizeof(piece));
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
        piece *pc = apr_array_push(pieces);
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
    piece *pc = apr_array_push(pieces);
    pc->ptr = json_int_text(p, json_integer_value(ts));
    pc->len = strlen(pc->ptr);
    pc = apr_array_push(pieces);
    pc->ptr = events_secret;
    pc->len = strlen(events_secret);
#undef FAIL

    unsigned char md[KF_SHA256_LEN];
    unsigned int mdlen = 0;
    int ok = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
        ok = 1;
        for (int i = 0; i < pieces->nelts && ok; i++) {
            const piece *it = &APR_ARRAY_IDX(pieces, i, piece);
            if (it->len > 0 && EVP_DigestUpdate(ctx, it->ptr, it->len) != 1)
                ok = 0;
        }
        if (ok && (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != KF_SHA256_LEN))
            ok = 0;
    }
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        *why = "SHA-256 failed";
        return KF_CRYPTO_EINTERNAL;
    }
    *hex = kf_hex_encode(p, md, sizeof md);
    return APR_SUCCESS;
}

int kf_wompi_event_verify(apr_pool_t *p, const json_t *event, const char *header_checksum,
                          const char *events_secret)
{
    const char *computed = NULL;
    if (kf_wompi_event_checksum(p, event, events_secret, &computed, NULL) != APR_SUCCESS)
        return 0;
    const json_t *sig = json_object_get(event, "signature");
    const json_t *body_sum = json_object_get(sig, "checksum");
    if (body_sum && !json_is_string(body_sum))
        return 0;
    if (!body_sum && !header_checksum)
        return 0;
    /* Evaluate both comparisons whatever the first gives. */
    int ok = 1;
    if (body_sum)
        ok &= hex_matches(computed, json_string_value(body_sum));
    if (header_checksum)
        ok &= hex_matches(computed, header_checksum);
    return ok;
}

/* ---------------------------------------------------------------- HMAC helpers */

static const char *hmac_hex2(apr_pool_t *p, const char *secret, const char *prefix,
                             apr_size_t prefixlen, const char *body, apr_size_t len)
{
    if (!secret || (!body && len > 0))
        return NULL;
    char *msg = apr_palloc(p, prefixlen + len + 1);
    if (prefixlen)
        memcpy(msg, prefix, prefixlen);
    if (len)
        memcpy(msg + prefixlen, body, len);
    msg[prefixlen + len] = '\0';
    return kf_hmac_sha256_hex(p, secret, strlen(secret), msg, prefixlen + len);
}

/* ---------------------------------------------------------------- Stripe */

const char *kf_stripe_signature(apr_pool_t *p, const char *secret, apr_int64_t t, const char *body,
                                apr_size_t len)
{
    const char *prefix = apr_psprintf(p, "%" APR_INT64_T_FMT ".", t);
    return hmac_hex2(p, secret, prefix, strlen(prefix), body, len);
}

kf_sig_result kf_stripe_verify(apr_pool_t *p, const char *sig_header, const char *body,
                               apr_size_t len, const char *secret, apr_time_t now,
                               int tolerance_seconds)
{
    if (!kf_has_text(sig_header) || (!body && len > 0))
        return KF_SIG_MALFORMED;
    apr_array_header_t *items = parse_kv_list(p, sig_header);
    apr_int64_t t = 0;
    int have_t = 0, n_v1 = 0;
    for (int i = 0; i < items->nelts; i++) {
        const kv_item *it = &APR_ARRAY_IDX(items, i, kv_item);
        if (strcmp(it->key, "t") == 0) {
            if (have_t || !parse_decimal(it->value, &t))
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
        const kv_item *it = &APR_ARRAY_IDX(items, i, kv_item);
        if (strcmp(it->key, "v1") == 0 && it->value)
            match |= hex_matches(expected, it->value);
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

/* ---------------------------------------------------------------- Airwallex */

const char *kf_airwallex_signature(apr_pool_t *p, const char *secret, const char *x_timestamp,
                                   const char *body, apr_size_t len)
{
    if (!x_timestamp)
        return NULL;
    return hmac_hex2(p, secret, x_timestamp, strlen(x_timestamp), body, len);
}

kf_sig_result kf_airwallex_verify(apr_pool_t *p, const char *x_timestamp, const char *x_signature,
                                  const char *body, apr_size_t len, const char *secret)
{
    apr_int64_t ts;
    if (!kf_has_text(x_signature) || !parse_decimal(x_timestamp, &ts) || (!body && len > 0))
        return KF_SIG_MALFORMED;
    if (!kf_has_text(secret))
        return KF_SIG_BAD_SIGNATURE;
    const char *expected = kf_airwallex_signature(p, secret, x_timestamp, body, len);
    return hex_matches(expected, x_signature) ? KF_SIG_OK : KF_SIG_BAD_SIGNATURE;
}

/* ---------------------------------------------------------------- Mercado Pago */

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
    apr_array_header_t *items = parse_kv_list(p, x_signature);
    const char *ts = NULL;
    int n_v1 = 0;
    for (int i = 0; i < items->nelts; i++) {
        const kv_item *it = &APR_ARRAY_IDX(items, i, kv_item);
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
        const kv_item *it = &APR_ARRAY_IDX(items, i, kv_item);
        if (strcmp(it->key, "v1") == 0 && it->value)
            match |= hex_matches(expected, it->value);
    }
    return match ? KF_SIG_OK : KF_SIG_BAD_SIGNATURE;
}

/* ---------------------------------------------------------------- Cal.com */

const char *kf_calcom_signature(apr_pool_t *p, const char *secret, const char *body, apr_size_t len)
{
    return hmac_hex2(p, secret, "", 0, body, len);
}

kf_sig_result kf_calcom_verify(apr_pool_t *p, const char *header, const char *body, apr_size_t len,
                               const char *secret)
{
    if (!kf_has_text(header) || (!body && len > 0))
        return KF_SIG_MALFORMED;
    if (!kf_has_text(secret))
        return KF_SIG_BAD_SIGNATURE;
    return hex_matches(kf_calcom_signature(p, secret, body, len), header) ? KF_SIG_OK
                                                                           : KF_SIG_BAD_SIGNATURE;
}

/* ---------------------------------------------------------------- Standard Webhooks */

/* Standard base64 with padding, as the Standard Webhooks libraries read and write it. */
static const char *base64_padded(apr_pool_t *p, const unsigned char *data, apr_size_t len)
{
    char *out = apr_palloc(p, 4 * ((len + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

const char *kf_standard_webhooks_signature(apr_pool_t *p, const void *key, apr_size_t keylen,
                                           const char *msg_id, apr_int64_t timestamp,
                                           const char *body, apr_size_t len)
{
    if (!key || keylen == 0 || !kf_has_text(msg_id) || (!body && len > 0))
        return NULL;
    const char *prefix = apr_psprintf(p, "%s.%" APR_INT64_T_FMT ".", msg_id, timestamp);
    apr_size_t prefixlen = strlen(prefix);
    char *msg = apr_palloc(p, prefixlen + len + 1);
    memcpy(msg, prefix, prefixlen);
    if (len)
        memcpy(msg + prefixlen, body, len);
    unsigned char mac[KF_SHA256_LEN];
    if (kf_hmac_sha256(key, keylen, msg, prefixlen + len, mac) != APR_SUCCESS)
        return NULL;
    return apr_pstrcat(p, "v1,", base64_padded(p, mac, sizeof mac), NULL);
}

const char *kf_standard_webhooks_secret(apr_pool_t *p, const void *key, apr_size_t keylen)
{
    if (!key || keylen == 0)
        return NULL;
    return apr_pstrcat(p, "whsec_", base64_padded(p, key, keylen), NULL);
}
