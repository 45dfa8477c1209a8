/* Outgoing mail, core part: templates, RFC 5322 messages, SMTP delivery through libcurl,
 * and the retry schedule. No httpd header; the outbox and the delivery job live in
 * mod_konfirmado/messaging/mod_kf_mail.c.
 *
 *   kf_mail_render   template + locale + variables -> subject, text body, HTML body
 *   kf_mail_build    -> one multipart/alternative message (CRLF line ends, UTF-8 parts)
 *   kf_mail_send     -> handed to an SMTP server (lib/messaging/kf_mail_smtp.c)
 */
#ifndef KF_MAIL_H
#define KF_MAIL_H

#include <apr_pools.h>
#include <apr_time.h>
#include <jansson.h>

#include "kf_crypto.h"
#include "kf_i18n.h"

/* ---- templates ---- */

typedef struct kf_mail_content {
    const char *subject;
    const char *text;   /* plain text body, LF line ends */
    const char *html;   /* HTML body, every variable HTML-escaped */
} kf_mail_content;

/* Renders template `name` ("verify_email", "reset_password") in `locale`. Each {{var}}
 * of the template is replaced by the string value of vars[var] (escaped in the HTML
 * part). APR_SUCCESS, or an error with *why set to one line for the log:
 * APR_NOTFOUND (no such template), APR_EINVAL (a variable is missing, is not a string,
 * or vars is not an object). Unused variables are ignored. */
apr_status_t kf_mail_render(apr_pool_t *p, const char *name, kf_locale locale,
                            const json_t *vars, kf_mail_content *out, const char **why);

/* 1 when a template of that name exists. */
int kf_mail_template_known(const char *name);

/* &, <, >, " and ' as character references; NULL -> "". */
const char *kf_mail_html_escape(apr_pool_t *p, const char *s);

/* A mail ready to queue: the tenant's id is NULL or a UUID, the recipient a valid address
 * (kf_email_valid), and template `name` renders (kf_mail_render). APR_SUCCESS, or an error
 * with *why one line for the log ("the recipient is not a valid address"). */
apr_status_t kf_mail_compose(apr_pool_t *p, const char *tenant_id, const char *to,
                             const char *name, kf_locale locale, const json_t *vars,
                             kf_mail_content *out, const char **why);

/* ---- addresses ---- */

/* Splits a From value, "Display Name <addr>", "\"Quoted, Name\" <addr>" or "addr", into
 * its display name ("" when none) and address. APR_EINVAL when the address is not valid
 * or the value has CR, LF or other control bytes. display may be NULL. */
apr_status_t kf_mail_parse_mailbox(apr_pool_t *p, const char *value, const char **display,
                                   const char **addr);

/* Who sends the mail: the configured From (NULL: "Konfirmado <no-reply@base_domain>"), its
 * address for MAIL FROM and the right-hand side of Message-IDs. APR_EINVAL when the value is
 * no mailbox (kf_mail_parse_mailbox); *from is set either way. */
apr_status_t kf_mail_sender(apr_pool_t *p, const char *configured, const char *base_domain,
                            const char **from, const char **envelope_from, const char **id_domain);

/* ---- replies (kf_mail_reply.c) ---- */

/* 1 when template `name` is a mail to a customer about a booking or a purchase (the
 * confirmation, the reminder, the notices of a move or a cancellation, the package's receipt):
 * the customer's reply goes to the business (Reply-To). Portal sign-in links, account mails and
 * the notices to the professional and the business's own address carry none: they are
 * the business's already, or nobody's to answer. */
int kf_mail_replies_to_business(const char *name);

/* Where a customer's reply goes (API.md "Replies"): the business's reply_to_email, else its
 * notification address, else its owner's (first user's) address once verified; each only when
 * it is an address (kf_email_valid: no CR, LF or other control byte can reach a header).
 * NULL: none (the mail has no Reply-To). */
const char *kf_mail_reply_to(const char *setting, const char *notification_email,
                             const char *owner_email, int owner_verified);

/* ---- messages ---- */

typedef struct kf_mail_message {
    const char *from;        /* From header as configured (see kf_mail_parse_mailbox) */
    const char *to;          /* recipient address (kf_email_valid) */
    const char *subject;
    const char *text;
    const char *html;
    const char *message_id;  /* "left@right" without brackets; NULL: random@<from's domain> */
    apr_time_t date;         /* Date header; 0: now */
    const char *calendar;    /* an iCalendar invite (kf_ics_build) or NULL */
    const char *calendar_method; /* its METHOD: "REQUEST" or "CANCEL" (with calendar) */
    const char *list_unsubscribe; /* an https or http URL that unsubscribes with one POST
                                     (RFC 8058), or NULL */
    const char *reply_to;    /* Reply-To: an address (kf_email_valid), or NULL */
} kf_mail_message;

