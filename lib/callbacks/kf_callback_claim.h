/* A merchant callback's delivery from its claim to its record: the claimed row copied for
 * the worker that attempts it, then what a batch of finished attempts records together
 * (kf_callback_records_json, their businesses, the bookings their merchants acknowledged)
 * and what the log says of each.
 */
#ifndef KF_CALLBACK_CLAIM_H
#define KF_CALLBACK_CLAIM_H

#include <apr_pools.h>

#include "kf_callback_delivery.h"
#include "kf_http.h"

/* Columns of a claimed delivery (the glue's kf_cb_claim). */
enum {
    KF_CB_CLAIM_ID, KF_CB_CLAIM_TENANT, KF_CB_CLAIM_RESERVATION, KF_CB_CLAIM_BODY,
    KF_CB_CLAIM_ATTEMPTS, KF_CB_CLAIM_URL, KF_CB_CLAIM_SECRET_SEALED, KF_CB_CLAIM_EVENT,
    KF_CB_CLAIM_SUBJECT,       /* the booking, or the purchase, it is about */
    KF_CB_CLAIM_COLUMNS
};

/* One claimed delivery, its values copied into its place's pool: owned by the worker thread
 * that attempts it until it is finished, then by the job that records it. */
typedef struct kf_callback_claimed {
    kf_callback_record rec;    /* its id, attempt number and URL; then the attempt (set by the
                                  worker) and what follows (set when recorded) */
    int place;                 /* its place of the in-flight table */
    const char *tenant_id, *booking_id, *body, *event;
    const char *secret;        /* the tenant's, opened by the caller (NULL: none) */
    kf_http_client *client;    /* its place's: one thread at a time */
} kf_callback_claimed;

/* *d: the delivery of a claimed row (KF_CB_CLAIM_COLUMNS values), copied into p, in
 * `place` (its secret and client left to the caller). */
void kf_callback_claimed_of(apr_pool_t *p, int place, const char *const *row,
                            kf_callback_claimed *d);

/* What n finished attempts record together, in one transaction. */
typedef struct kf_callback_batch {
    const char *records;       /* kf_callback_records_json: the attempts and what follows */
    const char *tenants;       /* their businesses, a PostgreSQL array (locked first) */
    const char **bookings;     /* the acknowledged: bookings[i] told events[i] */
    const char **events;
    int acked;
} kf_callback_batch;

/* Each attempt's next step set (kf_callback_after_attempt, the schedule divided by
 * `divisor`) and the batch of their records, in p. APR_SUCCESS, or APR_EINVAL when a text is
 * not valid UTF-8 (no record can be written). */
apr_status_t kf_callback_batch_of(apr_pool_t *p, kf_callback_claimed *const *done, int n,
                                  int divisor, kf_callback_batch *b);

/* The log's line of a recorded attempt, and of a delivery given up with it (NULL when it
 * was not). */
const char *kf_callback_attempt_line(apr_pool_t *p, const kf_callback_claimed *d);
const char *kf_callback_given_up_line(apr_pool_t *p, const kf_callback_claimed *d);

#endif
