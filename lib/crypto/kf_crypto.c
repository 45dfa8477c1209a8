/* General cryptography over OpenSSL libcrypto: see kf_crypto.h. */
#include "kf_crypto.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define KF_GCM_IV_LEN 12
#define KF_GCM_TAG_LEN 16
#define KF_SEAL_PREFIX "v1."
#define KF_SEAL_PREFIX_LEN 3
/* Plaintexts sealed at rest are small secrets; this bound keeps every length an int. */
#define KF_SEAL_MAX (64u * 1024u * 1024u)

static const unsigned char kf_empty[1] = {0};

/* ---------------------------------------------------------------- digests and MACs */

apr_status_t kf_sha256(const void *data, apr_size_t len, unsigned char out[KF_SHA256_LEN])
{
    unsigned int outlen = 0;
    if (!data)
        data = kf_empty, len = 0;
    if (!EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) || outlen != KF_SHA256_LEN)
        return KF_CRYPTO_EINTERNAL;
    return APR_SUCCESS;
}

apr_status_t kf_hmac_sha256(const void *key, apr_size_t keylen, const void *data, apr_size_t len,
                            unsigned char out[KF_SHA256_LEN])
{
    unsigned int outlen = 0;
    /* HMAC() treats a NULL key as "reuse the previous key": always pass a real pointer. */
    if (!key || keylen == 0)
        key = kf_empty, keylen = 0;
    if (!data)
        data = kf_empty, len = 0;
    if (keylen > INT_MAX)
        return KF_CRYPTO_EINTERNAL;
    if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen) || outlen != KF_SHA256_LEN)
        return KF_CRYPTO_EINTERNAL;
    return APR_SUCCESS;
}

const char *kf_hex_encode(apr_pool_t *p, const void *data, apr_size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *in = data;
    char *out = apr_palloc(p, len * 2 + 1);
    for (apr_size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[len * 2] = '\0';
    return out;
}

const char *kf_sha256_hex(apr_pool_t *p, const void *data, apr_size_t len)
{
    unsigned char md[KF_SHA256_LEN];
    if (kf_sha256(data, len, md) != APR_SUCCESS)
        return NULL;
    return kf_hex_encode(p, md, sizeof md);
}

const char *kf_hmac_sha256_hex(apr_pool_t *p, const void *key, apr_size_t keylen,
                               const void *data, apr_size_t len)
{
    unsigned char md[KF_SHA256_LEN];
    if (kf_hmac_sha256(key, keylen, data, len, md) != APR_SUCCESS)
        return NULL;
    return kf_hex_encode(p, md, sizeof md);
}

/* SipHash-2-4 (Aumasson and Bernstein, 2012), words read little-endian whatever the CPU. */
static apr_uint64_t le64(const unsigned char *b, apr_size_t n)
{
    apr_uint64_t v = 0;
    for (apr_size_t i = n; i > 0; i--)
        v = (v << 8) | b[i - 1];
    return v;
}

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND(v0, v1, v2, v3)                                                           \
    do {                                                                                   \
        v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32);                      \
        v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;                                           \
        v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;                                           \
        v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32);                      \
    } while (0)

