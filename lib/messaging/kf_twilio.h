#ifndef KF_TWILIO_H
#define KF_TWILIO_H
/* Twilio Programmable Messaging (PROVIDERS.md "Twilio"): SMS and WhatsApp reminders. The
 * settings' rules, the Messages API call and what its answer means, and the X-Twilio-Signature
 * check of its status callbacks. Pure but for the HTTP exchange, which goes through kf_http
 * (tests give it a fake). */
#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>
#include "kf_http.h"
#include "kf_crypto.h"
#include "kf_i18n.h"

#define KF_TWILIO_DEFAULT_API "https://api.twilio.com"
#define KF_TWILIO_BODY_MAX 1600     /* characters Twilio accepts in Body */
/* The aad of a queued text's sealed body (message_outbox.body_sealed). */
#define KF_MESSAGE_BODY_AAD "message_outbox.body"

/* A tenant's Twilio account, secrets opened. */
typedef struct kf_twilio_account {
    const char *api_base;      /* KF_TWILIO_DEFAULT_API, or KonfirmadoProviderURL twilio */
    const char *account_sid;   /* AC + 32 hex */
    const char *auth_token;
    const char *from;          /* E.164 sender number */
    const char *channel;       /* "sms" | "whatsapp" */
} kf_twilio_account;

/* The aad the tenant's auth token is sealed under (its provider secrets', "twilio"). */
const char *kf_twilio_token_aad(apr_pool_t *p, const char *tenant_id);

/* Columns of a tenant's stored account (the glue's kf_messaging_account). */
enum {
    KF_TWILIO_ACCT_SID, KF_TWILIO_ACCT_FROM, KF_TWILIO_ACCT_CHANNEL, KF_TWILIO_ACCT_SEALED,
    KF_TWILIO_ACCT_COLUMNS
};

/* The account of such a row at api_base, its token opened with keys; NULL when the token
 * does not open. */
const kf_twilio_account *kf_twilio_account_open(apr_pool_t *p, const kf_keyring *keys,
                                                const char *const *row, const char *tenant_id,
                                                const char *api_base);

/* Each setting's rule: NULL when good, else a message id (kf_i18n). */
const char *kf_twilio_account_sid_problem(const char *sid);
const char *kf_twilio_auth_token_problem(const char *token);
const char *kf_twilio_from_problem(const char *from);
const char *kf_twilio_channel_problem(const char *channel);

/* The settings a tenant gives (PUT /api/admin/tenant/messaging/twilio). */
typedef struct kf_twilio_settings {
    const char *account_sid;
    const char *auth_token;
    const char *from;
    const char *channel;
} kf_twilio_settings;

/* Reads and checks the body's four settings into *out. Returns the field errors as
 * {"field": message id} ("tenant_field_required", "tenant_field_string" or the rule's),
 * an empty object when all are good; a new reference. */
json_t *kf_twilio_settings_read(const json_t *body, kf_twilio_settings *out);

/* The settings as the audit records them: the auth token never. */
json_t *kf_twilio_settings_changes(const kf_twilio_settings *s);

/* Columns of a tenant's stored settings as the merchant sees them. */
enum {
    KF_TWILIO_VIEW_SID, KF_TWILIO_VIEW_FROM, KF_TWILIO_VIEW_CHANNEL, KF_TWILIO_VIEW_LAST4,
    KF_TWILIO_VIEW_UPDATED, KF_TWILIO_VIEW_COLUMNS
};

/* The stored settings (a row of those columns, NULL: none stored) as the tenant's "messaging":
 * the account and sender, the auth token by its last 4 characters only; JSON null when none. */
json_t *kf_twilio_settings_view(const char *const *row);

/* The address of a number on a channel: "+57300…" for SMS, "whatsapp:+57300…" for WhatsApp. */
const char *kf_twilio_address(apr_pool_t *p, const char *channel, const char *e164);

/* The form-encoded body of one message (To, From, Body; StatusCallback when given). Body is
 * cut to KF_TWILIO_BODY_MAX characters (UTF-8 aware). */
