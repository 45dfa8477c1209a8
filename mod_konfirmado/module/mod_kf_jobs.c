/* mod_watchdog registration shared by every background job, the common runner of database
 * jobs, and the start of every feature's jobs: see mod_kf_jobs.h. */
#include "mod_kf_jobs.h"
#include "mod_kf_config.h"
#include "mod_kf_feature.h"
#include "kf_job_pause.h"

#include <apr_optional.h>
#include "ap_mpm.h"

apr_status_t kfm_job_register(apr_pool_t *pconf, const char *name, apr_interval_time_t interval,
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

/* ---------------------------------------------------------------- database jobs */

typedef struct db_job {
    const char *what;
    server_rec *s;
    kfm_db_job_fn *run;
    kfm_job_after_fn *after;
    void *data;
    kf_job_pause pause;   /* touched only by the watchdog thread of this process */
} db_job;

static apr_status_t db_job_run(int state, void *data, apr_pool_t *wd_pool)
{
    db_job *job = data;
    if (state != AP_WATCHDOG_STATE_RUNNING || !kf_job_pause_due(&job->pause, apr_time_now())) {
        return APR_SUCCESS;
    }
    /* the watchdog's pool lives as long as its thread: one pool per run */
    apr_pool_t *p = NULL;
    if (apr_pool_create(&p, wd_pool) != APR_SUCCESS) {
        return APR_SUCCESS;
    }
    ap_dbd_t *db = NULL;
    int n = -1;
    kfm_db_state st = kfm_db_open(job->s, p, &db);
    if (st == KFM_DB_STOPPING) {
        apr_pool_destroy(p);
        return APR_SUCCESS;         /* the process is exiting: not an outage */
    }
    if (st == KFM_DB_OK) {
        n = job->run(job->s, p, db, job->data);
        kfm_db_close(job->s, db);
        if (n > 0 && job->after && job->after(job->s, p, job->data) < 0) {
            n = -1;
        }
    }
    if (n < 0 && kf_job_pause_failed(&job->pause, apr_time_now())) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, job->s,
                     "%s paused: the database is not available", job->what);
    }
    else if (n >= 0 && kf_job_pause_worked(&job->pause)) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, job->s, "%s resumed", job->what);
    }
    apr_pool_destroy(p);
    return APR_SUCCESS; /* anything else would stop mod_watchdog from calling again */
}

apr_status_t kfm_db_job_register_after(apr_pool_t *pconf, server_rec *s, const char *instance,
                                      const char *what, apr_interval_time_t interval,
                                      kfm_db_job_fn *run, kfm_job_after_fn *after, void *data)
{
    db_job *job = apr_pcalloc(pconf, sizeof(*job));
    job->what = what;
    job->s = s;
    job->run = run;
    job->after = after;
    job->data = data;
    return kfm_job_register(pconf, instance, interval, job, db_job_run);
}

/* ---------------------------------------------------------------- claimed-row jobs */

/* A claim job as registered: the job, and its claim's first argument (NULL: none). */
typedef struct claim_run {
    const kfm_claim_job *job;
    const char *first;
} claim_run;

static int claim_job_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    const claim_run *run = data;
    const kfm_claim_job *job = run->job;
    kfm_ctx c = kfm_ctx_of_job(s, p);
    kfm_rows *res = NULL;
    const char *args[] = {run->first, apr_itoa(p, job->batch), apr_itoa(p, job->lease_seconds)};
    if (kfm_db_select(NULL, db, job->claim_label, &res, run->first ? 3 : 2,
                      run->first ? args : args + 1) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res);
    for (int i = 0; i < n; i++) {
        apr_pool_t *each = NULL;
        apr_pool_create(&each, p);
        c.p = each;
        const char **v = apr_palloc(each, sizeof(*v) * (apr_size_t)job->columns);
        kfm_db_row(db, each, res, i, v, job->columns);
        job->each(&c, db, v);
        apr_pool_destroy(each);
    }
    return n;
}

int kfm_claim_job_register(apr_pool_t *pconf, server_rec *s, const char *instance,
                           const kfm_claim_job *job)
{
    return kfm_claim_job_register_with(pconf, s, instance, job, NULL);
}

int kfm_claim_job_register_with(apr_pool_t *pconf, server_rec *s, const char *instance,
                                const kfm_claim_job *job, const char *first)
{
    claim_run *run = apr_palloc(pconf, sizeof(*run));
    run->job = job;
    run->first = first;
    return kfm_db_job_setup(pconf, s, instance, job->what, 1, claim_job_run, run,
                            job->without_watchdog);
}

int kfm_db_job_setup(apr_pool_t *pconf, server_rec *s, const char *instance, const char *what,
                     int seconds, kfm_db_job_fn *run, void *data, const char *without)
{
    return kfm_db_job_setup_after(pconf, s, instance, what, apr_time_from_sec(seconds), run,
                                  NULL, data, without);
}

int kfm_db_job_setup_after(apr_pool_t *pconf, server_rec *s, const char *instance,
                           const char *what, apr_interval_time_t interval, kfm_db_job_fn *run,
                           kfm_job_after_fn *after, void *data, const char *without)
{
    apr_status_t rv = kfm_db_job_register_after(pconf, s, instance, what, interval, run, after,
                                                data);
    if (rv == APR_ENOTIMPL && without) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "mod_konfirmado: mod_watchdog is not loaded: %s", without);
        return OK;
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s, "mod_konfirmado: cannot register the %s job%s",
                     what, rv == APR_ENOTIMPL ? ": it needs mod_watchdog (LoadModule "
                     "watchdog_module ...)" : "");
        return !OK;
    }
    return OK;
}

/* ---------------------------------------------------------------- every feature's jobs */

int kfm_jobs_post_config(apr_pool_t *pconf, server_rec *main_s,
                         const kfm_feature *const *features)
{
    int n = 0;
    for (server_rec *s = main_s; s; s = s->next) {
        if (kfm_conf_engine(kfm_conf_get(s)) != 1) {
            continue;
        }
        for (int f = 0; features[f]; f++) {
            for (const kfm_job *job = features[f]->jobs; job && job->name; job++) {
                const char *instance = apr_psprintf(pconf, "_konfirmado_%s_%d_", job->name, n);
                if (job->setup(pconf, s, instance) != OK) {
                    return !OK;
                }
            }
        }
        n++;
    }
    return OK;
}

int kfm_jobs_threaded(void)
{
    int threaded = 0;
    return ap_mpm_query(AP_MPMQ_IS_THREADED, &threaded) == APR_SUCCESS &&
           threaded != AP_MPMQ_NOT_SUPPORTED;
}
