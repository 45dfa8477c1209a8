/* The bookings feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_bookings_conf.h"

KFM_CONF_DEFINE(kfm_bookings_conf, KFM_BOOKINGS_DIRECTIVES, "bookings", NULL);
