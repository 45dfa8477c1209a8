/* POST /api/webhooks/{wompi,stripe,mercadopago,airwallex} (API.md "Provider webhooks"): a
 * notice is believed only once verified with the secret of the tenant whose payment it names;
 * then it is applied like every provider event (mod_kf_payment_events.c). */
#include "mod_kf_payments.h"
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_ratelimit.h"
#include "kf_json.h"
#include "kf_payment_view.h"
#include "kf_url.h"

/* Columns of kf_payment_by_reference. */
enum { REF_PAY_ID, REF_TENANT, REF_PROVIDER, REF_MODE, REF_PUBLIC_KEY, REF_SECRETS,
       REF_CHECKOUT_ID, REF_REFERENCE, REF_TXID };

const kfm_sql kfm_payment_webhooks_sql[] = {
    /* the payment of a reference (or of the provider's id of its checkout or transaction: a
     * refund made in the provider's dashboard may name only those), with its tenant's account
     * for that provider */
    {"kf_payment_by_reference",
     /* each way of naming the payment is its own index probe (an OR across them, or with
      * the transactions' table, reads every payment); the reference's own match first */
     "SELECT p.id, p.tenant_id, p.provider, s.mode, s.public_key, s.secrets_sealed,"
     " p.provider_checkout_id, p.reference, p.provider_transaction_id"
     " FROM (SELECT id, 0 AS rank FROM payments WHERE reference = %s"
     "   UNION ALL SELECT id, 1 FROM payments WHERE provider = %s AND provider_checkout_id = %s"
     "   UNION ALL SELECT id, 1 FROM payments WHERE provider = %s AND provider_transaction_id = %s"
     "   UNION ALL SELECT payment_id, 1 FROM payment_transactions"
     "     WHERE provider = %s AND transaction_id = %s) m"
     " JOIN payments p ON p.id = m.id LEFT JOIN tenant_payment_settings s"
     "   ON s.tenant_id = p.tenant_id AND s.provider = p.provider"
     " ORDER BY m.rank LIMIT 1"},
    {NULL, NULL},
};

/* The dispute a verified notice named, read back from the provider with the account that
 * verified it (the request's connection given back meanwhile), applied like any event.
 * KFM_PAYMENT_NOT_OURS when the provider does not know it as a dispute of this payment
 * (nothing recorded). */
static kfm_payment_applied lookup_dispute(kfm_req *kr, const kfm_ctx *c, const char *pay_id,
                                   const kf_payment_provider *prov,
                                   const kf_payment_account *acct, const char *dispute_id,
                                   const char *transaction_id)
{
    apr_time_t started = apr_time_now();
    if (!prov->find_dispute) {
        return KFM_PAYMENT_NOT_OURS;
    }
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
    kf_payment_event ev;
    const char *why = NULL;
    kfm_req_db_give_back(kr);
    apr_status_t rv = prov->find_dispute(c->p, kfm_provider_http(c), &ep, acct, dispute_id,
                                         transaction_id, &ev, &why);
    if (!kfm_req_db_own(kr, NULL)) {
        return KFM_PAYMENT_FAILED;
    }
    if (rv == APR_NOTFOUND || rv == APR_EINVAL) {
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s dispute %s not recorded: %s", pay_id,
                   prov->name, kf_url_encode(c->p, dispute_id), why ? why : "?");
        return KFM_PAYMENT_NOT_OURS;
    }
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s dispute look-up failed: %s", pay_id,
                   prov->name, why ? why : "?");
        return KFM_PAYMENT_FAILED;
    }
    return kfm_payment_apply_event(c, kr->db, pay_id, "webhook", &ev,
                                   kf_payment_dispute_record(c->p, &ev), started);
}

static int reply_received(kfm_req *kr, const char *outcome)
{
    json_t *body = json_object();
    json_object_set_new(body, "received", json_true());
    json_object_set_new(body, "outcome", json_string(outcome));
    return kfm_reply_json(kr, HTTP_OK, body);
}

