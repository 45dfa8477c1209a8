/* The reason a delivery did not go: kf_delivery_reason.h. */
#include "kf_delivery_reason.h"
#include "kf_email.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* Whether text holds one of words (NULL-terminated), in any case. */
static int mentions(const char *text, const char *const *words)
{
    for (; text && *words; words++) {
        if (strcasestr(text, *words)) {
            return 1;
        }
    }
    return 0;
}

/* The number of `digits` digits right after the first `after` in text (at its start when
 * after is ""), not followed by another digit; 0 when there is none. */
static int number_after(const char *text, const char *after, size_t digits)
{
    const char *at = text ? strcasestr(text, after) : NULL;
    if (!at) {
        return 0;
    }
    at += strlen(after);
    for (size_t i = 0; i < digits; i++) {
        if (!isdigit((unsigned char)at[i])) {
            return 0;
        }
    }
    if (isdigit((unsigned char)at[digits])) {
        return 0;
    }
    return (int)strtol(at, NULL, 10);
}

/* The SMTP reply in a mail's error: "(server said 550)", curl's "RCPT failed: 550", or a
 * reply at the start ("550 5.1.1 User unknown"). */
static int smtp_reply(const char *error)
{
    int code = number_after(error, "server said ", 3);
    if (!code) {
        code = number_after(error, "failed: ", 3);
    }
    if (!code && error && strncmp(error, "resend ", 7) != 0) {
        code = number_after(error, "", 3);
    }
    return code >= 200 && code <= 599 ? code : 0;
}

static int http_status(const char *error)
{
    int code = number_after(error, "HTTP ", 3);
    return code >= 100 && code <= 599 ? code : 0;
}

static int in(int code, const int *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == code) {
            return 1;
        }
    }
    return 0;
}

#define IN(code, ...) in((code), (const int[]){__VA_ARGS__}, \
                         sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

static kf_delivery_reason reason(const char *code, int answer)
{
    kf_delivery_reason r = {code, answer};
    return r;
}

static kf_delivery_reason mail_reason(const char *to, const char *fault, const char *error)
{
    static const char *const never_sent[] = {"not queued:", "not deliverable:", "sealed body", NULL};
    static const char *const bad_address[] = {"not a valid address", "invalid `to`", "5.1.3", NULL};
    static const char *const spam[] = {"spam", "blocklist", "blacklist", "block list", NULL};
    static const char *const full[] = {"mailbox full", "quota", "insufficient storage", "4.2.2",
                                       "5.2.2", NULL};
    static const char *const login[] = {"authentication", "login denied", NULL};
    static const char *const silent[] = {"timed out", "timeout", "connect", "resolve",
                                         "not reachable", NULL};
    int code = smtp_reply(error);
    if (is(fault, "unsendable") || mentions(error, never_sent)) {
        int address_bad = (to && !kf_email_valid(to)) || mentions(error, bad_address);
        return reason(address_bad ? "mail_address_invalid" : "mail_not_prepared", 0);
    }
    /* 554 after the message: refused for what it looks like, whoever the fault names */
    if (code == 554 || mentions(error, spam)) {
        return reason("mail_spam", code);
    }
    if (code == 552 || code == 452 || mentions(error, full)) {
        return reason("mail_mailbox_full", code);
    }
    if (is(fault, "recipient") || (!fault && code >= 550 && code <= 553)) {
        return reason(code == 553 || mentions(error, bad_address) ? "mail_address_invalid"
                                                                 : "mail_mailbox_missing",
                      code);
    }
    if (is(fault, "sender") || IN(code, 530, 534, 535) || mentions(error, login)) {
        return reason("mail_service_refused", code);
    }
    if (is(fault, "unreachable") || mentions(error, silent)) {
        return reason("mail_no_answer", 0);
    }
    if (is(fault, "busy") || (code >= 400 && code <= 499)) {
        return reason("mail_busy", code);
    }
    return reason("unknown", code);
}

static kf_delivery_reason text_reason(const char *error)
{
    static const char *const unsubscribed[] = {"unsubscribed", NULL};
    static const char *const late[] = {"appointment has started", NULL};
    static const char *const gone[] = {"messaging is no longer configured", NULL};
    static const char *const unopened[] = {"does not open", "could not be sealed", NULL};
    static const char *const bad_number[] = {"not a valid phone number", "not a mobile number",
                                             NULL};
    static const char *const silent[] = {"could not be reached", "timed out", "timeout",
                                         "connect", "resolve", "without a message sid", NULL};
    int code = number_after(error, "", 5);   /* Twilio's error code leads its message */
    int status = http_status(error);
    if (code == 21610 || mentions(error, unsubscribed)) {
        return reason("text_unsubscribed", code);
    }
    if (mentions(error, late)) {
        return reason("text_too_late", 0);
    }
    if (mentions(error, gone)) {
        return reason("text_account", 0);
    }
    if (mentions(error, unopened)) {
        return reason("text_not_prepared", 0);
    }
    if (IN(code, 21211, 21214, 21217, 21401, 21407, 21421, 21612, 21614, 63003) ||
        mentions(error, bad_number)) {
        return reason("text_number_invalid", code);
    }
    /* the merchant's own Twilio account: its credentials, its sender, a trial account's
     * unverified numbers, a country it may not text */
    if (IN(code, 20003, 20005, 20404, 21408, 21603, 21606, 21608, 21659, 21660, 63007) ||
        IN(status, 401, 403, 404)) {
        return reason("text_account", code ? code : status);
    }
    if (code == 20429 || status == 429 || status >= 500 || mentions(error, silent)) {
        return reason("text_provider_down", code ? code : status);
    }
    return reason("unknown", code ? code : status);
}

static kf_delivery_reason site_reason(const char *error)
{
    static const struct {
        const char *kind;
        const char *reason;
    } kinds[] = {{"timeout", "site_timeout"},       {"tls_error", "site_tls"},
                 {"dns_error", "site_dns"},         {"connection_refused", "site_refused"},
                 {"blocked_address", "site_blocked"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (is(error, kinds[i].kind)) {
            return reason(kinds[i].reason, 0);
        }
    }
    int status = http_status(error);
    if (status >= 300 && status <= 399) {
        return reason("site_redirect", status);
    }
    if (status == 401 || status == 403) {
        return reason("site_unauthorized", status);
    }
    if (IN(status, 404, 405, 410)) {
        return reason("site_not_found", status);
    }
    if (status >= 400 && status <= 499) {
        return reason("site_rejected", status);
    }
    if (status >= 500) {
        return reason("site_error", status);
    }
    return reason("unknown", status);
}

kf_delivery_reason kf_delivery_reason_of(const char *channel, const char *status, const char *to,
                                         const char *fault, const char *error)
{
    int texted = is(channel, "sms") || is(channel, "whatsapp");
    if (is(status, "sent")) {
        return reason(NULL, 0);
    }
    if (texted && is(status, "suppressed")) {
        return reason("text_unsubscribed", 0);
    }
    if (!(error && *error) && !(fault && *fault)) {
        return reason(NULL, 0);
    }
    if (is(channel, "email")) {
        return mail_reason(to, fault && *fault ? fault : NULL, error);
    }
    if (texted) {
        return text_reason(error);
    }
    if (is(channel, "callback")) {
        return site_reason(error);
    }
    return reason("unknown", 0);
}
