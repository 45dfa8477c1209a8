/* Twilio Programmable Messaging: see kf_twilio.h. */
#include "kf_twilio.h"
#include "kf_crypto.h"
#include "kf_http_api.h"
#include "kf_customer.h"
#include "kf_json.h"
#include "kf_mail.h"
#include "kf_tenant_rules.h"
#include "kf_text.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

static int hex_run(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return s[n] == '\0';
}

const char *kf_twilio_account_sid_problem(const char *sid)
{
    return sid && strncmp(sid, "AC", 2) == 0 && strlen(sid) == 34 && hex_run(sid + 2, 32)
               ? NULL : "twilio_account_sid_invalid";
}

const char *kf_twilio_auth_token_problem(const char *token)
{
    return token && strlen(token) == 32 && hex_run(token, 32) ? NULL : "twilio_auth_token_invalid";
}

const char *kf_twilio_from_problem(const char *from)
{
    return from && !kf_customer_check_phone(from, NULL) ? NULL : "twilio_from_invalid";
}

const char *kf_twilio_channel_problem(const char *channel)
{
    return channel && (strcmp(channel, "sms") == 0 || strcmp(channel, "whatsapp") == 0)
               ? NULL : "twilio_channel_invalid";
}

json_t *kf_twilio_settings_read(const json_t *body, kf_twilio_settings *out)
{
    static const char *const names[] = {"account_sid", "auth_token", "from", "channel"};
    const char *(*const rules[])(const char *) = {
        kf_twilio_account_sid_problem, kf_twilio_auth_token_problem, kf_twilio_from_problem,
        kf_twilio_channel_problem};
    const char **fields[] = {&out->account_sid, &out->auth_token, &out->from, &out->channel};
    json_t *errors = json_object();
    for (int i = 0; i < 4; i++) {
        *fields[i] = NULL;
        switch (kf_json_get_string(body, names[i], fields[i])) {
        case KF_JSON_FIELD_OK: {
            const char *why = rules[i](*fields[i]);
            if (why) {
                json_object_set_new(errors, names[i], json_string(why));
            }
            break;
        }
        case KF_JSON_FIELD_WRONG_TYPE:
            json_object_set_new(errors, names[i], json_string("tenant_field_string"));
            break;
        default:
            json_object_set_new(errors, names[i], json_string("tenant_field_required"));
        }
    }
    return errors;
}

const char *kf_twilio_text_not_sendable(int appointment_ahead, int account_found, int text_opens)
{
    if (!appointment_ahead) {
        return "the appointment has started: a reminder now would be late";
    }
    if (!account_found) {
        return "messaging is no longer configured";
    }
    return text_opens ? NULL : "the text does not open";
}

const char *kf_twilio_outcome_status(kf_twilio_outcome outcome)
{
    return outcome == KF_TWILIO_SENT ? "sent" : outcome == KF_TWILIO_FAILED ? "failed" : "queued";
}

const char *kf_twilio_attempt_line(apr_pool_t *p, kf_twilio_outcome outcome, const char *id,
                                   const char *to, int attempts, const char *sid,
                                   const char *why)
{
    if (outcome == KF_TWILIO_SENT) {
        return apr_psprintf(p, "message %s sent to %s (%s)", id, kf_mask_recipient(p, to), sid);
    }
    return apr_psprintf(p, "message %s to %s %s after attempt %d: %s", id,
                        kf_mask_recipient(p, to),
                        outcome == KF_TWILIO_FAILED ? "failed" : "retried later", attempts,
                        why ? kf_mask_text(p, why) : "?");
}

int kf_twilio_retry_delay(kf_twilio_outcome outcome, int attempts)
{
    return outcome == KF_TWILIO_RETRY ? kf_mail_retry_delay(attempts, 5) : -1;
}

const char *kf_twilio_address(apr_pool_t *p, const char *channel, const char *e164)
{
    return channel && strcmp(channel, "whatsapp") == 0 ? apr_pstrcat(p, "whatsapp:", e164, NULL)
                                                       : apr_pstrdup(p, e164);
}

/* The first `max` characters of UTF-8 text (whole characters). */
static const char *cut_utf8(apr_pool_t *p, const char *s, apr_size_t max)
{
    apr_size_t chars = 0, i = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max) {
                return apr_pstrmemdup(p, s, i);
            }
            chars++;
        }
        i++;
    }
    return s;
}

