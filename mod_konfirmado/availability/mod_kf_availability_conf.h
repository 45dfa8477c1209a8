#ifndef MOD_KF_AVAILABILITY_CONF_H
#define MOD_KF_AVAILABILITY_CONF_H
/* The availability feature's directives (its answers' cache, the facts memo, and how long a
 * calendar's busy times are believed), one X(T, field, "Directive", KIND, default, "help")
 * each; the generators of mod_kf_config.h make of them struct kfm_availability_conf, its
 * getters kfm_availability_conf_<field>(c) and kfm_availability_conf_of(s), the configuration
 * in server s. */
#include "mod_kf_config.h"

#define KFM_AVAILABILITY_DIRECTIVES(X, T)                                                    \
    X(T, cache, "KonfirmadoAvailabilityCache", TEXT,                                         \
      "shmcb:konfirmado-availability(33554432)",                                             \
      "socache provider[:arguments] caching availability answers, or Off (main server)")     \
    X(T, cache_ttl, "KonfirmadoAvailabilityCacheTTL", SECONDS, 1,                            \
      "seconds a cached availability answer may live (at most 10): how long another "        \
      "server's holds may stay unseen")                                                      \
    X(T, facts_memo, "KonfirmadoAvailabilityFactsMemo", FLAG, 1,                             \
      "On: each child keeps the facts availability is computed from and reuses them while "  \
      "their versions say they are current, trusted with no read between change notices")    \
    X(T, calendar_stale, "KonfirmadoCalendarStale", SECONDS, 21600,                          \
      "seconds a calendar's last busy times are still believed when the provider cannot "    \
      "be read; after that its professional offers no slots")

KFM_CONF_DECLARE(kfm_availability_conf, KFM_AVAILABILITY_DIRECTIVES)

#endif
