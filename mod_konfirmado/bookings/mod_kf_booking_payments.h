#ifndef MOD_KF_BOOKING_PAYMENTS_H
#define MOD_KF_BOOKING_PAYMENTS_H
/* What a payment event does to its booking (mod_kf_booking_payments.c), handed to the
 * payments feature at startup. */
#include "mod_kf_payment_events.h"

extern const kfm_booking_payment_moves kfm_booking_payment_moves_of_bookings;

#endif
