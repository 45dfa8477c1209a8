#include "mod_kf_child_exits.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "ap_mpm.h"

/* What the parent had before the wake: it comes back in children and before the module is
 * unloaded at a restart (the handler lives in the module's code). */
static struct sigaction before;
static int wake_set;

/* Its arrival is what counts: it ends the parent's sleep. */
static void child_exited(int signo)
{
    (void)signo;
}

static apr_status_t put_default_back(void *unused)
{
    (void)unused;
    if (wake_set) {
        sigaction(SIGCHLD, &before, NULL);
        wake_set = 0;
    }
    return APR_SUCCESS;
}

static int slots_for_a_new_generation(void)
{
    int slots = 0, children = 0;
    if (ap_mpm_query(AP_MPMQ_HARD_LIMIT_DAEMONS, &slots) != APR_SUCCESS ||
        ap_mpm_query(AP_MPMQ_MAX_DAEMONS, &children) != APR_SUCCESS) {
        return 0;
    }
    return children > 0 && slots >= 2 * children;
}

int kfm_child_exits_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s)
{
    (void)plog;
    (void)ptemp;
    /* post_config runs twice at startup; the first pass only validates */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG || wake_set ||
        !slots_for_a_new_generation()) {
        return OK;
    }
    struct sigaction now;
    if (sigaction(SIGCHLD, NULL, &now) != 0 || now.sa_handler != SIG_DFL) {
        return OK; /* someone else handles it: theirs stays */
    }
    struct sigaction wake;
    memset(&wake, 0, sizeof(wake));
    wake.sa_handler = child_exited;
    sigemptyset(&wake.sa_mask);
    /* whatever the parent is in when a child exits goes on where it restarts */
    wake.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    if (sigaction(SIGCHLD, &wake, &before) != 0) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, s,
                     "mod_konfirmado: a graceful restart's new children will start at "
                     "Apache's own pace: SIGCHLD's handler could not be set");
        return OK;
    }
    wake_set = 1;
    apr_pool_cleanup_register(pconf, NULL, put_default_back, apr_pool_cleanup_null);
    return OK;
}

void kfm_child_exits_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)pchild;
    (void)s;
    put_default_back(NULL);
}
