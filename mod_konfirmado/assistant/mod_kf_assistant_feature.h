#ifndef MOD_KF_ASSISTANT_FEATURE_H
#define MOD_KF_ASSISTANT_FEATURE_H
/* The booking assistant: a customer's sentence read into an intent and answered with slots
 * availability offers; it never holds or books (the wizard does, once a slot is picked).
 * What the feature hands the module (its descriptor, mod_kf_assistant_feature.c), and the
 * handlers and statement tables that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_assistant_feature;

/* endpoints */
int kfm_handle_public_assistant(kfm_req *kr);
int kfm_handle_public_assistant_event(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_assistant_sql[];

#endif
