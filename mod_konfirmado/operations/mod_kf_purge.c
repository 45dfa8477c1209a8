/* The purge job: what no longer opens anything is deleted, so that the tables of secrets
 * (hashed as they are) and of client addresses hold only what is alive: merchant sessions
 * past their idle or absolute end, email-verification and password-reset tokens used or
 * expired, customers' portal sign-in links and sessions likewise, calendar OAuth states
 * and invitations past their time, and the token and client
 * address of holds that ended without a booking; and attempt counters whose window ended
 * (kept in the database). Each of the others waits a day after its end (GRACE), so
 * that a late click still gets "expired" or "used" rather than "unknown", and a row being
 * read or answered about is never pulled away. Each statement is one bounded transaction,
 * repeated while it finds a full batch. */
#include "mod_kf_operations_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_purge_sql.h"
#include "mod_kf_operations_conf.h"
#include "mod_kf_db.h"
#include "mod_kf_jobs.h"

#include <apr_strings.h>

#define PURGE_BATCH KFM_PURGE_BATCH
#define GRACE KFM_PURGE_GRACE

/* The purge of `table`: the rows where `ended` holds, found and deleted by their `key`. */
#define PURGE(table, key, ended)                                                             \
    "WITH gone AS (DELETE FROM " table " WHERE " key " IN (SELECT " key " FROM " table         \
    "   WHERE " ended " LIMIT " KFM_SQL_INT(PURGE_BATCH) " FOR UPDATE SKIP LOCKED) RETURNING 1)" \
    " SELECT count(*) FROM gone"

/* Each deletes at most PURGE_BATCH rows and answers how many it did. */
const kfm_sql kfm_purge_sql[] = {
    {"kf_purge_sessions", PURGE("sessions", "token_hash",
                                "absolute_expires_at < " GRACE " OR idle_expires_at < " GRACE)},
    {"kf_purge_user_tokens", PURGE("user_tokens", "token_hash",
                                   "expires_at < " GRACE " OR used_at < " GRACE)},
    {"kf_purge_customer_sign_ins", PURGE("customer_sign_in_tokens", "token_hash",
                                         "expires_at < " GRACE " OR used_at < " GRACE)},
    {"kf_purge_customer_sessions", PURGE("customer_sessions", "token_hash",
                                         "expires_at < " GRACE)},
    {"kf_purge_oauth_states", PURGE("calendar_oauth_states", "state_hash", "expires_at < " GRACE)},
    /* their states go with them (ON DELETE CASCADE) */
    {"kf_purge_invitations", PURGE("calendar_invitations", "token_hash", "expires_at < " GRACE)},
    {"kf_purge_hold_leftovers", KFM_PURGE_HOLD_LEFTOVERS_SQL},
    /* attempt counters whose window ended (KonfirmadoRateLimitCache postgres): an empty
     * counter either way, so no grace */
    {"kf_purge_rate_limits", PURGE("rate_limit_counters", "key", "expires_at < now()")},
    {NULL, NULL},
};

/* Runs one purge statement until it finds less than a batch: what it did, or -1. */
static int purge(apr_pool_t *p, ap_dbd_t *db, const char *label)
{
    int total = 0, n;
    do {
        const char *done = NULL;
        if (kfm_db_select_row(NULL, db, p, label, 0, NULL, &done, 1) != APR_SUCCESS) {
            return -1;
        }
        n = atoi(done);
        total += n;
    } while (n == PURGE_BATCH);
    return total;
}

static int purge_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    int done[] = {
        purge(p, db, "kf_purge_sessions"),
        purge(p, db, "kf_purge_user_tokens"),
        purge(p, db, "kf_purge_customer_sign_ins"),
        purge(p, db, "kf_purge_customer_sessions"),
        purge(p, db, "kf_purge_oauth_states"),
        purge(p, db, "kf_purge_invitations"),
        purge(p, db, "kf_purge_hold_leftovers"),
        purge(p, db, "kf_purge_rate_limits"),
    };
    int total = 0;
    for (size_t i = 0; i < sizeof(done) / sizeof(done[0]); i++) {
        if (done[i] < 0) {
            return -1;
        }
        total += done[i];
    }
    if (total > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "purge: %d expired row(s) deleted or cleared",
                     total);
    }
    return total;
}

int kfm_purge_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "purge",
                            kfm_operations_conf_purge_interval(kfm_operations_conf_of(s)), purge_run,
                            NULL, "expired sessions and tokens are never purged (they open "
                            "nothing, but pile up)");
}