const char *kf_twilio_message_form(apr_pool_t *p, const kf_twilio_account *acct, const char *to,
                                   const char *body, const char *status_callback)
{
    const char *form = apr_pstrcat(
        p, "To=", kf_url_encode(p, kf_twilio_address(p, acct->channel, to)),
        "&From=", kf_url_encode(p, kf_twilio_address(p, acct->channel, acct->from)),
        "&Body=", kf_url_encode(p, cut_utf8(p, body ? body : "", KF_TWILIO_BODY_MAX)), NULL);
    if (status_callback && *status_callback) {
        form = apr_pstrcat(p, form, "&StatusCallback=", kf_url_encode(p, status_callback), NULL);
    }
    return form;
}

const char *kf_twilio_reminder_text(apr_pool_t *p, kf_locale locale, const char *business,
                                    const char *service, const char *professional,
                                    const char *when, const char *place, const char *link)
{
    int en = locale == KF_LOCALE_EN;
    const char *text = apr_psprintf(p, en ? "%s: reminder of your %s with %s, %s."
                                          : "%s: te recordamos tu %s con %s, %s.",
                                    business, service, professional, when);
    if (place && *place) {
        text = apr_pstrcat(p, text, " ", place, ".", NULL);
    }
    if (link && *link) {
        text = apr_pstrcat(p, text, en ? " Move or cancel: " : " Cambiar o cancelar: ", link, NULL);
    }
    return text;
}

/* Twilio's error codes that a later try may pass: too many requests. Everything else that
 * Twilio refuses with a 4xx (bad or unsubscribed number, unverified number on a trial account,
 * a sender that cannot send SMS, refused credentials) fails the same way again. */
static int retryable_code(json_int_t code)
{
    return code == 20429;
}

kf_twilio_outcome kf_twilio_read_answer(apr_pool_t *p, int status, const char *body,
                                        apr_size_t len, const char **sid, const char **why)
{
    json_t *doc = body ? kf_json_parse_object(p, body, len, NULL) : NULL;
    *sid = NULL;
    *why = NULL;
    if (status >= 200 && status < 300) {
        const char *s = NULL;
        if (doc && kf_json_get_string(doc, "sid", &s) == KF_JSON_FIELD_OK && *s) {
            *sid = apr_pstrdup(p, s);
            return KF_TWILIO_SENT;
        }
        *why = apr_psprintf(p, "HTTP %d without a message sid", status);
        return KF_TWILIO_RETRY;
    }
    json_int_t code = 0;
    const char *message = NULL;
    if (doc) {
        kf_json_get_int(doc, "code", &code);
        kf_json_get_string(doc, "message", &message);
    }
    *why = code ? apr_psprintf(p, "%" APR_INT64_T_FMT " %s", (apr_int64_t)code,
                               message ? message : "")
                : apr_psprintf(p, "HTTP %d", status);
    if (status == 429 || status >= 500 || retryable_code(code)) {
        return KF_TWILIO_RETRY;
    }
    return KF_TWILIO_FAILED;
}

static const char *base64(apr_pool_t *p, const unsigned char *data, int len)
{
    char *out = apr_palloc(p, (apr_size_t)(4 * ((len + 2) / 3) + 1));
    EVP_EncodeBlock((unsigned char *)out, data, len);
    return out;
}

kf_twilio_outcome kf_twilio_send(apr_pool_t *p, kf_http_client *http,
                                 const kf_twilio_account *acct, const char *form,
                                 const char **sid, const char **why)
{
    const char *base = acct->api_base && *acct->api_base ? acct->api_base : KF_TWILIO_DEFAULT_API;
    const char *url = apr_pstrcat(p, kf_url_trim_slash(p, base), "/2010-04-01/Accounts/",
                                  kf_url_encode(p, acct->account_sid), "/Messages.json", NULL);
    const char *credentials = apr_pstrcat(p, acct->account_sid, ":", acct->auth_token, NULL);
    kf_http_request *req = kf_http_api_request(p, "POST", url, NULL);
    apr_table_setn(req->headers, "Authorization",
                   apr_pstrcat(p, "Basic ", base64(p, (const unsigned char *)credentials,
                                                   (int)strlen(credentials)), NULL));
    kf_http_request_set_body(req, "application/x-www-form-urlencoded", form);
    kf_http_response *resp = NULL;
    const char *transport = NULL;
    *sid = NULL;
    if (kf_http_perform(http, p, req, &resp, &transport) != APR_SUCCESS) {
        *why = transport ? transport : "Twilio could not be reached";
        return KF_TWILIO_RETRY;
    }
    return kf_twilio_read_answer(p, resp->status, resp->body, resp->body_len, sid, why);
}

