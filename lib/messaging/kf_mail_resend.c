/* Mail through Resend's HTTP API (kf_mail_transport.h; PROVIDERS.md "Mail"): POST /emails
 * with a Bearer key, the parts as JSON, the invite as a base64 attachment, and the mail's id
 * as Idempotency-Key, so that a retried attempt whose first answer was lost never sends the
 * mail twice (Resend answers the first request's answer again for 24 h). */
#include "kf_mail_transport.h"
#include "kf_mail_transport_impl.h"
#include "kf_http_api.h"
#include "kf_email.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_url.h"

#include <apr_base64.h>
#include <apr_strings.h>
#include <string.h>

static const char *base64(apr_pool_t *p, const char *data)
{
    int len = (int)strlen(data);
    char *out = apr_palloc(p, (apr_size_t)apr_base64_encode_len(len));
    apr_base64_encode(out, data, len);
    return out;
}

const char *kf_resend_body(apr_pool_t *p, const kf_mail_message *msg)
{
    json_t *body = json_pack("{s:s, s:[s], s:s, s:s, s:s}", "from", msg->from, "to", msg->to,
                             "subject", msg->subject ? msg->subject : "", "text",
                             msg->text ? msg->text : "", "html", msg->html ? msg->html : "");
    if (!body) {
        return NULL;
    }
    if (msg->list_unsubscribe) {
        const char *display, *from_addr;
        const char *value = kf_mail_parse_mailbox(p, msg->from, &display, &from_addr) == APR_SUCCESS
                                ? kf_mail_list_unsubscribe(p, msg->list_unsubscribe, from_addr, ", ")
                                : NULL;
        if (!value) {
            json_decref(body);
            return NULL;
        }
        json_object_set_new(body, "headers", json_pack("{s:s, s:s}", "List-Unsubscribe", value,
                                                       "List-Unsubscribe-Post", KF_MAIL_ONE_CLICK));
    }
    if (msg->reply_to) {
        /* Resend's own field, as SMTP's Reply-To: an address, or no mail at all */
        if (!kf_email_valid(msg->reply_to)) {
            json_decref(body);
            return NULL;
        }
        json_object_set_new(body, "reply_to", json_string(msg->reply_to));
    }
    if (msg->calendar) {
        const char *method = msg->calendar_method ? msg->calendar_method : "REQUEST";
        json_object_set_new(body, "attachments", json_pack(
            "[{s:s, s:s, s:s}]", "filename", "invite.ics", "content", base64(p, msg->calendar),
            "content_type", apr_pstrcat(p, "text/calendar; charset=UTF-8; method=", method, NULL)));
    }
    const char *text = kf_json_dump(p, body);
    json_decref(body);
    return text;
}

/* One printable line, at most about 300 bytes, with any address masked. */
static const char *line(apr_pool_t *p, const char *s)
{
    char *c = apr_pstrndup(p, s, 300);
    for (char *x = c; *x; x++) {
        if ((unsigned char)*x < 0x20 || (unsigned char)*x == 0x7f) {
            *x = ' ';
        }
    }
    return kf_mask_text(p, c);
}

kf_mail_result kf_resend_read_answer(apr_pool_t *p, int status, const json_t *doc)
{
    kf_mail_result r = {KF_MAIL_FAULT_BUSY, NULL, NULL, 0};
    const char *name = NULL, *message = NULL, *id = NULL;
    if (kf_json_get_string(doc, "name", &name) != KF_JSON_FIELD_OK) {
        name = "unknown_error";
    }
    if (kf_json_get_string(doc, "message", &message) != KF_JSON_FIELD_OK) {
        message = "no message";
    }
    if (status >= 200 && status <= 299) {
        if (kf_json_get_string(doc, "id", &id) == KF_JSON_FIELD_OK && *id) {
            r.fault = KF_MAIL_FAULT_NONE;
            r.remote_id = apr_pstrdup(p, id);
            return r;
        }
        r.why = apr_psprintf(p, "resend %d: the answer carries no email id", status);
        return r;
    }
    r.why = line(p, apr_psprintf(p, "resend %d %s: %s", status, name, message));
    r.fault = kf_mail_fault_of_resend(status, name, message);
    return r;
}

kf_mail_result kf_resend_read_answer_waiting(apr_pool_t *p, int status, const json_t *doc,
                                             const char *retry_after)
{
    kf_mail_result r = kf_resend_read_answer(p, status, doc);
    kf_mail_verdict v = kf_mail_fault_verdict(r.fault);
    if (v == KF_MAIL_RETRY || v == KF_MAIL_HOLD) {
        r.retry_after = kf_mail_retry_after_seconds(retry_after);
    }
    return r;
}

static kf_mail_result resend_send(const kf_mail_transport *t, apr_pool_t *p,
                                  const kf_mail_outgoing *m)
{
    kf_mail_result r = {KF_MAIL_FAULT_BUSY, NULL, NULL, 0};
    const char *body = kf_resend_body(p, m->msg);
    if (!body) {
        r.fault = KF_MAIL_FAULT_UNSENDABLE;
        r.why = "not deliverable: the message cannot be written as JSON";
        return r;
    }
    const char *url = apr_pstrcat(p, kf_url_trim_slash(p, t->base_url), "/emails", NULL);
    kf_http_request *req = kf_http_api_request(p, "POST", url, t->api_key);
    apr_table_setn(req->headers, "Idempotency-Key", m->id);
    kf_http_request_set_body(req, "application/json", body);
    kf_http_response *resp = NULL;
    const char *why = NULL;
    apr_status_t rv = kf_http_perform(t->http, p, req, &resp, &why);
    if (rv != APR_SUCCESS) {
        r.fault = rv == APR_ECONNREFUSED || rv == APR_TIMEUP || rv == KF_HTTP_EDNS
                      ? KF_MAIL_FAULT_UNREACHABLE : KF_MAIL_FAULT_BUSY;
        r.why = apr_pstrcat(p, "resend: ", why ? why : "not reachable", NULL);
        return r;
    }
    return kf_resend_read_answer_waiting(
        p, resp->status, kf_json_parse_object(p, resp->body, resp->body_len, NULL),
        apr_table_get(resp->headers, "retry-after"));
}

kf_mail_transport *kf_mail_transport_resend(apr_pool_t *p, kf_http_client *http,
                                            const char *base_url, const char *api_key)
{
    kf_mail_transport *t = apr_pcalloc(p, sizeof(*t));
    t->name = kf_mail_via_resend.name;
    t->send = resend_send;
    t->http = http;
    t->base_url = base_url && *base_url ? base_url : KF_RESEND_DEFAULT_API;
    t->api_key = api_key;
    return t;
}

static kf_mail_transport *resend_open(apr_pool_t *p, const kf_mail_transport_setup *setup)
{
    return kf_mail_transport_resend(p, setup->http, setup->base_url, setup->api_key);
}

const kf_mail_transport_kind kf_mail_via_resend = {
    .name = "resend",
    .url_name = "resend",
    .default_url = KF_RESEND_DEFAULT_API,
    .needs_key = 1,
    .sends = 1,
    .open = resend_open,
};
