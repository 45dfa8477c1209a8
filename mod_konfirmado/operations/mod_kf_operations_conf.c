/* The operations feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_operations_conf.h"

KFM_CONF_DEFINE(kfm_operations_conf, KFM_OPERATIONS_DIRECTIVES, "operations", NULL);
