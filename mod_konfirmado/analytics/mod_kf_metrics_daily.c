/* The metrics job: writes the 429s counted in memory, then, tenant by tenant, computes again
 * the days whose facts changed since its last run (sql/047_metrics_daily.sql,
 * kf_metrics_refresh), each tenant in a transaction of its own. A tenant never computed
 * (new, or its mark dropped) has all its days computed. */
#include "mod_kf_operations_conf.h"
#include "mod_kf_analytics_feature.h"
#include "mod_kf_rate_tally.h"
#include "mod_kf_db.h"
#include "mod_kf_jobs.h"

/* A day's figures are at most this late (today's are read live by the endpoint). */
/* Tenants per run: the least recently computed first, so all take turns. */
#define METRICS_TENANTS_PER_RUN "200"
/* Facts written by a transaction that began before the last run and committed after it
 * carry an earlier time than the run: the days of such a margin are computed again. */
#define METRICS_SLACK "10 minutes"

const kfm_sql kfm_metrics_daily_sql[] = {
    /* subdomains (text[]), counts (int[]) */
    {"kf_metrics_rate_limited",
     "INSERT INTO metrics_incidents (tenant_id, kind, count)"
     " SELECT t.id, 'rate_limited', u.n FROM unnest(%s::text[], %s::int[]) AS u(sub, n)"
     " JOIN tenants t ON t.subdomain = u.sub WHERE u.n > 0"},
    {"kf_metrics_tenants",
     "SELECT t.id FROM tenants t LEFT JOIN metrics_daily_marks m ON m.tenant_id = t.id"
     " ORDER BY m.through NULLS FIRST LIMIT " METRICS_TENANTS_PER_RUN},
    /* tenant */
    {"kf_metrics_refresh",
     "SELECT kf_metrics_refresh(%s::uuid, now(), interval '" METRICS_SLACK "')"},
    {NULL, NULL},
};

static int metrics_daily_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    if (kfm_rate_tally_flush(s, p, db) != APR_SUCCESS) {
        return -1;
    }
    kfm_rows *res = NULL;
    if (kfm_db_select(NULL, db, "kf_metrics_tenants", &res, 0, NULL) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res), days = 0, failed_in_a_row = 0;
    for (int i = 0; i < n; i++) {
        /* one tenant's failure is its own; several in a row are the database's: pause */
        if (failed_in_a_row == 3) {
            return -1;
        }
        const char *tenant = NULL;
        kfm_db_row(db, p, res, i, &tenant, 1);
        kfm_rows *done = NULL;
        kfm_tx tx;
        if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
            return -1;
        }
        if (kfm_db_select(NULL, db, "kf_metrics_refresh", &done, 1, &tenant) != APR_SUCCESS ||
            kfm_db_rows(db, done) != 1 || kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
            kfm_db_rollback(NULL, &tx);
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "metrics: the days of tenant %s could not be computed; next run", tenant);
            failed_in_a_row++;
            continue;
        }
        failed_in_a_row = 0;
        const char *count = NULL;
        kfm_db_row(db, p, done, 0, &count, 1);
        days += atoi(count);
    }
    if (days > 0) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, "metrics: %d day(s) computed", days);
    }
    return days;
}

int kfm_metrics_daily_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "metrics",
                            kfm_operations_conf_metrics_interval(kfm_operations_conf_of(s)),
                            metrics_daily_run, NULL,
                            "the metrics of past days are read from the facts' last computation");
}
