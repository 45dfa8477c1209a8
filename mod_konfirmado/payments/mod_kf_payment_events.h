#ifndef MOD_KF_PAYMENT_EVENTS_H
#define MOD_KF_PAYMENT_EVENTS_H
/* Every provider event, from a webhook or asked of the provider, goes one way: recorded once,
 * the payment moved, and what it pays for moved, in one transaction
 * (kfm_payment_apply_event). A booking's move is the bookings feature's: it hands its
 * moves (kfm_payments_move_bookings_with, below), so payments know no booking state. */
#include "mod_kf_payments.h"

/* What payment_events.result records: the core's (kf_payment.h), as the bookings' moves
 * name them. */
#define KFM_PAYMENT_RESULT_PAID KF_PAYMENT_RESULT_PAID
#define KFM_PAYMENT_RESULT_FAILED KF_PAYMENT_RESULT_FAILED
#define KFM_PAYMENT_RESULT_UNCHANGED KF_PAYMENT_RESULT_UNCHANGED
#define KFM_PAYMENT_RESULT_REPAID KF_PAYMENT_RESULT_REPAID
#define KFM_PAYMENT_RESULT_SLOT_LOST KF_PAYMENT_RESULT_SLOT_LOST

/* Records the event once and moves the payment and what it pays for, in one transaction.
 * `source` is webhook, fetch or reconcile; `raw` the body kept for the merchant's record. */
kf_payment_applied kfm_payment_apply_event(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                            const char *source, const kf_payment_event *ev,
                                            const char *raw, apr_time_t started);

/* Asks the provider with the tenant's account, merchant-scoped, about a payment or a dispute
 * (kf_payment_ask) and applies the answer like any event (mod_kf_reconcile.c), for a request
 * whose connection is its own (KFM_NEEDS_OWN_DB): given back while the provider answers,
 * taken again to apply the answer (KF_PAYMENT_FAILED and kr->db NULL when none can be). */
kf_payment_applied kfm_payment_ask_request(kfm_req *kr, const char *pay_id,
                                            const kf_payment_provider *prov,
                                            const kf_payment_account *acct,
                                            const kf_payment_question *q);

/* Flags a payment for the merchant: an amount that is not what was asked (mismatch), money
 * to give back (refund), and why. Queued with the event's other writes. */
apr_status_t kfm_payment_flag(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id, int mismatch,
                              int refund, const char *reason);

/* The booking an event's payment pays for, as the event's lock read it. */
typedef struct kfm_paid_booking {
    const char *payment_id;
    const char *booking_id;
    const char *booking_status;      /* the state read under the lock */
    const char *payment_transaction; /* the transaction the payment recorded first, or NULL */
    int series;                      /* the booking is a series' first occurrence */
} kfm_paid_booking;

/* What an event does to the booking, run in the event's transaction: each sets *result
 * (KFM_PAYMENT_RESULT_*) where it decides it and returns APR_SUCCESS, or an error that rolls
 * the whole event back. */
typedef struct kfm_booking_payment_moves {
    /* Each sets *slot_changed when the booking gave its slot back or took it again (the
     * caller judges every cached availability answer again after its commit). */
    /* an approved transaction (recorded already on the payment) */
    apr_status_t (*approved)(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             const kf_payment_event *ev, const char **result,
                             int *slot_changed);
    /* a declined, voided or failed one */
    apr_status_t (*declined)(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             const kf_payment_event *ev, const char **result,
                             int *slot_changed);
    /* money given back at the provider; refund_whole: everything taken is back (the
     * merchant cancelled there) */
    apr_status_t (*refunded)(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             int refund_whole, int *slot_changed);
} kfm_booking_payment_moves;

/* Hand-off hook kfm_payments_move_bookings_with: the moves above, handed by the bookings
 * feature (a kfm_handoff of its descriptor). */
void kfm_payments_move_bookings_with(const kfm_booking_payment_moves *moves);

#endif
