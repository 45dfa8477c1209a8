/* Paying again for a failed or expired booking. See kf_pay_again.h. */
#include "kf_pay_again.h"
#include "kf_reschedule.h"
#include "kf_text.h"

#include <string.h>

void kf_pay_again_decide(const char *const *booking, const char *const *hold, apr_int64_t now,
                         apr_int64_t payment_window, kf_pay_again_decision *d)
{
    int stored = kf_res_state_parse(booking[KF_PAY_AGAIN_COL_STATUS]);
    memset(d, 0, sizeof(*d));
    /* a state the machine does not know is taken as a hold's, which nothing pays again */
    d->stored = stored < 0 ? KF_RES_HELD : (kf_res_state)stored;
    d->from = kf_res_state_seen(d->stored,
                                kf_text_true(booking[KF_PAY_AGAIN_COL_DEADLINE_PASSED]));
    d->expire_first = d->from != d->stored;
    if (d->expire_first) {
        d->expire = kf_reservation_next(d->stored, KF_RES_EXPIRE, NULL);
    }
    kf_res_facts f = {0};
    f.slot_free = kf_reschedule_hold_fits(hold, booking[KF_PAY_AGAIN_COL_SERVICE],
                                          booking[KF_PAY_AGAIN_COL_TENANT]);
    f.money_taken = kf_text_true(booking[KF_PAY_AGAIN_COL_MONEY_TAKEN]);
    d->outcome = kf_reservation_next(d->from, KF_RES_PAY_AGAIN, &f);
    d->deadline = now + payment_window;
}
