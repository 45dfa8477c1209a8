/* Packages (pay first, schedule later): the rules of a package and of a customer's purchase
 * of one (API.md "Admin API": Packages).
 *
 *   pending_payment --approve--> paid --(valid_days pass)--> expired
 *   pending_payment --decline--> failed        failed --approve--> paid (late approval)
 *   pending_payment --(payment window passes)--> expired --approve--> paid (late approval)
 *   paid|expired-after-paid --approve, another transaction--> same (flagged for refund)
 *
 * A paid purchase is spent one session per booking (no payment for those bookings); a
 * booking cancelled before the tenant's cutoff gives its session back, after the cutoff the
 * session is used. Pure: no I/O, no clock; the glue passes what it read. */
#ifndef KF_PURCHASE_H
#define KF_PURCHASE_H

#include <apr.h>
#include <apr_pools.h>

typedef enum {
    KF_PUR_PENDING_PAYMENT = 0,
    KF_PUR_PAID,
    KF_PUR_FAILED,
    KF_PUR_EXPIRED,
    KF_PUR_STATE_COUNT
} kf_pur_state;

typedef enum {
    KF_PUR_APPROVE = 0,     /* an authentic approval of the asked amount */
    KF_PUR_DECLINE,         /* declined, error or voided */
    KF_PUR_EXPIRE           /* the payment window, or the validity, ran out */
} kf_pur_event;

/* What the glue read in the transaction that applies the event. */
typedef struct kf_pur_facts {
    int ever_paid;          /* APPROVE on expired: it had been paid (paid_at set) */
    int same_transaction;   /* APPROVE on paid: the approval already applied */
    const char *reason;     /* DECLINE: "payment_declined" / "payment_error" / ... */
} kf_pur_facts;

enum {
    KF_PUR_FX_PAID = 1 << 0,        /* paid_at and expires_at set; purchase.paid callback
                                       and the customer's mail queued */
    KF_PUR_FX_REFUND_FLAG = 1 << 1  /* money that pays for nothing: flag the payment */
};

typedef struct kf_pur_outcome {
    kf_pur_state next;
    int moved;
    const char *reason;       /* status reason / log: payment_approved, late_approval, ... */
    unsigned effects;         /* KF_PUR_FX_* */
    const char *flag_reason;  /* with KF_PUR_FX_REFUND_FLAG: "second_approval" */
} kf_pur_outcome;

kf_pur_outcome kf_purchase_next(kf_pur_state current, kf_pur_event event,
                                const kf_pur_facts *facts);

/* What payment_events.result records of a payment event's outcome for its purchase: flagged
 * (money that pays for nothing), paid, the state it moved to, or unchanged. */
const char *kf_purchase_event_result(const kf_pur_outcome *o);

/* "pending_payment", "paid", "failed", "expired"; NULL out of range. */
const char *kf_pur_state_name(kf_pur_state s);
/* The state named so, or -1. */
int kf_pur_state_parse(const char *name);

/* What a reader is told: the stored state, or what expiring makes of it when its deadline
 * (kf_purchase_due in SQL) passed and the job has not recorded it yet. */
kf_pur_state kf_pur_state_seen(kf_pur_state stored, int due);

/* An approval could still change the purchase (worth asking the provider about). */
int kf_pur_state_awaits_approval(kf_pur_state s, int ever_paid);

/* Sessions still to book (never negative). */
int kf_purchase_sessions_left(int total, int used);

/* Booking one session of a purchase (POST /api/public/bookings with purchase_token):
 * NULL when allowed, else the error code of the refusal, in this order:
 *   purchase_expired          paid once, its validity ran out (seen state expired)
 *   purchase_not_paid         not paid (yet): pending, failed, or expired unpaid
 *   package_service_mismatch  the hold is of another service than the package's
 *   package_used_up           no session left */
const char *kf_purchase_session_refusal(kf_pur_state seen, int ever_paid, int same_service,
                                        int sessions_total, int sessions_used);

/* The HTTP status of a refusal above: 400 for package_service_mismatch, 409 otherwise. */
int kf_purchase_refusal_status(const char *code);

/* A cancelled booking gives its session back to its purchase: it was made with one, not
 * given back already, and cancelled before the tenant's cutoff (after it, the session is
 * used, whoever cancels). */
int kf_purchase_cancel_returns_session(int has_purchase, int already_returned, int before_cutoff);

/* The aad of a purchase's sealed page token (purchases.token_sealed). */
const char *kf_purchase_token_aad(apr_pool_t *p, const char *purchase_id);

#endif