/* RFC 8058's one-click unsubscribe: List-Unsubscribe's value names the URL and a mailto: of
 * the sender (subject "unsubscribe"), joined by separator (", ", or a folded ",CRLF " in a
 * raw header); NULL when the URL is not a plain http(s) URL or the address not plain.
 * List-Unsubscribe-Post's value is KF_MAIL_ONE_CLICK. Every transport says the same. */
#define KF_MAIL_ONE_CLICK "List-Unsubscribe=One-Click"
const char *kf_mail_list_unsubscribe(apr_pool_t *p, const char *url, const char *from_addr,
                                     const char *separator);

/* Builds the message: Date, From, To, Subject (RFC 2047 UTF-8 encoded words when it is
 * not short plain ASCII), Message-ID, MIME-Version, Auto-Submitted, then a
 * multipart/alternative body with a text/plain and a text/html part, both UTF-8 in
 * quoted-printable. With a calendar invite (iMIP, RFC 6047) the body is multipart/mixed:
 * the alternative gains a third part, text/calendar with the method (what Gmail and
 * Outlook show as an invitation), and the same object follows as the attachment
 * invite.ics (for the rest); both in base64. With list_unsubscribe, List-Unsubscribe names
 * that URL and a mailto: of the sender (subject "unsubscribe"), and List-Unsubscribe-Post
 * says it works with one click (RFC 8058). With reply_to, Reply-To names it (From stays
 * the sender's). Every line ends with CRLF; body lines are at most 76 bytes.
 * Nothing that could add a header gets through: CR or LF (or any other control byte)
 * in from, to, reply_to, subject or message_id, an invalid address, or invalid UTF-8 anywhere is
 * refused with APR_EINVAL and *why set. *out is NUL-terminated, allocated from p. */
apr_status_t kf_mail_build(apr_pool_t *p, const kf_mail_message *m, const char **out,
                           const char **why);

/* RFC 2047 "B" encoding of a header value in UTF-8: one or more encoded words of at
 * most 75 bytes, never splitting a character, folded with CRLF + space. */
const char *kf_mail_encode_header_words(apr_pool_t *p, const char *utf8);

/* Quoted-printable (RFC 2045) of a text whose line ends (LF or CRLF) become CRLF; lines
 * are at most 76 bytes; '=' and bytes outside printable ASCII are =XX-escaped, and so
 * are a space or tab that would end a line. */
const char *kf_mail_quoted_printable(apr_pool_t *p, const char *text);

/* "Tue, 01 Jul 2025 09:05:00 +0000" (RFC 5322 date-time, UTC, English names). */
const char *kf_mail_date(apr_pool_t *p, apr_time_t t);

/* ---- the outbox's bodies (lib/messaging/kf_mail_bodies.c) ----
 *
 * A queued mail's text, HTML and invite carry links with single-use tokens and name the
 * customer: they are sealed (KF_MAIL_BODY_AAD). Deflated together first and sealed as one
 * value in mail_outbox.body_text (body_html '', calendar '' with an invite and NULL without,
 * as in a sent mail's row), they take about two fifths of what each sealed alone took: a
 * confirmation's row (kept inline, sql/029) is about 2 KB instead of 4.8, four to a page
 * instead of one, so queueing mail extends the table a quarter as often. Rows queued before
 * hold each body sealed alone in its own column; both forms open, and konfirmado-reseal
 * re-seals both (the sealed bytes are the same to it). */

/* The aad of the sealed bodies: the mail glue seals and opens them, konfirmado-reseal
 * re-seals them. */
#define KF_MAIL_BODY_AAD "mail_outbox.body"

/* The most the bodies of one mail may take inflated: a bad row never costs more memory. */
#define KF_MAIL_BODIES_MAX (1024 * 1024)

/* A composed mail's bodies and its invite (calendar, NULL: none) packed and sealed as one
 * value for mail_outbox.body_text. 1, or 0 when they cannot be (no keyring, more than
 * KF_MAIL_BODIES_MAX). */
int kf_mail_seal_bodies(apr_pool_t *p, const kf_keyring *keys, const kf_mail_content *mail,
                        const char *calendar, const char **sealed);

