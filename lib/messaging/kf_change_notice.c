/* Change notices' words: see kf_change_notice.h. */
#include "kf_change_notice.h"
#include "kf_money.h"

#include <apr_strings.h>
#include <string.h>

const char *kf_cancelled_by_text(kf_locale locale, const char *by)
{
    int en = locale == KF_LOCALE_EN;
    if (!by) {
        return "";
    }
    if (strcmp(by, "merchant") == 0) {
        return en ? "the business" : "el negocio";
    }
    if (strcmp(by, "customer") == 0) {
        return en ? "the customer" : "el cliente";
    }
    return "";
}

const char *kf_refund_state_text(kf_locale locale, const char *status)
{
    int en = locale == KF_LOCALE_EN;
    if (!status) {
        return "";
    }
    if (strcmp(status, "succeeded") == 0) {
        return en ? "returned" : "devuelto";
    }
    if (strcmp(status, "manual") == 0) {
        return en ? "the business returns it to you directly" : "el negocio te lo devuelve directamente";
    }
    return en ? "on its way back" : "en trámite";
}

const char *kf_refund_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                           const char *currency, const char *status)
{
    if (amount <= 0 || !status || !currency) {
        return NULL;
    }
    return apr_pstrcat(p, kf_money_text(p, locale, amount, currency), " (",
                       kf_refund_state_text(locale, status), ")", NULL);
}

kf_cancel_lines kf_cancel_notice_lines(apr_pool_t *p, kf_locale locale, const char *by,
                                       const char *reason, apr_int64_t refund_amount,
                                       const char *currency, const char *refund_status,
                                       const char *book_again_url)
{
    int en = locale == KF_LOCALE_EN;
    kf_cancel_lines l = {"", "", "", ""};
    const char *who = kf_cancelled_by_text(locale, by);
    if (*who) {
        l.by = apr_pstrcat(p, en ? "Cancelled by: " : "Cancelada por: ", who, "\n", NULL);
    }
    if (reason && *reason) {
        l.reason = apr_pstrcat(p, en ? "Reason: " : "Motivo: ", reason, "\n", NULL);
    }
    const char *refund = kf_refund_text(p, locale, refund_amount, currency, refund_status);
    if (refund) {
        l.refund = apr_pstrcat(p, en ? "Refund: " : "Devolución: ", refund, "\n", NULL);
    }
    if (book_again_url && *book_again_url) {
        l.book_again = apr_pstrcat(p, en ? "Book again: " : "Reserva de nuevo: ", book_again_url,
                                   "\n", NULL);
    }
    return l;
}

const char *kf_rescheduled_text(apr_pool_t *p, kf_locale locale, const char *business,
                                const char *service, const char *professional,
                                const char *before, const char *now, const char *link)
{
    int en = locale == KF_LOCALE_EN;
    const char *text = apr_psprintf(p, en ? "%s: your %s with %s moved from %s to %s."
                                          : "%s: tu %s con %s pasó de %s a %s.",
                                    business, service, professional, before, now);
    if (link && *link) {
        text = apr_pstrcat(p, text, en ? " Your booking: " : " Tu reserva: ", link, NULL);
    }
    return text;
}

const char *kf_cancelled_text(apr_pool_t *p, kf_locale locale, const char *business,
                              const char *service, const char *professional, const char *when,
                              const char *by, const char *reason, const char *refund,
                              const char *book_again_url)
{
    int en = locale == KF_LOCALE_EN;
    const char *who = kf_cancelled_by_text(locale, by);
    const char *text = apr_psprintf(p, en ? "%s: your %s with %s, %s, was cancelled"
                                          : "%s: tu %s con %s, %s, fue cancelada",
                                    business, service, professional, when);
    if (*who) {
        text = apr_pstrcat(p, text, en ? " by " : " por ", who, NULL);
    }
    if (reason && *reason) {
        text = apr_pstrcat(p, text, " (", reason, ")", NULL);
    }
    text = apr_pstrcat(p, text, ".", NULL);
    if (refund && *refund) {
        text = apr_pstrcat(p, text, en ? " Refund: " : " Devolución: ", refund, ".", NULL);
    }
    if (book_again_url && *book_again_url) {
        text = apr_pstrcat(p, text, en ? " Book again: " : " Reserva de nuevo: ", book_again_url, NULL);
    }
    return text;
}
