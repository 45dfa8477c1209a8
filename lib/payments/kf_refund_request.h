#ifndef KF_REFUND_REQUEST_H
#define KF_REFUND_REQUEST_H
/* A merchant's refund request (POST /api/admin/bookings/{id}/refund): whether it asks the
 * provider for money back, how much, or why not; how a refund is spread over the payment's
 * transactions; and what the refund job's attempt asks the provider and leaves. The caller
 * reads the facts in its transaction and runs the answer. */
#include <apr.h>
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_payment.h"

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

/* ---- a refund spread over the payment's transactions ---- */

/* The columns of a payment's transaction as a new refund reads it: its row, what it took,
 * what it gave back, when it was approved (microseconds), whether a refund of the payment
 * was keyed before (its share or the payment), how many refunds it had. */
enum {
    KF_REFUND_TX_COL_ROW, KF_REFUND_TX_COL_AMOUNT, KF_REFUND_TX_COL_REFUNDED,
    KF_REFUND_TX_COL_APPROVED_US, KF_REFUND_TX_COL_KEYED, KF_REFUND_TX_COL_ROUNDS,
    KF_REFUND_TX_COL_COUNT
};

/* The shares to record: share[i] (> 0) of transaction row[i], asked with key[i]. */
typedef struct kf_refund_spread {
    kf_refund_step start;      /* KF_REFUND_RETRY ("pending") or KF_REFUND_MANUAL */
    int n;
    const char **row;
    apr_int64_t *share;
    const char **key;
} kf_refund_spread;

/* A refund of `amount` of payment pay_id spread over its n transactions (rows: n rows of
 * KF_REFUND_TX_COL_COUNT values) by kf_refund_allocate, where it starts
 * (kf_refund_start_shares) and each share's idempotency key (kf_refund_share_key: the first
 * share of a payment never keyed before keeps the payment's). n 0, a payment without
 * transaction rows: its one transaction of `paid`, no share. APR_EINVAL when amount is more
 * than is left to give back. Lives in p. */
apr_status_t kf_refund_spread_of(apr_pool_t *p, const kf_payment_provider *prov,
                                 const char *pay_id, const char *const *const *rows, int n,
                                 apr_int64_t amount, apr_int64_t paid, kf_refund_spread *out);

/* ---- the refund job's attempt ---- */

/* The columns of a refund the job claimed. */
enum {
    KF_REFUND_CLAIM_COL_PAYMENT, KF_REFUND_CLAIM_COL_TENANT, KF_REFUND_CLAIM_COL_PROVIDER,
    KF_REFUND_CLAIM_COL_TRANSACTION, KF_REFUND_CLAIM_COL_PAID, KF_REFUND_CLAIM_COL_AMOUNT,
    KF_REFUND_CLAIM_COL_CURRENCY, KF_REFUND_CLAIM_COL_ATTEMPTS, KF_REFUND_CLAIM_COL_RESERVATION,
    KF_REFUND_CLAIM_COL_REFERENCE,
    KF_REFUND_CLAIM_COL_COUNT
};

/* The columns of a share of the claimed refund (newest transaction first). */
enum {
    KF_REFUND_SHARE_COL_ROW, KF_REFUND_SHARE_COL_TRANSACTION, KF_REFUND_SHARE_COL_AMOUNT,
    KF_REFUND_SHARE_COL_SHARE, KF_REFUND_SHARE_COL_KEY, KF_REFUND_SHARE_COL_STATUS,
    KF_REFUND_SHARE_COL_COUNT
};

/* Where the attempt's calls go: the claim's provider (NULL: unknown), the tenant's account
 * with it (NULL: not configured) and its endpoints. */
typedef struct kf_refund_caller {
    kf_http_client *http;
    const kf_payment_provider *prov;
    const kf_payment_account *acct;
    kf_payment_endpoints ep;
} kf_refund_caller;

/* What one attempt leaves. */
typedef struct kf_refund_attempt {
    kf_refund_step step;       /* kf_refund_after_attempt of the answers */
    int retry;                 /* KF_REFUND_RETRY: seconds until the next attempt */
    const char *refund_id;     /* the provider's id of the first share given back */
    const char *why;           /* why it did not succeed (NULL once it did) */
    const char *history;       /* the booking's history reason: "refunded", "refund_manual",
                                  or NULL (retried: no line yet) */
    const char **share_status; /* per share: the status its row takes now, or NULL */
    const char **share_refund; /* per share: the provider's refund id, or NULL */
    const char **share_note;   /* per share asked now: what the answer was, for the log */
    int *share_given;          /* per share asked now: 1 when given back */
    const char *note;          /* the attempt, for the log */
} kf_refund_attempt;

/* The job's attempt on a claimed refund (claim: KF_REFUND_CLAIM_COL_COUNT values): every
 * share still pending (shares: n rows of KF_REFUND_SHARE_COL_COUNT values) asked of the
 * provider with its transaction and key (n 0: the payment's one transaction, with the
 * payment's key). A share given back has succeeded; one the provider cannot refund (no
 * refund API, no account, the key refused) or left to the merchant before leaves the
 * payment's to the merchant once nothing is worth retrying; otherwise the first answer
 * worth retrying decides. Given up (manual), the shares still pending are the merchant's
 * too. Lives in p. */
void kf_refund_attempt_run(apr_pool_t *p, const kf_refund_caller *caller,
                           const char *const *claim, const char *const *const *shares, int n,
                           kf_refund_attempt *out);

/* The arguments of the glue's statement that records an attempt on its payment: the status
 * it leaves (three times), the provider's refund id, why, the seconds until the next attempt
 * (NULL unless it is retried) and the payment's id. Lives in p. */
#define KF_REFUND_ATTEMPTED_ARGS 7
const char **kf_refund_attempted_args(apr_pool_t *p, const kf_refund_attempt *a,
                                      const char *payment_id);

#endif
