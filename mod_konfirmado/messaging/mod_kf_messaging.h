#ifndef MOD_KF_MESSAGING_H
#define MOD_KF_MESSAGING_H
/* Text messages by Twilio (mod_kf_messaging.c): the tenant's account, reminders queued as
 * texts, change notices as texts, and the job that sends them. */
#include "mod_kf.h"
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_twilio.h"


/* "messaging" of GET /api/admin/tenant: {"provider", "configured", "account_sid", "from",
 * "channel", "auth_token_last4", "updated_at"} or JSON null; NULL on a database failure. */
json_t *kfm_messaging_view(kfm_req *kr, ap_dbd_t *db);

/* The tenant's Twilio account in *acct, its token opened; NULL there when the tenant has
 * none or its token does not open (logged). APR_SUCCESS unless the database failed. */
apr_status_t kfm_messaging_account(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                   const kf_twilio_account **acct);

/* Queues a text for the booking's customer, in the caller's transaction: a "reminder" of
 * lead_minutes, or a change ("rescheduled" | "cancelled", lead 0). A no-op when the tenant
 * has no messaging or the customer gave no phone. The first text the tenant sends to a
 * number says, in `locale`, how to stop them. */
apr_status_t kfm_message_queue(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                               const char *kind, int lead_minutes, kf_locale locale,
                               const char *text);


#endif
