/* A payment's checkout at its provider: the row made in the booking's (or purchase's)
 * transaction, the provider's checkout asked after it with the connection given back, and
 * what the customer is sent to. See mod_kf_payments.h. */
#include "mod_kf_payments.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_config.h"
#include "mod_kf_audit.h"
#include "kf_json.h"
#include "kf_payment_failure.h"
#include "kf_payment_view.h"

/* Columns of kf_payment_tenant_provider and kf_payment_booking_ctx. */
enum { TP_PROVIDER, TP_SERVICE_NAME, TP_COLUMNS };
enum { CTX_TENANT, CTX_LINK_SLUG, CTX_EXPIRES, CTX_COLUMNS };

const kfm_sql kfm_checkout_sql[] = {
    {"kf_payment_booking_ctx",
     "SELECT r.tenant_id, l.slug, extract(epoch FROM r.expires_at)::bigint"
     " FROM reservations r LEFT JOIN booking_links l ON l.id = r.link_id WHERE r.id = %s::uuid"},
    {"kf_payment_insert",
     /* the payment of a reservation, or (packages) of a purchase: the other id is NULL. Its
      * first reconciliation is due after KonfirmadoReconcileDelay (last argument): until then
      * the reconciliation claim's index range does not reach it. */
     "INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,"
     " currency, checkout_url, expires_at, provider_checkout_id, purchase_id, reconcile_next_at)"
     " VALUES (%s::uuid, %s::uuid, %s, %s, %s, %s::bigint, %s, %s, to_timestamp(%s::bigint), %s,"
     " %s::uuid, now() + make_interval(secs => %s::int))"},
    /* the provider a tenant takes payments with, and what its checkout shows (no
     * reservation for a purchase: the caller names what is paid) */
    {"kf_payment_tenant_provider",
     "SELECT t.payment_provider, s.name FROM (SELECT %s::uuid AS tenant, %s::uuid AS res) a"
     " JOIN tenants t ON t.id = a.tenant"
     " LEFT JOIN reservations r ON r.id = a.res AND r.tenant_id = t.id"
     " LEFT JOIN services s ON s.id = r.service_id"},
    /* url, the provider's id of it, reference: the checkout made after the payment's commit.
     * A booking that ended while the provider made it leaves it due to be ended at once (the
     * checkouts job; kf_reservation_move makes due those recorded before the booking ends). */
    {"kf_payment_checkout_record",
     "UPDATE payments p SET checkout_url = %s, provider_checkout_id = %s, updated_at = now(),"
     " checkout_close_next_at = (SELECT now() FROM reservations r WHERE r.id = p.reservation_id"
     "   AND r.status IN ('expired', 'failed'))"
     " WHERE reference = %s AND status = 'pending' AND checkout_url IS NULL"},
    /* reference: the provider made no checkout for it; nothing can pay it */
    {"kf_payment_checkout_abandon",
     "UPDATE payments SET status = 'error', flag_reason = 'checkout_failed', updated_at = now(),"
     " reconcile_next_at = 'infinity' WHERE reference = %s AND status = 'pending'"},
    {"kf_payment_funnel",
     "INSERT INTO funnel_events (tenant_id, link_id, reservation_id, event, visit_id)"
     " SELECT tenant_id, link_id, id, %s, visit_id FROM reservations WHERE id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kfm_payment_checkout_prepare(kfm_req *kr, ap_dbd_t *db, const kf_payment_start *in,
                                         kfm_checkout *out)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    memset(out, 0, sizeof(*out));
    const char *targs[] = {in->tenant_id, in->reservation_id};
    const char *tp[TP_COLUMNS];
    if (kfm_db_select_row(c->r, db, c->p, "kf_payment_tenant_provider", 2, targs, tp,
                          TP_COLUMNS) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *provider = tp[TP_PROVIDER];
    const char *service_name = tp[TP_SERVICE_NAME];
    const kf_payment_provider *prov = kf_payment_provider_find(provider);
    const kf_payment_account *acct =
        prov ? kfm_payment_account_load(c, db, in->tenant_id, prov->name) : NULL;
    if (!acct) {
        kfm_log(kr, APLOG_WARNING, "booking %s: tenant %s cannot take payments (no %s keys)",
               in->reservation_id, in->tenant_id, provider);
        return APR_ENOENT;
    }
    out->prov = prov;
    out->acct = acct;
    out->reservation_id = in->reservation_id;
    out->tenant_id = in->tenant_id;
    kf_payment_checkout *co = &out->co;
    if (kf_payment_checkout_start(c->p, kfm_conf_public_url(kr->conf), prov, in,
                                  service_name, co) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *args[] = {in->tenant_id, in->reservation_id, prov->name, acct->mode, co->reference,
                          kfm_db_int64(c->p, co->amount), co->currency, NULL,
                          apr_psprintf(c->p, "%" APR_TIME_T_FMT, apr_time_sec(co->expires_at)),
                          NULL, in->purchase_id,
                          apr_itoa(c->p, kfm_payments_conf_reconcile_delay(
                                             kfm_payments_conf_of(c->s)))};
    return kfm_db_exec(c->r, db, "kf_payment_insert", NULL, 12, args);
}

static apr_status_t checkout_record(kfm_req *kr, ap_dbd_t *db, const kfm_checkout *ck)
{
    const char *args[] = {ck->session.url, ck->session.checkout_id, ck->co.reference};
    const char *fargs[] = {"payment_started", ck->reservation_id};
    int recorded = 0;
    if (kfm_db_exec(kr->r, db, "kf_payment_checkout_record", &recorded, 3, args) != APR_SUCCESS ||
        recorded != 1 ||
        (ck->reservation_id &&   /* the funnel counts bookings, not purchases */
         kfm_db_exec(kr->r, db, "kf_payment_funnel", NULL, 2, fargs) != APR_SUCCESS)) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_payment_checkout_make(kfm_req *kr, kfm_checkout *ck)
{
    kfm_ctx cx = kfm_ctx_of_request(kr->r);
    const kfm_ctx *c = &cx;
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, ck->prov, ck->acct);
    const char *why = NULL;
    kfm_req_db_give_back(kr);
    apr_status_t made = kf_payment_call_create_checkout(ck->prov, c->p, kfm_provider_http(c), &ep,
                                                        ck->acct, &ck->co, &ck->session, &why);
    if (made != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "no %s checkout for payment %s: %s", ck->prov->name,
               ck->co.reference, why ? why : "?");
    }
    if (!kfm_req_db_own(kr, NULL)) {
        kfm_log(kr, APLOG_ERR, "payment %s: what the provider answered cannot be recorded (no "
                "database); its window will run out", ck->co.reference);
        return APR_EGENERAL;
    }
    if (made != APR_SUCCESS) {
        /* what the merchant's alert (payments_failing) and the status page count */
        json_t *record = kf_payment_failure_record(ck->prov->name, made, ck->session.http_status);
        if (kfm_audit_as(kr, kr->db, ck->tenant_id, NULL, KF_PAYMENT_FAILURE_ACTION, "payment",
                         ck->co.reference, record) != APR_SUCCESS) {
            kfm_log(kr, APLOG_WARNING, "payment %s: the provider's failure is not audited",
                    ck->co.reference);
        }
        return APR_ENOENT;
    }
    return checkout_record(kr, kr->db, ck);
}

apr_status_t kfm_payment_checkout_abandon(kfm_req *kr, ap_dbd_t *db, const kfm_checkout *ck)
{
    const char *args[] = {ck->co.reference};
    return kfm_db_exec(kr->r, db, "kf_payment_checkout_abandon", NULL, 1, args);
}

int kfm_payment_start_for_booking(kfm_req *kr, const kfm_booking_made *b, kfm_checkout **checkout)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    *checkout = NULL;
    if (kf_payment_nothing_to_collect(b->charge_type, b->amount)) {
        return 0;   /* paid already: the state machine's book made it so, and its effects ran */
    }
    const char *args[] = {b->reservation_id};
    const char *v[CTX_COLUMNS];
    if (kfm_db_select_row(c->r, kr->db, c->p, "kf_payment_booking_ctx", 1, args, v,
                          CTX_COLUMNS) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    kf_payment_start in = {0};
    in.tenant_id = v[CTX_TENANT];
    in.reservation_id = b->reservation_id;
    in.link_slug = v[CTX_LINK_SLUG];
    in.booking_token = b->booking_token;
    in.amount = b->amount;
    in.currency = b->currency;
    in.expires_at = apr_time_from_sec(apr_atoi64(v[CTX_EXPIRES]));
    in.customer_name = b->customer_name;
    in.customer_email = b->customer_email;
    in.customer_phone = b->customer_phone;
    kfm_checkout *ck = apr_palloc(c->p, sizeof(*ck));
    apr_status_t rv = kfm_payment_checkout_prepare(kr, kr->db, &in, ck);
    if (rv == APR_ENOENT) {
        return HTTP_BAD_GATEWAY;
    }
    if (rv != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    *checkout = ck;
    return 0;
}
