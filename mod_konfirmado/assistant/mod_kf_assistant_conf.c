/* The booking assistant's directives: their unset values and merge rule, from the list. */
#include "mod_kf_assistant_conf.h"

KFM_CONF_DEFINE(kfm_assistant_conf, KFM_ASSISTANT_DIRECTIVES, "assistant", NULL);
