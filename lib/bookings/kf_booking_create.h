#ifndef KF_BOOKING_CREATE_H
#define KF_BOOKING_CREATE_H
/* Making a booking of a live hold (API.md "POST /api/public/bookings"): what the booking
 * charges, where the state machine's book takes it, and how long it waits for its money.
 * The glue reads the hold, asks once, and writes what it is told. Pure: "now" is an
 * argument. */
#include <apr.h>
#include <apr_errno.h>

#include "kf_reservation.h"

/* What the glue read of the hold, locked, and of the purchase the customer brings. */
typedef struct kf_booking_hold {
    const char *charge_type;   /* its service's charge rule: "total" | "partial" | "free" */
    apr_int64_t price;         /* its service's price, minor units */
    int deposit_percent;       /* its service's deposit, for "partial" */
    int purchase_session;      /* packages: a session of a purchase, paid already */
} kf_booking_hold;

typedef struct kf_booking_decision {
    const char *charge_type;   /* what the booking records: the service's rule, "free" for
                                  a purchase's session */
    apr_int64_t amount;        /* what it asks the customer for, minor units (0: nothing) */
    int collect;               /* a payment is to be made; else the booking is paid now */
    kf_res_outcome outcome;    /* the state machine's book: pending_payment, or paid */
    apr_int64_t deadline;      /* when it runs out (seconds since the epoch): a booking waiting
                                  for its money lasts the payment window; 0 for none */
} kf_booking_decision;

/* The decision for the hold read at `now` (seconds since the epoch), with the payment window
 * of `payment_window` seconds. APR_SUCCESS and *d, or APR_EINVAL when the service charges
 * what the catalog refuses (kf_charge_amount: the hold cannot be booked). */
apr_status_t kf_booking_decide(const kf_booking_hold *hold, apr_int64_t now,
                               apr_int64_t payment_window, kf_booking_decision *d);

/* The customer must accept the terms, except for a session of a purchase: they were
 * accepted when it was bought. */
int kf_booking_terms_needed(int purchase_session);

#endif
