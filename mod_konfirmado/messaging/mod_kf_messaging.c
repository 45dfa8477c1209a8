/* Text messages (API.md "After booking": reminders by SMS or WhatsApp). The tenant's Twilio
 * account (PUT|DELETE /api/admin/tenant/messaging/twilio; the auth token sealed, aad
 * "tenant:<id>:twilio", shown by its last 4 characters only), the message queued with a
 * reminder in the reminder's own transaction, and the message job that sends it through
 * Twilio with backoff until the appointment starts. A message never holds back the mail:
 * the mail is queued first, and a message that fails is recorded, not retried forever.
 * Rules (settings, what an answer means, the text): lib/messaging/kf_twilio.c. */
#include "mod_kf_messaging.h"
#include "mod_kf_messaging_columns.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_config.h"
#include "mod_kf_jobs.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_mail.h"
#include "kf_tenant_rules.h"
#include "kf_text.h"
#include "kf_text_replies.h"
#include "kf_twilio.h"

#include <apr_strings.h>
#include <string.h>

#define BATCH 20
/* A claimed message is leased this long: a server that dies while sending leaves it. */
#define LEASE_SECONDS 120

/* Columns of kf_message_claim. */
#define MESSAGE_CLAIM_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(CLAIM_ID, "o.id")                                                                 \
    NEXT(CLAIM_TENANT, "o.tenant_id")                                                       \
    NEXT(CLAIM_TO, "o.recipient")                                                           \
    NEXT(CLAIM_BODY, "o.body_sealed")                                                       \
    NEXT(CLAIM_ATTEMPTS, "o.attempts")                                                      \
    NEXT(CLAIM_IN_TIME, "o.starts_at > now()")                                              \
    NEXT(CLAIM_STOPPED, "kf_text_stopped(o.tenant_id, o.recipient)")
enum { MESSAGE_CLAIM_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) CLAIM_COLUMNS };

const kfm_sql kfm_messaging_sql[] = {
    {"kf_messaging_view",
     "SELECT " KFM_SQL_COLUMNS(KFM_TWILIO_VIEW_COLUMNS)
     " FROM tenant_messaging_settings WHERE tenant_id = %s::uuid"},
    {"kf_messaging_account",
     "SELECT " KFM_SQL_COLUMNS(KFM_TWILIO_ACCOUNT_COLUMNS) " FROM tenant_messaging_settings"
     " WHERE tenant_id = %s::uuid"},
    /* tenant, sid, from, channel, sealed token, last 4 */
    {"kf_messaging_put",
     "INSERT INTO tenant_messaging_settings (tenant_id, provider, account_sid, sender, channel,"
     "  secrets_sealed, token_last4, updated_at)"
     " VALUES (%s::uuid, 'twilio', %s, %s, %s, %s, %s, now())"
     " ON CONFLICT (tenant_id) DO UPDATE SET account_sid = EXCLUDED.account_sid,"
     "  sender = EXCLUDED.sender, channel = EXCLUDED.channel,"
     "  secrets_sealed = EXCLUDED.secrets_sealed, token_last4 = EXCLUDED.token_last4,"
     "  updated_at = now()"},
    {"kf_messaging_delete", "DELETE FROM tenant_messaging_settings WHERE tenant_id = %s::uuid"},
    /* kind, lead (0 for a change), sealed text, booking: only for a tenant with messaging and
     * a customer's phone; the key (kind, lead, start) makes a repeat a no-op. A number that
     * answered STOP gets it recorded as suppressed, without its text. */
    {"kf_message_queue",
     "INSERT INTO message_outbox (tenant_id, reservation_id, kind, lead_minutes, starts_at,"
     "  recipient, body_sealed, status)"
     " SELECT r.tenant_id, r.id, %s, %s::int, r.starts_at, r.customer_phone,"
     "  CASE WHEN s.stopped THEN NULL ELSE %s END,"
     "  CASE WHEN s.stopped THEN 'suppressed' ELSE 'queued' END FROM reservations r"
     " JOIN tenant_messaging_settings m ON m.tenant_id = r.tenant_id"
     " CROSS JOIN LATERAL (SELECT kf_text_stopped(r.tenant_id, r.customer_phone) AS stopped) s"
     " WHERE r.id = %s::uuid AND coalesce(r.customer_phone, '') <> ''"
     " ON CONFLICT DO NOTHING"},
    /* whether the tenant never texted the booking's phone before */
    {"kf_message_first_to",
     "SELECT NOT EXISTS (SELECT 1 FROM message_outbox o JOIN reservations r ON r.id = %s::uuid"
     "  WHERE o.tenant_id = r.tenant_id AND o.recipient = r.customer_phone"
     "    AND o.status <> 'suppressed')"},
    /* a text that could not be queued: kept as failed against its booking, never sent */
    {"kf_message_refused",
     "INSERT INTO message_outbox (tenant_id, reservation_id, kind, lead_minutes, starts_at,"
     "  recipient, body_sealed, status, last_error)"
     " SELECT r.tenant_id, r.id, %s, %s::int, r.starts_at, r.customer_phone, NULL, 'failed',"
     "  'not queued: the text could not be sealed' FROM reservations r"
     " JOIN tenant_messaging_settings m ON m.tenant_id = r.tenant_id"
     " WHERE r.id = %s::uuid AND coalesce(r.customer_phone, '') <> ''"
     " ON CONFLICT DO NOTHING"},
    /* queued messages whose time came, leased; whether the appointment is still ahead, and
     * whether the number answered STOP since the text was queued */
    {"kf_message_claim",
     "WITH due AS (SELECT id FROM message_outbox WHERE status = 'queued'"
     "   AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT %s::int"
     "   FOR UPDATE SKIP LOCKED)"
     " UPDATE message_outbox o SET next_attempt_at = now() + make_interval(secs => %s::int),"
     "   attempts = o.attempts + 1"
     " FROM due WHERE o.id = due.id"
     " RETURNING " KFM_SQL_COLUMNS(MESSAGE_CLAIM_COLUMNS)},
    /* status, provider sid, error, retry in seconds, id: the text is dropped once it is
     * settled (sent or failed), as mails' bodies are */
    {"kf_message_attempted",
     "UPDATE message_outbox SET status = %s, provider_sid = %s, last_error = %s,"
     " next_attempt_at = now() + make_interval(secs => coalesce(%s::int, 0)),"
     " sent_at = CASE WHEN %s = 'sent' THEN now() END,"
     " body_sealed = CASE WHEN %s = 'queued' THEN body_sealed END"
     " WHERE id = %s::uuid"},
    {NULL, NULL},
};

