/* mod_watchdog registration shared by every background job: see mod_kf_jobs.h. */
#include "mod_kf_jobs.h"

#include <apr_optional.h>

apr_status_t kf_job_register(apr_pool_t *pconf, const char *name, apr_interval_time_t interval,
                             void *data, ap_watchdog_callback_fn_t *run)
{
    APR_OPTIONAL_FN_TYPE(ap_watchdog_get_instance) *get_instance =
        APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    APR_OPTIONAL_FN_TYPE(ap_watchdog_register_callback) *register_callback =
        APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    ap_watchdog_t *wd = NULL;

    if (!get_instance || !register_callback) {
        return APR_ENOTIMPL;
    }
    /* child process (parent 0), singleton (1): one child runs it, not every child */
    apr_status_t rv = get_instance(&wd, name, 0, 1, pconf);
    return rv == APR_SUCCESS ? register_callback(wd, interval, data, run) : rv;
}
