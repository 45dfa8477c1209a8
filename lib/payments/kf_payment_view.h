#ifndef KF_PAYMENT_VIEW_H
#define KF_PAYMENT_VIEW_H
/* A payment as people see it (API.md "Public booking API": the status page's payment;
 * "Admin API": a booking detail's payments with their refund, dispute, transactions and
 * provider events), from the stored rows. Every function returns a new reference. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_payment.h"

/* The columns of the newest payment of a booking, as the status page reads it. */
enum {
    KF_PAY_STATUS_COL_PROVIDER, KF_PAY_STATUS_COL_STATUS, KF_PAY_STATUS_COL_REFERENCE,
    KF_PAY_STATUS_COL_AMOUNT, KF_PAY_STATUS_COL_CURRENCY,
    KF_PAY_STATUS_COL_COUNT
};

/* The columns of a payment as the merchant's booking detail reads it. */
enum {
    KF_PAY_ADMIN_COL_ID, KF_PAY_ADMIN_COL_PROVIDER, KF_PAY_ADMIN_COL_MODE,
    KF_PAY_ADMIN_COL_REFERENCE, KF_PAY_ADMIN_COL_AMOUNT, KF_PAY_ADMIN_COL_CURRENCY,
    KF_PAY_ADMIN_COL_STATUS, KF_PAY_ADMIN_COL_TXID, KF_PAY_ADMIN_COL_REFUND_NEEDED,
    KF_PAY_ADMIN_COL_MISMATCH, KF_PAY_ADMIN_COL_FLAG_REASON, KF_PAY_ADMIN_COL_CREATED,
    KF_PAY_ADMIN_COL_APPROVED, KF_PAY_ADMIN_COL_REFUND_STATUS, KF_PAY_ADMIN_COL_REFUND_AMOUNT,
    KF_PAY_ADMIN_COL_REFUND_REQUESTED_AT, KF_PAY_ADMIN_COL_REFUNDED_AT,
    KF_PAY_ADMIN_COL_REFUND_NOTE, KF_PAY_ADMIN_COL_REFUND_ERROR, KF_PAY_ADMIN_COL_DISPUTE_ID,
    KF_PAY_ADMIN_COL_DISPUTE_AMOUNT, KF_PAY_ADMIN_COL_DISPUTE_REASON,
    KF_PAY_ADMIN_COL_DISPUTED_AT, KF_PAY_ADMIN_COL_DISPUTE_STATUS,
    KF_PAY_ADMIN_COL_DISPUTE_UPDATED_AT,
    KF_PAY_ADMIN_COL_COUNT
};

/* The columns of one approved transaction of a payment. */
enum {
    KF_PAY_TX_COL_ID, KF_PAY_TX_COL_AMOUNT, KF_PAY_TX_COL_APPROVED, KF_PAY_TX_COL_REFUNDED,
    KF_PAY_TX_COL_COUNT
};

/* The columns of one provider event recorded for a payment. */
enum {
    KF_PAY_EVENT_COL_SOURCE, KF_PAY_EVENT_COL_TXID, KF_PAY_EVENT_COL_STATUS,
    KF_PAY_EVENT_COL_AMOUNT, KF_PAY_EVENT_COL_CURRENCY, KF_PAY_EVENT_COL_RESULT,
    KF_PAY_EVENT_COL_RECEIVED,
    KF_PAY_EVENT_COL_COUNT
};

/* {provider, status, reference, amount, currency}: what the customer's status page shows. */
json_t *kf_payment_status_view(const char *const *row);

/* One payment as the booking detail shows it: its figures and flags, "refund" (null until
 * one is asked), "dispute" (null when none), and empty "transactions" and "events" that
 * the caller fills with kf_payment_transaction_view and kf_payment_event_view. */
json_t *kf_payment_admin_view(const char *const *row);

/* {id, amount, approved_at, refunded_amount}: a customer who paid twice shows two. */
json_t *kf_payment_transaction_view(const char *const *row);

/* {source, transaction_id, status, amount (only when the event said one), currency, result,
 * received_at}. */
json_t *kf_payment_event_view(const char *const *row);

/* {provider, checkout_url, reference, expires_at}: where the customer pays a checkout just
 * made, and until when (RFC 3339 UTC, whole seconds). */
json_t *kf_payment_checkout_view(apr_pool_t *p, const char *provider, const char *checkout_url,
                                 const kf_payment_checkout *co);

/* What is recorded as the body of an event read back from the provider (no notice carried
 * it): a payment found by its reference {id, status, amount_in_cents, currency, reference},
 * or a dispute {id, payment_id, status, amount, currency, reason}. Text in p. */
const char *kf_payment_found_record(apr_pool_t *p, const kf_payment_event *ev);
const char *kf_payment_dispute_record(apr_pool_t *p, const kf_payment_event *ev);

#endif