json_t *kfm_messaging_view(kfm_req *kr, ap_dbd_t *db)
{
    const char *args[] = {kr->session->tenant.id};
    const char *v[KF_TWILIO_VIEW_COLUMNS];
    apr_status_t rv = kfm_db_select_row(kr->r, db, kr->r->pool, "kf_messaging_view", 1, args, v,
                                        KF_TWILIO_VIEW_COLUMNS);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return NULL;
    }
    return kf_twilio_settings_view(rv == APR_SUCCESS ? v : NULL);
}

static int reply_view(kfm_req *kr, int status)
{
    json_t *view = kfm_messaging_view(kr, kr->db);
    if (!view) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, status, json_pack("{s:o}", "messaging", view));
}

int kfm_handle_tenant_twilio_put(kfm_req *kr)
{
    request_rec *r = kr->r;
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    kf_twilio_settings v;
    json_t *errors = kf_twilio_settings_read(body, &v);
    if (json_object_size(errors) > 0) {
        return kfm_reply_field_ids(kr, errors);
    }
    json_decref(errors);
    const char *tenant_id = kr->session->tenant.id;
    const char *sealed = kf_seal_text(r->pool, kr->conf->keyring, v.auth_token,
                                      kf_twilio_token_aad(r->pool, tenant_id));
    if (!sealed) {
        kfm_log(kr, APLOG_ERR, "twilio settings: the auth token cannot be sealed (KonfirmadoKeyFile?)");
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *args[] = {tenant_id, v.account_sid, v.from, v.channel, sealed,
                          kf_secret_hint(r->pool, v.auth_token)};
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_messaging_put", NULL, 6, args) != APR_SUCCESS ||
        kfm_audit(kr, kr->db, "tenant.messaging.twilio.update", "tenant", tenant_id,
                  kf_twilio_settings_changes(&v)) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return reply_view(kr, HTTP_OK);
}

int kfm_handle_tenant_twilio_delete(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *tenant_id = kr->session->tenant.id;
    const char *args[] = {tenant_id};
    int deleted = 0;
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_messaging_delete", &deleted, 1, args) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (deleted == 0) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_NOT_FOUND, "messaging_not_configured");
    }
    if (kfm_audit(kr, kr->db, "tenant.messaging.twilio.delete", "tenant", tenant_id, NULL) !=
            APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}

apr_status_t kfm_message_queue(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                               const char *kind, int lead_minutes, kf_locale locale,
                               const char *text)
{
    const char *id[] = {reservation_id};
    const char *first = NULL;
    if (kfm_db_select_row(c->r, db, c->p, "kf_message_first_to", 1, id, &first, 1) !=
        APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kf_text_true(first)) {
        text = kf_text_with_opt_out(c->p, locale, text);
    }
    const char *sealed = kf_seal_text(c->p, c->conf->keyring, text, KF_MESSAGE_BODY_AAD);
    if (!sealed) {
        /* a text that cannot be queued never undoes the change it tells about */
        KFM_CTX_LOG(c, APLOG_ERR, "booking %s: its %s text cannot be sealed", reservation_id, kind);
        const char *failed[] = {kind, apr_itoa(c->p, lead_minutes), reservation_id};
        return kfm_db_exec(c->r, db, "kf_message_refused", NULL, 3, failed);
    }
    const char *args[] = {kind, apr_itoa(c->p, lead_minutes), sealed, reservation_id};
    return kfm_db_exec(c->r, db, "kf_message_queue", NULL, 4, args);
}

/* ---------------------------------------------------------------- the job */

apr_status_t kfm_messaging_account(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                   const kf_twilio_account **acct)
{
    *acct = NULL;
    const char *args[] = {tenant_id};
    const char *v[KF_TWILIO_ACCT_COLUMNS];
    apr_status_t rv = kfm_db_select_row(c->r, db, c->p, "kf_messaging_account", 1, args, v,
                                        KF_TWILIO_ACCT_COLUMNS);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? APR_SUCCESS : rv;   /* none: no account */
    }
    const kfm_server_conf *conf = c->conf;
    *acct = kf_twilio_account_open(c->p, conf->keyring, v, tenant_id,
                                   kfm_conf_provider_url(conf, "twilio", KF_TWILIO_DEFAULT_API));
    if (!*acct) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the Twilio token of tenant %s does not open", tenant_id);
    }
    return APR_SUCCESS;
}

