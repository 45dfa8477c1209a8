/* The payments feature's directives: their unset values and merge rule, from the list. */
#include "mod_kf_payments_conf.h"

KFM_CONF_DEFINE(kfm_payments_conf, KFM_PAYMENTS_DIRECTIVES, "payments", NULL);
