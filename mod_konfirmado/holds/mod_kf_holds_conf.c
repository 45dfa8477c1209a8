/* The holds feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_holds_conf.h"

KFM_CONF_DEFINE(kfm_holds_conf, KFM_HOLDS_DIRECTIVES, "holds", NULL);
