/* A payment tried without its provider: on a server that cannot reach the provider (a staging
 * box, a firewalled network, an evaluation), the operator posts the provider's own signed
 * notice of a test-mode payment to the server's webhook, as the provider would
 * (konfirmado-payment-test). The notice is the provider's (kf_payment_provider.trial_notice);
 * this says when a payment may be tried so, and what the tool names.
 *
 * Pure core: no I/O, no clock, no randomness of its own; results in the caller's pool.
 */
#ifndef KF_PAYMENT_TRIAL_H
#define KF_PAYMENT_TRIAL_H

#include <apr_pools.h>
#include <apr_time.h>

#include "kf_payment.h"

/* Why the payment of a tenant's account cannot be tried without its provider, or NULL when
 * it can: its provider has no trial notice (its checkout is made by a call to its API, or
 * its notices carry no state), the account or the payment is not in test mode (a live
 * account's notice would move real bookings without real money), the account has no
 * secrets (`has_secrets` 0), or the payment is not pending any more. A sentence for the
 * operator, in p. prov NULL: no provider of that name. */
const char *kf_payment_trial_refusal(apr_pool_t *p, const kf_payment_provider *prov,
                                     const char *provider_name, const char *account_mode,
                                     int has_secrets, const char *payment_mode,
                                     const char *payment_status);

/* The id a trial gives the provider's transaction: "konfirmado-test-<Unix seconds of
 * now>-<nonce, 5 digits>", so that the booking's payment says where it came from. */
const char *kf_payment_trial_transaction_id(apr_pool_t *p, apr_time_t now, apr_uint32_t nonce);

/* Where the provider posts its notices on a server whose platform URL is site_url
 * (KonfirmadoPublicURL): {site_url}/api/webhooks/{provider}. */
const char *kf_payment_trial_webhook_url(apr_pool_t *p, const char *site_url,
                                         const kf_payment_provider *prov);

#endif
