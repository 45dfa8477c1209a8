#ifndef KF_CHANGE_NOTICE_H
#define KF_CHANGE_NOTICE_H
/* What a change notice tells a person (API.md "After booking"): who cancelled, why, what
 * goes back and where to book again; the time before a move beside the new one. Mails and
 * texts say the same words, from here. Results in the caller's pool. */
#include <apr_pools.h>
#include "kf_i18n.h"

/* Who cancelled: "customer" | "merchant" -> "el cliente" / "the business" ... ("" unknown). */
const char *kf_cancelled_by_text(kf_locale locale, const char *by);

/* What a refund's state means to the customer: "pending" -> "en trámite" / "on its way",
 * "succeeded" -> "devuelto" / "returned", "manual" -> the business returns it directly. */
const char *kf_refund_state_text(kf_locale locale, const char *status);

/* "COP 120.000 (en trámite)": the amount in the currency's decimals and its state; NULL
 * when nothing goes back (amount <= 0 or no status). */
const char *kf_refund_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                           const char *currency, const char *status);

/* The lines of a cancellation notice, each ending with "\n" (empty when it has nothing to
 * say): who, the reason, the refund, the booking link to book again. */
typedef struct kf_cancel_lines {
    const char *by;
    const char *reason;
    const char *refund;
    const char *book_again;
} kf_cancel_lines;

kf_cancel_lines kf_cancel_notice_lines(apr_pool_t *p, kf_locale locale, const char *by,
                                       const char *reason, apr_int64_t refund_amount,
                                       const char *currency, const char *refund_status,
                                       const char *book_again_url);

/* One-line texts (SMS / WhatsApp) of a change, with the times already in the customer's
 * words and zone. A move: the time before and the new one, and the booking's page. A
 * cancellation: who, the reason, the refund and where to book again (each when known). */
const char *kf_rescheduled_text(apr_pool_t *p, kf_locale locale, const char *business,
                                const char *service, const char *professional,
                                const char *before, const char *now, const char *link);
const char *kf_cancelled_text(apr_pool_t *p, kf_locale locale, const char *business,
                              const char *service, const char *professional, const char *when,
                              const char *by, const char *reason, const char *refund,
                              const char *book_again_url);

#endif
