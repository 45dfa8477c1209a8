/* Airwallex (kf_payment_airwallex.c): its description in the registry, and what its tests and the
 * fuzzers reach of it. */
#ifndef KF_PAYMENT_AIRWALLEX_H
#define KF_PAYMENT_AIRWALLEX_H

#include "kf_payment.h"

extern const kf_payment_provider kf_payment_airwallex;

#endif
