/* How a built mail leaves: one interface, a kind of transport chosen per server
 * (KonfirmadoMailTransport) among those its registry lists: SMTP (kf_mail_send), Resend's
 * HTTP API, and a maildir that captures every mail as a file and sends none (staging, demos). No httpd header; the mail
 * job (mod_konfirmado/messaging/mod_kf_mail_job.c) builds the transport and records what
 * each attempt answered.
 *
 *   kf_mail_transport_send   one mail through a transport -> kf_mail_result
 *   its fault                what went wrong, and so what follows (kf_mail_fault.h): only a
 *                            recipient refused fails the mail at once
 */
#ifndef KF_MAIL_TRANSPORT_H
#define KF_MAIL_TRANSPORT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "kf_http.h"
#include "kf_mail.h"
#include "kf_mail_fault.h"

typedef struct kf_mail_result {
    kf_mail_fault fault;    /* KF_MAIL_FAULT_NONE: sent */
    const char *why;        /* one printable line without an address, or NULL when sent */
    const char *remote_id;  /* the provider's id of the mail (Resend), or NULL */
    int retry_after;        /* seconds the provider asked us to wait (Retry-After), or 0 */
} kf_mail_result;

/* The longest a provider's Retry-After is honoured: an hour (the schedule's own step). */
#define KF_MAIL_RETRY_AFTER_MAX 3600

/* Seconds before the next attempt: the retry schedule's `scheduled`, or longer when the
 * provider asked for longer (`retry_after`, at most KF_MAIL_RETRY_AFTER_MAX). */
int kf_mail_retry_wait(int scheduled, int retry_after);

/* A Retry-After header's seconds (RFC 9110 §10.2.3, the delay-seconds form): 0 when absent,
 * not a whole number, or an HTTP date (Resend sends seconds). */
int kf_mail_retry_after_seconds(const char *header);

/* One mail as a transport needs it: its outbox id (Resend's Idempotency-Key, the maildir
 * file's name), the envelope, the parts (Resend sends them as JSON) and the message built
 * from them (kf_mail_build: SMTP and the maildir carry it as it is). */
typedef struct kf_mail_outgoing {
    const char *id;
    const char *envelope_from;
    const kf_mail_message *msg;
    const char *built;
} kf_mail_outgoing;

typedef struct kf_mail_transport kf_mail_transport;

/* Sends m through t. As thread-safe as the transport it calls (SMTP: one thread at a time). */
kf_mail_result kf_mail_transport_send(const kf_mail_transport *t, apr_pool_t *p,
                                      const kf_mail_outgoing *m);

/* The mail of a claimed outbox row (KF_OUTBOX_COLUMNS values), its bodies opened with keys,
 * sent through t from kf_mail_sender's from, envelope_from and id_domain; *m is the row as a
 * mail, for its record. The transport's answer, or KF_MAIL_FAULT_UNSENDABLE when the mail
 * cannot even be built (it never can be). */
kf_mail_result kf_outbox_send(const kf_mail_transport *t, apr_pool_t *p, const kf_keyring *keys,
                              const char *const *row, const char *from,
                              const char *envelope_from, const char *id_domain,
                              kf_outbox_mail *m);

/* After a failed attempt of m that ended in r: 1 when the mail is given up (its fault is for
 * good, or it has failed for too long), else 0 and *delay the seconds before the next try (the retry
 * schedule from retry_base, or longer when the provider asked). */
int kf_outbox_give_up(const kf_outbox_mail *m, const kf_mail_result *r, int retry_base,
                      int *delay);

/* What a failed attempt of m that ended in r leaves: kf_outbox_give_up's verdict, what the
 * outbox keeps of it, and the log's line, where neither the recipient nor an address an
 * SMTP answer quotes is written out (kf_mask_recipient, kf_mask_text). */
typedef struct kf_outbox_failure {
    int given_up;
    int delay;              /* seconds before the next try, when not given up */
    int ours;               /* the mail service refuses us: the operator's to fix (an error) */
    const char *why;        /* the error kept with the mail */
    const char *fault;      /* its fault (kf_mail_fault_name) */
    const char *line;       /* for the log */
} kf_outbox_failure;

