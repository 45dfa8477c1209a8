/* Wompi (kf_payment_wompi.c): its description in the registry, and what its tests and the
 * fuzzers reach of it. */
#ifndef KF_PAYMENT_WOMPI_H
#define KF_PAYMENT_WOMPI_H

#include "kf_payment.h"

extern const kf_payment_provider kf_payment_wompi;

/* Wompi's expiration-time format: "2023-06-09T20:28:50.000Z" (UTC, milliseconds). */
const char *kf_wompi_time(apr_pool_t *p, apr_time_t t);

#endif