static int handle_webhook(kfm_req *kr, const kf_payment_provider *prov)
{
    if (!prov->verify_webhook) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    apr_time_t started = apr_time_now();
    const char *body = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &body, &len) != APR_SUCCESS) {
        return OK;
    }
    kf_payment_webhook wh = {body, len, r->headers_in, r->args, started};
    /* Untrusted until verified: the reference only says whose secret to verify with. */
    const char *reference = prov->webhook_reference(c->p, &wh);
    if (!reference) {
        kfm_log(kr, APLOG_INFO, "%s webhook without a transaction reference: refused", prov->name);
        return kfm_reply_bad_signature(kr);
    }
    kfm_rows *res = NULL;
    const char *args[] = {reference, prov->name, reference, prov->name, reference, prov->name,
                          reference};
    if (kfm_db_select(c->r, kr->db, "kf_payment_by_reference", &res, 7, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
    }
    if (kfm_db_rows(kr->db, res) < 1) {
        kfm_log(kr, APLOG_WARNING, "%s webhook for unknown reference %s: ignored", prov->name,
               kf_url_encode(c->p, reference));
        return reply_received(kr, "unknown_reference");
    }
    const char *pay_id = kfm_db_value(kr->db, c->p, res, 0, REF_PAY_ID);
    const char *tenant_id = kfm_db_value(kr->db, c->p, res, 0, REF_TENANT);
    const char *pay_provider = kfm_db_value(kr->db, c->p, res, 0, REF_PROVIDER);
    const kf_payment_account *acct =
        strcmp(pay_provider, prov->name) == 0
            ? kfm_payment_account_open(c, tenant_id, prov->name, kfm_db_value(kr->db, c->p, res, 0, REF_MODE),
                           kfm_db_value(kr->db, c->p, res, 0, REF_PUBLIC_KEY),
                           kfm_db_value(kr->db, c->p, res, 0, REF_SECRETS))
            : NULL;
    kf_payment_event ev;
    const char *why = NULL;
    kfm_payment_applied applied_dispute = KFM_PAYMENT_FAILED;
    kf_payment_verdict v = acct ? prov->verify_webhook(c->p, &wh, acct, &ev, &why)
                            : KF_PAYMENT_BAD_SIGNATURE;
    if (v == KF_PAYMENT_BAD_SIGNATURE && acct && acct->previous_events_secret) {
        /* rotated less than 72 h ago: events signed with the previous secret still count */
        kf_payment_account previous = *acct;
        previous.events_secret = acct->previous_events_secret;
        v = prov->verify_webhook(c->p, &wh, &previous, &ev, &why);
    }
    if (v == KF_PAYMENT_BAD_SIGNATURE) {
        kfm_log(kr, APLOG_WARNING, "%s webhook for payment %s refused: %s", prov->name, pay_id,
               why ? why : "no account to verify with");
        return kfm_reply_bad_signature(kr);
    }
    if (v == KF_PAYMENT_UNUSABLE) {
        kfm_log(kr, APLOG_INFO, "%s webhook for payment %s ignored: %s", prov->name, pay_id, why);
        return reply_received(kr, "ignored");
    }
    if (v == KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP) {
        /* a notice of a dispute without its state: asked of the provider, merchant-scoped,
         * about the payment this notice was verified for */
        applied_dispute = lookup_dispute(kr, c, pay_id, prov, acct, ev.refund_id,
                                         kfm_db_value(kr->db, c->p, res, 0, REF_TXID));
        if (applied_dispute == KFM_PAYMENT_NOT_OURS) {
            return reply_received(kr, "ignored");
        }
    }
    kfm_payment_applied applied =
        v == KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP ? applied_dispute
        : v == KF_PAYMENT_VERIFIED_LOOKUP
            /* a notice without the payment's state: asked of the provider, merchant-scoped */
            ? kfm_payment_reconcile_for(kr, pay_id, kfm_db_value(kr->db, c->p, res, 0, REF_REFERENCE),
                                tenant_id, prov->name,
                                kfm_db_value(kr->db, c->p, res, 0, REF_CHECKOUT_ID), "webhook")
            : kfm_payment_apply_event(c, kr->db, pay_id, "webhook", &ev, apr_pstrmemdup(c->p, body, len),
                          started);
    switch (applied) {
    case KFM_PAYMENT_DONE:
        return reply_received(kr, "applied");
    case KFM_PAYMENT_DUPLICATE:
        return reply_received(kr, "duplicate");
    default:
        /* not 200: the provider retries later, so the event is not lost */
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
    }
}

int kfm_handle_webhook_wompi(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_wompi);
}

int kfm_handle_webhook_stripe(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_stripe);
}

int kfm_handle_webhook_mercadopago(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_mercadopago);
}

int kfm_handle_webhook_airwallex(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_airwallex);
}
