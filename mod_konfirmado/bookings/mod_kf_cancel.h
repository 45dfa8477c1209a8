/* Cancelling a booking (mod_kf_cancel.c), for the code that cancels outside a request of
 * that file: a refund of all the money made at the provider (mod_kf_payments.c). */
#ifndef MOD_KF_CANCEL_H
#define MOD_KF_CANCEL_H

#include "mod_kf.h"
#include "mod_kf_db.h"
#include "kf_reservation.h"

/* The move a cancellation the state machine decided (o: res_id from `from` to cancelled),
 * in the caller's transaction: status and history, with who (`by`: "merchant" |
 * "customer") and the note. */
apr_status_t kfm_cancel_apply(const kfm_ctx *c, ap_dbd_t *db, const char *res_id, const char *from,
                              const kf_res_outcome *o, const char *by, const char *note);

/* Then, once the payment's refund is written (the callback and the mails tell it), what
 * o's effects say: the session of a package goes back (before the cutoff), the
 * booking.cancelled callback, the mails and the calendar event. */
apr_status_t kfm_cancel_effects(const kfm_ctx *c, ap_dbd_t *db, const char *res_id,
                                const kf_res_outcome *o, int before_cutoff);

#endif
