#ifndef MOD_KF_OPERATIONS_CONF_H
#define MOD_KF_OPERATIONS_CONF_H
/* The operations feature's directives (the per-IP and per-account attempt limits the rate
 * limiter counts), one X(T, field, "Directive", KIND, default, "help") each; the generators of
 * mod_kf_config.h make of them struct kfm_operations_conf, its getters
 * kfm_operations_conf_<field>(c) and kfm_operations_conf_of(s), the configuration in server s. */
#include "mod_kf_config.h"

#define KFM_OPERATIONS_DIRECTIVES(X, T)                                                      \
    X(T, auth_account_limit, "KonfirmadoAuthAccountLimit", COUNT, 5,                         \
      "failed logins (and password-reset requests) per account and window before 429")       \
    X(T, auth_ip_limit, "KonfirmadoAuthIPLimit", COUNT, 30,                                  \
      "failed logins, registrations and password-reset requests per client IP and window")   \
    X(T, auth_limit_window, "KonfirmadoAuthLimitWindow", SECONDS, 900,                       \
      "seconds of the window the auth attempt limits count in")                              \
    X(T, public_read_limit, "KonfirmadoPublicReadLimit", COUNT, 300,                         \
      "public reads (link, availability, booking status) per client IP and minute")          \
    X(T, hold_limit, "KonfirmadoHoldLimit", COUNT, 60,                                       \
      "holds per client IP and 10 minutes")                                                  \
    X(T, booking_limit, "KonfirmadoBookingLimit", COUNT, 20,                                 \
      "bookings per client IP and 10 minutes")                                               \
    X(T, bad_webhook_limit, "KonfirmadoBadWebhookLimit", COUNT, 600,                         \
      "webhooks with a bad signature per client IP and minute (valid ones are never limited)")

KFM_CONF_DECLARE(kfm_operations_conf, KFM_OPERATIONS_DIRECTIVES)

#endif
