/* Merchant callbacks, the queue: a booking's or purchase's callback body as the database
 * has it now, signed, and put in the outbox in the caller's transaction. See
 * mod_kf_callback_queue.h; delivery is mod_kf_callbacks.c. */
#include "mod_kf_callback_queue.h"
#include "mod_kf_callbacks_feature.h"
#include "kf_callback.h"
#include "kf_callback_facts.h"
#include "kf_crypto.h"

#include <apr_strings.h>

const kfm_sql kfm_callback_queue_sql[] = {
    {"kf_cb_booking", KFM_CB_BOOKING_SELECT},
    /* packages: what purchase.paid tells */
    {"kf_cb_purchase",
     "SELECT " KFM_SQL_COLUMNS(KFM_CB_PURCHASE_COLUMNS)
     " FROM purchases pu JOIN packages k ON k.id = pu.package_id"
     " JOIN services s ON s.id = pu.service_id JOIN tenants t ON t.id = pu.tenant_id"
     " JOIN LATERAL (SELECT provider, reference, amount, currency, mode FROM payments"
     "   WHERE purchase_id = pu.id AND status = 'approved'"
     "   ORDER BY approved_at DESC LIMIT 1) p ON true"
     " WHERE pu.id = %s::uuid"},
    /* A business with no callback URL has no system to tell: nothing is queued for it, so
     * nothing is attempted, retried, listed as failed or alerted on (a callback is sent again
     * by hand once it has a URL). */
    {"kf_cb_insert_purchase",
     "INSERT INTO merchant_callbacks (tenant_id, purchase_id, body, event)"
     " SELECT v.* FROM (VALUES (%s::uuid, %s::uuid, %s, 'purchase.paid'))"
     "   v (tenant_id, purchase_id, body, event)"
     " JOIN tenants t ON t.id = v.tenant_id AND coalesce(t.callback_url, '') <> ''"
     " ON CONFLICT (purchase_id, event) DO NOTHING"},
    /* tenant, booking, body, event, seconds before the first attempt. Due from the moment it
     * is queued (not the transaction's start), so the deliveries of one subject queued in one
     * transaction (a series' occurrences) go in the order they were queued. */
    {"kf_cb_insert",
     "INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, event, next_attempt_at)"
     " SELECT v.* FROM (VALUES (%s::uuid, %s::uuid, %s, %s,"
     "   clock_timestamp() + make_interval(secs => %s::int)))"
     "   v (tenant_id, reservation_id, body, event, next_attempt_at)"
     " JOIN tenants t ON t.id = v.tenant_id AND coalesce(t.callback_url, '') <> ''"
     " ON CONFLICT (reservation_id, event) WHERE " KFM_SQL_CALLBACK_ONCE " DO NOTHING"},
    /* the booking's deliveries not attempted yet (a claim counts its attempt first) */
    {"kf_cb_unattempted",
     "SELECT event FROM merchant_callbacks WHERE reservation_id = %s::uuid"
     " AND status = 'pending' AND attempts = 0 ORDER BY created_at"},
    /* body, booking, event: still unattempted, due now */
    {"kf_cb_rebody",
     "UPDATE merchant_callbacks SET body = %s, updated_at = now(),"
     " next_attempt_at = least(next_attempt_at, now())"
     " WHERE reservation_id = %s::uuid AND event = %s AND status = 'pending' AND attempts = 0"},
    {NULL, NULL},
};

/* The tenant's callback secret, or NULL when none is set (or it does not open: logged). */
const char *kfm_callback_secret(const kfm_ctx *c, const char *tenant_id, const char *sealed)
{
    apr_status_t rv = APR_SUCCESS;
    const char *plain = kf_callback_secret_open(c->p, c->conf->keyring, tenant_id, sealed, &rv);
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the callback secret of tenant %s does not open: %s",
                    tenant_id, kf_crypto_strerror(rv));
    }
    return plain;
}

/* The signed body of a booking's callback from its facts: kf_cb_booking's columns in row 0
 * of `res`, from column `first` on. */
