/* The callbacks feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_callbacks_conf.h"

KFM_CONF_DEFINE(kfm_callbacks_conf, KFM_CALLBACKS_DIRECTIVES, "callbacks", NULL);
