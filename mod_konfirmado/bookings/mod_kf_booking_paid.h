#ifndef MOD_KF_BOOKING_PAID_H
#define MOD_KF_BOOKING_PAID_H
/* What follows a booking becoming paid (an approval, a late approval, a free booking's
 * creation): the merchant's booking.paid callback, the people's mails and the calendar
 * event, queued in the caller's transaction. */
#include "mod_kf.h"
#include "mod_kf_db.h"


/* Reads what the callback and the mails say in one statement (as the booking is now, so
 * after the caller's move), then queues all three. An error means the caller's transaction
 * must roll back. */
apr_status_t kfm_booking_paid_effects(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

/* The same for a later occurrence of a series paid with its first (kf_series.h): its own
 * callback and calendar event; the customer's and the professional's mails are the first's,
 * which lists every occurrence. */
apr_status_t kfm_booking_series_paid_effects(const kfm_ctx *c, ap_dbd_t *db,
                                             const char *reservation_id);

#endif
