/* Outgoing mail, glue part: the outbox's statements, and queueing into mail_outbox
 * inside the caller's transaction. Delivery (the watchdog job) is in mod_kf_mail_job.c. */
#include "mod_kf_mail.h"
#include "kf_mail.h"
#include "kf_text.h"

const kf_sql kf_mail_sql[] = {
    {"kf_mail_enqueue",
     "INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html) "
     "VALUES (%s::uuid, %s, %s, %s, %s) RETURNING id"},
    /* The delivery job: due mails, locked for this transaction; rows another server's
     * job holds are skipped, so no mail is sent twice. */
    {"kf_mail_claim",
     "SELECT id, recipient, subject, body_text, body_html, attempts, "
     "floor(extract(epoch FROM created_at))::bigint, "
     "floor(extract(epoch FROM clock_timestamp() - created_at))::bigint "
     "FROM mail_outbox "
     "WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() "
     "ORDER BY next_attempt_at LIMIT %s::int FOR UPDATE SKIP LOCKED"},
    {"kf_mail_sent",
     "UPDATE mail_outbox SET sent_at = clock_timestamp(), attempts = attempts + 1, "
     "last_error = NULL WHERE id = %s::uuid"},
    {"kf_mail_retry_later",
     "UPDATE mail_outbox SET attempts = attempts + 1, last_error = %s, "
     "next_attempt_at = clock_timestamp() + make_interval(secs => %s::int) "
     "WHERE id = %s::uuid"},
    {"kf_mail_give_up",
     "UPDATE mail_outbox SET attempts = attempts + 1, last_error = %s, "
     "failed_at = clock_timestamp() WHERE id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kf_mail_queue(kf_req *kr, ap_dbd_t *db, const char *tenant_id, const char *to,
                           const char *name, kf_locale locale, json_t *vars)
{
    request_rec *r = kr->r;
    kf_mail_content mail;
    const char *why = NULL;
    apr_status_t rv;

    if (tenant_id && !kf_is_uuid(tenant_id)) {
        kf_log(kr, APLOG_ERR, "mail %s not queued: tenant id is not a UUID", name);
        rv = APR_EINVAL;
    }
    else if (!kf_mail_address_valid(to)) {
        /* kf_log masks the address */
        kf_log(kr, APLOG_ERR, "mail %s not queued: %s is not a valid address", name,
               to ? to : "(null)");
        rv = APR_EINVAL;
    }
    else if ((rv = kf_mail_render(r->pool, name, locale, vars, &mail, &why)) != APR_SUCCESS) {
        kf_log(kr, APLOG_ERR, "mail %s not queued: %s", name, why);
    }
    else {
        const char *args[] = {tenant_id, to, mail.subject, mail.text, mail.html};
        apr_dbd_results_t *res = NULL;
        rv = kf_db_select(r, db, "kf_mail_enqueue", &res, 5, args);
        if (rv == APR_SUCCESS) {
            kf_log(kr, APLOG_INFO, "mail %s to %s queued as %s", name, to,
                   kf_db_value(db, r->pool, res, 0, 0));
        }
    }
    json_decref(vars); /* stolen, whatever happened */
    return rv;
}
