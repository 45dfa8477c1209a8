#ifndef KF_REFUND_REQUEST_H
#define KF_REFUND_REQUEST_H
/* A merchant's refund request (POST /api/admin/bookings/{id}/refund): whether it asks the
 * provider for money back, how much, or why not. Pure: the caller reads the facts in its
 * transaction and runs the answer. */
#include <apr.h>

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

#endif