apr_uint64_t kf_siphash24(const unsigned char key[KF_SIPHASH_KEY_LEN], const void *data,
                          apr_size_t len)
{
    const unsigned char *in = data ? data : kf_empty;
    apr_uint64_t k0 = le64(key, 8), k1 = le64(key + 8, 8);
    apr_uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL,
                 v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    apr_size_t whole = len - len % 8;
    for (apr_size_t i = 0; i < whole; i += 8) {
        apr_uint64_t m = le64(in + i, 8);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    apr_uint64_t last = ((apr_uint64_t)(len & 0xff) << 56) | le64(in + whole, len % 8);
    v3 ^= last;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    for (int i = 0; i < 4; i++)
        SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

/* ---------------------------------------------------------------- constant-time compare */

int kf_ct_equal(const void *a, const void *b, apr_size_t len)
{
    if (len == 0)
        return 1;
    if (!a || !b)
        return 0;
    return CRYPTO_memcmp(a, b, len) == 0;
}

int kf_ct_streq(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    apr_size_t la = strlen(a), lb = strlen(b);
    apr_size_t n = la > lb ? la : lb;
    unsigned int diff = (la != lb);
    /* Walk the longer length whatever the content; the shorter string reads as NULs
     * past its end. Branches depend on the lengths only. */
    for (apr_size_t i = 0; i < n; i++) {
        unsigned char ca = i < la ? (unsigned char)a[i] : 0;
        unsigned char cb = i < lb ? (unsigned char)b[i] : 0;
        diff |= (unsigned int)(ca ^ cb);
    }
    return diff == 0;
}

/* Lowercase a hex digit; *bad gets a non-zero bit when c is not a hex digit. Branch-free. */
static unsigned int hex_fold(unsigned int c, unsigned int *bad)
{
    unsigned int lc = c | 0x20u; /* digits already have 0x20 set */
    unsigned int is_digit = (c - '0') < 10u;
    unsigned int is_alpha = (lc - 'a') < 6u;
    *bad |= (is_digit | is_alpha) ^ 1u;
    return lc;
}

int kf_hex_equal_ci(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    apr_size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return 0;
    unsigned int diff = 0, bad = 0;
    for (apr_size_t i = 0; i < la; i++) {
        unsigned int ca = hex_fold((unsigned char)a[i], &bad);
        unsigned int cb = hex_fold((unsigned char)b[i], &bad);
        diff |= ca ^ cb;
    }
    return (diff | bad) == 0;
}

/* ---------------------------------------------------------------- randomness */

apr_status_t kf_random_bytes(void *buf, apr_size_t len)
{
    unsigned char *out = buf;
    while (len > 0) {
        int chunk = len > (apr_size_t)INT_MAX ? INT_MAX : (int)len;
        if (RAND_bytes(out, chunk) != 1)
            return KF_CRYPTO_EINTERNAL;
        out += chunk;
        len -= (apr_size_t)chunk;
    }
    return APR_SUCCESS;
}

const char *kf_random_token(apr_pool_t *p, apr_size_t nbytes)
{
    if (nbytes < 16 || nbytes > 4096)
        return NULL;
    unsigned char raw[4096];
    const char *token = NULL;
    if (kf_random_bytes(raw, nbytes) == APR_SUCCESS)
        token = kf_b64url_encode(p, raw, nbytes);
    OPENSSL_cleanse(raw, nbytes);
    return token;
}

#define REQUEST_ID_RANDOM 10
#define REQUEST_ID_COUNT 6

static _Thread_local unsigned char request_id_seed[REQUEST_ID_RANDOM];
static _Thread_local apr_uint64_t request_id_count;

const char *kf_request_id(apr_pool_t *p)
{
    if (request_id_count == 0 && kf_random_bytes(request_id_seed, REQUEST_ID_RANDOM) != APR_SUCCESS) {
        return NULL;
    }
    unsigned char raw[REQUEST_ID_RANDOM + REQUEST_ID_COUNT];
    apr_uint64_t n = ++request_id_count;
    memcpy(raw, request_id_seed, REQUEST_ID_RANDOM);
    for (int i = REQUEST_ID_COUNT - 1; i >= 0; i--, n >>= 8) {
        raw[REQUEST_ID_RANDOM + i] = (unsigned char)n;
    }
    return kf_b64url_encode(p, raw, sizeof(raw));
}

/* ---------------------------------------------------------------- base64url */

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *kf_b64url_encode(apr_pool_t *p, const void *data, apr_size_t len)
{
    const unsigned char *in = data;
    char *out = apr_palloc(p, (len / 3) * 4 + 4 + 1), *o = out;
    apr_size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned long v = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8) | in[i + 2];
        *o++ = b64url_alphabet[(v >> 18) & 63];
        *o++ = b64url_alphabet[(v >> 12) & 63];
        *o++ = b64url_alphabet[(v >> 6) & 63];
        *o++ = b64url_alphabet[v & 63];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)in[i] << 16;
        *o++ = b64url_alphabet[(v >> 18) & 63];
        *o++ = b64url_alphabet[(v >> 12) & 63];
    }
    else if (len - i == 2) {
        unsigned long v = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8);
        *o++ = b64url_alphabet[(v >> 18) & 63];
        *o++ = b64url_alphabet[(v >> 12) & 63];
        *o++ = b64url_alphabet[(v >> 6) & 63];
    }
    *o = '\0';
    return out;
}

