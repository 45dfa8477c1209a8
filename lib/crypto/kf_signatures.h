/* Provider signature schemes (see docs/PROVIDERS.md): Wompi integrity and event checksums,
 * Stripe, Airwallex, Mercado Pago and Cal.com webhook signatures; and Standard Webhooks
 * (standardwebhooks.com), which Konfirmado's own callbacks carry.
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

/* ---- Wompi ---- */

/* Integrity signature for the web checkout: lowercase hex SHA-256 (plain hash, not HMAC) of
 * reference + amount_in_cents (decimal) + currency [+ expiration_time] + integrity_secret,
 * no separators. expiration_time may be NULL (or "") when the checkout has none.
 * NULL if reference, currency or the secret is NULL or empty, or amount is negative. */
const char *kf_wompi_integrity(apr_pool_t *p, const char *reference, apr_int64_t amount_in_cents,
                               const char *currency, const char *expiration_time,
                               const char *integrity_secret);

/* Event checksum: lowercase hex SHA-256 over the values at each path of
 * event.signature.properties (dotted paths such as "transaction.id", looked up inside
 * event.data, in the listed order; strings as they are, integers in decimal), then
 * event.timestamp (an integer) in decimal, then events_secret.
 * APR_SUCCESS with *hex set, or APR_EINVAL with *why a one-line reason (no values, no secret)
 * when: the event is not an object, signature.properties is missing, empty or holds a
 * non-string, a path is empty or not found, a value is a real number / boolean / null /
 * object / array, timestamp is missing or not an integer, or the secret is NULL or empty.
 * hex and why may each be NULL. */
apr_status_t kf_wompi_event_checksum(apr_pool_t *p, const json_t *event, const char *events_secret,
                                     const char **hex, const char **why);

/* 1 if the event is authentic: its checksum computes, at least one of signature.checksum
 * (in the body) and header_checksum (X-Event-Checksum; NULL when absent) is present, and
 * every one present equals the computed checksum, ignoring hex case, in constant time.
 * 0 otherwise. */
int kf_wompi_event_verify(apr_pool_t *p, const json_t *event, const char *header_checksum,
                          const char *events_secret);

/* ---- Stripe ---- */

/* Lowercase hex HMAC-SHA256(secret, t + "." + body): the v1 value of Stripe-Signature (and
 * the scheme of Konfirmado's own X-Konfirmado-Signature). NULL if secret is NULL. */
const char *kf_stripe_signature(apr_pool_t *p, const char *secret, apr_int64_t t, const char *body,
                                apr_size_t len);

/* Verify a Stripe-Signature header "t=<unix seconds>,v1=<hex>[,v1=<hex>...]" (other schemes
 * such as v0 are ignored; spaces around items are tolerated) over the raw body (len bytes)
 * with the whole secret ("whsec_..." included) as key.
 *   KF_SIG_MALFORMED      no header, no t, t not a decimal integer, t given twice, no v1
 *   KF_SIG_BAD_SIGNATURE  no v1 matches (checked first: a forged old event is "bad", not "stale")
 *   KF_SIG_STALE          a v1 matches but |now - t| > tolerance_seconds (now is apr_time_t,
 *                         microseconds; a negative tolerance makes every event stale)
 *   KF_SIG_OK             otherwise */
kf_sig_result kf_stripe_verify(apr_pool_t *p, const char *sig_header, const char *body,
                               apr_size_t len, const char *secret, apr_time_t now,
                               int tolerance_seconds);

/* ---- Airwallex ---- */

/* Lowercase hex HMAC-SHA256(secret, x_timestamp + body). NULL if secret or x_timestamp is NULL. */
const char *kf_airwallex_signature(apr_pool_t *p, const char *secret, const char *x_timestamp,
                                   const char *body, apr_size_t len);

/* Verify the x-signature header against x-timestamp (Unix milliseconds, decimal digits) and
 * the raw body. MALFORMED when a header is missing/empty or the timestamp is not all digits,
 * BAD_SIGNATURE on mismatch. No freshness check here: replays are absorbed by recording each
 * event id once. */
kf_sig_result kf_airwallex_verify(apr_pool_t *p, const char *x_timestamp, const char *x_signature,
                                  const char *body, apr_size_t len, const char *secret);

/* ---- Mercado Pago ---- */

/* Signed manifest "id:<data_id lowercased>;request-id:<request_id>;ts:<ts>;". As Mercado
 * Pago documents, a part whose value is absent (NULL) is left out of the template.
 * NULL if ts is NULL or empty. */
const char *kf_mercadopago_manifest(apr_pool_t *p, const char *data_id, const char *request_id,
                                    const char *ts);

/* Verify "x-signature: ts=<ts>,v1=<hex>" given x-request-id and data.id from the
 * notification URL's query (either may be NULL when absent).
 * MALFORMED when the header is missing or lacks ts or v1; BAD_SIGNATURE on mismatch. */
kf_sig_result kf_mercadopago_verify(apr_pool_t *p, const char *x_signature,
                                    const char *x_request_id, const char *data_id,
                                    const char *secret);

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
