/* Stripe (kf_payment_stripe.c): its description in the registry, and what its tests and the
 * fuzzers reach of it. */
#ifndef KF_PAYMENT_STRIPE_H
#define KF_PAYMENT_STRIPE_H

#include "kf_payment.h"
#include "kf_signatures.h"

extern const kf_payment_provider kf_payment_stripe;

/* ---- its signature scheme (docs/PROVIDERS.md) ---- */

/* Lowercase hex HMAC-SHA256(secret, t + "." + body): the v1 value of Stripe-Signature
 * (kf_sig_timestamped). NULL if secret is NULL. */
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

#endif
