/* The calendars feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_calendars_conf.h"

KFM_CONF_DEFINE(kfm_calendars_conf, KFM_CALENDARS_DIRECTIVES, "calendars", NULL);
