/* A merchant's refund request: see kf_refund_request.h. */
#include "kf_refund_request.h"

#include <string.h>

static int is(const char *v, const char *what)
{
    return v && strcmp(v, what) == 0;
}

kf_refund_verdict kf_refund_decide(const kf_refund_facts *f, int manual, apr_int64_t asked,
                                   apr_int64_t *amount)
{
    *amount = 0;
    if (!f->paid) {
        return KF_REFUND_NOT_NEEDED;
    }
    int done = f->refunded || is(f->status, "succeeded");
    if (done || (is(f->status, "pending") && !manual)) {
        return KF_REFUND_ASKED_BEFORE;
    }
    if (!f->flagged) {
        return KF_REFUND_NOT_NEEDED;
    }
    /* by default a second approval gives back the extra; anything else all that was taken */
    int second = is(f->flag_reason, "second_approval");
    apr_int64_t want = asked ? asked
                       : f->requested ? f->requested
                       : second && f->taken > f->amount ? f->taken - f->amount
                       : f->taken;
    if (want < 1 || want > f->taken - f->given) {
        return KF_REFUND_BAD_AMOUNT;
    }
    *amount = want;
    return KF_REFUND_ASK;
}
