#ifndef MOD_KF_IDENTITY_FEATURE_H
#define MOD_KF_IDENTITY_FEATURE_H
/* Identity: who a request comes from and what they did — a merchant's session and its tenant,
 * what a public request names (the host's tenant, the visit, a booking's token), and the
 * audit line of a change.
 * What the feature hands the module (its descriptor, mod_kf_identity_feature.c): no endpoint
 * of its own, the statements the others' handlers run through it. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_identity_feature;

#endif
