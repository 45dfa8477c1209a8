#ifndef MOD_KF_OPERATIONS_CONF_H
#define MOD_KF_OPERATIONS_CONF_H
/* The operations feature's directives (the per-IP and per-account attempt limits the rate
 * limiter counts, what a client counts as, the memory of unknown hosts, the port a custom
 * domain's proof is fetched from, and how often the purge job runs), one X(T, field, "Directive", KIND, default, "help") each; the generators of
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
      "webhooks with a bad signature per client IP and minute (valid ones are never limited)") \
    X(T, ipv6_limit_prefix, "KonfirmadoIPv6LimitPrefix", COUNT, 64,                          \
      "leading bits of an IPv6 client's address the per-IP limits count it by (at most "     \
      "128; an IPv4 client counts by its address)")                                          \
    X(T, auth_account_ceiling, "KonfirmadoAuthAccountCeiling", COUNT, 50,                    \
      "failed logins per account and window from every network together before 429")         \
    X(T, unknown_host_limit, "KonfirmadoUnknownHostLimit", COUNT, 60,                        \
      "look-ups of host names no tenant has per client IP and minute")                       \
    X(T, unknown_host_cache, "KonfirmadoUnknownHostCache", SECONDS, 10,                      \
      "seconds a host name no tenant has is answered unknown_host without a look-up")        \
    X(T, oauth_start_limit, "KonfirmadoOAuthStartLimit", COUNT, 30,                          \
      "calendar connections started per client IP and 10 minutes")                           \
    X(T, domain_check_port, "KonfirmadoDomainCheckPort", COUNT, 80,                          \
      "port of a tenant's domain its ownership proof is fetched from (80; tests only)")      \
    X(T, purge_interval, "KonfirmadoPurgeInterval", SECONDS, 3600,                           \
      "seconds between two runs of the job deleting, a day after their end, expired "        \
      "sessions, account tokens, OAuth states and invitations, and what ended holds leave")   \
    X(T, metrics_interval, "KonfirmadoMetricsInterval", SECONDS, 60,                         \
      "seconds between two runs of the job keeping the merchants' daily figures")             \
    X(T, alerts_interval, "KonfirmadoAlertsInterval", SECONDS, 60,                           \
      "seconds between two runs of the job alerting merchants to what keeps failing")        \
    X(T, bench_baseline, "KonfirmadoBenchBaseline", FLAG, 0,                                 \
      "answer `SetHandler konfirmado-bench-baseline` with a body from memory (bench/run only)")

KFM_CONF_DECLARE(kfm_operations_conf, KFM_OPERATIONS_DIRECTIVES)

#endif