static int b64url_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

apr_status_t kf_b64url_decode(apr_pool_t *p, const char *text, unsigned char **out,
                              apr_size_t *outlen)
{
    if (!text || !out || !outlen)
        return APR_EINVAL;
    *out = NULL;
    *outlen = 0;
    apr_size_t n = strlen(text);
    if (n % 4 == 1)
        return KF_CRYPTO_EMALFORMED;
    apr_size_t cap = (n / 4) * 3 + (n % 4 ? n % 4 - 1 : 0);
    unsigned char *buf = apr_palloc(p, cap + 1), *o = buf;
    unsigned long acc = 0;
    int bits = 0;
    for (apr_size_t i = 0; i < n; i++) {
        int v = b64url_value((unsigned char)text[i]);
        if (v < 0)
            return KF_CRYPTO_EMALFORMED;
        acc = ((acc << 6) | (unsigned long)v) & 0xffffffUL;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    /* Canonical form: the bits left over in the last character must be zero. */
    if (bits > 0 && (acc & ((1UL << bits) - 1)) != 0)
        return KF_CRYPTO_EMALFORMED;
    *o = '\0';
    *out = buf;
    *outlen = (apr_size_t)(o - buf);
    return APR_SUCCESS;
}

/* ---------------------------------------------------------------- keyring */

typedef struct kf_key_entry {
    struct kf_key_entry *next;
    unsigned char key[KF_KEY_LEN];
    char kid[KF_KEY_ID_LEN + 1];
} kf_key_entry;

struct kf_keyring {
    apr_pool_t *pool;
    kf_key_entry *head, *tail;
    const kf_key_entry *primary;
    int count;
};

static apr_status_t keyring_cleanup(void *data)
{
    kf_keyring *kr = data;
    for (kf_key_entry *e = kr->head; e; e = e->next)
        OPENSSL_cleanse(e->key, sizeof e->key);
    kr->head = kr->tail = NULL;
    kr->primary = NULL;
    kr->count = 0;
    return APR_SUCCESS;
}

kf_keyring *kf_keyring_make(apr_pool_t *p)
{
    kf_keyring *kr = apr_pcalloc(p, sizeof *kr);
    kr->pool = p;
    apr_pool_cleanup_register(p, kr, keyring_cleanup, apr_pool_cleanup_null);
    return kr;
}

static void key_id_into(const unsigned char key[KF_KEY_LEN], char kid[KF_KEY_ID_LEN + 1])
{
    static const char label[] = "konfirmado-key-id:";
    static const char digits[] = "0123456789abcdef";
    unsigned char buf[sizeof label - 1 + KF_KEY_LEN], md[KF_SHA256_LEN];
    memcpy(buf, label, sizeof label - 1);
    memcpy(buf + sizeof label - 1, key, KF_KEY_LEN);
    if (kf_sha256(buf, sizeof buf, md) != APR_SUCCESS)
        memset(md, 0, sizeof md); /* cannot happen with a working libcrypto */
    OPENSSL_cleanse(buf, sizeof buf);
    for (int i = 0; i < KF_KEY_ID_LEN / 2; i++) {
        kid[2 * i] = digits[md[i] >> 4];
        kid[2 * i + 1] = digits[md[i] & 0x0f];
    }
    kid[KF_KEY_ID_LEN] = '\0';
}

const char *kf_key_id(apr_pool_t *p, const unsigned char key[KF_KEY_LEN])
{
    char kid[KF_KEY_ID_LEN + 1];
    key_id_into(key, kid);
    return apr_pstrdup(p, kid);
}

static const kf_key_entry *keyring_find(const kf_keyring *kr, const char *kid)
{
    for (const kf_key_entry *e = kr->head; e; e = e->next)
        if (memcmp(e->kid, kid, KF_KEY_ID_LEN) == 0)
            return e;
    return NULL;
}

apr_status_t kf_keyring_add(kf_keyring *kr, const unsigned char key[KF_KEY_LEN], int primary)
{
    if (!kr || !key)
        return APR_EINVAL;
    char kid[KF_KEY_ID_LEN + 1];
    key_id_into(key, kid);
    const kf_key_entry *found = keyring_find(kr, kid);
    if (found) {
        if (CRYPTO_memcmp(found->key, key, KF_KEY_LEN) != 0)
            return APR_EEXIST;
        if (primary)
            kr->primary = found;
        return APR_SUCCESS;
    }
    kf_key_entry *e = apr_pcalloc(kr->pool, sizeof *e);
    memcpy(e->key, key, KF_KEY_LEN);
    memcpy(e->kid, kid, sizeof kid);
    if (kr->tail)
        kr->tail->next = e;
    else
        kr->head = e;
    kr->tail = e;
    kr->count++;
    if (primary)
        kr->primary = e;
    return APR_SUCCESS;
}

const char *kf_keyring_primary_kid(const kf_keyring *kr)
{
    return kr && kr->primary ? kr->primary->kid : NULL;
}

int kf_keyring_count(const kf_keyring *kr)
{
    return kr ? kr->count : 0;
}

apr_array_header_t *kf_keyring_kids(apr_pool_t *p, const kf_keyring *kr)
{
    apr_array_header_t *kids = apr_array_make(p, kf_keyring_count(kr) + 1, sizeof(const char *));
    for (const kf_key_entry *e = kr ? kr->head : NULL; e; e = e->next)
        APR_ARRAY_PUSH(kids, const char *) = apr_pstrdup(p, e->kid);
    return kids;
}

/* ---------------------------------------------------------------- seal / open */

const char *kf_seal(apr_pool_t *p, const kf_keyring *kr, const void *plain, apr_size_t len,
                    const char *aad)
{
    if (!kr || !kr->primary || (!plain && len > 0) || len > KF_SEAL_MAX)
        return NULL;
    if (!plain)
        plain = kf_empty;
    if (!aad)
        aad = "";
    apr_size_t aadlen = strlen(aad);
    if (aadlen > KF_SEAL_MAX)
        return NULL;

    apr_size_t bloblen = KF_GCM_IV_LEN + len + KF_GCM_TAG_LEN;
    unsigned char *blob = apr_palloc(p, bloblen);
    unsigned char *iv = blob, *ct = blob + KF_GCM_IV_LEN, *tag = ct + len;
    const char *out = NULL;
    int outl = 0, finl = 0;

    if (kf_random_bytes(iv, KF_GCM_IV_LEN) != APR_SUCCESS)
        return NULL;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return NULL;
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1
        || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, KF_GCM_IV_LEN, NULL) != 1
        || EVP_EncryptInit_ex(ctx, NULL, NULL, kr->primary->key, iv) != 1)
        goto done;
    if (aadlen > 0 && EVP_EncryptUpdate(ctx, NULL, &outl, (const unsigned char *)aad, (int)aadlen) != 1)
        goto done;
    outl = 0;
    if (len > 0 && EVP_EncryptUpdate(ctx, ct, &outl, plain, (int)len) != 1)
        goto done;
    if (EVP_EncryptFinal_ex(ctx, ct + outl, &finl) != 1 || (apr_size_t)(outl + finl) != len)
        goto done;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, KF_GCM_TAG_LEN, tag) != 1)
        goto done;
    out = apr_pstrcat(p, KF_SEAL_PREFIX, kr->primary->kid, ".",
                      kf_b64url_encode(p, blob, bloblen), NULL);
