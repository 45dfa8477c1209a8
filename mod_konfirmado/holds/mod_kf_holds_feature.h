#ifndef MOD_KF_HOLDS_FEATURE_H
#define MOD_KF_HOLDS_FEATURE_H
/* Holds: a slot taken for a while by a public visitor (or by a reschedule), and let go.
 * What the feature hands the module (its descriptor, mod_kf_holds_feature.c), and the
 * handlers and statement table that descriptor lists; its directives (a hold's life, the
 * live holds per client) are in mod_kf_holds_conf.h. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_holds_feature;

/* endpoints */
int kfm_handle_public_hold_create(kfm_req *kr);
int kfm_handle_public_hold_release(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_holds_sql[];
extern const kfm_sql kfm_hold_series_sql[];
extern const kfm_sql kfm_hold_steps_sql[];

#endif
