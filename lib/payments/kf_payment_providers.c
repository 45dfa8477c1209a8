/* The registry of payment providers: one line each. A provider is its own file
 * (kf_payment_<name>.c, which defines kf_payment_<name>) and its line here; every list of
 * providers elsewhere is read from this one (kf_payment.h, "the registry").
 *
 * KF_PAYMENT_PROVIDERS_MORE adds lines to a build of its own: the unit tests compile this
 * file again with a provider that exists only there (tests/unit/kf_payment_testpay.c). */
#include "kf_payment.h"

#include <string.h>

#define KF_PAYMENT_PROVIDERS(X) \
    X(wompi)                    \
    X(stripe)                   \
    X(mercadopago)              \
    X(airwallex)

#ifndef KF_PAYMENT_PROVIDERS_MORE
#define KF_PAYMENT_PROVIDERS_MORE(X)
#endif

#define DECLARE(name) extern const kf_payment_provider kf_payment_##name;
#define LIST(name) &kf_payment_##name,

KF_PAYMENT_PROVIDERS(DECLARE)
KF_PAYMENT_PROVIDERS_MORE(DECLARE)

const kf_payment_provider *const kf_payment_providers[] = {
    KF_PAYMENT_PROVIDERS(LIST) KF_PAYMENT_PROVIDERS_MORE(LIST) NULL,
};

const kf_payment_provider *kf_payment_provider_find(const char *name)
{
    for (int i = 0; name && kf_payment_providers[i]; i++) {
        if (strcmp(kf_payment_providers[i]->name, name) == 0) {
            return kf_payment_providers[i];
        }
    }
    return NULL;
}
