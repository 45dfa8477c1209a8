/* The metrics job: writes the 429s counted in memory, then, tenant by tenant, computes again
 * the days whose facts changed since its last run (sql/047_metrics_daily.sql,
 * kf_metrics_refresh), each tenant in a transaction of its own. The facts without a tenant
 * column (status history, reminders, callback attempts) are read once for the whole batch,
 * not once per tenant (sql/057). A tenant never computed (new, or its mark dropped) has all
 * its days computed. */
#include "mod_kf_operations_conf.h"
#include "mod_kf_analytics_feature.h"
#include "mod_kf_rate_tally.h"
#include "mod_kf_db.h"
#include "mod_kf_jobs.h"
#include "kf_text.h"

#include <apr_hash.h>

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
    /* tenants (uuid[]): where the batch's earliest window starts (-infinity when one of
     * them was never computed) */
    {"kf_metrics_since",
     "SELECT CASE WHEN bool_or(m.through IS NULL) THEN '-infinity'::timestamptz"
     " ELSE min(m.through) - interval '" METRICS_SLACK "' END"
     " FROM unnest(%s::uuid[]) AS t(id) LEFT JOIN metrics_daily_marks m ON m.tenant_id = t.id"},
    /* tenants (uuid[]), since: the facts without a tenant column, read once for the batch */
    {"kf_metrics_shared",
     "SELECT tenant_id, bookings, moments FROM kf_metrics_shared_touches(%s::uuid[], %s::timestamptz)"},
    /* tenant, since of the shared facts, its bookings (uuid[]) and moments (timestamptz[]) */
    {"kf_metrics_refresh",
     "SELECT kf_metrics_refresh(%s::uuid, now(), interval '" METRICS_SLACK "',"
     " %s::timestamptz, %s::uuid[], %s::timestamptz[])"},
    {NULL, NULL},
};

/* What the shared read found of one tenant: its bookings and moments as PostgreSQL array
 * literals. */
typedef struct {
    const char *bookings, *moments;
} shared_touches;

/* tenant id -> shared_touches, for the tenants of `ids` (an array literal) that have any;
 * *since is where the read started (NULL for an empty batch). NULL on a database error. */
static apr_hash_t *read_shared(apr_pool_t *p, ap_dbd_t *db, const char *ids, const char **since)
{
    apr_hash_t *by_tenant = apr_hash_make(p);
    kfm_rows *res = NULL;
    if (kfm_db_select(NULL, db, "kf_metrics_since", &res, 1, &ids) != APR_SUCCESS) {
        return NULL;
    }
    *since = kfm_db_value(db, p, res, 0, 0);
    if (!*since || !**since) {
        *since = NULL;
        return by_tenant;
    }
    const char *args[] = {ids, *since};
    if (kfm_db_select(NULL, db, "kf_metrics_shared", &res, 2, args) != APR_SUCCESS) {
        return NULL;
    }
    for (int i = 0, n = kfm_db_rows(db, res); i < n; i++) {
        const char *v[3];
        kfm_db_row(db, p, res, i, v, 3);
        shared_touches *t = apr_palloc(p, sizeof *t);
        t->bookings = v[1];
        t->moments = v[2];
        apr_hash_set(by_tenant, v[0], APR_HASH_KEY_STRING, t);
    }
    return by_tenant;
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
    const char *since = NULL;
    apr_hash_t *shared = read_shared(p, db, kf_pg_array(p, ids), &since);
    if (!shared) {
        return -1;
    }
    static const shared_touches none = {"{}", "{}"};
    for (int i = 0; i < n; i++) {
        /* one tenant's failure is its own; several in a row are the database's: pause */
        if (failed_in_a_row == 3) {
            return -1;
        }
        const char *tenant = tenants[i];
        const shared_touches *mine = apr_hash_get(shared, tenant, APR_HASH_KEY_STRING);
        mine = mine ? mine : &none;
        const char *args[] = {tenant, since, mine->bookings, mine->moments};
        kfm_rows *done = NULL;
        kfm_tx tx;
        if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
            return -1;
        }
        if (kfm_db_select(NULL, db, "kf_metrics_refresh", &done, 4, args) != APR_SUCCESS ||
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