kf_outbox_failure kf_outbox_failed(apr_pool_t *p, const kf_outbox_mail *m,
                                   const kf_mail_result *r, int retry_base);

/* The log's line of m sent by t (r: the transport's answer), its recipient masked. */
const char *kf_outbox_sent_line(apr_pool_t *p, const kf_mail_transport *t,
                                const kf_outbox_mail *m, const kf_mail_result *r);

/* Mails a transport accepted whose record as sent the database did not take: recorded
 * first at the next run, so that the database coming back does not send them twice. The ids
 * live in a pool of its own, cleared once they are all recorded, so a list kept for the life
 * of a process does not grow. Zero-initialised it is empty; one thread at a time. */
typedef struct kf_outbox_unrecorded {
    apr_pool_t *pool;               /* unmanaged, made at the first id */
    apr_array_header_t *ids;        /* const char *; NULL: none */
} kf_outbox_unrecorded;

/* Keeps a copy of id (dropped when no memory can be had: the mail's lease ends, and it is
 * tried again). */
void kf_outbox_unrecorded_add(kf_outbox_unrecorded *u, const char *id);

/* How many are kept, and the i-th. */
int kf_outbox_unrecorded_count(const kf_outbox_unrecorded *u);
const char *kf_outbox_unrecorded_id(const kf_outbox_unrecorded *u, int i);

/* All recorded: the list starts afresh, its memory kept for the next ones. */
void kf_outbox_unrecorded_clear(kf_outbox_unrecorded *u);

/* The transport's name: its kind's (below). */
const char *kf_mail_transport_name(const kf_mail_transport *t);

/* ---- the kinds of transport: each described once, listed once ---- */

/* What the server has for a transport; each kind reads what its description says it needs. */
typedef struct kf_mail_transport_setup {
    const kf_smtp_server *smtp;    /* KonfirmadoMailURL's server */
    kf_http_client *http;          /* the provider client */
    const char *base_url;          /* its API: KonfirmadoProviderURL <url_name>, else its
                                      default_url */
    const char *api_key;           /* KonfirmadoResendKeyFile's key */
    const char *folder;            /* KonfirmadoMailTransport's second word */
    const char *host;              /* the Message-IDs' domain */
} kf_mail_transport_setup;

/* One kind of transport, all the server's settings know of it: the word
 * KonfirmadoMailTransport names it by, what else it takes and needs, and how it is opened.
 * Each is defined beside its transport (kf_mail_smtp_transport.c, kf_mail_resend.c,
 * kf_mail_maildir.c) and listed once (kf_mail_transports.c). */
typedef struct kf_mail_transport_kind {
    const char *name;              /* KonfirmadoMailTransport's first word */
    int takes_folder;              /* 1: a folder follows the name (and is needed) */
    const char *url_name;          /* the KonfirmadoProviderURL name of its API, or NULL */
    const char *default_url;       /* its API when that name is not given */
    int needs_key;                 /* 1: KonfirmadoResendKeyFile must be given */
    int needs_server;              /* 1: sends only with KonfirmadoMailURL given */
    int sends;                     /* 0: mail is kept, never sent (said once at startup) */
    kf_mail_transport *(*open)(apr_pool_t *p, const kf_mail_transport_setup *setup);
} kf_mail_transport_kind;

/* How a server's mail leaves, as its directives say: the kind of transport
 * (KonfirmadoMailTransport's word) and what that kind reads of the rest: its folder,
 * KonfirmadoMailURL's server, KonfirmadoResendKeyFile's key and its API's URL
 * (KonfirmadoProviderURL <url_name>, else its default). */
typedef struct kf_mail_outlet {
    const kf_mail_transport_kind *kind;
    const char *folder;
    kf_smtp_server smtp;
    const char *api_url;
    const char *api_key;
} kf_mail_outlet;

/* *o from the directives' values (provider_urls: KonfirmadoProviderURL's name -> URL, may be
 * NULL). 1 when mail can leave, or is knowingly only kept (a kind that never sends); 0 when
 * it cannot: no kind of that word, or one that needs KonfirmadoMailURL without it. */
