#ifndef MOD_KF_ZONES_H
#define MOD_KF_ZONES_H
/* Time zones for the slot engine's inputs (lib/availability/kf_zone.h), read from the system's tzdata
 * (KFM_ZONEINFO_DIR, /usr/share/zoneinfo: the files PostgreSQL reads on Debian) once per
 * child process and kept for its life: a zone file changes with a tzdata upgrade, which
 * restarts the server (Debian's tzdata triggers do not; `apachectl graceful` after one). */
#include "mod_kf_request.h"
#include "kf_zone.h"

#ifndef KFM_ZONEINFO_DIR
#define KFM_ZONEINFO_DIR "/usr/share/zoneinfo"
#endif

/* The zone called `name` (IANA name, any case), or NULL when there is none by that name. */
const kf_zone *kfm_zone(kfm_req *kr, const char *name);

void kfm_zones_register_hooks(apr_pool_t *p);

#endif
