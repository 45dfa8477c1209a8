/* Outgoing mail, glue part: queueing into mail_outbox inside the caller's transaction.
 * Delivery (the watchdog job) is in mod_kf_mail_job.c. */
#include "mod_kf_mail.h"
#include "kf_mail.h"
#include "kf_text.h"

const kf_sql kf_mail_sql[] = {
    {"kf_mail_enqueue",
     "INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html) "
     "VALUES (%s::uuid, %s, %s, %s, %s) RETURNING id"},
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
