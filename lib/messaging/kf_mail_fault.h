/* Why a mail did not leave, whichever transport tried it, and what follows: the one rule of
 * every transport (kf_mail_transport.h). Only the recipient's address refused (a bounce), or
 * a mail that can never be built, is failed for good. Anything else the mail service answers
 * is retried on the schedule (kf_mail_retry_delay) until KF_MAIL_GIVE_UP_AFTER_SEC and shown
 * to the operator (the status page's konfirmado_mail_retrying, by fault): a key wrong or
 * revoked, a sender the service does not take, its own trouble, no answer at all. So no mail
 * is lost to a setting that is wrong for an hour. No httpd header. */
#ifndef KF_MAIL_FAULT_H
#define KF_MAIL_FAULT_H

#include <apr_errno.h>

typedef enum {
    KF_MAIL_FAULT_NONE = 0,      /* sent */
    KF_MAIL_FAULT_RECIPIENT,     /* the recipient's address refused: a bounce */
    KF_MAIL_FAULT_UNSENDABLE,    /* the mail cannot be opened or built: it never will be */
    KF_MAIL_FAULT_SENDER,        /* the service refused us: its key missing, wrong or revoked,
                                  * a sender or domain it does not send for, a relay's policy,
                                  * a request of ours it does not take: the operator's to fix */
    KF_MAIL_FAULT_BUSY,          /* the service's own trouble: too many requests, 5xx, an
                                  * SMTP 4xx, an answer not understood */
    KF_MAIL_FAULT_UNREACHABLE,   /* no answer at all (or the maildir cannot be written) */
    KF_MAIL_FAULTS
} kf_mail_fault;

typedef enum {
    KF_MAIL_SENT,          /* accepted (or written, for the maildir) */
    KF_MAIL_RETRY,         /* this mail later, on the retry schedule */
    KF_MAIL_HOLD,          /* as RETRY, and the run's other mails wait for a later run: the
                            * service takes none now (no answer, or it refuses us) */
    KF_MAIL_REFUSED        /* failed for good: never tried again */
} kf_mail_verdict;

/* What the fault does to the mail. */
kf_mail_verdict kf_mail_fault_verdict(kf_mail_fault fault);

/* The fault's name, as mail_outbox.last_fault keeps it and the status page labels it:
 * "recipient", "unsendable", "sender", "busy", "unreachable"; NULL for NONE or out of range. */
const char *kf_mail_fault_name(kf_mail_fault fault);

/* SMTP: kf_mail_send's status. KF_MAIL_ERECIPIENT the recipient; KF_MAIL_EREFUSED (any other
 * 5xx) and a mail URL or sender that cannot be used (APR_EINVAL) the sender; refused or timed
 * out connections unreachable; anything else (a 4xx, a broken exchange) busy. */
kf_mail_fault kf_mail_fault_of_smtp(apr_status_t send_status);

/* Resend: the answer's status and its error's name and message (either may be NULL). 2xx
 * none; 429, 5xx and 409 concurrent_idempotent_requests busy; a 400 or 422 whose message is
 * about the `to` field (as Resend words it: "Invalid `to` field. …") the recipient; any other
 * 4xx (401 missing key, 403 invalid key or unverified domain, …) the sender; anything else
 * busy. */
kf_mail_fault kf_mail_fault_of_resend(int status, const char *name, const char *message);

#endif