/* A mail as its outbox row keeps it, before it goes (lib/messaging/kf_mail_queue.c):
 * composed (kf_mail_compose), its bodies and invite sealed (kf_mail_seal_bodies), and the
 * row's other values. */
typedef struct kf_mail_queued {
    const char *subject;
    const char *bodies;       /* mail_outbox.body_text: the sealed bodies and invite */
    const char *invite;       /* mail_outbox.calendar: "" with an invite, NULL without (as
                                 in a sent mail's row) */
    const char *method;       /* the invite's method, or NULL without one */
    const char *booking;      /* booking_id when it is a UUID, else NULL */
    const char *replies;      /* "true" when the customer's reply goes to the business
                                 (kf_mail_replies_to_business), else "false" */
} kf_mail_queued;

/* Template `name` for `to` (tenant_id NULL or a UUID, booking_id any text) with vars, and its
 * invite (calendar, NULL: none) of `method`, as the outbox row keeps it. APR_SUCCESS, or an
 * error with *why one line for the log (kf_mail_compose's, or the bodies that could not be
 * sealed). vars stays the caller's. */
apr_status_t kf_mail_queued_of(apr_pool_t *p, const kf_keyring *keys, const char *tenant_id,
                               const char *booking_id, const char *to, const char *name,
                               kf_locale locale, const json_t *vars, const char *calendar,
                               const char *method, kf_mail_queued *q, const char **why);

/* A row's stored bodies opened: the packed form in stored_text (the other two ignored), or
 * the older form, each sealed alone, or plain when a row was written by hand (tests,
 * operators). 1, or 0 when a sealed value does not open with keys or a packed one is not
 * whole (its outputs NULL then). */
int kf_mail_open_bodies(apr_pool_t *p, const kf_keyring *keys, const char *stored_text,
                        const char *stored_html, const char *stored_calendar, const char **text,
                        const char **html, const char **calendar);

/* The packing under the seal: a marker no body sealed alone can start with (they hold no
 * NUL), the inflated size, then a zlib stream of text, html and calendar (when there is one),
 * each ended by a NUL. Pack: APR_SUCCESS, APR_EINVAL (no text or html), APR_ENOSPC (more than
 * KF_MAIL_BODIES_MAX). Unpack: APR_SUCCESS, or APR_EINVAL when it is not packed, says a size
 * over KF_MAIL_BODIES_MAX, or is truncated, corrupt or not the parts it says (nothing is
 * inflated past the size it says). kf_mail_bodies_packed: 1 when plain has the marker. */
apr_status_t kf_mail_bodies_pack(apr_pool_t *p, const char *text, const char *html,
                                 const char *calendar, const char **packed, apr_size_t *len);
apr_status_t kf_mail_bodies_unpack(apr_pool_t *p, const char *packed, apr_size_t len,
                                   const char **text, const char **html, const char **calendar);
int kf_mail_bodies_packed(const char *plain, apr_size_t len);

/* ---- delivery ---- */

#define KF_MAIL_DEFAULT_TIMEOUT_MS 10000

typedef struct kf_smtp_server {
    const char *url;          /* smtp://host:port (plain) or smtps://host:port (TLS, verified) */
    long connect_timeout_ms;  /* <= 0: KF_MAIL_DEFAULT_TIMEOUT_MS */
    long timeout_ms;          /* whole exchange; <= 0: KF_MAIL_DEFAULT_TIMEOUT_MS */
} kf_smtp_server;

/* The server refused the recipient's mailbox for good: a 5xx to RCPT TO about it (550
 * unavailable, 551 not local, 552 out of storage, 553 name not allowed; RFC 5321 §4.2.2). */
#define KF_MAIL_ERECIPIENT (APR_OS_START_USERERR + 1402)
/* Any other permanent refusal (5xx, RFC 5321 §4.2.1): to MAIL FROM, to DATA, or to RCPT TO
 * for the relay's own reasons (554 relaying denied, 530 authentication required): about us,
 * not the recipient. */
#define KF_MAIL_EREFUSED (APR_OS_START_USERERR + 1401)

/* Hands one built message to the server: MAIL FROM <envelope_from>, RCPT TO <rcpt>,
 * DATA (libcurl dot-stuffs it). APR_SUCCESS once the server accepted it; otherwise an
 * APR error and *why is one printable line without the URL or any address, e.g.
 * "smtp error 7: Failed to connect to 127.0.0.1 port 2525 after 0 ms: Couldn't connect
 * to server" or "smtp error 55: RCPT failed: 550 (server said 550)"; KF_MAIL_ERECIPIENT or
 * KF_MAIL_EREFUSED when the server said 5xx (kf_mail_fault_of_smtp reads them). Thread-safe: one
 * curl handle per call (curl_global_init must have run, kf_http_curl_global_init). */
