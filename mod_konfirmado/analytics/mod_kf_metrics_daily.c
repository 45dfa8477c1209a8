/* The metrics job: writes the 429s counted in memory, then, tenant by tenant, adds to the
 * days' sums what changed since its last run (sql/088_metrics_parts.sql,
 * kf_metrics_refresh), each tenant in a transaction of its own. The facts without a tenant
 * column (status history, reminders, callback attempts) are read once for the whole batch,
 * not once per tenant (sql/057), and kept in the database for each tenant's refresh to take
 * its share (sql/061): a busy tenant's share is too large to carry through libpq, whose
 * buffers stay at their largest for the connection's life. A tenant never computed (new, or
 * its mark dropped) has all its days computed; one nothing touched since its last run is not
 * refreshed (sql/functions/kf_metrics_due.sql). */
#include "mod_kf_operations_conf.h"
#include "mod_kf_analytics_feature.h"
#include "mod_kf_rate_tally.h"
#include "mod_kf_db.h"
#include "mod_kf_jobs.h"
#include "kf_text.h"

/* A day's figures are at most this late (today's are read live by the endpoint). */
/* Tenants per run: of those with something to compute, the least recently computed first,
 * so all take turns. */
#define METRICS_TENANTS_PER_RUN "200"
/* A margin for facts dated before their transaction began (the module dates its own at it;
 * rows written by another role or by hand may not be): the window of the next run starts
 * this much earlier. Reading a fact again changes nothing (sql/088); a late commit is found
 * by the oldest open transaction's start, not by this. */
#define METRICS_SLACK "10 minutes"
/* A business nothing touched is not refreshed; its window's start still moves once it is
 * this old, which bounds the batch's shared read when such a business is touched again. */
#define METRICS_IDLE_WINDOW "20 minutes"

const kfm_sql kfm_metrics_daily_sql[] = {
    /* subdomains (text[]), counts (int[]) */
    {"kf_metrics_rate_limited",
     "INSERT INTO metrics_incidents (tenant_id, kind, count)"
     " SELECT t.id, 'rate_limited', u.n FROM unnest(%s::text[], %s::int[]) AS u(sub, n)"
     " JOIN tenants t ON t.subdomain = u.sub WHERE u.n > 0"},
    /* the businesses with something to compute (sql/functions/kf_metrics_due.sql) */
    {"kf_metrics_tenants",
     "SELECT kf_metrics_due(" METRICS_TENANTS_PER_RUN ", interval '" METRICS_SLACK "',"
     " interval '" METRICS_IDLE_WINDOW "')"},
    /* tenants (uuid[]): where the batch's earliest window starts (none when none has one:
     * a tenant never computed has its parts computed from every fact, sql/088) */
    {"kf_metrics_since",
     "SELECT min(m.reread_from)"
     " FROM unnest(%s::uuid[]) AS t(id) JOIN metrics_daily_marks m ON m.tenant_id = t.id"},
    /* tenants (uuid[]), since: the facts without a tenant column, read once for the batch
     * and kept in the database under the run id returned */
    {"kf_metrics_stage",
     "SELECT kf_metrics_stage_shares(%s::uuid[], %s::timestamptz)"},
    /* tenant, since of the shared facts, the run that keeps its share */
    {"kf_metrics_refresh",
     "SELECT kf_metrics_refresh(%s::uuid, now(), interval '" METRICS_SLACK "',"
     " %s::timestamptz, %s::uuid)"},
    {NULL, NULL},
};

/* Reads the facts without a tenant column once for the tenants of `ids` (an array literal)
 * and keeps each one's share in the database: *run names them, *since is where the read
 * started (both NULL for an empty batch). -1 on a database error. */
static int stage_shares(apr_pool_t *p, ap_dbd_t *db, const char *ids, const char **since,
                        const char **run)
{
    kfm_rows *res = NULL;
    *since = *run = NULL;
    if (kfm_db_select(NULL, db, "kf_metrics_since", &res, 1, &ids) != APR_SUCCESS) {
        return -1;
    }
    const char *from = kfm_db_value(db, p, res, 0, 0);
    if (!from || !*from) {
        return 0;
    }
    const char *args[] = {ids, from};
    if (kfm_db_select(NULL, db, "kf_metrics_stage", &res, 2, args) != APR_SUCCESS) {
        return -1;
    }
    *since = from;
    *run = kfm_db_value(db, p, res, 0, 0);
    return 0;
}

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
    apr_array_header_t *ids = apr_array_make(p, n, sizeof(const char *));
    for (int i = 0; i < n; i++) {
        kfm_db_row(db, p, res, i, apr_array_push(ids), 1);
    }
    const char **tenants = (const char **)ids->elts;
    const char *since = NULL, *run = NULL;
    if (stage_shares(p, db, kf_pg_array(p, ids), &since, &run) < 0) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        /* one tenant's failure is its own; several in a row are the database's: pause */
        if (failed_in_a_row == 3) {
            return -1;
        }
        const char *tenant = tenants[i];
        const char *args[] = {tenant, since, run};
        const char *count = NULL;
        kfm_tx tx;
        if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
            return -1;
        }
        if (kfm_db_select_row(NULL, db, p, "kf_metrics_refresh", 3, args, &count, 1) !=
                APR_SUCCESS ||
            kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
            kfm_db_rollback(NULL, &tx);
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "metrics: the days of tenant %s could not be computed; next run", tenant);
            failed_in_a_row++;
            continue;
        }
        failed_in_a_row = 0;
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
