/* Stripe (kf_payment_stripe.c): its description in the registry, and what its tests and the
 * fuzzers reach of it. */
#ifndef KF_PAYMENT_STRIPE_H
#define KF_PAYMENT_STRIPE_H

#include "kf_payment.h"

extern const kf_payment_provider kf_payment_stripe;

#endif
