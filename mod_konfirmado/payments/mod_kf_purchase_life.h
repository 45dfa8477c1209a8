#ifndef MOD_KF_PURCHASE_LIFE_H
#define MOD_KF_PURCHASE_LIFE_H
/* A purchase's life (packages): what a provider event does to its payment (called from the
 * payments' one event path), booking a session with the purchase's token instead of paying,
 * giving a session back on a cancellation, and the job that expires purchases. The rules are
 * lib/payments/kf_purchase.c's; this glue reads, asks and writes. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "mod_kf_config.h"
#include "mod_kf_sql.h"
#include "kf_payment.h"

/* Inside the event's transaction (the payment locked): what a provider event's plan
 * (kf_payment_event_plan: an approval or a decline, its transaction and reason) does to the
 * purchase: locked, its state machine asked, the move written; once paid, the purchase.paid
 * callback and the customer's mail queued; an approval that pays for nothing flags the
 * payment. *result is what payment_events.result records. Errors: roll back. */
apr_status_t kfm_purchase_payment_settled(const kfm_ctx *c, ap_dbd_t *db, const char *payment_id,
                                         const char *purchase_id, const kf_payment_plan *plan,
                                         const char **result);

/* Right after the booking was made from the hold: one session of the purchase is spent and
 * the booking records which purchase paid for it. *sessions_left after it. */
apr_status_t kfm_purchase_spend_session(kfm_req *kr, const char *purchase_id,
                                       const char *reservation_id, int *sessions_left);

/* A booking was just cancelled (mod_kf_cancel.c, same transaction): when it was made with
 * a purchase's session and cancelled before the tenant's cutoff, the session goes back. */
apr_status_t kfm_purchase_session_cancelled(const kfm_ctx *c, ap_dbd_t *db,
                                           const char *reservation_id, int before_cutoff);

#endif
