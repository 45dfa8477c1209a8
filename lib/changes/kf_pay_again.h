#ifndef KF_PAY_AGAIN_H
#define KF_PAY_AGAIN_H
/* Paying again for a booking whose payment failed or ran out (API.md "Public booking API",
 * POST /api/public/bookings/{id}/pay {"hold_token"}): the customer took a hold of the same
 * service (the booking's own time again, or another), and the booking takes its slot with a
 * new payment, keeping the details and the terms accepted when it was made. What is read,
 * and the one decision; the move itself is the state machine's KF_RES_PAY_AGAIN. */
#include <apr_pools.h>

#include "kf_change.h"

/* The columns of the booking as paying again reads it, locked. */
enum {
    KF_PAY_AGAIN_COL_ID, KF_PAY_AGAIN_COL_STATUS,
    KF_PAY_AGAIN_COL_DEADLINE_PASSED,   /* its deadline passed, the sweep not run yet */
    KF_PAY_AGAIN_COL_TENANT, KF_PAY_AGAIN_COL_SERVICE, KF_PAY_AGAIN_COL_PROFESSIONAL,
    KF_PAY_AGAIN_COL_MONEY_TAKEN,       /* an approved payment of it exists */
    KF_PAY_AGAIN_COL_NAME, KF_PAY_AGAIN_COL_EMAIL, KF_PAY_AGAIN_COL_PHONE,
    KF_PAY_AGAIN_COL_CHARGE_TYPE, KF_PAY_AGAIN_COL_AMOUNT, KF_PAY_AGAIN_COL_CURRENCY,
    KF_PAY_AGAIN_COL_COUNT
};

typedef struct kf_pay_again_decision {
    kf_res_state stored;        /* the state the row holds */
    kf_res_state from;          /* the state it is in now (kf_res_state_seen) */
    int expire_first;           /* its payment window passed unrecorded: `expire` moves it from
                                   `stored` to `from` before it is paid again */
    kf_res_outcome expire;
    kf_res_outcome outcome;     /* KF_RES_PAY_AGAIN from `from`: pending_payment, or refused */
    apr_int64_t deadline;       /* the new payment window's end (seconds since the epoch) */
} kf_pay_again_decision;

/* The decision for the booking's row and the hold's (KF_RESCHED_HOLD_COL_* of
 * kf_reschedule.h; NULL: no hold of that token) at `now`, with a payment window of
 * `payment_window` seconds. A refusal is API.md's error code in d->outcome.refused:
 * payment_closed (paid, pending, cancelled, or money taken), hold_expired (the hold is gone,
 * not live, or another service's or business's). */
void kf_pay_again_decide(const char *const *booking, const char *const *hold, apr_int64_t now,
                         apr_int64_t payment_window, kf_pay_again_decision *d);

#endif