const char *kf_twilio_message_form(apr_pool_t *p, const kf_twilio_account *acct, const char *to,
                                   const char *body, const char *status_callback);

/* A reminder as a text message, short enough for one or two SMS: the business, the service,
 * the professional, when (already in the customer's words and zone), where (kf_location_line,
 * or NULL) and the booking's page when there is one. */
const char *kf_twilio_reminder_text(apr_pool_t *p, kf_locale locale, const char *business,
                                    const char *service, const char *professional,
                                    const char *when, const char *place, const char *link);

/* What one attempt to send left. */
typedef enum {
    KF_TWILIO_SENT = 0,        /* accepted: *sid is the message's SM… id */
    KF_TWILIO_RETRY,           /* Twilio busy or unreachable (429, 20429, 5xx, network) */
    KF_TWILIO_FAILED           /* refused for good (bad number, unsubscribed, auth): *why */
} kf_twilio_outcome;

/* Why a queued text is not sent, checked in this order (NULL when it goes): the appointment
 * has started (a reminder now would be late), the tenant's messaging is gone, the text does
 * not open. */
const char *kf_twilio_text_not_sendable(int appointment_ahead, int account_found, int text_opens);

/* What an attempt leaves on the queued text: "sent", "failed" or "queued" (tried again). */
const char *kf_twilio_outcome_status(kf_twilio_outcome outcome);

/* Seconds before the next try after the `attempts`-th (the mails' backoff, base 5 s), or -1
 * when there is none (sent, or failed for good). */
int kf_twilio_retry_delay(kf_twilio_outcome outcome, int attempts);

/* The log's line of attempt number `attempts` of text `id` to `to`, which ended in outcome
 * (sid: Twilio's id of a sent one; why: what it said of another), the number masked in it
 * and in what Twilio said (its message may quote the To). */
const char *kf_twilio_attempt_line(apr_pool_t *p, kf_twilio_outcome outcome, const char *id,
                                   const char *to, int attempts, const char *sid,
                                   const char *why);

/* POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json with HTTP Basic sid:token. *why
 * says what Twilio said ("21211 The 'To' number … is not a valid phone number."). */
kf_twilio_outcome kf_twilio_send(apr_pool_t *p, kf_http_client *http,
                                 const kf_twilio_account *acct, const char *form,
                                 const char **sid, const char **why);

/* A queued text to `to`, its body sealed (KF_MESSAGE_BODY_AAD) and opened with keys, sent
 * with the tenant's account (NULL: gone) unless kf_twilio_text_not_sendable says why not
 * (*why, KF_TWILIO_FAILED). */
kf_twilio_outcome kf_twilio_send_queued(apr_pool_t *p, kf_http_client *http, const kf_keyring *keys,
                                        const kf_twilio_account *acct, int appointment_ahead,
                                        const char *to, const char *sealed_body,
                                        const char **sid, const char **why);

/* What an answer means (the part of kf_twilio_send that reads it): HTTP status and body. */
kf_twilio_outcome kf_twilio_read_answer(apr_pool_t *p, int status, const char *body,
                                        apr_size_t len, const char **sid, const char **why);

/* X-Twilio-Signature of a form POST: base64(HMAC-SHA1(auth token, url + each parameter sorted
 * by name, then value, as name + value)). params: the form's fields (repeats allowed). */
const char *kf_twilio_signature(apr_pool_t *p, const char *auth_token, const char *url,
                                const apr_array_header_t *params);

/* One form field of the signature: kept as an array of these. */
typedef struct kf_twilio_param {
    const char *name;
    const char *value;
} kf_twilio_param;

/* 1 when `signature` is the request's, also with the default port added or removed from the
 * URL as Twilio's SDKs accept (":443" for https, ":80" for http); compared in constant time. */
int kf_twilio_signature_ok(apr_pool_t *p, const char *auth_token, const char *url,
                           const apr_array_header_t *params, const char *signature);

#endif
