/* What signature schemes are made of, and the ones of no payment provider: see
 * kf_signatures.h. */
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

int kf_sig_decimal(const char *s, apr_int64_t *out)
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

apr_array_header_t *kf_sig_params(apr_pool_t *p, const char *header)
{
    apr_array_header_t *items = apr_array_make(p, 4, sizeof(kf_sig_param));
    char *copy = apr_pstrdup(p, header), *state = NULL;
    for (char *tok = apr_strtok(copy, ",", &state); tok; tok = apr_strtok(NULL, ",", &state)) {
        char *eq = strchr(tok, '=');
        kf_sig_param *it = apr_array_push(items);
        if (eq)
            *eq = '\0';
        it->key = trim(tok);
        it->value = eq ? trim(eq + 1) : NULL;
    }
    return items;
}

int kf_sig_hex_matches(const char *computed, const char *candidate)
{
    return computed && candidate && kf_hex_equal_ci(computed, candidate);
}

const char *kf_sig_sha256_parts(apr_pool_t *p, const kf_sig_part *parts, int n)
{
    unsigned char md[KF_SHA256_LEN];
    unsigned int mdlen = 0;
    int ok = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
        ok = 1;
        for (int i = 0; i < n && ok; i++) {
            if (parts[i].len > 0 && EVP_DigestUpdate(ctx, parts[i].ptr, parts[i].len) != 1)
                ok = 0;
        }
        if (ok && (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != KF_SHA256_LEN))
            ok = 0;
    }
    EVP_MD_CTX_free(ctx);
    return ok ? kf_hex_encode(p, md, sizeof md) : NULL;
}

/* ---------------------------------------------------------------- HMAC helpers */

const char *kf_sig_hmac_hex(apr_pool_t *p, const char *secret, const char *prefix,
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

/* ---------------------------------------------------------------- t.body */

const char *kf_sig_timestamped(apr_pool_t *p, const char *secret, apr_int64_t t, const char *body,
                               apr_size_t len)
{
    const char *prefix = apr_psprintf(p, "%" APR_INT64_T_FMT ".", t);
    return kf_sig_hmac_hex(p, secret, prefix, strlen(prefix), body, len);
}

/* ---------------------------------------------------------------- Cal.com */

const char *kf_calcom_signature(apr_pool_t *p, const char *secret, const char *body, apr_size_t len)
{
    return kf_sig_hmac_hex(p, secret, "", 0, body, len);
}

kf_sig_result kf_calcom_verify(apr_pool_t *p, const char *header, const char *body, apr_size_t len,
                               const char *secret)
{
    if (!kf_has_text(header) || (!body && len > 0))
        return KF_SIG_MALFORMED;
    if (!kf_has_text(secret))
        return KF_SIG_BAD_SIGNATURE;
    return kf_sig_hex_matches(kf_calcom_signature(p, secret, body, len), header) ? KF_SIG_OK
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
