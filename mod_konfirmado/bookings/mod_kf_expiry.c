/* The expiry job: a mod_watchdog singleton callback that marks holds and unpaid bookings
 * whose window has passed as `expired` (history row with the reason). Rows are claimed with
 * FOR UPDATE SKIP LOCKED so that any number of servers can run it at once; each batch is one
 * statement, hence one transaction.
 *
 * Availability does not wait for it: a row stops blocking at its deadline in every answer
 * (each cached answer and kept fact lapses then), and a hold expires the due rows of its own
 * range first. So a run bumps no cached answer: bumping all of them at each run that expired
 * anything, anywhere, would make every business's next answer wait for a computation.
 *
 * The checkouts job follows it: a provider checkout still open after its booking expired or
 * failed (a Stripe session lasts at least 30 minutes, an Airwallex intent until cancelled: the
 * providers with a close_checkout in the registry) is ended at the provider, so the customer
 * can no longer pay it. The call is made with the
 * job's own connection and no transaction open; a payment that got in before follows the
 * late-approval rule (mod_kf_booking_payments.c). */
#include "mod_kf_bookings_feature.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_db.h"
#include "mod_kf_sql.h"

#include "mod_kf_jobs.h"
#include "mod_kf_payments.h"
#include "kf_payment.h"
#include "kf_reservation.h"

#include <apr_strings.h>

#define EXPIRY_BATCH 500
/* checkouts ended per run, the lease of a claimed one, and attempts before giving up */
#define CLOSE_BATCH 10
#define CLOSE_LEASE_SECONDS 300
#define CLOSE_MAX_ATTEMPTS 6

const kfm_sql kfm_expiry_sql[] = {
    /* the state machine's expire moves (kf_res_expiry_moves); when a row is due is the
     * database's (sql/functions/kf_expire_due.sql) */
    {"kf_expiry_sweep",
     "SELECT kf_expire_due(NULL, NULL, " KFM_SQL_INT(EXPIRY_BATCH) ", %s::jsonb)"},
    /* the providers whose checkouts end only when ended (kf_payment_closing), batch, lease
     * seconds: pending payments whose checkout can still be paid though their booking
     * expired or failed (made due by that move: kf_reservation_move) */
    {"kf_checkout_close_claim",
     "WITH due AS (SELECT p.id FROM payments p JOIN reservations r ON r.id = p.reservation_id"
     "   WHERE p.status = 'pending' AND p.checkout_closed_at IS NULL"
     "     AND p.provider = ANY (%s::text[]) AND p.provider_checkout_id IS NOT NULL"
     "     AND p.checkout_close_next_at <= now()"
     "     AND p.checkout_close_attempts < " KFM_SQL_INT(CLOSE_MAX_ATTEMPTS)
     "     AND r.status IN ('expired', 'failed')"
     "   ORDER BY p.checkout_close_next_at LIMIT %s::int FOR UPDATE OF p SKIP LOCKED)"
     " UPDATE payments p SET checkout_close_next_at = now() + make_interval(secs => %s::int),"
     "   checkout_close_attempts = p.checkout_close_attempts + 1"
     " FROM due WHERE p.id = due.id"
     " RETURNING p.id, p.tenant_id, p.provider, p.provider_checkout_id, p.checkout_close_attempts"},
    /* retry in seconds (NULL: ended), id */
    {"kf_checkout_close_done",
     "UPDATE payments SET checkout_closed_at = CASE WHEN %s::int IS NULL THEN now() END,"
     " checkout_close_next_at = now() + make_interval(secs => coalesce(%s::int, 0)),"
     " updated_at = now() WHERE id = %s::uuid"},
    {NULL, NULL},
};


static int expiry_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    int total = 0, n = 0;
    const char *moves[] = {kf_res_expiry_moves(p)};
    do {
        const char *expired = NULL;
        if (kfm_db_select_row(NULL, db, p, "kf_expiry_sweep", 1, moves, &expired, 1) !=
            APR_SUCCESS) {
            return -1;
        }
        n = atoi(expired);
        total += n;
    } while (n == EXPIRY_BATCH);
    if (total > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "expiry: %d hold(s)/booking(s) expired", total);
    }
    return total;
}

int kfm_expiry_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "expiry",
                            kfm_payments_conf_expiry_interval(kfm_payments_conf_of(s)), expiry_run,
                            NULL, "expired holds are only cleared when their slot is asked for "
                            "again");
}

/* ---------------------------------------------------------------- the checkouts job */

enum { CLOSE_PAYMENT, CLOSE_TENANT, CLOSE_PROVIDER, CLOSE_CHECKOUT, CLOSE_ATTEMPTS, CLOSE_COLUMNS };

static void close_checkout(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    const kf_payment_provider *prov = kf_payment_provider_find(v[CLOSE_PROVIDER]);
    const kf_payment_account *acct =
        prov ? kfm_payment_account_load(c, db, v[CLOSE_TENANT], prov->name) : NULL;
    const char *why = NULL;
    apr_status_t rv;
    if (!prov || !prov->close_checkout) {
        rv = APR_SUCCESS;       /* nothing the provider leaves open */
    }
    else if (!acct) {
        rv = APR_EACCES;
        why = "the payment account is not configured";
    }
    else {
        kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
        rv = kf_payment_call_close_checkout(prov, c->p, kfm_provider_http(c), &ep, acct,
                                            v[CLOSE_CHECKOUT], &why);
    }
    int attempts = atoi(v[CLOSE_ATTEMPTS]);
    int wait = kf_payment_close_retry(rv, attempts);
    const char *retry = wait ? apr_itoa(c->p, wait) : NULL;
    const char *args[] = {retry, retry, v[CLOSE_PAYMENT]};
    if (kfm_db_exec(NULL, db, "kf_checkout_close_done", NULL, 3, args) != APR_SUCCESS) {
        return;
    }
    if (rv == APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_INFO, "payment %s: %s checkout %s ended at the provider (its "
                   "booking expired)", v[CLOSE_PAYMENT], v[CLOSE_PROVIDER], v[CLOSE_CHECKOUT]);
    }
    else {
        KFM_CTX_LOG(c, !wait || attempts >= CLOSE_MAX_ATTEMPTS ? APLOG_WARNING : APLOG_INFO,
                   "payment %s: %s checkout %s not ended after attempt %d: %s", v[CLOSE_PAYMENT],
                   v[CLOSE_PROVIDER], v[CLOSE_CHECKOUT], attempts, why ? why : "?");
    }
}

static const kfm_claim_job close_job = {
    "checkouts", "kf_checkout_close_claim", CLOSE_BATCH, CLOSE_LEASE_SECONDS, CLOSE_COLUMNS,
    close_checkout, "a checkout stays payable at the provider after its booking expired",
};

int kfm_checkouts_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    /* which providers' checkouts: the registry's that can end one (close_checkout) */
    return kfm_claim_job_register_with(pconf, s, instance, &close_job,
                                       kf_payment_closing(pconf));
}
