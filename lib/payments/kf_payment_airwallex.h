/* Airwallex (kf_payment_airwallex.c): its description in the registry, and what its tests and the
 * fuzzers reach of it. */
#ifndef KF_PAYMENT_AIRWALLEX_H
#define KF_PAYMENT_AIRWALLEX_H

#include "kf_payment.h"
#include "kf_signatures.h"

extern const kf_payment_provider kf_payment_airwallex;

/* ---- its signature scheme (docs/PROVIDERS.md) ---- */

/* Lowercase hex HMAC-SHA256(secret, x_timestamp + body). NULL if secret or x_timestamp is NULL. */
const char *kf_airwallex_signature(apr_pool_t *p, const char *secret, const char *x_timestamp,
                                   const char *body, apr_size_t len);

/* Verify the x-signature header against x-timestamp (Unix milliseconds, decimal digits) and
 * the raw body. MALFORMED when a header is missing/empty or the timestamp is not all digits,
 * BAD_SIGNATURE on mismatch. No freshness check here: replays are absorbed by recording each
 * event id once. */
kf_sig_result kf_airwallex_verify(apr_pool_t *p, const char *x_timestamp, const char *x_signature,
                                  const char *body, apr_size_t len, const char *secret);

#endif