done:
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

static int is_lower_hex(const char *s, apr_size_t n)
{
    for (apr_size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

const char *kf_seal_text(apr_pool_t *p, const kf_keyring *kr, const char *text, const char *aad)
{
    return text && kr ? kf_seal(p, kr, text, strlen(text), aad) : NULL;
}

const char *kf_open_text(apr_pool_t *p, const kf_keyring *kr, const char *sealed, const char *aad)
{
    char *plain = NULL;
    apr_size_t len = 0;
    return kf_open(p, kr, sealed, aad, &plain, &len) == APR_SUCCESS ? plain : NULL;
}

apr_status_t kf_kept_token_make(apr_pool_t *p, const kf_keyring *keys, const char *aad,
                                const char **token, const char **hash, const char **sealed)
{
    *token = kf_random_token(p, 32);
    *hash = *token ? kf_sha256_hex(p, *token, strlen(*token)) : NULL;
    *sealed = *hash ? kf_seal_text(p, keys, *token, aad) : NULL;
    return *sealed ? APR_SUCCESS : APR_EGENERAL;
}

const char *kf_kept_token(apr_pool_t *p, const kf_keyring *keys, const char *aad,
                          const char *kept_sealed, const char **hash, const char **sealed,
                          apr_status_t *kept_refused)
{
    *hash = *sealed = NULL;
    *kept_refused = APR_SUCCESS;
    if (kept_sealed) {
        char *token = NULL;
        apr_size_t len = 0;
        *kept_refused = kf_open(p, keys, kept_sealed, aad, &token, &len);
        if (*kept_refused == APR_SUCCESS) {
            return token;
        }
    }
    const char *token = NULL;
    if (kf_kept_token_make(p, keys, aad, &token, hash, sealed) != APR_SUCCESS) {
        *hash = *sealed = NULL;
        return NULL;
    }
    return token;
}

apr_status_t kf_open(apr_pool_t *p, const kf_keyring *kr, const char *sealed, const char *aad,
                     char **plain, apr_size_t *len)
{
    if (!plain || !len)
        return APR_EINVAL;
    *plain = NULL;
    *len = 0;
    if (!kr || !sealed)
        return APR_EINVAL;
    if (!aad)
        aad = "";
    apr_size_t aadlen = strlen(aad);
    if (aadlen > KF_SEAL_MAX)
        return APR_EINVAL;

    /* "v1." kid "." body */
    if (strncmp(sealed, KF_SEAL_PREFIX, KF_SEAL_PREFIX_LEN) != 0)
        return KF_CRYPTO_EMALFORMED;
    const char *kid = sealed + KF_SEAL_PREFIX_LEN;
    if (strnlen(kid, KF_KEY_ID_LEN + 1) < KF_KEY_ID_LEN + 1 || kid[KF_KEY_ID_LEN] != '.'
        || !is_lower_hex(kid, KF_KEY_ID_LEN))
        return KF_CRYPTO_EMALFORMED;
    const char *body = kid + KF_KEY_ID_LEN + 1;

    unsigned char *blob;
    apr_size_t bloblen;
    if (kf_b64url_decode(p, body, &blob, &bloblen) != APR_SUCCESS)
        return KF_CRYPTO_EMALFORMED;
    if (bloblen < KF_GCM_IV_LEN + KF_GCM_TAG_LEN || bloblen - KF_GCM_IV_LEN - KF_GCM_TAG_LEN > KF_SEAL_MAX)
        return KF_CRYPTO_EMALFORMED;

    const kf_key_entry *e = keyring_find(kr, kid);
    if (!e)
        return KF_CRYPTO_EUNKNOWNKEY;

    apr_size_t ctlen = bloblen - KF_GCM_IV_LEN - KF_GCM_TAG_LEN;
    unsigned char *iv = blob, *ct = blob + KF_GCM_IV_LEN, *tag = ct + ctlen;
    unsigned char *out = apr_palloc(p, ctlen + 1);
    int outl = 0, finl = 0, ok;
    apr_status_t rv = KF_CRYPTO_EINTERNAL;

    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return KF_CRYPTO_EINTERNAL;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1
        || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, KF_GCM_IV_LEN, NULL) != 1
        || EVP_DecryptInit_ex(ctx, NULL, NULL, e->key, iv) != 1)
        goto done;
    if (aadlen > 0 && EVP_DecryptUpdate(ctx, NULL, &outl, (const unsigned char *)aad, (int)aadlen) != 1)
        goto done;
    outl = 0;
    if (ctlen > 0 && EVP_DecryptUpdate(ctx, out, &outl, ct, (int)ctlen) != 1)
        goto done;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, KF_GCM_TAG_LEN, tag) != 1)
        goto done;
    ok = EVP_DecryptFinal_ex(ctx, out + outl, &finl);
    if (ok != 1 || (apr_size_t)(outl + finl) != ctlen) {
        rv = KF_CRYPTO_EAUTH;
        goto done;
    }
    out[ctlen] = '\0';
    *plain = (char *)out;
    *len = ctlen;
    rv = APR_SUCCESS;
