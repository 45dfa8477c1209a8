/* Making a booking of a live hold: see kf_booking_create.h. */
#include "kf_booking_create.h"
#include "kf_catalog_rules.h"

#include <string.h>

apr_status_t kf_booking_decide(const kf_booking_hold *hold, apr_int64_t now,
                               apr_int64_t payment_window, kf_booking_decision *d)
{
    memset(d, 0, sizeof(*d));
    if (hold->purchase_session) {
        /* paid already: nothing to collect, whatever the service charges */
        d->charge_type = kf_charge_type_name(KF_CHARGE_FREE);
    }
    else {
        kf_charge_type type = kf_charge_type_parse(hold->charge_type);
        d->amount = type == KF_CHARGE_INVALID
                        ? -1 : kf_charge_amount(type, hold->price, hold->deposit_percent);
        d->charge_type = hold->charge_type;
    }
    if (d->amount < 0) {
        return APR_EINVAL;
    }
    kf_res_facts facts = {0};
    facts.free_service = d->amount == 0;
    d->collect = !facts.free_service;
    d->outcome = kf_reservation_next(KF_RES_HELD, KF_RES_BOOK, &facts);
    d->deadline = kf_res_state_has_deadline(d->outcome.next) ? now + payment_window : 0;
    return APR_SUCCESS;
}

int kf_booking_terms_needed(int purchase_session)
{
    return !purchase_session;
}
