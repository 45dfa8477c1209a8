#ifndef KF_CANCEL_H
#define KF_CANCEL_H
/* Cancelling a booking (API.md "After booking"): what the customer or the merchant asks,
 * the facts the state machine is given, the answer and the audit's changes. The decision
 * itself is kf_change_next's (KF_RES_CANCEL) and what goes back kf_refund_on_cancel_taken's. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_change.h"

/* A cancellation's reason: at most this many characters. */
#define KF_CANCEL_REASON_MAX 500

/* The columns of the facts a cancellation reads, the booking locked. */
enum {
    KF_CANCEL_COL_ID, KF_CANCEL_COL_STATUS, KF_CANCEL_COL_TENANT, KF_CANCEL_COL_PROFESSIONAL,
    KF_CANCEL_COL_BEFORE_CUTOFF, KF_CANCEL_COL_POLICY, KF_CANCEL_COL_PAYMENT,
    KF_CANCEL_COL_PAID, KF_CANCEL_COL_CURRENCY, KF_CANCEL_COL_REFUNDED, KF_CANCEL_COL_START,
    KF_CANCEL_COL_END, KF_CANCEL_COL_PROVIDER, KF_CANCEL_COL_REFUND_STATUS,
    KF_CANCEL_COL_TAKEN, KF_CANCEL_COL_GIVEN,
    KF_CANCEL_COL_PAYMENT_AMOUNT,   /* the payment's own amount (PAID: the booking's share of it) */
    KF_CANCEL_COL_SERIES,           /* "t": an occurrence of a series, whose payment is the
                                       series' (PAID, TAKEN its share; GIVEN 0) */
    KF_CANCEL_COL_PAYMENT_GIVEN,    /* what the payment gave back so far, every booking's */
    KF_CANCEL_COL_COUNT
};

typedef struct kf_cancel_request {
    int by_merchant;
    const char *note;          /* the reason the person gave, or NULL */
    const char *refund_choice; /* "full" | "none" | "amount"; NULL: the tenant's policy */
    apr_int64_t refund_requested;
    int rest;                  /* scope "rest": the later occurrences of its series too, each
                                  under the same rules (kf_series.h) */
} kf_cancel_request;

/* Reads a cancellation's body (NULL: none sent) into *rq, errors into f. The customer may
 * give a reason; the merchant must, and says what goes back: "full" (also when absent),
 * "none" or {"amount": n > 0}. Either may send the scope of a series' occurrence. */
void kf_cancel_request_read(kf_fields *f, const json_t *body, int by_merchant,
                            kf_cancel_request *rq);

/* The state machine's facts from the row (KF_CANCEL_COL_COUNT values). */
kf_res_facts kf_cancel_facts(const char *const *row, int by_merchant);

/* What goes back, in minor units: 0 when the outcome flags no refund. -1 for an amount the
 * payment cannot give back. */
int kf_cancel_refund(const char *const *row, const kf_res_outcome *o,
                     const kf_cancel_request *rq, apr_int64_t *refund);

/* The payment's refund_amount once `refund` goes back: its total, what went back before
 * included (of a series' payment, what its other occurrences' cancellations asked too). */
apr_int64_t kf_cancel_refund_total(const char *const *row, apr_int64_t refund);

/* What the provider is asked to give back of the payment now: `refund`, and of a series'
 * payment also what its earlier cancellations asked and it has not given yet (a new refund
 * of a payment replaces the one before: kfm_refund_spread). */
apr_int64_t kf_cancel_refund_ask(const char *const *row, apr_int64_t refund);

/* The answer: {"booking": {id, status, start, end}, "refund": {amount, currency, status} or
 * null when nothing goes back}. */
json_t *kf_cancel_reply(const char *const *row, const char *status, apr_int64_t refund,
                        const char *refund_status);

/* The answer to a repeat: the booking as cancelled before, with what was given back then. */
json_t *kf_cancel_reply_again(const char *const *row);

/* The audit's changes: {status: cancelled, by, refund}. */
json_t *kf_cancel_audit_changes(int by_merchant, apr_int64_t refund);

#endif
