/* POST /api/webhooks/twilio/{tenant} (API.md "Customer portal ... and preferences"): a
 * customer's text to the tenant's Twilio number, signed by Twilio (X-Twilio-Signature: the
 * tenant's auth token over the URL it posted to, KonfirmadoPublicURL and this path, and the
 * form's fields). STOP, BAJA and Twilio's other words stop every text from that tenant to
 * that number (and change nothing else: no address's preferences); START takes it back.
 * Other texts are ignored. The answer is an empty TwiML document: nothing is replied. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_messaging.h"
#include "kf_text.h"
#include "kf_text_replies.h"
#include "kf_twilio.h"

const kfm_sql kfm_text_replies_sql[] = {
    /* tenant, phone: the number's suppression at that tenant, by its keyed hash (a STOP is
     * no personal data to erase: sql/066_consent_by_owner.sql) */
    {"kf_text_stop",
     "INSERT INTO customer_text_opt_outs (tenant_id, phone_hash)"
     " VALUES (%s::uuid, kf_text_suppression(%s::uuid, %s)) ON CONFLICT DO NOTHING"},
    {"kf_text_start",
     "DELETE FROM customer_text_opt_outs WHERE tenant_id = %s::uuid"
     " AND phone_hash = kf_text_suppression(%s::uuid, %s)"},
    {NULL, NULL},
};

static int reply_twiml(kfm_req *kr)
{
    ap_set_content_type(kr->r, "application/xml; charset=utf-8");
    ap_rputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", kr->r);
    return OK;
}

int kfm_handle_twilio_inbound(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *tenant = apr_table_get(kr->params, "tenant");
    const char *body = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &body, &len) != APR_SUCCESS) {
        return OK;
    }
    apr_table_t *form = kf_is_uuid(tenant) ? kf_text_reply_form(r->pool, body, len) : NULL;
    if (!form) {
        return kfm_reply_bad_signature(kr);
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const kf_twilio_account *acct = NULL;
    if (kfm_messaging_account(&c, kr->db, tenant, &acct) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!acct || !kf_text_reply_signed(r->pool, form, acct->auth_token,
                                       kfm_conf_public_url(kr->conf), r->unparsed_uri,
                                       apr_table_get(r->headers_in, "X-Twilio-Signature"))) {
        kfm_log(kr, APLOG_WARNING, "twilio text for tenant %s refused: %s", tenant,
                acct ? "bad signature" : "no Twilio account");
        return kfm_reply_bad_signature(kr);
    }
    const char *from = NULL;
    kf_text_reply reply = kf_text_reply_read(form, &from);
    if (reply == KF_TEXT_REPLY_OTHER) {
        return reply_twiml(kr);
    }
    const char *change[] = {tenant, tenant, from};
    const char *label = reply == KF_TEXT_REPLY_STOP ? "kf_text_stop" : "kf_text_start";
    if (kfm_db_exec(r, kr->db, label, NULL, 3, change) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_log(kr, APLOG_INFO, "texts %s for %s at tenant %s by a text",
            reply == KF_TEXT_REPLY_STOP ? "stopped" : "started again",
            kf_mask_recipient(r->pool, from), tenant);
    return reply_twiml(kr);
}
