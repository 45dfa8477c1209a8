#ifndef MOD_KF_MAIL_H
#define MOD_KF_MAIL_H
/* Outgoing mail: queued in the database (mail_outbox) in the caller's transaction and
 * delivered over SMTP by a watchdog job that retries with backoff, so a mail server that
 * is down loses nothing. */
#include "mod_kf_request.h"
#include "kf_mail.h"
#include "mod_kf_db.h"



/* Renders template `name` ("verify_email", "reset_password") in `locale` with `vars`
 * (stolen; e.g. {"link": ..., "business_name": ...}) and queues it for `to`.
 * tenant_id may be NULL. Call inside the transaction that makes the mail true. */
apr_status_t kfm_mail_queue(kfm_req *kr, ap_dbd_t *db, const char *tenant_id, const char *to,
                           const char *name, kf_locale locale, json_t *vars);

/* The same for a request or a job, with a calendar invite (kf_ics_build; NULL for none)
 * and its method ("REQUEST" | "CANCEL"), which the delivery attaches (kf_mail_build). */
apr_status_t kfm_mail_queue_invite(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                  const char *to, const char *name, kf_locale locale,
                                  json_t *vars, const char *calendar, const char *method);
/* The same for a mail about booking `booking_id` (NULL: none; one is listed with the
 * booking's deliveries), written into mail `mail_id` when given (one that could not be
 * queued: it has no bodies), so the failed delivery the merchant asked to send again becomes
 * the mail that goes; NULL queues a new one. */
apr_status_t kfm_mail_queue_into(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                                 const char *tenant_id, const char *booking_id, const char *to,
                                 const char *name, kf_locale locale, json_t *vars,
                                 const char *calendar, const char *method);

/* The same for a mail the customer may stop with one click (a reminder): it carries
 * List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058) naming unsubscribe_url. */
apr_status_t kfm_mail_queue_unsubscribable(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                           const char *booking_id, const char *to,
                                           const char *name, kf_locale locale, json_t *vars,
                                           const char *unsubscribe_url);

/* Records, in the caller's transaction, mail `name` for `to` as failed without sending it:
 * for a mail that kfm_mail_queue_invite refused, where the refusal must not undo what the
 * transaction does (a booking becoming paid). */
apr_status_t kfm_mail_record_refused(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                    const char *to, const char *name);
/* The same, for a mail about booking `booking_id`: the failure is listed with the booking. */
apr_status_t kfm_mail_record_refused_for(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                        const char *booking_id, const char *to, const char *name);


#endif
