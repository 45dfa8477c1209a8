/* Refunds (API.md "After booking"): POST /api/admin/bookings/{id}/refund and the refund job.
 * A refund is asked once per payment: the request marks it pending (a repeat finds it
 * pending or done and changes nothing), the job carries it out through the provider's
 * refund API (kf_payment_provider.refund) and records succeeded, or manual when the provider
 * cannot; the merchant closes a manual one with {"manual": true, "note"}. What each attempt
 * leaves (retry, manual, succeeded) is the core's: kf_refund_after_attempt.
 * A payment may hold several approved transactions (the customer paid twice): the refund is
 * spread over them by the core (kf_refund_allocate), each share asked of the provider with
 * its own transaction id and idempotency key, and the payment's refund has succeeded only
 * when every share has. */
#include "mod_kf_payments_feature.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_audit.h"
#include "mod_kf_config.h"
#include "mod_kf_jobs.h"
#include "mod_kf_payments.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_payment.h"
#include "kf_reservation.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

/* Refunds attempted per run (the rest next run). */
#define BATCH 10
/* A claimed refund is leased this long: a server that dies mid-call leaves it to another. */
#define LEASE_SECONDS 300

/* Columns of kf_refund_txs and kf_refund_shares. */
enum { TX_ROW, TX_AMOUNT, TX_REFUNDED, TX_APPROVED_US, TX_KEYED, TX_ROUNDS, TX_COLUMNS };
enum { SH_ROW, SH_TRANSACTION, SH_AMOUNT, SH_SHARE, SH_KEY, SH_STATUS, SH_COLUMNS };

/* Columns of kf_refund_claim. */
enum {
    CLAIM_PAYMENT, CLAIM_TENANT, CLAIM_PROVIDER, CLAIM_TRANSACTION, CLAIM_PAID, CLAIM_AMOUNT,
    CLAIM_CURRENCY, CLAIM_ATTEMPTS, CLAIM_RESERVATION, CLAIM_REFERENCE, CLAIM_COLUMNS
};

