/* What signature schemes are made of (a header's k=v list, HMACs, a constant-time compare),
 * and the schemes of no payment provider: Cal.com's webhooks, Konfirmado's own callbacks
 * (t.body, and Standard Webhooks, standardwebhooks.com). A payment provider's scheme is in its
 * own file (lib/payments/kf_payment_<name>.c, docs/PROVIDERS.md).
 *
 * Every function is pure: no I/O, no clock (the caller passes "now"), results in the
 * caller's pool. Comparisons of signatures are constant-time and case-insensitive on hex.
 * A NULL or empty secret never verifies (anyone could compute a MAC with an empty key).
 * No function here logs or returns a secret.
 */
#ifndef KF_SIGNATURES_H
#define KF_SIGNATURES_H

#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>
#include <jansson.h>

typedef enum {
    KF_SIG_OK = 0,        /* the signature is authentic (and fresh, where a time is checked) */
    KF_SIG_MALFORMED,     /* header/fields missing or unparsable: nothing to verify */
    KF_SIG_BAD_SIGNATURE, /* well formed, but no signature matches (or no usable secret) */
    KF_SIG_STALE          /* authentic but its timestamp is outside the tolerance */
} kf_sig_result;

/* "ok", "malformed", "bad signature", "stale" — for logs. */
const char *kf_sig_result_str(kf_sig_result r);

/* ---- what a scheme is made of ---- */

/* 1 if s is 1..18 decimal digits (so it fits an apr_int64_t), value in *out. */
int kf_sig_decimal(const char *s, apr_int64_t *out);

/* One item of a signature header's list. */
typedef struct kf_sig_param {
    const char *key;
    const char *value;             /* NULL: the item has no '=' */
} kf_sig_param;

/* "k1=v1,k2=v2,..." split at commas and at the first '=' of each item (kf_sig_param, in
 * order); spaces and tabs around keys and values are dropped. */
apr_array_header_t *kf_sig_params(apr_pool_t *p, const char *header);

/* Constant-time, case-insensitive check of hex candidate against the computed lowercase hex
 * (either NULL: 0). */
int kf_sig_hex_matches(const char *computed, const char *candidate);

/* Lowercase hex HMAC-SHA256(secret, prefix + body) (the whole secret as key). NULL if secret
 * is NULL, or body is NULL with len > 0. */
const char *kf_sig_hmac_hex(apr_pool_t *p, const char *secret, const char *prefix,
                            apr_size_t prefixlen, const char *body, apr_size_t len);

/* Lowercase hex HMAC-SHA256(secret, t + "." + body): Konfirmado's own X-Konfirmado-Signature
 * (Stripe's v1 is the same). NULL if secret is NULL. */
const char *kf_sig_timestamped(apr_pool_t *p, const char *secret, apr_int64_t t, const char *body,
                               apr_size_t len);

/* A piece of what a plain hash covers. */
typedef struct kf_sig_part {
    const char *ptr;
    apr_size_t len;
} kf_sig_part;

/* Lowercase hex SHA-256 (plain hash, not HMAC) of the n parts one after the other, none
 * copied; NULL if hashing fails. */
const char *kf_sig_sha256_parts(apr_pool_t *p, const kf_sig_part *parts, int n);

/* ---- Cal.com ---- */

/* Lowercase hex HMAC-SHA256(secret, body). NULL if secret is NULL. */
const char *kf_calcom_signature(apr_pool_t *p, const char *secret, const char *body, apr_size_t len);

/* Verify X-Cal-Signature-256. MALFORMED when the header is missing or empty,
 * BAD_SIGNATURE on mismatch. */
kf_sig_result kf_calcom_verify(apr_pool_t *p, const char *header, const char *body, apr_size_t len,
                               const char *secret);

/* ---- Standard Webhooks (symmetric, v1) ---- */

/* The webhook-signature header: "v1," + standard base64 (with padding) of
 * HMAC-SHA256(key, msg_id + "." + timestamp in decimal + "." + body), key being keylen raw
 * bytes (a "whsec_" secret's are the base64 after its prefix, decoded). NULL if the key is
 * empty, msg_id is NULL or empty, or body is NULL with len > 0. */
const char *kf_standard_webhooks_signature(apr_pool_t *p, const void *key, apr_size_t keylen,
                                           const char *msg_id, apr_int64_t timestamp,
                                           const char *body, apr_size_t len);

/* The same key as the Standard Webhooks libraries take it: "whsec_" + standard base64 (with
 * padding) of its keylen bytes. NULL if the key is empty. */
const char *kf_standard_webhooks_secret(apr_pool_t *p, const void *key, apr_size_t keylen);

#endif
