/* Outgoing mail, glue part: the outbox's statements, and queueing into mail_outbox
 * inside the caller's transaction. Delivery (the watchdog job) is in mod_kf_mail_job.c. */
#include "mod_kf_mail.h"
#include "mod_kf_messaging_columns.h"
#include "mod_kf_mail_claim_sql.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_config.h"
#include "kf_crypto.h"
#include "kf_mail.h"
#include "kf_text.h"

const kfm_sql kfm_mail_sql[] = {
    {"kf_mail_enqueue",
     "INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html, calendar, "
     "calendar_method, reservation_id, list_unsubscribe, reply_to_business)"
     " VALUES (%s::uuid, %s, %s, %s, %s, %s, %s, %s::uuid, %s, %s::boolean)"},
    /* The delivery job: due mails (mod_kf_mail_claim_sql.h says which), leased (their next
     * attempt moved past the lease) in one statement, so that the sending holds no row lock
     * and no connection; a leased mail is nobody else's until its lease ends. The run sends
     * in queueing order.
     * A mail to a customer (reply_to_business) comes with what says where replies go, as the
     * tenant has it now (kf_mail_reply_to: lib/messaging/kf_mail_reply.c says why now).
     * Args: how many (of each business, of all), the lease's seconds. */
    {"kf_mail_claim",
     KFM_MAIL_DUE_SQL ","
     " leased AS (UPDATE mail_outbox m"
     "   SET next_attempt_at = clock_timestamp() + make_interval(secs => %s::int)"
     "   FROM due WHERE m.id = due.id"
     "   RETURNING m.id, m.recipient, m.subject, m.body_text, m.body_html, m.attempts,"
     "   floor(extract(epoch FROM m.created_at))::bigint AS queued,"
     "   floor(extract(epoch FROM clock_timestamp() - m.created_at))::bigint AS waited,"
     "   m.calendar, m.calendar_method, m.list_unsubscribe, m.created_at AS queued_at,"
     "   m.tenant_id AS tenant, m.reply_to_business AS replies)"
     " SELECT " KFM_SQL_COLUMNS(KFM_OUTBOX_COLUMNS) " FROM leased"
     " LEFT JOIN tenants t ON t.id = leased.tenant AND leased.replies"
     " LEFT JOIN LATERAL (SELECT u.email, u.email_verified_at IS NOT NULL AS verified"
     "   FROM users u WHERE u.tenant_id = t.id ORDER BY u.created_at LIMIT 1) owner ON true"
     " ORDER BY queued_at, leased.id"},
    /* leased mails not attempted (uuid[]: the service took none, the run's time was up):
     * due again at once, no attempt counted */
    {"kf_mail_release",
     "UPDATE mail_outbox SET next_attempt_at = now()"
     " WHERE id = ANY (%s::uuid[]) AND sent_at IS NULL AND failed_at IS NULL"},
    /* mails sent (uuid[]: a batch's, recorded in one statement, as a busy database answers
     * each statement of a batch after the others' queries); a sent mail's bodies (links
     * with single-use tokens) are not kept */
    {"kf_mail_sent",
     "UPDATE mail_outbox SET sent_at = clock_timestamp(), attempts = attempts + 1, "
     "last_error = NULL, last_fault = NULL, body_text = '', body_html = '', "
     "calendar = CASE WHEN calendar IS NULL THEN NULL ELSE '' END WHERE id = ANY (%s::uuid[])"},
    /* args: the error, its fault (kf_mail_fault_name), [the wait,] the mail */
    {"kf_mail_retry_later",
     "UPDATE mail_outbox SET attempts = attempts + 1, last_error = %s, last_fault = %s, "
     "next_attempt_at = clock_timestamp() + make_interval(secs => %s::int) "
     "WHERE id = %s::uuid"},
    {"kf_mail_give_up",
     "UPDATE mail_outbox SET attempts = attempts + 1, last_error = %s, last_fault = %s, "
     "failed_at = clock_timestamp() WHERE id = %s::uuid"},
    /* a mail that could not even be queued (a recipient the rule refuses, a template that
     * did not render): kept as failed, with no bodies, so the failure is seen, never sent */
    {"kf_mail_refused",
     "INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text, "
     "body_html, last_error, failed_at) VALUES (%s::uuid, %s::uuid, %s, %s, '', '', %s, now())"},
    /* the same mail written again into a refused one: it goes out from the start */
    {"kf_mail_refill",
     "UPDATE mail_outbox SET recipient = %s, subject = %s, body_text = %s, body_html = %s,"
     " calendar = %s, calendar_method = %s, reply_to_business = %s::boolean, failed_at = NULL, sent_at = NULL, attempts = 0,"
     " last_error = NULL, last_fault = NULL, next_attempt_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND reservation_id = %s::uuid"
     " AND body_text = ''"},
    {NULL, NULL},
};