static apr_status_t body_of(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *res, int first,
                            const char *res_id, const char *event, const char **tenant_id,
                            const char **body, int *room_wait)
{
    if (kfm_db_rows(db, res) < 1) {
        KFM_CTX_LOG(c, APLOG_ERR, "callback for unknown booking %s", res_id);
        return APR_EGENERAL;
    }
    const char *v[KF_CB_BK_COLUMNS];
    for (int i = 0; i < KF_CB_BK_COLUMNS; i++) {
        v[i] = kfm_db_value(db, c->p, res, 0, first + i);
    }
    *tenant_id = v[KF_CB_BK_TENANT];
    if (room_wait) {
        *room_wait = kf_callback_room_wait(v);
    }
    *body = kf_callback_booking_body_of(
        c->p, v, event, kfm_callback_secret(c, *tenant_id, v[KF_CB_BK_SECRET_SEALED]));
    if (!*body) {
        KFM_CTX_LOG(c, APLOG_ERR, "callback body of booking %s cannot be built", res_id);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_callback_booking_body(const kfm_ctx *c, ap_dbd_t *db, const char *res_id,
                               const char *event, const char **tenant_id, const char **body)
{
    kfm_rows *res = NULL;
    const char *args[] = {res_id};
    if (kfm_db_select(c->r, db, "kf_cb_booking", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return body_of(c, db, res, 0, res_id, event, tenant_id, body, NULL);
}

static apr_status_t queue_body(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                               const char *event, const char *tenant_id, const char *body,
                               int room_wait)
{
    const char *args[] = {tenant_id, reservation_id, body, event, apr_itoa(c->p, room_wait)};
    return kfm_db_exec(c->r, db, "kf_cb_insert", NULL, 5, args);
}

apr_status_t kfm_callback_queue_from(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *facts, int first,
                                    const char *reservation_id, const char *event)
{
    const char *tenant_id = NULL, *body = NULL;
    int room_wait = 0;
    apr_status_t rv = body_of(c, db, facts, first, reservation_id, event, &tenant_id, &body,
                              &room_wait);
    return rv == APR_SUCCESS ? queue_body(c, db, reservation_id, event, tenant_id, body, room_wait)
                             : rv;
}

apr_status_t kfm_callback_queue_event(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                     const char *event)
{
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id};
    if (kfm_db_select(c->r, db, "kf_cb_booking", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return kfm_callback_queue_from(c, db, res, 0, reservation_id, event);
}

apr_status_t kfm_callback_room_settled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id)
{
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id};
    if (kfm_db_select(c->r, db, "kf_cb_unattempted", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int n = kfm_db_rows(db, res);
    for (int i = 0; i < n; i++) {
        const char *event = kfm_db_value(db, c->p, res, i, 0);
        const char *tenant_id = NULL, *body = NULL;
        if (kfm_callback_booking_body(c, db, reservation_id, event, &tenant_id, &body) !=
            APR_SUCCESS) {
            return APR_EGENERAL;
        }
        const char *rargs[] = {body, reservation_id, event};
        if (kfm_db_exec(c->r, db, "kf_cb_rebody", NULL, 3, rargs) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

apr_status_t kfm_callback_queue_purchase(const kfm_ctx *c, ap_dbd_t *db, const char *purchase_id)
{
    const char *args[] = {purchase_id};
    const char *v[KF_CB_PU_COLUMNS];
    apr_status_t rv = kfm_db_select_row(c->r, db, c->p, "kf_cb_purchase", 1, args, v,
                                        KF_CB_PU_COLUMNS);
    if (rv == APR_NOTFOUND) {
        KFM_CTX_LOG(c, APLOG_ERR, "purchase.paid for purchase %s without an approved payment",
                   purchase_id);
    }
    if (rv != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *body = kf_callback_purchase_body_of(
        c->p, v, kfm_callback_secret(c, v[KF_CB_PU_TENANT], v[KF_CB_PU_SECRET_SEALED]));
    if (!body) {
        KFM_CTX_LOG(c, APLOG_ERR, "purchase.paid body of purchase %s cannot be built", purchase_id);
        return APR_EGENERAL;
    }
    const char *iargs[] = {v[KF_CB_PU_TENANT], purchase_id, body};
    return kfm_db_exec(c->r, db, "kf_cb_insert_purchase", NULL, 3, iargs);
}
