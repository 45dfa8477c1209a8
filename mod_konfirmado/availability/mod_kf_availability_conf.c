/* The availability feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_availability_conf.h"

KFM_CONF_DEFINE(kfm_availability_conf, KFM_AVAILABILITY_DIRECTIVES, "availability", NULL);