static int by_name_then_value(const void *a, const void *b)
{
    const kf_twilio_param *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

const char *kf_twilio_signature(apr_pool_t *p, const char *auth_token, const char *url,
                                const apr_array_header_t *params)
{
    apr_size_t n = params ? (apr_size_t)params->nelts : 0;
    kf_twilio_param *sorted = apr_pmemdup(p, params && n ? params->elts : "", n * sizeof(*sorted) + 1);
    qsort(sorted, n, sizeof(*sorted), by_name_then_value);
    const char *msg = url;
    for (apr_size_t i = 0; i < n; i++) {
        msg = apr_pstrcat(p, msg, sorted[i].name, sorted[i].value, NULL);
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    const char *key = auth_token ? auth_token : "";
    if (!HMAC(EVP_sha1(), key, (int)strlen(key), (const unsigned char *)msg, strlen(msg), mac,
              &maclen)) {
        return NULL;
    }
    return base64(p, mac, (int)maclen);
}

/* The URL with its scheme's default port added (when it has none) or removed (when it has). */
static const char *other_port_form(apr_pool_t *p, const char *url)
{
    const char *port = strncmp(url, "https://", 8) == 0 ? "443"
                       : strncmp(url, "http://", 7) == 0 ? "80" : NULL;
    if (!port) {
        return NULL;
    }
    const char *host = strstr(url, "://") + 3;
    apr_size_t hostlen = strcspn(host, "/?#");
    const char *rest = host + hostlen;
    const char *colon = memchr(host, ':', hostlen);
    if (colon) {
        if (strncmp(colon + 1, port, strlen(port)) != 0 || colon + 1 + strlen(port) != rest) {
            return NULL;             /* another port: only the default one is optional */
        }
        return apr_pstrcat(p, apr_pstrmemdup(p, url, (apr_size_t)(colon - url)), rest, NULL);
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, url, (apr_size_t)(rest - url)), ":", port, rest, NULL);
}

int kf_twilio_signature_ok(apr_pool_t *p, const char *auth_token, const char *url,
                           const apr_array_header_t *params, const char *signature)
{
    if (!signature || !url) {
        return 0;
    }
    const char *mine = kf_twilio_signature(p, auth_token, url, params);
    if (mine && kf_ct_streq(mine, signature)) {
        return 1;
    }
    const char *other = other_port_form(p, url);
    mine = other ? kf_twilio_signature(p, auth_token, other, params) : NULL;
    return mine && kf_ct_streq(mine, signature);
}

json_t *kf_twilio_settings_changes(const kf_twilio_settings *s)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "account_sid", s->account_sid, "auth_token",
                     "[redacted]", "from", s->from, "channel", s->channel);
}

json_t *kf_twilio_settings_view(const char *const *row)
{
    if (!row) {
        return json_null();
    }
    return json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s}", "provider", "twilio", "configured", 1,
                     "account_sid", row[KF_TWILIO_VIEW_SID], "from", row[KF_TWILIO_VIEW_FROM],
                     "channel", row[KF_TWILIO_VIEW_CHANNEL], "auth_token_last4",
                     row[KF_TWILIO_VIEW_LAST4], "updated_at", row[KF_TWILIO_VIEW_UPDATED]);
}

const char *kf_twilio_token_aad(apr_pool_t *p, const char *tenant_id)
{
    return kf_provider_secrets_aad(p, tenant_id, "twilio");
}

const kf_twilio_account *kf_twilio_account_open(apr_pool_t *p, const kf_keyring *keys,
                                                const char *const *row, const char *tenant_id,
                                                const char *api_base)
{
    const char *token = kf_open_text(p, keys, row[KF_TWILIO_ACCT_SEALED],
                                     kf_twilio_token_aad(p, tenant_id));
    if (!token) {
        return NULL;
    }
    kf_twilio_account *acct = apr_pcalloc(p, sizeof(*acct));
    acct->api_base = api_base;
    acct->account_sid = row[KF_TWILIO_ACCT_SID];
    acct->auth_token = token;
    acct->from = row[KF_TWILIO_ACCT_FROM];
    acct->channel = row[KF_TWILIO_ACCT_CHANNEL];
    return acct;
}

kf_twilio_outcome kf_twilio_send_queued(apr_pool_t *p, kf_http_client *http, const kf_keyring *keys,
                                        const kf_twilio_account *acct, int appointment_ahead,
                                        const char *to, const char *sealed_body,
                                        const char **sid, const char **why)
{
    const char *text = kf_open_text(p, keys, sealed_body, KF_MESSAGE_BODY_AAD);
    *sid = NULL;
    *why = kf_twilio_text_not_sendable(appointment_ahead, acct != NULL, text != NULL);
    if (*why) {
        return KF_TWILIO_FAILED;
    }
    return kf_twilio_send(p, http, acct, kf_twilio_message_form(p, acct, to, text, NULL), sid,
                          why);
}