apr_status_t kf_mail_send(apr_pool_t *p, const kf_smtp_server *server,
                          const char *envelope_from, const char *rcpt, const char *message,
                          const char **why);

/* A connection to an SMTP server kept from one mail to the next: a batch of mails pays for
 * one connection, greeting and TLS handshake, not one each. libcurl keeps it while the
 * server does (QUIT when the session ends); a mail that finds it closed meanwhile is sent
 * once more on a new one. One thread at a time. */
typedef struct kf_smtp_session kf_smtp_session;

/* A session with `server` (which must outlive it), ended with p. NULL when curl cannot make
 * a handle. */
kf_smtp_session *kf_smtp_session_open(apr_pool_t *p, const kf_smtp_server *server);

/* kf_mail_send within session s (p for the call's strings). */
apr_status_t kf_mail_send_in(kf_smtp_session *s, apr_pool_t *p, const char *envelope_from,
                             const char *rcpt, const char *message, const char **why);

/* ---- retries ---- */

/* A mail that could not be delivered for this long is given up (and logged). */
#define KF_MAIL_GIVE_UP_AFTER_SEC (48 * 3600)

/* Seconds to wait after the `failures`-th failed attempt (1 = the first): base × 1, 3,
 * 12, 60, 180, then 720 for every later one — with base 5: 5 s, 15 s, 1 min, 5 min,
 * 15 min, then hourly. base <= 0 counts as 1. */
int kf_mail_retry_delay(int failures, int base_seconds);

/* After the `failures`-th failed attempt of a mail queued `age_sec` ago: 1 when it is given
 * up (hopeless: it can never succeed; or failing for KF_MAIL_GIVE_UP_AFTER_SEC), else 0 and
 * *delay the seconds before the next try (kf_mail_retry_delay). */
int kf_mail_give_up(int failures, long age_sec, int hopeless, int retry_base, int *delay);

/* 1 when kf_mail_send's error means the server could not be reached at all (refused or timed
 * out): the other mails wait for a later run instead of trying it now. */
int kf_mail_server_unreachable(apr_status_t send_status);

/* ---- the outbox ---- */

/* Columns of a mail claimed from the outbox (the glue's kf_mail_claim). */
enum {
    KF_OUTBOX_COL_ID, KF_OUTBOX_COL_RECIPIENT, KF_OUTBOX_COL_SUBJECT, KF_OUTBOX_COL_TEXT,
    KF_OUTBOX_COL_HTML, KF_OUTBOX_COL_ATTEMPTS, KF_OUTBOX_COL_CREATED, KF_OUTBOX_COL_AGE,
    KF_OUTBOX_COL_CALENDAR, KF_OUTBOX_COL_CALENDAR_METHOD, KF_OUTBOX_COL_LIST_UNSUBSCRIBE,
    /* where replies go (kf_mail_reply_to's arguments), read when the mail is sent; all NULL
     * for a mail that is not to a customer (kf_mail_replies_to_business) */
    KF_OUTBOX_COL_REPLY_SETTING, KF_OUTBOX_COL_REPLY_NOTIFY, KF_OUTBOX_COL_REPLY_OWNER,
    KF_OUTBOX_COL_REPLY_OWNER_VERIFIED,
    KF_OUTBOX_COLUMNS
};

typedef struct kf_outbox_mail {
    const char *id;
    const char *recipient;
    const char *subject;
    const char *text, *html;
    const char *calendar;        /* the invite, or NULL */
    const char *calendar_method;
    const char *list_unsubscribe;   /* or NULL */
    const char *reply_to;        /* kf_mail_reply_to's, or NULL */
    int attempts;                /* before this one */
    apr_time_t created;
    long age_sec;
} kf_outbox_mail;

/* A claimed row as a mail, its bodies opened (kf_mail_open_bodies). 1, or 0 when they do
 * not open with keys (*m is still set, its bodies unusable: the mail can never be sent). */
int kf_outbox_mail_of(apr_pool_t *p, const kf_keyring *keys, const char *const *row,
                      kf_outbox_mail *m);

/* The message of an outbox mail from the configured sender: Message-ID <id>@id_domain, the
 * Date of its queueing. */
kf_mail_message kf_outbox_message(apr_pool_t *p, const kf_outbox_mail *m, const char *from,
                                  const char *id_domain);

#endif
