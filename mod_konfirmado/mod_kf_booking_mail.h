#ifndef MOD_KF_BOOKING_MAIL_H
#define MOD_KF_BOOKING_MAIL_H
/* The mails of a booking's life (API.md "After booking"): when it becomes paid, the
 * customer's confirmation and the notices to the professional and to the business's
 * notification address, each with the calendar invite (lib/kf_ics.c). Queued in the
 * transaction that makes the booking paid; delivered by the mail job. */
#include "mod_kf.h"
#include "mod_kf_db.h"

extern const kfm_sql kfm_booking_mail_sql[];

/* A new token of the booking's own page (the mails' link): the token, its hash (what
 * reservations.manage_token_hash keeps) and its sealed form (manage_token_sealed, what later
 * mails open). An approval stores them in its own move of the reservation (one UPDATE of
 * the row instead of two); kfm_booking_mails_paid then opens the sealed one. */
apr_status_t kfm_booking_manage_token_make(const kfm_ctx *c, const char *reservation_id,
                                          const char **token, const char **hash,
                                          const char **sealed);

/* The booking just became paid (a webhook, a return check, the reconciliation job, or a
 * free booking's creation): queues its mails and gives it the manage-link token they carry
 * (unless it has one). An error means the caller's transaction must roll back. */
apr_status_t kfm_booking_mails_paid(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

/* The booking was just cancelled (its ics_sequence already grown): the same people get the
 * cancellation with a METHOD:CANCEL invite that takes it out of their calendars, and the
 * customer what goes back (`refund`, minor units, 0 for nothing). */
/* The booking moved (its ics_sequence already grown): the same people get the new time,
 * with a METHOD:REQUEST invite of the same UID that moves the event in their calendars. */
apr_status_t kfm_booking_mails_rescheduled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

apr_status_t kfm_booking_mails_cancelled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                        apr_int64_t refund);

/* A reminder to the customer, `lead_minutes` before the start (the reminder job's). */
apr_status_t kfm_booking_mail_reminder(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                      int lead_minutes);

#endif
