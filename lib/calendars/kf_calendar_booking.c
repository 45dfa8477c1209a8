/* A booking's event in its professional's calendar: see kf_calendar_booking.h. */
#include "kf_calendar_booking.h"

#include <apr_strings.h>
#include <string.h>

kf_cal_event kf_calendar_booking_event(apr_pool_t *p, const kf_cal_booking *b)
{
    kf_cal_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.summary = apr_pstrcat(p, b->service_name, " \xE2\x80\x94 ", b->customer_name, NULL);
    ev.description = apr_pstrcat(p, "Booked through Konfirmado for ", b->business_name, ".", NULL);
    ev.start = b->start;
    ev.end = b->end;
    ev.timezone = b->timezone;
    ev.customer_name = b->customer_name;
    ev.customer_email = b->customer_email;
    if (b->customer_attendee && b->customer_email) {
        ev.attendee_email = b->customer_email;
        ev.attendee_name = b->customer_name;
    }
    ev.reference = b->booking_id;
    return ev;
}

int kf_calendar_event_retry_in(kf_cal_outcome o, int attempts)
{
    if (o != KF_CAL_RETRY || attempts >= KF_CALENDAR_EVENT_MAX_ATTEMPTS) {
        return -1;
    }
    return kf_calendar_retry_seconds(attempts);
}
