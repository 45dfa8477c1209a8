/* A mail as its outbox row keeps it: see kf_mail.h (kf_mail_queued_of). */
#include "kf_mail.h"
#include "kf_text.h"

apr_status_t kf_mail_queued_of(apr_pool_t *p, const kf_keyring *keys, const char *tenant_id,
                               const char *booking_id, const char *to, const char *name,
                               kf_locale locale, const json_t *vars, const char *calendar,
                               const char *method, kf_mail_queued *q, const char **why)
{
    kf_mail_content mail;
    /* the recipient is not named: something that is not an address may not be recognised
     * when masked */
    apr_status_t rv = kf_mail_compose(p, tenant_id, to, name, locale, vars, &mail, why);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* the bodies and the invite travel as one sealed value in body_text (kf_mail.h);
     * calendar says only whether there is an invite ('' or NULL), as once sent */
    if (!kf_mail_seal_bodies(p, keys, &mail, calendar, &q->bodies)) {
        *why = "bodies could not be sealed";
        return APR_EGENERAL;
    }
    q->subject = mail.subject;
    q->invite = calendar ? "" : NULL;
    q->method = calendar ? method : NULL;
    q->booking = booking_id && kf_is_uuid(booking_id) ? booking_id : NULL;
    q->replies = kf_mail_replies_to_business(name) ? "true" : "false";
    return APR_SUCCESS;
}
