/* What a failed mail's fault does, and how each transport's answer is read as one:
 * kf_mail_fault.h. */
#include "kf_mail_fault.h"
#include "kf_mail.h"

#include <string.h>

kf_mail_verdict kf_mail_fault_verdict(kf_mail_fault fault)
{
    switch (fault) {
    case KF_MAIL_FAULT_NONE:
        return KF_MAIL_SENT;
    case KF_MAIL_FAULT_RECIPIENT:
    case KF_MAIL_FAULT_UNSENDABLE:
        return KF_MAIL_REFUSED;
    case KF_MAIL_FAULT_SENDER:
    case KF_MAIL_FAULT_UNREACHABLE:
        return KF_MAIL_HOLD;
    default:
        return KF_MAIL_RETRY;
    }
}

const char *kf_mail_fault_name(kf_mail_fault fault)
{
    static const char *const names[KF_MAIL_FAULTS] = {
        NULL, "recipient", "unsendable", "sender", "busy", "unreachable",
    };
    return (int)fault >= 0 && fault < KF_MAIL_FAULTS ? names[fault] : NULL;
}

kf_mail_fault kf_mail_fault_of_smtp(apr_status_t send_status)
{
    if (send_status == APR_SUCCESS) {
        return KF_MAIL_FAULT_NONE;
    }
    if (send_status == KF_MAIL_ERECIPIENT) {
        return KF_MAIL_FAULT_RECIPIENT;
    }
    if (send_status == KF_MAIL_EREFUSED || send_status == APR_EINVAL) {
        return KF_MAIL_FAULT_SENDER;
    }
    return kf_mail_server_unreachable(send_status) ? KF_MAIL_FAULT_UNREACHABLE
                                                   : KF_MAIL_FAULT_BUSY;
}

kf_mail_fault kf_mail_fault_of_resend(int status, const char *name, const char *message)
{
    if (status >= 200 && status <= 299) {
        return KF_MAIL_FAULT_NONE;
    }
    if (status == 429 || status >= 500 ||
        (status == 409 && name && strcmp(name, "concurrent_idempotent_requests") == 0)) {
        return KF_MAIL_FAULT_BUSY;
    }
    if ((status == 400 || status == 422) && message && strstr(message, "`to`")) {
        return KF_MAIL_FAULT_RECIPIENT;
    }
    return status >= 400 ? KF_MAIL_FAULT_SENDER : KF_MAIL_FAULT_BUSY;
}
