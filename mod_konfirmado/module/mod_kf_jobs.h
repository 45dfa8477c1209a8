#ifndef MOD_KF_JOBS_H
#define MOD_KF_JOBS_H
/* Background jobs: mod_watchdog singleton callbacks, so that one child of the server runs
 * each job (several servers share the work through FOR UPDATE SKIP LOCKED).
 *
 * Every job runs for every server (main or virtual host) where KonfirmadoEngine is On, with
 * that server's settings: the layout docs/install.md recommends turns the engine on only inside
 * <VirtualHost>. Each feature lists its jobs in its descriptor (mod_kf_feature.h);
 * kfm_jobs_post_config registers them all. */
#include "mod_kf.h"
#include "mod_kf_db.h"
#include "mod_watchdog.h"

/* Registers `run` every `interval` on a watchdog instance of its own named `name`.
 * APR_ENOTIMPL when mod_watchdog is not loaded (the caller says what that means for its
 * job), else mod_watchdog's own status. Call from post_config (second pass). */
apr_status_t kfm_job_register(apr_pool_t *pconf, const char *name, apr_interval_time_t interval,
                             void *data, ap_watchdog_callback_fn_t *run);

/* One job's registration for one engine-on server: `instance` is the watchdog instance name
 * to use (unique per job and server). OK, or !OK to stop the server from starting. */
typedef int kfm_job_setup_fn(apr_pool_t *pconf, server_rec *s, const char *instance);

/* A job that handles claimed rows one at a time (refunds, text messages): every second,
 * `claim_label` leases at most `batch` rows for `lease_seconds` (its two arguments, in that
 * order) and `each` handles one row (columns 0..columns-1) in a pool of its own. */
typedef void kfm_claimed_row_fn(kfm_ctx *c, ap_dbd_t *db, const char **v);
typedef struct kfm_claim_job {
    const char *what;              /* names the job in log lines ("refunds") */
    const char *claim_label;
    int batch;
    int lease_seconds;
    int columns;
    kfm_claimed_row_fn *each;
    const char *without_watchdog;  /* what a server without mod_watchdog loses, for its warning */
} kfm_claim_job;

/* Registers the job on the common database runner (kfm_db_job_register_after). OK, or !OK. */
int kfm_claim_job_register(apr_pool_t *pconf, server_rec *s, const char *instance,
                           const kfm_claim_job *job);

/* The same with `first` (kept as it is, from pconf) as the claim statement's first argument,
 * before the batch and the lease: what the claim is about, known once at startup. */
int kfm_claim_job_register_with(apr_pool_t *pconf, server_rec *s, const char *instance,
                                const kfm_claim_job *job, const char *first);

/* Whether this MPM runs threads (event, worker), so that a job may hand its calls to other
 * servers to threads of its own; prefork's children make them one after the other. */
int kfm_jobs_threaded(void);

struct kfm_feature;
/* post_config (second pass): every job of every feature for every engine-on server. */
int kfm_jobs_post_config(apr_pool_t *pconf, server_rec *main_s,
                         const struct kfm_feature *const *features);

/* A job that only works on the database: returns what it did (>= 0), or -1 when the
 * database failed. p is a pool of this run; db was opened for the job (kfm_db_open); data is
 * the job's own state (kfm_db_job_register_after's). */
typedef int kfm_db_job_fn(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data);

/* What runs after the job's run (kfm_db_job_fn) when it handled something (> 0), once its
 * connection is back in the pool: the calls to other servers, which hold no pooled
 * connection while they wait (they take one of their own to record what came back). How
 * many were handled, or -1 when the database failed (the runner pauses as for the run). */
typedef int kfm_job_after_fn(server_rec *s, apr_pool_t *p, void *data);

/* Registers run every interval for server s with the common runner: a pool per run, the
 * job's database connection opened and closed around it, and while the database is away a
 * pause of 1, 2, 4 ... 30 s with one warning when it starts and one notice when it ends;
 * `after` (NULL: none) after each run, in the run's pool. `what` names the job in those
 * lines ("payment reconciliation"). */
apr_status_t kfm_db_job_register_after(apr_pool_t *pconf, server_rec *s, const char *instance,
                                      const char *what, apr_interval_time_t interval,
                                      kfm_db_job_fn *run, kfm_job_after_fn *after, void *data);

/* kfm_db_job_register_after every `seconds`, as a feature's job setup answers (kfm_job_setup_fn):
 * OK, or !OK when it cannot be registered. Without mod_watchdog, `without` is what the
 * server loses (one warning, OK); NULL: the server cannot do without it (!OK). */
int kfm_db_job_setup(apr_pool_t *pconf, server_rec *s, const char *instance, const char *what,
                     int seconds, kfm_db_job_fn *run, void *data, const char *without);

/* The same every `interval`, with `after` (NULL: none) run after each run. */
int kfm_db_job_setup_after(apr_pool_t *pconf, server_rec *s, const char *instance,
                           const char *what, apr_interval_time_t interval, kfm_db_job_fn *run,
                           kfm_job_after_fn *after, void *data, const char *without);

#endif
