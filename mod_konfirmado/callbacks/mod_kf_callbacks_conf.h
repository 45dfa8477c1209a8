#ifndef MOD_KF_CALLBACKS_CONF_H
#define MOD_KF_CALLBACKS_CONF_H
/* The callbacks feature's directives (their retry schedule's divisor and how many go at once),
 * one X(T, field, "Directive", KIND, default, "help") each; the generators of mod_kf_config.h
 * make of them struct kfm_callbacks_conf, its getters kfm_callbacks_conf_<field>(c) and
 * kfm_callbacks_conf_of(s), the configuration in server s. */
#include "mod_kf_config.h"

#define KFM_CALLBACKS_DIRECTIVES(X, T)                                                       \
    X(T, callback_retry_divisor, "KonfirmadoCallbackRetryDivisor", COUNT, 1,                 \
      "divides every wait of the merchant callback retry schedule (1 = as documented; "      \
      "tests only)")                                                                         \
    X(T, callback_concurrency, "KonfirmadoCallbackConcurrency", COUNT, 8,                    \
      "merchant callbacks of one tenant this server delivers at once (at most 32; never two " \
      "of one booking)")

KFM_CONF_DECLARE(kfm_callbacks_conf, KFM_CALLBACKS_DIRECTIVES)

#endif
