/* The inside of a mail transport, shared by its implementations (kf_mail_transport.c,
 * kf_mail_smtp_transport.c, kf_mail_resend.c, kf_mail_maildir.c) and their registry
 * (kf_mail_transports.c), and by no one else. */
#ifndef KF_MAIL_TRANSPORT_IMPL_H
#define KF_MAIL_TRANSPORT_IMPL_H

#include "kf_mail_transport.h"

struct kf_mail_transport {
    const char *name;                /* its kind's */
    kf_mail_result (*send)(const kf_mail_transport *t, apr_pool_t *p, const kf_mail_outgoing *m);
    const kf_smtp_server *smtp;      /* smtp */
    kf_smtp_session *smtp_session;   /* smtp: its connection, kept while the transport lives */
    kf_http_client *http;            /* resend */
    const char *base_url, *api_key;  /* resend */
    const char *dir, *host;          /* maildir */
};

/* The kinds, each defined beside its transport, listed in kf_mail_transports.c. */
extern const kf_mail_transport_kind kf_mail_via_smtp;
extern const kf_mail_transport_kind kf_mail_via_resend;
extern const kf_mail_transport_kind kf_mail_via_maildir;

#endif