const kfm_sql kfm_refunds_sql[] = {
    {"kf_refund_txs",
     "SELECT t.id, t.amount, t.refunded_amount,"
     " (extract(epoch FROM t.approved_at) * 1000000)::bigint,"
     " t.refund_key IS NOT NULL OR p.refund_provider_id IS NOT NULL, t.refund_rounds"
     " FROM payment_transactions t JOIN payments p ON p.id = t.payment_id"
     " WHERE t.payment_id = %s::uuid ORDER BY t.id FOR UPDATE OF t"},
    /* payment id: a new refund replaces the shares of the one before */
    {"kf_refund_shares_clear",
     "UPDATE payment_transactions SET refund_share = NULL, refund_target = NULL,"
     " refund_status = NULL WHERE payment_id = %s::uuid"},
    /* share (twice), status, idempotency key, row id */
    {"kf_refund_share_set",
     "UPDATE payment_transactions SET refund_share = %s::bigint,"
     " refund_target = refunded_amount + %s::bigint, refund_status = %s, refund_key = %s,"
     " refund_rounds = refund_rounds + 1 WHERE id = %s::bigint"},
    /* payment id: the shares of its refund, newest transaction first (the order they are
     * asked of the provider) */
    {"kf_refund_shares",
     "SELECT id, transaction_id, amount, refund_share, refund_key, refund_status"
     " FROM payment_transactions WHERE payment_id = %s::uuid AND refund_share IS NOT NULL"
     " ORDER BY approved_at DESC, id DESC"},
    /* status, refund provider id, row id: what the provider made of one share (the target
     * reached once it gave the money back) */
    {"kf_refund_share_attempted",
     "UPDATE payment_transactions SET refund_status = %s,"
     " refunded_amount = CASE WHEN %s = 'succeeded'"
     "   THEN greatest(refunded_amount, least(amount, refund_target)) ELSE refunded_amount END,"
     " refunded_at = CASE WHEN %s = 'succeeded' THEN coalesce(refunded_at, now()) ELSE refunded_at END,"
     " refund_provider_id = coalesce(%s, refund_provider_id)"
     " WHERE id = %s::bigint AND refund_status = 'pending'"},
    /* pending refunds whose time came, leased (the lease is also the retry's floor) */
    {"kf_refund_claim",
     "WITH due AS (SELECT id FROM payments WHERE refund_status = 'pending'"
     "   AND refund_next_at <= now() ORDER BY refund_next_at LIMIT %s::int"
     "   FOR UPDATE SKIP LOCKED)"
     " UPDATE payments p SET refund_next_at = now() + make_interval(secs => %s::int),"
     "   refund_attempts = p.refund_attempts + 1"
     " FROM due WHERE p.id = due.id"
     " RETURNING p.id, p.tenant_id, p.provider, p.provider_transaction_id, p.amount,"
     "   p.refund_amount, p.currency, p.refund_attempts, p.reservation_id, p.reference"},
    /* status, refund provider id, error, retry in seconds (NULL: none), id: only while the
     * refund is still pending (a merchant's manual close meanwhile wins) */
    {"kf_refund_attempted",
     "UPDATE payments SET refund_status = %s,"
     " refund_needed = refund_needed AND %s <> 'succeeded',"
     " refunded_at = CASE WHEN %s = 'succeeded' THEN now() END,"
     " refund_provider_id = coalesce(%s, refund_provider_id), refund_error = %s,"
     " refund_next_at = now() + make_interval(secs => %s::int), updated_at = now()"
     " WHERE id = %s::uuid AND refund_status = 'pending'"},
    /* reason, booking id: the money's fate is a line of the booking's history; its state
     * stays (the one writer of status and history, sql/040) */
    {"kf_refund_history",
     "SELECT kf_reservation_move(id, status, status, %s, NULL, NULL) FROM reservations"
     " WHERE id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kfm_refund_spread(request_rec *r, ap_dbd_t *db, apr_pool_t *p, const char *pay_id,
                               const char *provider, apr_int64_t amount, apr_int64_t paid,
                               const char **status)
{
    const kf_payment_provider *prov = kf_payment_provider_find(provider);
    kfm_rows *res = NULL;
    const char *args[] = {pay_id};
    apr_status_t rv = kfm_db_select(r, db, "kf_refund_txs", &res, 1, args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    int n = kfm_db_rows(db, res);
    if (n < 1) {
        /* a payment without transaction rows: its one transaction, as the refund job asks */
        *status = kf_refund_step_name(kf_refund_start(prov, amount, paid));
        return amount > paid ? APR_EINVAL : APR_SUCCESS;
    }
    kf_payment_tx *txs = apr_pcalloc(p, sizeof(*txs) * n);
    apr_int64_t *share = apr_pcalloc(p, sizeof(*share) * n);
    const char **row = apr_pcalloc(p, sizeof(*row) * n);
    int *rounds = apr_pcalloc(p, sizeof(*rounds) * n);
    int keyed = 0;
    for (int i = 0; i < n; i++) {
        const char *v[TX_COLUMNS];
        kfm_db_row(db, p, res, i, v, TX_COLUMNS);
        row[i] = v[TX_ROW];
        txs[i].amount = apr_atoi64(v[TX_AMOUNT]);
        txs[i].refunded = apr_atoi64(v[TX_REFUNDED]);
        txs[i].approved_at = (apr_time_t)apr_atoi64(v[TX_APPROVED_US]);
        rounds[i] = atoi(v[TX_ROUNDS]);
        keyed |= strcmp(v[TX_KEYED], "t") == 0;
    }
    if (kf_refund_allocate(txs, n, amount, share) > 0) {
        return APR_EINVAL;
    }
    kf_refund_step step = kf_refund_start_shares(prov, txs, n, share);
    *status = kf_refund_step_name(step);
    int first = kf_refund_first_share(txs, n, share);
    rv = kfm_db_exec(r, db, "kf_refund_shares_clear", NULL, 1, args);
    for (int i = 0; rv == APR_SUCCESS && i < n; i++) {
        if (share[i] <= 0) {
            continue;
        }
        const char *key = kf_refund_share_key(p, pay_id, row[i], rounds[i] + 1,
                                              !keyed && i == first);
        const char *amt = apr_psprintf(p, "%" APR_INT64_T_FMT, share[i]);
        const char *sargs[] = {amt, amt, *status, key, row[i]};
        rv = kfm_db_exec(r, db, "kf_refund_share_set", NULL, 5, sargs);
    }
    return rv;
}

/* ---------------------------------------------------------------- the job */

/* One provider call: a share of the payment's refund (or the whole refund of a payment
 * without transaction rows). */
static apr_status_t ask_provider(kfm_ctx *c, const kf_payment_provider *prov,
                                 const kf_payment_account *acct, const char **v,
                                 const char *transaction_id, apr_int64_t amount, apr_int64_t paid,
                                 const char *key, const char **refund_id, const char **why)
{
    if (!prov || !prov->refund) {
        *why = "the provider has no refund API";
        return APR_ENOTIMPL;
    }
    if (!acct) {
        *why = "the payment account is not configured";
        return APR_EACCES;
    }
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
    kf_payment_refund rf = {.transaction_id = transaction_id, .reference = v[CLAIM_REFERENCE],
                            .idempotency_key = key, .amount = amount, .paid = paid,
                            .currency = v[CLAIM_CURRENCY]};
    return prov->refund(c->p, kfm_provider_http(c), &ep, acct, &rf, refund_id, why);
}

/* One claimed refund: ask the provider for each share still pending (newest transaction
 * first), record what each answer left and what the core makes of them all. */
static void attempt(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    const kf_payment_provider *prov = kf_payment_provider_find(v[CLAIM_PROVIDER]);
    const kf_payment_account *acct =
        prov ? kfm_payment_account_load(c, db, v[CLAIM_TENANT], prov->name) : NULL;
    const char *refund_id = NULL, *why = NULL;
    apr_status_t rv = APR_SUCCESS;
    kfm_rows *sh = NULL;
    const char *pargs[] = {v[CLAIM_PAYMENT]};
    if (kfm_db_select(NULL, db, "kf_refund_shares", &sh, 1, pargs) != APR_SUCCESS) {
        return;      /* leased: tried again after the lease */
    }
    int n = kfm_db_rows(db, sh);
    /* per share: its row, and the status its answer leaves (NULL: not asked now) */
    const char **row = apr_pcalloc(c->p, sizeof(*row) * (n > 0 ? n : 1));
    const char **share_status = apr_pcalloc(c->p, sizeof(*share_status) * (n > 0 ? n : 1));
    const char **share_refund = apr_pcalloc(c->p, sizeof(*share_refund) * (n > 0 ? n : 1));
    apr_status_t manual_rv = APR_SUCCESS;
    if (n < 1) {
        /* a payment without transaction rows: its one transaction, today's key */
        rv = ask_provider(c, prov, acct, v, v[CLAIM_TRANSACTION], apr_atoi64(v[CLAIM_AMOUNT]),
                          apr_atoi64(v[CLAIM_PAID]),
                          kf_refund_share_key(c->p, v[CLAIM_PAYMENT], NULL, 0, 0), &refund_id,
                          &why);
    }
    for (int i = 0; i < n; i++) {
        const char *s[SH_COLUMNS];
        kfm_db_row(db, c->p, sh, i, s, SH_COLUMNS);
        row[i] = s[SH_ROW];
        if (s[SH_STATUS] && strcmp(s[SH_STATUS], "manual") == 0) {
            manual_rv = APR_ENOTIMPL;    /* left to the merchant before: the payment's too */
            continue;
        }
        if (!s[SH_STATUS] || strcmp(s[SH_STATUS], "pending") != 0) {
            continue;                    /* given back already */
        }
        const char *one_id = NULL, *one_why = NULL;
        apr_status_t one = ask_provider(c, prov, acct, v, s[SH_TRANSACTION],
                                        apr_atoi64(s[SH_SHARE]), apr_atoi64(s[SH_AMOUNT]),
                                        s[SH_KEY], &one_id, &one_why);
        if (one == APR_SUCCESS) {
            share_status[i] = "succeeded";
            share_refund[i] = one_id;
            refund_id = refund_id ? refund_id : one_id;
        }
        else if (one == APR_ENOTIMPL || one == APR_EACCES) {
            share_status[i] = "manual";
            manual_rv = one;
            why = one_why;
        }
        else if (rv == APR_SUCCESS) {
            rv = one;                    /* worth retrying: the first such answer decides */
            why = one_why;
        }
        KFM_CTX_LOG(c, one == APR_SUCCESS ? APLOG_INFO : APLOG_WARNING,
                   "payment %s: refund of %s %s on transaction %s: %s", v[CLAIM_PAYMENT],
                   s[SH_SHARE], v[CLAIM_CURRENCY], s[SH_TRANSACTION],
                   one == APR_SUCCESS ? "given back" : (one_why ? one_why : "?"));
    }
    /* succeeded only when every share has; a share left to the merchant leaves it all to them
     * once nothing is worth retrying */
    if (rv == APR_SUCCESS && manual_rv != APR_SUCCESS) {
        rv = manual_rv;
    }
    int retry = 0;
    kf_refund_step step = kf_refund_after_attempt(rv, atoi(v[CLAIM_ATTEMPTS]), &retry);
    const char *status = kf_refund_step_name(step);
    const char *args[] = {status, status, status, refund_id,
                          step == KF_REFUND_SUCCEEDED ? NULL : why,
                          step == KF_REFUND_RETRY ? apr_itoa(c->p, retry) : NULL,
                          v[CLAIM_PAYMENT]};
    kfm_tx tx;
    if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
        return;
    }
    apr_status_t dv = APR_SUCCESS;
    for (int i = 0; dv == APR_SUCCESS && i < n; i++) {
        /* given up on the payment: its shares still pending are the merchant's too */
        const char *st = share_status[i] ? share_status[i]
                         : step == KF_REFUND_MANUAL ? "manual" : NULL;
        if (st) {
            const char *sargs[] = {st, st, st, share_refund[i], row[i]};
            dv = kfm_db_exec(NULL, db, "kf_refund_share_attempted", NULL, 5, sargs);
        }
    }
    int changed = 0;
    if (dv == APR_SUCCESS) {
        dv = kfm_db_exec(NULL, db, "kf_refund_attempted", &changed, 7, args);
    }
    if (dv == APR_SUCCESS && changed == 1 && step != KF_REFUND_RETRY) {
        const char *hargs[] = {step == KF_REFUND_SUCCEEDED ? "refunded" : "refund_manual",
                               v[CLAIM_RESERVATION]};
        dv = kfm_db_exec(NULL, db, "kf_refund_history", NULL, 2, hargs);
    }
    if (dv != APR_SUCCESS || kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        return;
    }
    if (step == KF_REFUND_SUCCEEDED) {
        KFM_CTX_LOG(c, APLOG_INFO, "payment %s: %s refunded %s %s (%s)", v[CLAIM_PAYMENT],
                   v[CLAIM_PROVIDER], v[CLAIM_AMOUNT], v[CLAIM_CURRENCY], refund_id);
    }
    else {
        KFM_CTX_LOG(c, step == KF_REFUND_MANUAL ? APLOG_WARNING : APLOG_INFO,
                   "payment %s: refund %s after attempt %s: %s", v[CLAIM_PAYMENT],
                   step == KF_REFUND_MANUAL ? "left to the merchant" : "retried later",
                   v[CLAIM_ATTEMPTS], why ? why : "?");
    }
}

static const kfm_claim_job job = {
    "refunds", "kf_refund_claim", BATCH, LEASE_SECONDS, CLAIM_COLUMNS, attempt, "refunds wait in refund=needed",
};

int kfm_refunds_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &job);
}