done:
    EVP_CIPHER_CTX_free(ctx);
    if (rv != APR_SUCCESS)
        OPENSSL_cleanse(out, ctlen + 1); /* never leave unauthenticated plaintext behind */
    return rv;
}

const char *kf_crypto_strerror(apr_status_t rv)
{
    switch (rv) {
    case APR_SUCCESS:
        return "ok";
    case APR_EINVAL:
        return "invalid argument";
    case KF_CRYPTO_EMALFORMED:
        return "malformed sealed value";
    case KF_CRYPTO_EUNKNOWNKEY:
        return "unknown key id";
    case KF_CRYPTO_EAUTH:
        return "authentication failed";
    case KF_CRYPTO_EINTERNAL:
        return "internal crypto failure";
    case KF_CRYPTO_EBADKEYFILE:
        return "bad key file";
    default:
        return "unknown error";
    }
}

/* ---------------------------------------------------------------- key file */

static apr_status_t key_fail(apr_pool_t *p, unsigned char key[KF_KEY_LEN], const char **why,
                             apr_status_t rv, const char *msg)
{
    OPENSSL_cleanse(key, KF_KEY_LEN);
    if (why)
        *why = msg ? msg : apr_psprintf(p, "key file error %d", rv);
    return rv;
}

static const char *key_io_reason(apr_pool_t *p, const char *path, apr_status_t rv)
{
    char buf[256];
    return apr_psprintf(p, "cannot read key file %s: %s", path, apr_strerror(rv, buf, sizeof buf));
}

