/* Mercado Pago (kf_payment_mercadopago.c): its description in the registry, and what its
 * tests and the fuzzers reach of it. */
#ifndef KF_PAYMENT_MERCADOPAGO_H
#define KF_PAYMENT_MERCADOPAGO_H

#include "kf_payment.h"
#include "kf_signatures.h"

extern const kf_payment_provider kf_payment_mercadopago;

/* ---- its signature scheme (docs/PROVIDERS.md) ---- */

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

#endif
