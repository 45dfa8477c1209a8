/* The expiry job: a mod_watchdog singleton callback that marks holds and unpaid bookings
 * whose window has passed as `expired` (history row with the reason), freeing their
 * slots. Rows are claimed with FOR UPDATE SKIP LOCKED so that any number of servers can
 * run it at once; each batch is one statement, hence one transaction. */
#include "mod_kf_handlers.h"
#include "mod_kf_db.h"
#include "mod_kf_availability_cache.h"

#include "mod_kf_jobs.h"

#define EXPIRY_BATCH 500
#define XSTR(x) STR(x)
#define STR(x) #x

const kfm_sql kfm_expiry_sql[] = {
    /* the expiry rule itself is sql/017_core.sql and 032 (kf_reservation_due, kf_expire_due) */
    {"kf_expiry_sweep", "SELECT kf_expire_due(NULL, NULL, " XSTR(EXPIRY_BATCH) ")"},
    {NULL, NULL},
};


static int expiry_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    int total = 0, n = 0;
    do {
        n = 0;
        kfm_rows *res = NULL;
        if (kfm_db_select(NULL, db, "kf_expiry_sweep", &res, 0, NULL) != APR_SUCCESS ||
            kfm_db_rows(db, res) != 1) {
            return -1;
        }
        n = atoi(kfm_db_value(db, p, res, 0, 0));
        total += n;
    } while (n == EXPIRY_BATCH);
    if (total > 0) {
        kfm_availability_cache_bump_all_job();
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "expiry: %d hold(s)/booking(s) expired", total);
    }
    return total;
}

int kfm_expiry_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    int interval = kfm_conf_expiry_interval(kfm_conf_get(s));
    apr_status_t rv = kfm_db_job_register(pconf, s, instance, "expiry", apr_time_from_sec(interval),
                                         expiry_run, NULL);
    if (rv == APR_ENOTIMPL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "mod_konfirmado: mod_watchdog is not loaded: expired holds are only "
                     "cleared when their slot is asked for again");
        return OK;
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "mod_konfirmado: cannot register the expiry watchdog job");
        return !OK;
    }
    return OK;
}
