/* The registry as the unit suite of the registry builds it: the module's, and testpay's line
 * (kf_payment_testpay.c). This object defines every symbol of kf_payment_providers.c, so the
 * library's copy is never linked beside it. */
#define KF_PAYMENT_PROVIDERS_MORE(X) X(testpay)
#include "kf_payment_providers.c"
