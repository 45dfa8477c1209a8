/* The expiry job: a mod_watchdog singleton callback that marks holds and unpaid bookings
 * whose window has passed as `expired` (history row with the reason), freeing their
 * slots. Rows are claimed with FOR UPDATE SKIP LOCKED so that any number of servers can
 * run it at once; each batch is one statement, hence one transaction. */
#include "mod_kf_handlers.h"
#include "mod_kf_db.h"
#include "mod_kf_avail_cache.h"

#include "mod_kf_jobs.h"

#define EXPIRY_BATCH 500
#define XSTR(x) STR(x)
#define STR(x) #x

const kf_sql kf_expiry_sql[] = {
    {"kf_expiry_sweep",
     "WITH due AS (SELECT id, status FROM reservations"
     "  WHERE status IN ('held', 'pending_payment') AND expires_at <= now()"
     "  ORDER BY expires_at LIMIT " XSTR(EXPIRY_BATCH) " FOR UPDATE SKIP LOCKED),"
     " up AS (UPDATE reservations r SET status = 'expired', updated_at = now(),"
     "    status_reason = CASE due.status WHEN 'held' THEN 'hold_expired'"
     "                    ELSE 'payment_window_passed' END"
     "  FROM due WHERE r.id = due.id RETURNING r.id, due.status AS from_status, r.status_reason)"
     " INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)"
     " SELECT id, from_status, 'expired', status_reason FROM up"},
    {NULL, NULL},
};


static apr_status_t expiry_run(int state, void *data, apr_pool_t *wd_pool)
{
    server_rec *s = data;
    apr_pool_t *p = NULL;
    ap_dbd_t *db = NULL;
    int total = 0, n = 0;

    if (state != AP_WATCHDOG_STATE_RUNNING) {
        return APR_SUCCESS;
    }
    /* the watchdog's pool lives as long as the thread: one pool per run */
    if (apr_pool_create(&p, wd_pool) != APR_SUCCESS) {
        return APR_SUCCESS;
    }
    if (kf_db_open(s, p, &db) == KF_DB_OK) {
        do {
            n = 0;
            if (kf_db_exec(NULL, db, "kf_expiry_sweep", &n, 0, NULL) != APR_SUCCESS) {
                break;
            }
            total += n;
        } while (n == EXPIRY_BATCH);
        kf_db_close(s, db);
    }
    if (total > 0) {
        kf_avail_cache_bump_all_job();
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "expiry: %d hold(s)/booking(s) expired", total);
    }
    apr_pool_destroy(p);
    return APR_SUCCESS;
}

static int expiry_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                              server_rec *main_s)
{
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    server_rec *s = main_s;
    while (s && kf_conf_engine(kf_conf_get(s)) != 1) {
        s = s->next;
    }
    if (!s) {
        return OK;
    }
    int interval = kf_conf_expiry_interval(kf_conf_get(s));
    apr_status_t rv = kf_job_register(pconf, "konfirmado-expiry", apr_time_from_sec(interval), s,
                                      expiry_run);
    if (rv == APR_ENOTIMPL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, main_s,
                     "mod_konfirmado: mod_watchdog is not loaded: expired holds are only "
                     "cleared when their slot is asked for again");
        return OK;
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, main_s,
                     "mod_konfirmado: cannot register the expiry watchdog job");
        return !OK;
    }
    return OK;
}

void kf_expiry_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(expiry_post_config, NULL, NULL, APR_HOOK_MIDDLE);
}
