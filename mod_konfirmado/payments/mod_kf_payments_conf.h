#ifndef MOD_KF_PAYMENTS_CONF_H
#define MOD_KF_PAYMENTS_CONF_H
/* The payments feature's directives (how long what waits for its payment waits, how often the
 * expiry sweeps run, when a pending payment is asked about), one X(T, field, "Directive",
 * KIND, default, "help") each; the generators of mod_kf_config.h make of them struct
 * kfm_payments_conf, its getters kfm_payments_conf_<field>(c) and kfm_payments_conf_of(s), the
 * configuration in server s. */
#include "mod_kf_config.h"

#define KFM_PAYMENTS_DIRECTIVES(X, T)                                                        \
    X(T, payment_window, "KonfirmadoPaymentWindow", SECONDS, 1800,                           \
      "seconds a booking waits for its payment (the checkout's expiration)")                 \
    X(T, expiry_interval, "KonfirmadoExpiryInterval", SECONDS, 15,                           \
      "seconds between two runs of the job expiring holds and unpaid bookings (at most 30)") \
    X(T, reconcile_delay, "KonfirmadoReconcileDelay", SECONDS, 300,                          \
      "seconds after checkout before a still pending payment is asked about with the "       \
      "merchant's key; then doubling waits (at most 1 h) until the window plus 24 h")

KFM_CONF_DECLARE(kfm_payments_conf, KFM_PAYMENTS_DIRECTIVES)

#endif
