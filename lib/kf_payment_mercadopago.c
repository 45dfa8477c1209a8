/* PLACEHOLDER until the mercadopago provider lands: every call refuses (APR_ENOTIMPL), so that a tenant
 * choosing mercadopago cannot take payments yet. Wire formats: PROVIDERS.md. */
#include "kf_payment.h"

#include <string.h>

static kf_payment_endpoints mercadopago_default_endpoints(const char *mode)
{
    (void)mode;
    kf_payment_endpoints ep = {NULL, NULL};
    return ep;
}

const kf_payment_provider kf_payment_mercadopago = {
    "mercadopago", 0, mercadopago_default_endpoints, NULL, NULL, NULL, NULL, NULL, NULL,
};
