/* PLACEHOLDER until the airwallex provider lands: every call refuses (APR_ENOTIMPL), so that a tenant
 * choosing airwallex cannot take payments yet. Wire formats: PROVIDERS.md. */
#include "kf_payment.h"

#include <string.h>

static kf_payment_endpoints airwallex_default_endpoints(const char *mode)
{
    (void)mode;
    kf_payment_endpoints ep = {NULL, NULL};
    return ep;
}

const kf_payment_provider kf_payment_airwallex = {
    "airwallex", 0, airwallex_default_endpoints, NULL, NULL, NULL, NULL, NULL, NULL,
};
