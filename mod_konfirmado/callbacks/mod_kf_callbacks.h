#ifndef MOD_KF_CALLBACKS_H
#define MOD_KF_CALLBACKS_H
/* Merchant callbacks (API.md "Merchant callback"): queued in the transaction that makes a
 * booking paid (transactional outbox), delivered by a mod_watchdog singleton job with the
 * retry schedule of lib/callbacks/kf_callback.h, every attempt logged in callback_attempts. The first
 * 2xx makes the booking `confirmed`. State lives in the database only, so deliveries go on
 * after a restart and on whichever server claims them (FOR UPDATE SKIP LOCKED + a lease). */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "mod_kf_sql.h"
#include "mod_kf_callback_queue.h"

/* The callback rows and attempts of a booking for the admin detail:
 * {"delivery_id", "status", "attempts", "next_attempt_at", "delivered_at", "last_status_code",
 *  "last_error", "attempt_log": [{"attempt", "status_code", "latency_ms", "response", "error", "at"}]}
 * or NULL when none was queued. Pool-owned. */
json_t *kfm_callback_admin_json(kfm_req *kr, ap_dbd_t *db, const char *reservation_id);

#endif
