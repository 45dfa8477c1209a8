/* SMTP as a transport (kf_mail_transport.h): each mail handed to KonfirmadoMailURL's server
 * in one session for the transport's life (its connection kept from mail to mail), and what
 * the kind is to the server's settings. */
#include "kf_mail_transport.h"
#include "kf_mail_transport_impl.h"

#include <apr_strings.h>

static kf_mail_result smtp_send(const kf_mail_transport *t, apr_pool_t *p,
                                const kf_mail_outgoing *m)
{
    const char *why = NULL;
    apr_status_t rv = t->smtp_session
                          ? kf_mail_send_in(t->smtp_session, p, m->envelope_from, m->msg->to,
                                            m->built, &why)
                          : kf_mail_send(p, t->smtp, m->envelope_from, m->msg->to, m->built, &why);
    kf_mail_result r = {kf_mail_fault_of_smtp(rv), rv == APR_SUCCESS ? NULL : why, NULL, 0};
    return r;
}

kf_mail_transport *kf_mail_transport_smtp(apr_pool_t *p, const kf_smtp_server *server)
{
    kf_mail_transport *t = apr_pcalloc(p, sizeof(*t));
    t->name = kf_mail_via_smtp.name;
    t->send = smtp_send;
    t->smtp = server;
    t->smtp_session = kf_smtp_session_open(p, server);   /* NULL: a handle per mail */
    return t;
}

static kf_mail_transport *smtp_open(apr_pool_t *p, const kf_mail_transport_setup *setup)
{
    return kf_mail_transport_smtp(p, setup->smtp);
}

const kf_mail_transport_kind kf_mail_via_smtp = {
    .name = "smtp",
    .needs_server = 1,
    .sends = 1,
    .open = smtp_open,
};