static const char *key_size_reason(apr_pool_t *p, const char *path, const char *size)
{
    return apr_psprintf(p,
                        "key file %s holds %s; it must hold exactly %d random bytes "
                        "(create one with: konfirmado-key %s)",
                        path, size, KF_KEY_LEN, path);
}

apr_status_t kf_key_load_file(apr_pool_t *p, const char *path, unsigned char key[KF_KEY_LEN],
                              const char **why)
{
    if (why)
        *why = NULL;
    if (!key)
        return APR_EINVAL;
    if (!path || !*path)
        return key_fail(p, key, why, APR_EINVAL, "no key file given");

    apr_file_t *f = NULL;
    apr_finfo_t fi;
    apr_status_t rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, APR_FPROT_OS_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return key_fail(p, key, why, rv, key_io_reason(p, path, rv));

    rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE | APR_FINFO_PROT, f);
    if (rv != APR_SUCCESS) {
        apr_file_close(f);
        return key_fail(p, key, why, rv, key_io_reason(p, path, rv));
    }
    if (fi.filetype != APR_REG) {
        apr_file_close(f);
        return key_fail(p, key, why, KF_CRYPTO_EBADKEYFILE,
                        apr_psprintf(p, "key file %s is not a regular file", path));
    }
    if (fi.protection & APR_WREAD) {
        apr_file_close(f);
        return key_fail(p, key, why, KF_CRYPTO_EBADKEYFILE,
                        apr_psprintf(p, "key file %s is readable by every user of the machine: "
                                     "chmod 0640 %s (owner root, group www-data)", path, path));
    }
    if (fi.size != KF_KEY_LEN) {
        apr_file_close(f);
        return key_fail(p, key, why, KF_CRYPTO_EBADKEYFILE,
                        key_size_reason(p, path,
                                        apr_psprintf(p, "%" APR_OFF_T_FMT " byte%s", fi.size,
                                                     fi.size == 1 ? "" : "s")));
    }

    apr_size_t got = 0, one = 1;
    unsigned char extra;
    rv = apr_file_read_full(f, key, KF_KEY_LEN, &got);
    if (rv == APR_EOF || (rv == APR_SUCCESS && got != KF_KEY_LEN)) {
        /* The file shrank between stat and read. */
        apr_file_close(f);
        return key_fail(p, key, why, KF_CRYPTO_EBADKEYFILE,
                        key_size_reason(p, path, apr_psprintf(p, "%lu bytes", (unsigned long)got)));
    }
    if (rv != APR_SUCCESS) {
        apr_file_close(f);
        return key_fail(p, key, why, rv, key_io_reason(p, path, rv));
    }
    rv = apr_file_read(f, &extra, &one);
    apr_file_close(f);
    OPENSSL_cleanse(&extra, sizeof extra);
    if (rv == APR_SUCCESS) /* the file grew between stat and read */
        return key_fail(p, key, why, KF_CRYPTO_EBADKEYFILE,
                        key_size_reason(p, path, "more than 32 bytes"));
    if (rv != APR_EOF)
        return key_fail(p, key, why, rv, key_io_reason(p, path, rv));
    return APR_SUCCESS;
}

