/* The operations feature's directives: their unset values, merge rule and startup check. */
#include "mod_kf_operations_conf.h"

/* An IPv6 address has 128 bits: a longer prefix cannot be counted by. */
static int check_ipv6_prefix(server_rec *s, const void *conf, apr_pool_t *ptemp)
{
    int bits = kfm_operations_conf_ipv6_limit_prefix(conf);
    if (bits > 128) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "KonfirmadoIPv6LimitPrefix must be at most 128 bits, not %d", bits);
        return !OK;
    }
    return OK;
}

KFM_CONF_DEFINE(kfm_operations_conf, KFM_OPERATIONS_DIRECTIVES, "operations", check_ipv6_prefix);
