/* The registry of mail transports: one line each. A kind is its description beside its
 * transport (kf_mail_via_<name>) and its line here; every list of transports elsewhere
 * (what KonfirmadoMailTransport accepts and says it takes, the KonfirmadoProviderURL names)
 * is read from this one. The first is the directive's default. */
#include "kf_mail_transport.h"
#include "kf_mail_transport_impl.h"

#define KF_MAIL_TRANSPORTS(X) \
    X(smtp)                   \
    X(resend)                 \
    X(maildir)

#define LIST(name) &kf_mail_via_##name,

const kf_mail_transport_kind *const kf_mail_transports[] = {
    KF_MAIL_TRANSPORTS(LIST) NULL,
};
