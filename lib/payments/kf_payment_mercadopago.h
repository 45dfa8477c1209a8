/* Mercado Pago (kf_payment_mercadopago.c): its description in the registry, and what its
 * tests and the fuzzers reach of it. */
#ifndef KF_PAYMENT_MERCADOPAGO_H
#define KF_PAYMENT_MERCADOPAGO_H

#include "kf_payment.h"

extern const kf_payment_provider kf_payment_mercadopago;

#endif