#define SECRET_FILE_MAX 4096

apr_status_t kf_secret_load_file(apr_pool_t *p, const char *path, const char **secret,
                                 const char **why)
{
    const char *ignored;
    if (!why)
        why = &ignored;
    *secret = NULL;
    *why = NULL;
    if (!path || !*path) {
        *why = "no key file given";
        return APR_EINVAL;
    }
    apr_file_t *f = NULL;
    apr_finfo_t fi;
    apr_status_t rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, APR_FPROT_OS_DEFAULT, p);
    if (rv == APR_SUCCESS)
        rv = apr_file_info_get(&fi, APR_FINFO_TYPE | APR_FINFO_PROT, f);
    if (rv != APR_SUCCESS) {
        if (f)
            apr_file_close(f);
        *why = key_io_reason(p, path, rv);
        return rv;
    }
    if (fi.filetype != APR_REG || (fi.protection & APR_WREAD)) {
        apr_file_close(f);
        *why = fi.filetype != APR_REG
                   ? apr_psprintf(p, "key file %s is not a regular file", path)
                   : apr_psprintf(p, "key file %s is readable by every user of the machine: "
                                  "chmod 0640 %s (owner root, group www-data)", path, path);
        return KF_CRYPTO_EBADKEYFILE;
    }
    char buf[SECRET_FILE_MAX + 2];
    apr_size_t len = sizeof(buf) - 1;
    rv = apr_file_read(f, buf, &len);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        OPENSSL_cleanse(buf, sizeof buf);
        *why = key_io_reason(p, path, rv);
        return rv;
    }
    buf[rv == APR_SUCCESS ? len : 0] = '\0';
    apr_size_t first = strcspn(buf, "\r\n");
    if (first == 0 || first > SECRET_FILE_MAX) {
        OPENSSL_cleanse(buf, sizeof buf);
        *why = apr_psprintf(p, "key file %s holds no key on its first line (or one longer "
                            "than %d bytes)", path, SECRET_FILE_MAX);
        return KF_CRYPTO_EBADKEYFILE;
    }
    *secret = apr_pstrmemdup(p, buf, first);
    OPENSSL_cleanse(buf, sizeof buf);
    return APR_SUCCESS;
}

apr_status_t kf_reseal(apr_pool_t *p, const kf_keyring *kr, const char *sealed, const char *aad,
                       const char **resealed)
{
    *resealed = NULL;
    const char *primary = kf_keyring_primary_kid(kr);
    if (!primary || !sealed) {
        return APR_EINVAL;
    }
    char *plain = NULL;
    apr_size_t len = 0;
    apr_status_t rv = kf_open(p, kr, sealed, aad, &plain, &len);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    apr_size_t prefix = strlen(KF_SEAL_PREFIX);
    if (strncmp(sealed + prefix, primary, KF_KEY_ID_LEN) != 0 || sealed[prefix + KF_KEY_ID_LEN] != '.') {
        *resealed = kf_seal(p, kr, plain, len, aad);
        if (!*resealed) {
            rv = KF_CRYPTO_EINTERNAL;
        }
    }
    OPENSSL_cleanse(plain, len);
    return rv;
}

int kf_token_shape_ok(const char *token)
{
    apr_size_t len = token ? strlen(token) : 0;
    return len >= 22 && len <= 128 &&
           strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == len;
}

const char *kf_bearer_token(const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0) {
        return NULL;
    }
    const char *token = authorization + 7 + strspn(authorization + 7, " ");
    return kf_token_shape_ok(token) ? token : NULL;
}

const char *kf_callback_secret_aad(apr_pool_t *p, const char *tenant_id)
{
    return apr_pstrdup(p, tenant_id);
}

const char *kf_provider_secrets_aad(apr_pool_t *p, const char *tenant_id, const char *provider)
{
    return apr_pstrcat(p, "tenant:", tenant_id, ":", provider, NULL);
}
