/* POST /api/webhooks/{provider} (API.md "Provider webhooks"), for every provider of the
 * registry: a notice is believed only once verified, by the provider's own scheme, with the
 * secret of the tenant whose payment it names; then it is applied like every provider event
 * (mod_kf_payment_events.c). */
#include "mod_kf_payments.h"
#include "mod_kf_payment_events.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_ratelimit.h"
#include "kf_json.h"
#include "kf_url.h"

/* Columns of kf_payment_by_reference. */
enum { REF_PAY_ID, REF_TENANT, REF_PROVIDER, REF_MODE, REF_PUBLIC_KEY, REF_SECRETS,
       REF_CHECKOUT_ID, REF_REFERENCE, REF_TXID, REF_COLUMNS };

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

static kfm_signature_refused_fn *when_signature_refused;

void kfm_payments_when_signature_refused(kfm_signature_refused_fn *fn)
{
    when_signature_refused = fn;
}

static int reply_received(kfm_req *kr, const char *outcome)
{
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:b, s:s}", "received", 1, "outcome", outcome));
}

int kfm_handle_payment_webhook(kfm_req *kr)
{
    const kf_payment_provider *prov =
        kf_payment_provider_find(apr_table_get(kr->params, "provider"));
    if (!prov || !prov->verify_webhook) {
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
    kf_payment_webhook wh = {body, len, r->headers_in, r->args, started,
                             kf_json_parse_object(c->p, body, len, NULL)};
    /* Untrusted until verified: the reference only says whose secret to verify with. */
    const char *reference = prov->webhook_reference(c->p, &wh);
    if (!reference) {
        kfm_log(kr, APLOG_INFO, "%s webhook without a transaction reference: refused", prov->name);
        return kfm_reply_bad_signature(kr);
    }
    const char *args[] = {reference, prov->name, reference, prov->name, reference, prov->name,
                          reference};
    const char *v[REF_COLUMNS];
    apr_status_t found = kfm_db_select_row(c->r, kr->db, c->p, "kf_payment_by_reference", 7,
                                           args, v, REF_COLUMNS);
    if (found != APR_SUCCESS && found != APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
    }
    if (found == APR_NOTFOUND) {
        apr_int64_t wait = kfm_limit_unproven_webhook(kr);
        if (wait > 0) {
            return kfm_reply_too_many_requests(kr, wait);
        }
        kfm_log(kr, APLOG_WARNING, "%s webhook for unknown reference %s: ignored", prov->name,
               kf_url_encode(c->p, reference));
        return reply_received(kr, "unknown_reference");
    }
    const char *pay_id = v[REF_PAY_ID];
    const kf_payment_account *acct =
        strcmp(v[REF_PROVIDER], prov->name) == 0
            ? kfm_payment_account_open(c, v[REF_TENANT], prov->name, v[REF_MODE],
                                       v[REF_PUBLIC_KEY], v[REF_SECRETS])
            : NULL;
    kf_payment_event ev = {0};
    const char *why = NULL;
    kf_payment_verdict verdict = kf_payment_verify(c->p, prov, &wh, acct, &ev, &why);
    if (verdict == KF_PAYMENT_BAD_SIGNATURE) {
        kfm_log(kr, APLOG_WARNING, "%s webhook for payment %s refused: %s", prov->name, pay_id,
               why ? why : "no account to verify with");
        if (when_signature_refused) {
            when_signature_refused(v[REF_TENANT]);
        }
        return kfm_reply_bad_signature(kr);
    }
    if (verdict == KF_PAYMENT_UNUSABLE) {
        kfm_log(kr, APLOG_INFO, "%s webhook for payment %s ignored: %s", prov->name, pay_id, why);
        return reply_received(kr, "ignored");
    }
    /* a notice without the payment's state, or of a dispute without its state: asked of the
     * provider, merchant-scoped, about the payment this notice was verified for */
    kf_payment_question ask;
    kf_payment_applied applied =
        kf_payment_webhook_question(verdict, v[REF_REFERENCE], v[REF_CHECKOUT_ID], ev.refund_id,
                                    v[REF_TXID], &ask)
            ? kfm_payment_ask_request(kr, pay_id, prov, acct, &ask)
            : kfm_payment_apply_event(c, kr->db, pay_id, "webhook", &ev,
                                      apr_pstrmemdup(c->p, body, len), started);
    const char *outcome = kf_payment_webhook_outcome(applied);
    /* failed: not 200, the provider retries later, so the event is not lost */
    return outcome ? reply_received(kr, outcome)
                   : kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
}
