#ifndef MOD_KF_HOLDS_CONF_H
#define MOD_KF_HOLDS_CONF_H
/* The holds feature's directives (how long a hold lives and how many one client may keep),
 * one X(T, field, "Directive", KIND, default, "help") each; the generators of mod_kf_config.h
 * make of them struct kfm_holds_conf, its getters kfm_holds_conf_<field>(c) and
 * kfm_holds_conf_of(s), the configuration in server s. */
#include "mod_kf_config.h"

#define KFM_HOLDS_DIRECTIVES(X, T)                                                        \
    X(T, hold_ttl, "KonfirmadoHoldTTL", SECONDS, 600, "seconds a held slot stays reserved")  \
    X(T, active_hold_limit, "KonfirmadoActiveHoldLimit", COUNT, 10,                          \
      "holds one client IP may keep alive at once")

KFM_CONF_DECLARE(kfm_holds_conf, KFM_HOLDS_DIRECTIVES)

#endif
