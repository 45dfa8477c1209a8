#ifndef MOD_KF_PAYMENT_EVENTS_H
#define MOD_KF_PAYMENT_EVENTS_H
/* Every provider event, from a webhook or asked of the provider, goes one way: recorded once,
 * the payment moved, and what it pays for moved, in one transaction
 * (kfm_payment_apply_event). A booking's move is the bookings feature's: it hands its
 * moves at startup (kfm_payments_move_bookings_with), so payments know no booking state. */
#include "mod_kf_payments.h"

/* What payment_events.result records. */
#define KFM_PAYMENT_RESULT_PAID "paid"
#define KFM_PAYMENT_RESULT_FAILED "failed"
#define KFM_PAYMENT_RESULT_UNCHANGED "unchanged"
#define KFM_PAYMENT_RESULT_REPAID "reserved_again"
#define KFM_PAYMENT_RESULT_SLOT_LOST "slot_lost"
#define KFM_PAYMENT_RESULT_MISMATCH "amount_mismatch"
#define KFM_PAYMENT_RESULT_REFUNDED "refunded"
#define KFM_PAYMENT_RESULT_DISPUTED "disputed"

typedef enum {
    KFM_PAYMENT_DONE,
    KFM_PAYMENT_DUPLICATE,   /* recorded already (or, asked of the provider: nothing paid yet) */
    KFM_PAYMENT_FAILED,      /* nothing changed: the provider retries, the job asks again */
    KFM_PAYMENT_NOT_OURS     /* the provider does not know it as this payment's */
} kfm_payment_applied;

/* Records the event once and moves the payment and what it pays for, in one transaction.
 * `source` is webhook, fetch or reconcile; `raw` the body kept for the merchant's record. */
kfm_payment_applied kfm_payment_apply_event(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                            const char *source, const kf_payment_event *ev,
                                            const char *raw, apr_time_t started);

/* Asks the provider, with the tenant's own key, about a payment and applies the answer
 * (mod_kf_reconcile.c). */
kfm_payment_applied kfm_payment_reconcile(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                          const char *reference, const char *tenant_id,
                                          const char *provider, const char *checkout_id,
                                          const char *source);
/* The same for a request whose connection is its own (KFM_NEEDS_OWN_DB): given back while
 * the provider answers, taken again to apply the answer (KFM_PAYMENT_FAILED and kr->db NULL
 * when none can be). */
kfm_payment_applied kfm_payment_reconcile_for(kfm_req *kr, const char *pay_id,
                                              const char *reference, const char *tenant_id,
                                              const char *provider, const char *checkout_id,
                                              const char *source);

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
} kfm_paid_booking;

/* What an event does to the booking, run in the event's transaction: each sets *result
 * (KFM_PAYMENT_RESULT_*) where it decides it and returns APR_SUCCESS, or an error that rolls
 * the whole event back. */
typedef struct kfm_booking_payment_moves {
    /* an approved transaction (recorded already on the payment) */
    apr_status_t (*approved)(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             const kf_payment_event *ev, const char **result);
    /* a declined, voided or failed one */
    apr_status_t (*declined)(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             const kf_payment_event *ev, const char **result);
    /* money given back at the provider; refund_whole: everything taken is back (the
     * merchant cancelled there). *freed when the booking gave its slot back. */
    apr_status_t (*refunded)(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             int refund_whole, int *freed);
} kfm_booking_payment_moves;

/* At startup (register_hooks), by the bookings feature. */
void kfm_payments_move_bookings_with(const kfm_booking_payment_moves *moves);

#endif
