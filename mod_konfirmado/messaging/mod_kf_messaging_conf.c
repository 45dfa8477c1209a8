/* The messaging feature's directives: their unset values, merge rule and startup check. */
#include "mod_kf_messaging_conf.h"
#include "kf_mail.h"
#include "kf_mail_transport.h"

#include <string.h>

/* KonfirmadoMailFrom must be a mailbox the mails can carry; a transport that needs a key
 * (Resend) has it. */
static int check_mail(server_rec *s, const void *conf, apr_pool_t *ptemp)
{
    const char *mail_from = kfm_messaging_conf_mail_from(conf), *mail_addr;
    if (mail_from && kf_mail_parse_mailbox(ptemp, mail_from, NULL, &mail_addr) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: KonfirmadoMailFrom '%s' is "
                     "not a mailbox such as \"Konfirmado <no-reply@example.com>\"", mail_from);
        return !OK;
    }
    const kf_mail_transport_kind *kind =
        kf_mail_transport_find(kfm_messaging_conf_mail_transport(conf).kind);
    if (kind && kind->needs_key && !kfm_messaging_conf_resend_key(conf)) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: KonfirmadoMailTransport "
                     "%s needs KonfirmadoResendKeyFile (the file holding the API key)",
                     kind->name);
        return !OK;
    }
    return OK;
}

KFM_CONF_DEFINE(kfm_messaging_conf, KFM_MESSAGING_DIRECTIVES, "messaging", check_mail);
