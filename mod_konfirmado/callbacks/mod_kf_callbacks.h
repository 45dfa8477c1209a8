#ifndef MOD_KF_CALLBACKS_H
#define MOD_KF_CALLBACKS_H
/* Merchant callbacks (API.md "Merchant callback"): queued in the transaction that makes a
 * booking paid (transactional outbox), delivered by a mod_watchdog singleton job with the
 * retry schedule of lib/callbacks/kf_callback.h, every attempt logged in callback_attempts. What a
 * 2xx means for the booking (a paid one becomes `confirmed`) is the bookings feature's. State lives in the database only, so deliveries go on
 * after a restart and on whichever server claims them (FOR UPDATE SKIP LOCKED + a lease). */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "mod_kf_sql.h"
#include "mod_kf_callback_queue.h"
#include "mod_kf_callback_claim_sql.h"
#include "kf_callback_claim.h"
#include "kf_callback_delivery.h"

/* A delivery claimed and leased (kf_cb_claim, returning from merchant_callbacks c and its
 * tenant t): kf_callback_claim.h's KF_CB_CLAIM_*. */

#define KFM_CB_CLAIM_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(KF_CB_CLAIM_ID, "c.id")                                                           \
    NEXT(KF_CB_CLAIM_TENANT, "c.tenant_id")                                                 \
    NEXT(KF_CB_CLAIM_RESERVATION, "c.reservation_id")                                       \
    NEXT(KF_CB_CLAIM_BODY, "c.body")                                                        \
    NEXT(KF_CB_CLAIM_ATTEMPTS, "c.attempts")                                                \
    NEXT(KF_CB_CLAIM_URL, "t.callback_url")                                                 \
    NEXT(KF_CB_CLAIM_SECRET_SEALED, "t.callback_secret_sealed")                             \
    NEXT(KF_CB_CLAIM_EVENT, "c.event")                                                      \
    NEXT(KF_CB_CLAIM_SUBJECT, KFM_CB_SUBJECT("c"))
KFM_SQL_ROW_CHECK(KFM_CB_CLAIM_COLUMNS, KF_CB_CLAIM_COLUMNS)

/* A booking's callback as the merchant sees it: kf_callback_delivery.h's KF_CB_VIEW_*. */
#define KFM_CB_VIEW_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(KF_CB_VIEW_ID, "id")                                                              \
    NEXT(KF_CB_VIEW_STATUS, "status")                                                       \
    NEXT(KF_CB_VIEW_ATTEMPTS, "attempts")                                                   \
    NEXT(KF_CB_VIEW_NEXT_ATTEMPT, KFM_SQL_RFC3339("next_attempt_at"))                       \
    NEXT(KF_CB_VIEW_DELIVERED, KFM_SQL_RFC3339("delivered_at"))                             \
    NEXT(KF_CB_VIEW_STATUS_CODE, "last_status_code")                                        \
    NEXT(KF_CB_VIEW_LAST_ERROR, "last_error")
KFM_SQL_ROW_CHECK(KFM_CB_VIEW_COLUMNS, KF_CB_VIEW_COLUMNS)

/* Its attempts, in order: kf_callback_delivery.h's KF_CB_LOG_*. */
#define KFM_CB_LOG_COLUMNS(FIRST, NEXT)                                                     \
    FIRST(KF_CB_LOG_ATTEMPT, "attempt")                                                     \
    NEXT(KF_CB_LOG_STATUS_CODE, "status_code")                                              \
    NEXT(KF_CB_LOG_LATENCY, "latency_ms")                                                   \
    NEXT(KF_CB_LOG_RESPONSE, "response_excerpt")                                            \
    NEXT(KF_CB_LOG_ERROR, "error")                                                          \
    NEXT(KF_CB_LOG_AT, KFM_SQL_RFC3339("at"))
KFM_SQL_ROW_CHECK(KFM_CB_LOG_COLUMNS, KF_CB_LOG_COLUMNS)

/* Hand-off hook kfm_callbacks_when_acknowledged: what follows merchants' 2xx to n callbacks
 * (booking_ids[i] told events[i]; a purchase's has none), run in the transaction that records
 * their attempts. The bookings feature hands it (a kfm_handoff of its descriptor), so that
 * delivery knows no booking state. APR_SUCCESS, or an error that rolls the attempts back
 * (they are made again). */
typedef apr_status_t kfm_callback_acknowledged_fn(const kfm_ctx *c, ap_dbd_t *db,
                                                  const char *const *booking_ids,
                                                  const char *const *events, int n);
void kfm_callbacks_when_acknowledged(kfm_callback_acknowledged_fn *fn);

/* The callback rows and attempts of a booking for the admin detail:
 * {"delivery_id", "status", "attempts", "next_attempt_at", "delivered_at", "last_status_code",
 *  "last_error", "attempt_log": [{"attempt", "status_code", "latency_ms", "response", "error", "at"}]}
 * or NULL when none was queued. Pool-owned. */
json_t *kfm_callback_admin_json(kfm_req *kr, ap_dbd_t *db, const char *reservation_id);

#endif
