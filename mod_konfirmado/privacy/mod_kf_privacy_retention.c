/* The privacy job, run as often as the purge (KonfirmadoPurgeInterval): each business's
 * customers' personal data is erased data_retention_months after a booking's end (a
 * purchase's: after its validity, or its payment window when unpaid), KF_PRIVACY_ABANDONED_DAYS
 * after a booking given up before it was paid, and on a customer's erasure request
 * erasure_auto_days after it was made (0: only when the merchant confirms).
 * When is kf_privacy_retention_cutoff's and kf_privacy_request_cutoff's (now read once per
 * run), asked once per setting value in use; how is kf_erase_personal_data's, the one path
 * of every erasure: the sweeps name no identity, so they erase the bookings' and purchases'
 * own rows and nothing that merely shares an address or a number with them. Each erasure is
 * its own transaction, in batches, bounded per run. */
#include "mod_kf_privacy_feature.h"
#include "mod_kf_privacy_retention_sql.h"
#include "mod_kf_operations_conf.h"
#include "mod_kf_db.h"
#include "mod_kf_jobs.h"
#include "kf_privacy.h"

#include <apr_strings.h>

#define MAX_ROUNDS 20

const kfm_sql kfm_privacy_retention_sql[] = {
    {"kf_privacy_retention_values",
     "SELECT DISTINCT data_retention_months FROM tenants ORDER BY 1"},
    {"kf_privacy_retention_erase", KFM_PRIVACY_RETENTION_ERASE_SQL},
    {"kf_privacy_abandoned_erase", KFM_PRIVACY_ABANDONED_ERASE_SQL},
    {"kf_privacy_request_days",
     "SELECT DISTINCT erasure_auto_days FROM tenants WHERE erasure_auto_days > 0 ORDER BY 1"},
    /* days, cutoff: the pending requests of those tenants made at or before it */
    {"kf_privacy_requests_due",
     "SELECT e.tenant_id, e.email FROM erasure_requests e JOIN tenants t ON t.id = e.tenant_id"
     " WHERE t.erasure_auto_days = %s::int AND e.status = 'pending'"
     "  AND e.requested_at <= %s::timestamptz ORDER BY e.requested_at LIMIT " KFM_PRIVACY_BATCH},
    {NULL, NULL},
};

/* The setting values in use (one column), or NULL on failure. */
static kfm_rows *values_in_use(ap_dbd_t *db, const char *label)
{
    kfm_rows *res = NULL;
    return kfm_db_select(NULL, db, label, &res, 0, NULL) == APR_SUCCESS ? res : NULL;
}

/* Runs an erasing statement (one row per tenant, its count second) round after round until
 * a round finds nothing, at most MAX_ROUNDS: the bookings erased, or -1. */
static int erase_in_rounds(apr_pool_t *p, ap_dbd_t *db, const char *statement, int nargs,
                           const char **args)
{
    int total = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        kfm_rows *res = NULL;
        if (kfm_db_select(NULL, db, statement, &res, nargs, args) != APR_SUCCESS) {
            return -1;
        }
        int tenants = kfm_db_rows(db, res);
        for (int i = 0; i < tenants; i++) {
            total += (int)kfm_db_number(kfm_db_value(db, p, res, i, 1));
        }
        if (tenants == 0) {
            break;
        }
    }
    return total;
}

/* Bookings erased for the tenants keeping `months`, or -1. */
static int erase_expired(apr_pool_t *p, ap_dbd_t *db, const char *months, apr_int64_t now)
{
    const char *args[KF_PRIVACY_RETENTION_ARGS];
    kf_privacy_retention_args(p, now, months, args);
    return erase_in_rounds(p, db, "kf_privacy_retention_erase", KF_PRIVACY_RETENTION_ARGS, args);
}

/* Abandoned bookings erased, or -1. */
static int erase_abandoned(apr_pool_t *p, ap_dbd_t *db, apr_int64_t now)
{
    const char *args[KF_PRIVACY_ABANDONED_ARGS];
    kf_privacy_abandoned_args(p, now, args);
    return erase_in_rounds(p, db, "kf_privacy_abandoned_erase", KF_PRIVACY_ABANDONED_ARGS, args);
}

/* Requests carried out for the tenants waiting `days`, or -1. */
static int carry_out_requests(server_rec *s, apr_pool_t *p, ap_dbd_t *db, const char *days,
                              apr_int64_t now)
{
    const char *args[KF_PRIVACY_REQUESTS_ARGS];
    if (!kf_privacy_requests_args(p, now, days, args)) {
        return 0;
    }
    kfm_rows *res = NULL;
    if (kfm_db_select(NULL, db, "kf_privacy_requests_due", &res, KF_PRIVACY_REQUESTS_ARGS,
                      args) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res), done = 0;
    for (int i = 0; i < n; i++) {
        const char *v[2];
        kfm_db_row(db, p, res, i, v, 2);
        kfm_tx tx;
        int erased = 0;
        if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS ||
            kfm_privacy_erase_customer(NULL, db, v[0], v[1], "automatic", &erased) !=
                APR_SUCCESS ||
            kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
            kfm_db_rollback(NULL, &tx);
            return -1;
        }
        done++;
    }
    if (done > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     "privacy: %d erasure request(s) carried out after their waiting days", done);
    }
    return done;
}

static int privacy_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    apr_int64_t now = (apr_int64_t)apr_time_sec(apr_time_now());
    kfm_rows *months = values_in_use(db, "kf_privacy_retention_values");
    kfm_rows *days = months ? values_in_use(db, "kf_privacy_request_days") : NULL;
    if (!days) {
        return -1;
    }
    int erased = 0, requests = 0;
    for (int i = 0; i < kfm_db_rows(db, months); i++) {
        int n = erase_expired(p, db, kfm_db_value(db, p, months, i, 0), now);
        if (n < 0) {
            return -1;
        }
        erased += n;
    }
    int abandoned = erase_abandoned(p, db, now);
    if (abandoned < 0) {
        return -1;
    }
    erased += abandoned;
    for (int i = 0; i < kfm_db_rows(db, days); i++) {
        int n = carry_out_requests(s, p, db, kfm_db_value(db, p, days, i, 0), now);
        if (n < 0) {
            return -1;
        }
        requests += n;
    }
    if (erased > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     "privacy: %d booking(s) past their retention or abandoned erased", erased);
    }
    return erased + requests;
}

int kfm_privacy_retention_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "privacy",
                            kfm_operations_conf_purge_interval(kfm_operations_conf_of(s)),
                            privacy_run, NULL, "customers' personal data is never erased "
                            "after the retention period, nor their requests carried out");
}