apr_status_t kfm_mail_queue_invite(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                  const char *to, const char *name, kf_locale locale,
                                  json_t *vars, const char *calendar, const char *method)
{
    return kfm_mail_queue_into(c, db, NULL, tenant_id, NULL, to, name, locale, vars, calendar,
                               method);
}

static apr_status_t queue(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                          const char *tenant_id, const char *booking_id, const char *to,
                          const char *name, kf_locale locale, json_t *vars,
                          const char *calendar, const char *method, const char *unsubscribe);

apr_status_t kfm_mail_queue_into(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                                 const char *tenant_id, const char *booking_id, const char *to,
                                 const char *name, kf_locale locale, json_t *vars,
                                 const char *calendar, const char *method)
{
    return queue(c, db, mail_id, tenant_id, booking_id, to, name, locale, vars, calendar, method,
                 NULL);
}

apr_status_t kfm_mail_queue_unsubscribable(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                           const char *booking_id, const char *to,
                                           const char *name, kf_locale locale, json_t *vars,
                                           const char *unsubscribe_url)
{
    return queue(c, db, NULL, tenant_id, booking_id, to, name, locale, vars, NULL, NULL,
                 unsubscribe_url);
}

static apr_status_t queue(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                          const char *tenant_id, const char *booking_id, const char *to,
                          const char *name, kf_locale locale, json_t *vars,
                          const char *calendar, const char *method, const char *unsubscribe)
{
    kf_mail_queued q;
    const char *why = NULL;
    apr_status_t rv = kf_mail_queued_of(c->p, c->conf->keyring, tenant_id, booking_id, to, name,
                                        locale, vars, calendar, method, &q, &why);
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_ERR, "mail %s not queued: %s", name, why);
    }
    else if (mail_id) {
        const char *args[] = {to, q.subject, q.bodies, "", q.invite, q.method, q.replies,
                              mail_id, tenant_id, q.booking};
        int changed = 0;
        rv = kfm_db_exec(c->r, db, "kf_mail_refill", &changed, 10, args);
        if (rv == APR_SUCCESS && changed != 1) {
            rv = APR_NOTFOUND;
        }
    }
    else {
        const char *args[] = {tenant_id, to, q.subject, q.bodies, "", q.invite, q.method,
                              q.booking, unsubscribe, q.replies};
        /* no answer awaited: in a transaction deferring its writes (a payment's approval)
         * the mail travels with the next statement instead of costing a round trip */
        rv = kfm_db_exec(c->r, db, "kf_mail_enqueue", NULL, 10, args);
    }
    if (rv == APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_INFO, "mail %s to %s queued", name, kf_mask_recipient(c->p, to));
    }
    json_decref(vars); /* stolen, whatever happened */
    return rv;
}

apr_status_t kfm_mail_record_refused(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                    const char *to, const char *name)
{
    return kfm_mail_record_refused_for(c, db, tenant_id, NULL, to, name);
}

apr_status_t kfm_mail_record_refused_for(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                        const char *booking_id, const char *to, const char *name)
{
    const char *args[] = {tenant_id && kf_is_uuid(tenant_id) ? tenant_id : NULL,
                          booking_id && kf_is_uuid(booking_id) ? booking_id : NULL, to ? to : "",
                          name, "not queued: the recipient or the message was refused"};
    apr_status_t rv = kfm_db_exec(c->r, db, "kf_mail_refused", NULL, 5, args);
    if (rv == APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "mail %s recorded as failed: it could not be queued", name);
    }
    return rv;
}

apr_status_t kfm_mail_queue(kfm_req *kr, ap_dbd_t *db, const char *tenant_id, const char *to,
                           const char *name, kf_locale locale, json_t *vars)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    return kfm_mail_queue_invite(&c, db, tenant_id, to, name, locale, vars, NULL, NULL);
}
