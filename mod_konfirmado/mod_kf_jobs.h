#ifndef MOD_KF_JOBS_H
#define MOD_KF_JOBS_H
/* Background jobs: mod_watchdog singleton callbacks, so that one child of the server runs
 * each job (several servers share the work through FOR UPDATE SKIP LOCKED). */
#include "mod_kf.h"
#include "mod_watchdog.h"

/* Registers `run` every `interval` on a watchdog instance of its own named `name`.
 * APR_ENOTIMPL when mod_watchdog is not loaded (the caller says what that means for its
 * job), else mod_watchdog's own status. Call from post_config (second pass). */
apr_status_t kf_job_register(apr_pool_t *pconf, const char *name, apr_interval_time_t interval,
                             void *data, ap_watchdog_callback_fn_t *run);

#endif
