#ifndef KF_DELIVERY_REASON_H
#define KF_DELIVERY_REASON_H
/* Why a mail, a text or a notification to the merchant's site did not go, as one reason the
 * merchant can tell apart and act on (the deliveries list's "reason" and "answer_code"; the
 * dashboard words each reason). The rule reads what each outbox keeps of a failure:
 *   email      the mail's fault (mail_outbox.last_fault, kf_mail_fault.h) and its error: the
 *              SMTP answer as kf_mail_send words it ("smtp error 55: RCPT failed: 550 (server
 *              said 550)"), Resend's ("resend 422 validation_error: Invalid `to` field…"), or
 *              why it was never sent ("not queued: …", "not deliverable: …");
 *   sms|whatsapp  Twilio's code and message ("21211 The 'To' number … is not a valid phone
 *              number."), "HTTP <status>", a transport error, or why it was not sent
 *              (kf_twilio_text_not_sendable); a STOP is the status "suppressed";
 *   callback   the connection's error kind (kf_http_error_kind) or "HTTP <status>".
 * Reasons (stable names, docs/api.md):
 *   mail_mailbox_missing, mail_mailbox_full, mail_address_invalid, mail_spam,
 *   mail_service_refused (the platform's mail service refused us: ours to fix, not the
 *   merchant's), mail_no_answer, mail_busy, mail_not_prepared;
 *   text_number_invalid, text_unsubscribed, text_account (the merchant's Twilio settings),
 *   text_provider_down, text_too_late, text_not_prepared;
 *   site_timeout, site_tls, site_dns, site_refused, site_blocked, site_redirect,
 *   site_unauthorized, site_not_found, site_rejected, site_error;
 *   unknown (an error none of these explains). */

typedef struct kf_delivery_reason {
    const char *code;   /* one of the names above; NULL when nothing failed */
    int answer;         /* the number the other side answered, 0 when none: an SMTP reply
                         * (550), Twilio's error code (21211) or the site's HTTP status */
} kf_delivery_reason;

/* The reason of one delivery: its channel ("email", "sms", "whatsapp", "callback"), status
 * ("failed", "pending", "sent", "suppressed"), recipient, mail fault and error (each may be
 * NULL). A sent delivery, or one with neither error nor fault, has none. */
kf_delivery_reason kf_delivery_reason_of(const char *channel, const char *status, const char *to,
                                         const char *fault, const char *error);

#endif
