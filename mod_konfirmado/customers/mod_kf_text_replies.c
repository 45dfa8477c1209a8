/* POST /api/webhooks/twilio/{tenant} (API.md "Customer portal ... and preferences"): a
 * customer's text to the tenant's Twilio number, signed by Twilio (X-Twilio-Signature: the
 * tenant's auth token over the URL it posted to, KonfirmadoPublicURL and this path, and the
 * form's fields). STOP, BAJA and Twilio's other words turn text reminders off for that
 * number at that tenant (and for every address that booked with it); START takes them back.
 * Other texts are ignored. The answer is an empty TwiML document: nothing is replied. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_ratelimit.h"
#include "kf_query.h"
#include "kf_text.h"
#include "kf_text_replies.h"
#include "kf_twilio.h"

#include <apr_strings.h>
#include <string.h>

/* The addresses that booked with the tenant from a phone, with their preference set. */
#define BOOKED_FROM(value) \
    " INSERT INTO customer_preferences (tenant_id, email, reminders_text)" \
    " SELECT DISTINCT r.tenant_id, lower(r.customer_email), " value " FROM reservations r" \
    " WHERE r.tenant_id = %s::uuid AND r.customer_phone = %s AND coalesce(r.customer_email, '') <> ''" \
    " ON CONFLICT (tenant_id, email) DO UPDATE SET reminders_text = " value ", updated_at = now()"

const kfm_sql kfm_text_replies_sql[] = {
    /* tenant, phone twice */
    {"kf_text_stop",
     "WITH stopped AS (INSERT INTO customer_text_opt_outs (tenant_id, phone)"
     "   VALUES (%s::uuid, %s) ON CONFLICT DO NOTHING)" BOOKED_FROM("false")},
    {"kf_text_start",
     "WITH started AS (DELETE FROM customer_text_opt_outs WHERE tenant_id = %s::uuid"
     "   AND phone = %s)" BOOKED_FROM("true")},
    {NULL, NULL},
};

/* Columns of kf_messaging_account (the messaging feature's). */
#define ACCOUNT_COLUMNS KF_TWILIO_ACCT_COLUMNS

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
    apr_table_t *form = NULL;
    const char *bad = NULL;
    if (!kf_is_uuid(tenant) || memchr(body, '\0', len) ||
        kf_query_parse(r->pool, apr_pstrmemdup(r->pool, body, len), &form, &bad) != KF_QUERY_OK) {
        return kfm_reply_bad_signature(kr);
    }
    kfm_rows *res = NULL;
    const char *args[] = {tenant};
    if (kfm_db_select(r, kr->db, "kf_messaging_account", &res, 1, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const kf_twilio_account *acct = NULL;
    if (kfm_db_rows(kr->db, res) == 1) {
        const char *v[ACCOUNT_COLUMNS];
        kfm_db_row(kr->db, r->pool, res, 0, v, ACCOUNT_COLUMNS);
        acct = kf_twilio_account_open(r->pool, kr->conf->keyring, v, tenant, KF_TWILIO_DEFAULT_API);
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
    const char *change[] = {tenant, from, tenant, from};
    const char *label = reply == KF_TEXT_REPLY_STOP ? "kf_text_stop" : "kf_text_start";
    if (kfm_db_exec(r, kr->db, label, NULL, 4, change) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_log(kr, APLOG_INFO, "text reminders %s for %s at tenant %s by a text",
            reply == KF_TEXT_REPLY_STOP ? "stopped" : "started again", from, tenant);
    return reply_twiml(kr);
}