/* A text whose number answered STOP after it was queued: never sent, its body dropped. */
static void suppress(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    const char *args[] = {"suppressed", NULL, NULL, NULL, "suppressed", "suppressed", v[CLAIM_ID]};
    if (kfm_db_exec(NULL, db, "kf_message_attempted", NULL, 7, args) == APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_INFO, "message %s to %s suppressed: the number answered STOP",
                    v[CLAIM_ID], kf_mask_recipient(c->p, v[CLAIM_TO]));
    }
}

static void attempt(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    if (kf_text_true(v[CLAIM_STOPPED])) {
        suppress(c, db, v);
        return;
    }
    const char *sid = NULL, *why = NULL;
    /* an account gone (deleted meanwhile) or unreadable, the database's failure too: no account */
    const kf_twilio_account *acct = NULL;
    kfm_messaging_account(c, db, v[CLAIM_TENANT], &acct);
    kf_twilio_outcome outcome = kf_twilio_send_queued(
        c->p, kfm_provider_http(c), c->conf->keyring, acct,
        kf_text_true(v[CLAIM_IN_TIME]), v[CLAIM_TO], v[CLAIM_BODY], &sid, &why);
    int attempts = atoi(v[CLAIM_ATTEMPTS]);
    const char *status = kf_twilio_outcome_status(outcome);
    int delay = kf_twilio_retry_delay(outcome, attempts);
    const char *retry = delay >= 0 ? apr_itoa(c->p, delay) : NULL;
    const char *args[] = {status, sid, why, retry, status, status, v[CLAIM_ID]};
    if (kfm_db_exec(NULL, db, "kf_message_attempted", NULL, 7, args) != APR_SUCCESS) {
        return;
    }
    KFM_CTX_LOG(c, outcome == KF_TWILIO_FAILED ? APLOG_WARNING : APLOG_INFO, "%s",
                kf_twilio_attempt_line(c->p, outcome, v[CLAIM_ID], v[CLAIM_TO], attempts, sid,
                                       why));
}

static const kfm_claim_job job = {
    "text messages", "kf_message_claim", BATCH, LEASE_SECONDS, CLAIM_COLUMNS, attempt, "no text reminders are sent",
};

int kfm_messages_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &job);
}
