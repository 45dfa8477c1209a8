/* A purchase's life (packages): what a provider event does to its payment, booking a
 * session with it and giving one back, and the job that expires purchases. See
 * mod_kf_purchase_life.h; the public endpoints that sell and show a purchase are
 * mod_kf_purchases.c. The rules are lib/payments/kf_purchase.c's. */
#include "mod_kf_purchase_life.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_callback_queue.h"
#include "mod_kf_jobs.h"
#include "mod_kf_mail.h"
#include "mod_kf_sql.h"
#include "kf_purchase_view.h"
#include "kf_url.h"
#include "kf_when.h"


#include <apr_strings.h>
#include <string.h>

#define EXPIRY_BATCH 500

/* Columns of kf_pur_lock; kf_pur_mail selects those of kf_purchase_view.h. */
enum { LK_STATUS, LK_EVER_PAID, LK_COLUMNS };
/* Columns of kf_pur_spend and kf_pur_cancel_facts. */
enum { SPEND_LEFT, SPEND_BOOKINGS, SPEND_COLUMNS };
enum { CANCEL_PURCHASE, CANCEL_RETURNED, CANCEL_COLUMNS };

const kfm_sql kfm_purchase_life_sql[] = {
    {"kf_pur_lock",
     "SELECT status, paid_at IS NOT NULL FROM purchases WHERE id = %s::uuid FOR UPDATE"},
    /* to, reason, paid now (twice), id, from */
    {"kf_pur_move",
     "UPDATE purchases SET status = %s, status_reason = %s,"
     " paid_at = CASE WHEN %s::boolean THEN now() ELSE paid_at END,"
     " expires_at = CASE WHEN %s::boolean THEN now() + make_interval(days => valid_days)"
     "   ELSE expires_at END, updated_at = now()"
     " WHERE id = %s::uuid AND status = %s"},
    /* reason, payment id: money that pays for nothing (a second approval) */
    {"kf_pur_flag_payment",
     "UPDATE payments SET refund_needed = true, flag_reason = %s, updated_at = now()"
     " WHERE id = %s::uuid"},
    {"kf_pur_mail",
     "SELECT pu.id, pu.tenant_id, pu.customer_name, pu.customer_email, k.name, s.name,"
     "  pu.sessions_total, " KFM_SQL_WALL_CLOCK("pu.expires_at", "t.timezone") ","
     "  t.timezone, pu.amount, pu.currency, t.name, t.locale, t.primary_color, pu.token_sealed"
     " FROM purchases pu JOIN tenants t ON t.id = pu.tenant_id"
     " JOIN packages k ON k.id = pu.package_id JOIN services s ON s.id = pu.service_id"
     " WHERE pu.id = %s::uuid"},
    /* purchase, reservation: one session spent, the booking tells which purchase paid it */
    {"kf_pur_spend",
     "WITH u AS (UPDATE purchases SET sessions_used = sessions_used + 1, updated_at = now()"
     "   WHERE id = %s::uuid RETURNING id, sessions_total - sessions_used AS left),"
     " r AS (UPDATE reservations SET purchase_id = (SELECT id FROM u), updated_at = now()"
     "   WHERE id = %s::uuid RETURNING id)"
     " SELECT u.left, (SELECT count(*) FROM r) FROM u"},
    {"kf_pur_cancel_facts",
     "SELECT purchase_id, purchase_session_returned FROM reservations WHERE id = %s::uuid"},
    {"kf_pur_give_back",
     "WITH r AS (UPDATE reservations SET purchase_session_returned = true"
     "   WHERE id = %s::uuid AND purchase_id IS NOT NULL AND NOT purchase_session_returned"
     "   RETURNING purchase_id)"
     " UPDATE purchases SET sessions_used = sessions_used - 1, updated_at = now()"
     " WHERE id = (SELECT purchase_id FROM r)"},
    /* the state and the reasons expiring gives (the state machine's), from paid and from
     * pending_payment */
    {"kf_pur_expire",
     "WITH due AS (SELECT id, status FROM purchases"
     "   WHERE kf_purchase_due(status, pay_by, expires_at)"
     "   LIMIT " KFM_SQL_INT(EXPIRY_BATCH) " FOR UPDATE SKIP LOCKED)"
     " UPDATE purchases p SET status = %s,"
     "   status_reason = CASE due.status WHEN 'paid' THEN %s ELSE %s END, updated_at = now()"
     " FROM due WHERE p.id = due.id RETURNING p.id"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- a payment's event */

/* The customer's mail: the package is paid, with the link to its page (the token opened
 * from its sealed form). */
static apr_status_t mail_paid(const kfm_ctx *c, ap_dbd_t *db, const char *purchase_id)
{
    const char *args[] = {purchase_id};
    const char *v[KF_PUR_MAIL_COL_COUNT];
    if (kfm_db_select_row(c->r, db, c->p, "kf_pur_mail", 1, args, v, KF_PUR_MAIL_COL_COUNT) !=
        APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const kfm_server_conf *conf = c->conf;
    char *token = NULL;
    apr_size_t len = 0;
    apr_status_t rv = v[KF_PUR_MAIL_COL_SEALED]
        ? kf_open(c->p, conf->keyring, v[KF_PUR_MAIL_COL_SEALED],
                  kf_purchase_token_aad(c->p, purchase_id), &token, &len)
        : APR_EINVAL;
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_ERR, "purchase %s: its page token does not open (%s)", purchase_id,
                   kf_crypto_strerror(rv));
        return APR_EGENERAL;
    }
    kf_locale locale = kf_purchase_mail_locale(v);
    const char *expires = kf_when_long(c->p, locale, v[KF_PUR_MAIL_COL_EXPIRES_LOCAL],
                                       v[KF_PUR_MAIL_COL_ZONE]);
    json_t *vars = kf_purchase_paid_mail(
        c->p, v, expires, kf_purchase_page_url(c->p, kfm_conf_public_url(conf), purchase_id, token));
    const char *tenant = v[KF_PUR_MAIL_COL_TENANT], *to = v[KF_PUR_MAIL_COL_CUSTOMER_EMAIL];
    rv = kfm_mail_queue_invite(c, db, tenant, to, "purchase_paid", locale, vars, NULL, NULL);
    /* a mail that cannot be queued never undoes the payment: it is kept as failed */
    return rv == APR_SUCCESS ? rv
                             : kfm_mail_record_refused(c, db, tenant, to, "purchase_paid");
}

apr_status_t kfm_purchase_payment_settled(const kfm_ctx *c, ap_dbd_t *db, const char *payment_id,
                                         const char *purchase_id, const kf_payment_plan *plan,
                                         const char **result)
{
    const char *args[] = {purchase_id};
    const char *v[LK_COLUMNS];
    if (kfm_db_select_row(c->r, db, c->p, "kf_pur_lock", 1, args, v, LK_COLUMNS) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    kf_pur_state from;
    kf_pur_outcome o;
    if (!kf_purchase_payment_outcome(v[LK_STATUS], v[LK_EVER_PAID], plan, &from, &o)) {
        return APR_EGENERAL;
    }
    apr_status_t rv = APR_SUCCESS;
    *result = kf_purchase_event_result(&o);
    if (o.moved) {
        const char *paid = (o.effects & KF_PUR_FX_PAID) ? "true" : "false";
        const char *margs[] = {kf_pur_state_name(o.next), o.reason, paid, paid, purchase_id,
                               kf_pur_state_name(from)};
        int moved = 0;
        rv = kfm_db_exec(c->r, db, "kf_pur_move", &moved, 6, margs);
        if (rv == APR_SUCCESS && moved != 1) {
            rv = APR_EGENERAL;    /* locked above: cannot have moved meanwhile */
        }
    }
    if (rv == APR_SUCCESS && (o.effects & KF_PUR_FX_PAID)) {
        rv = kfm_callback_queue_purchase(c, db, purchase_id);
        if (rv == APR_SUCCESS) {
            rv = mail_paid(c, db, purchase_id);
        }
    }
    if (rv == APR_SUCCESS && (o.effects & KF_PUR_FX_REFUND_FLAG)) {
        const char *fargs[] = {o.flag_reason, payment_id};
        KFM_CTX_LOG(c, APLOG_WARNING, "purchase %s: payment %s approved again; flagged for refund",
                   purchase_id, payment_id);
        rv = kfm_db_exec(c->r, db, "kf_pur_flag_payment", NULL, 2, fargs);
    }
    return rv;
}

/* ---------------------------------------------------------------- sessions */

apr_status_t kfm_purchase_spend_session(kfm_req *kr, const char *purchase_id,
                                       const char *reservation_id, int *sessions_left)
{
    const char *args[] = {purchase_id, reservation_id};
    const char *v[SPEND_COLUMNS];
    if (kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_pur_spend", 2, args, v,
                          SPEND_COLUMNS) != APR_SUCCESS ||
        strcmp(v[SPEND_BOOKINGS], "1") != 0) {
        return APR_EGENERAL;
    }
    *sessions_left = atoi(v[SPEND_LEFT]);
    return APR_SUCCESS;
}

apr_status_t kfm_purchase_session_cancelled(const kfm_ctx *c, ap_dbd_t *db,
                                           const char *reservation_id, int before_cutoff)
{
    const char *args[] = {reservation_id};
    const char *v[CANCEL_COLUMNS];
    if (kfm_db_select_row(c->r, db, c->p, "kf_pur_cancel_facts", 1, args, v, CANCEL_COLUMNS) !=
        APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (!kf_purchase_cancel_returns_session(v[CANCEL_PURCHASE] != NULL,
                                            strcmp(v[CANCEL_RETURNED], "t") == 0, before_cutoff)) {
        return APR_SUCCESS;
    }
    int given = 0;
    apr_status_t rv = kfm_db_exec(c->r, db, "kf_pur_give_back", &given, 1, args);
    if (rv == APR_SUCCESS && given != 1) {
        rv = APR_EGENERAL;
    }
    return rv;
}

/* ---------------------------------------------------------------- the expiry job */

int kfm_purchases_expire_due(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    (void)data;
    kf_pur_outcome from_paid = kf_purchase_next(KF_PUR_PAID, KF_PUR_EXPIRE, NULL);
    kf_pur_outcome from_pending = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_EXPIRE, NULL);
    const char *args[] = {kf_pur_state_name(from_paid.next), from_paid.reason, from_pending.reason};
    int total = 0, n = 0;
    do {
        kfm_rows *res = NULL;
        if (kfm_db_select(NULL, db, "kf_pur_expire", &res, 3, args) != APR_SUCCESS) {
            return -1;
        }
        n = kfm_db_rows(db, res);
        total += n;
    } while (n == EXPIRY_BATCH);
    if (total > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "purchases: %d purchase(s) expired", total);
    }
    return total;
}
