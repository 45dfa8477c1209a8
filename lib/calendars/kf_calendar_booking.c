/* A booking's event in its professional's calendar: see kf_calendar_booking.h. */
#include "kf_calendar_booking.h"
#include "kf_text.h"

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

static apr_int64_t seconds(const char *text)
{
    return text ? apr_atoi64(text) : 0;
}

kf_cal_event_facts kf_calendar_event_facts_of(const char *const *v)
{
    kf_cal_event_facts f = {
        kf_text_true(v[KF_CAL_EV_COL_BOOKED]), kf_text_true(v[KF_CAL_EV_COL_CALENDAR]),
        v[KF_CAL_EV_COL_PROFESSIONAL], seconds(v[KF_CAL_EV_COL_START]),
        seconds(v[KF_CAL_EV_COL_END]), v[KF_CAL_EV_COL_EVENT_ID],
        v[KF_CAL_EV_COL_WRITTEN_PROFESSIONAL], seconds(v[KF_CAL_EV_COL_WRITTEN_START]),
        seconds(v[KF_CAL_EV_COL_WRITTEN_END]), 0,   /* room_missing: the glue's (kf_location) */
    };
    return f;
}

kf_cal_booking kf_calendar_booking_of(const char *booking_id, const char *const *v)
{
    kf_cal_booking b = {
        booking_id, v[KF_CAL_EV_COL_SERVICE], v[KF_CAL_EV_COL_BUSINESS], v[KF_CAL_EV_COL_CUSTOMER],
        v[KF_CAL_EV_COL_CUSTOMER_EMAIL], seconds(v[KF_CAL_EV_COL_START]),
        seconds(v[KF_CAL_EV_COL_END]), v[KF_CAL_EV_COL_TIMEZONE],
        kf_text_true(v[KF_CAL_EV_COL_ATTENDEE]),
    };
    return b;
}