int kf_mail_outlet_of(const char *word, const char *folder, const char *mail_url,
                      const char *api_key, const apr_table_t *provider_urls, kf_mail_outlet *o);

/* The outlet's transport, in p, for mails from `host` (the Message-IDs' domain); `http` is
 * the provider client, for a kind with an API (kf_mail_outlet.kind->url_name), else unused. */
kf_mail_transport *kf_mail_outlet_open(apr_pool_t *p, const kf_mail_outlet *o,
                                       kf_http_client *http, const char *host);

/* Every kind, in the registry's order, NULL-terminated. */
extern const kf_mail_transport_kind *const kf_mail_transports[];

/* The kind KonfirmadoMailTransport names `word`, or NULL. */
const kf_mail_transport_kind *kf_mail_transport_find(const char *word);

/* ---- SMTP ---- */

/* Over kf_mail_send to `server` (which must outlive the transport), in one session while the
 * transport lives (pool p): one thread at a time. */
kf_mail_transport *kf_mail_transport_smtp(apr_pool_t *p, const kf_smtp_server *server);

/* ---- Resend (POST {base}/emails) ---- */

#define KF_RESEND_DEFAULT_API "https://api.resend.com"

/* The JSON body of POST /emails for msg (from, to [one], subject, text, html; the invite, when
 * there is one, as the attachment invite.ics in base64 with its content type; reply_to when
 * there is one; NULL when it is no address). Deterministic,
 * so a retry with the same Idempotency-Key sends the same request. A string from p. */
const char *kf_resend_body(apr_pool_t *p, const kf_mail_message *msg);

/* What Resend's answer means: 2xx with an "id" sent (remote_id), 2xx without one busy (asked
 * again under the same key); otherwise the fault of kf_mail_fault_of_resend, with
 * "resend <status> <name>: <message>" from its error object {"statusCode", "name",
 * "message"} as the reason. doc may be NULL (no JSON object came). */
kf_mail_result kf_resend_read_answer(apr_pool_t *p, int status, const json_t *doc);

/* The same with the answer's Retry-After header (may be NULL), kept on a retried answer. */
kf_mail_result kf_resend_read_answer_waiting(apr_pool_t *p, int status, const json_t *doc,
                                             const char *retry_after);

/* Over `http` (the provider client: its URL policy and timeouts) to base_url (NULL:
 * KF_RESEND_DEFAULT_API) with `api_key` as Bearer; each mail's id is its Idempotency-Key. */
kf_mail_transport *kf_mail_transport_resend(apr_pool_t *p, kf_http_client *http,
                                            const char *base_url, const char *api_key);

/* ---- maildir (capture, never sent) ---- */

/* A unique file name in a maildir (https://cr.yp.to/proto/maildir.html):
 * "<sec>.M<usec>P<pid>R<id>.<host>", where '/' and ':' of the host are written \057 and \072
 * and the id keeps only letters, digits and '-'. */
const char *kf_maildir_name(apr_pool_t *p, apr_time_t now, long pid, const char *id,
                            const char *host);

/* Writes one message into the maildir `dir`: created under tmp/ (O_EXCL), synced, then moved
 * into new/ (a name already there is refused; tmp/, new/ and cur/ are made when missing). Line ends become LF, as mail readers
 * of a maildir expect; Return-Path and Delivered-To are written first. APR_SUCCESS and *name
 * the file's name in new/, or an error with *why one line. */
apr_status_t kf_maildir_deliver(apr_pool_t *p, const char *dir, const char *name,
                                const char *envelope_from, const char *rcpt,
                                const char *message, const char **why);

/* Writes every mail into `dir` (kf_maildir_deliver, named by kf_maildir_name with `host`). */
kf_mail_transport *kf_mail_transport_maildir(apr_pool_t *p, const char *dir, const char *host);

/* The transport named by KonfirmadoMailTransport's first word: 1 when `word` is one. */
int kf_mail_transport_known(const char *word);

/* What KonfirmadoMailTransport accepts: a kind's name, with a folder for a kind that takes
 * one alone. NULL when acceptable, else the line httpd prints, naming the directive `name`. */
const char *kf_mail_transport_directive(apr_pool_t *p, const char *name, const char *kind,
                                        const char *folder);

#endif
