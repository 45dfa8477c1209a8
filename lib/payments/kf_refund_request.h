#ifndef KF_REFUND_REQUEST_H
#define KF_REFUND_REQUEST_H
/* A merchant's refund request (POST /api/admin/bookings/{id}/refund): whether it asks the
 * provider for money back, how much, or why not. Pure: the caller reads the facts in its
 * transaction and runs the answer. */
#include <apr.h>
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"

/* A refund's note when the merchant gave the money back by hand: at most this many
 * characters. */
#define KF_REFUND_NOTE_MAX 500

/* The columns of the booking's approved payment as a refund request reads it (all NULL but
 * the booking's status when there is none). */
enum {
    KF_REFUND_COL_PAYMENT, KF_REFUND_COL_PROVIDER, KF_REFUND_COL_AMOUNT, KF_REFUND_COL_CURRENCY,
    KF_REFUND_COL_NEEDED, KF_REFUND_COL_MISMATCH, KF_REFUND_COL_FLAG, KF_REFUND_COL_REQUESTED,
    KF_REFUND_COL_STATUS, KF_REFUND_COL_DONE_AT, KF_REFUND_COL_BOOKING_STATUS,
    KF_REFUND_COL_TAKEN, KF_REFUND_COL_GIVEN,
    KF_REFUND_COL_COUNT
};

/* What the merchant asks: {"amount"?} or {"manual": true, "note", "amount"?}. */
typedef struct kf_refund_ask {
    int manual;
    const char *note;
    json_int_t amount;       /* 0: what the payment's flag says (else all of it) */
} kf_refund_ask;

/* Reads the body into *ask, errors into f: a positive amount, a boolean manual and, for a
 * manual one, a note of 1..KF_REFUND_NOTE_MAX characters. */
void kf_refund_ask_read(kf_fields *f, const json_t *body, kf_refund_ask *ask);

typedef struct kf_refund_facts {
    int paid;                  /* a payment exists (else nothing was taken) */
    apr_int64_t amount;        /* what the booking asked */
    apr_int64_t taken;         /* what its transactions took: more than amount when paid twice */
    apr_int64_t given;         /* given back already */
    apr_int64_t requested;     /* a refund asked before (0: none) */
    int flagged;               /* marked to give back (late approval, paid twice) or a mismatch */
    const char *flag_reason;   /* why it was marked ("second_approval", ...), or NULL */
    const char *status;        /* the payment's refund status (pending, succeeded...), or NULL */
    int refunded;              /* the provider has confirmed a refund */
} kf_refund_facts;

typedef enum {
    KF_REFUND_ASK = 0,         /* give back *amount (by the provider, or recorded by hand) */
    KF_REFUND_ASKED_BEFORE,    /* pending or done already: answer what was asked, ask nothing */
    KF_REFUND_NOT_NEEDED,      /* 409 refund_not_needed: nothing taken, or nothing marked */
    KF_REFUND_BAD_AMOUNT       /* 400 amount: below 1, or more than is left to give back */
} kf_refund_verdict;

/* `manual`: the merchant gave the money back outside the provider and records it (a pending
 * request may still be closed so); `asked`: the amount the merchant named (0: by default,
 * the extra of a payment made twice, else everything taken). *amount is set for
 * KF_REFUND_ASK. */
kf_refund_verdict kf_refund_decide(const kf_refund_facts *f, int manual, apr_int64_t asked,
                                   apr_int64_t *amount);

/* The facts of a row (KF_REFUND_COL_COUNT values): a mismatch counts as marked. */
kf_refund_facts kf_refund_facts_of(const char *const *row);

/* {"refund": {amount, currency, status, refunded_at?}}: what the merchant is answered. */
json_t *kf_refund_reply(apr_int64_t amount, const char *currency, const char *status,
                        const char *refunded_at);

/* The answer to a refund asked before: what was asked then (else the payment's amount), its
 * status and when it was given back. */
json_t *kf_refund_reply_before(const char *const *row);

/* The audit's changes: {amount, status (refunded_by_hand for a manual one), note?}. */
json_t *kf_refund_audit_changes(apr_int64_t amount, int manual, const char *status,
                                const char *note);

#endif
