/* A booking's event in its professional's calendar: see kf_calendar_booking.h. */
#include "kf_calendar_booking.h"
#include "kf_text.h"
#include "kf_json.h"

#include <apr_strings.h>
#include <string.h>

/* A class's summary and description: its places taken of its capacity, its attendees. */
static void class_event(apr_pool_t *p, const kf_cal_booking *b, kf_cal_event *ev)
{
    json_t *c = kf_json_parse_object(p, b->class_json, strlen(b->class_json), NULL);
    json_t *names = json_object_get(c, "attendees");
    int capacity = (int)json_integer_value(json_object_get(c, "capacity"));
    int named = json_is_true(json_object_get(c, "names"));
    size_t taken = json_array_size(names);
    ev->summary = apr_psprintf(p, "%s \xE2\x80\x94 class, %d of %d places", b->service_name,
                               (int)taken, capacity);
    const char *text = apr_psprintf(p, "Booked through Konfirmado for %s.\n\nAttendees (%d of %d):",
                                    b->business_name, (int)taken, capacity);
    if (!named) {
        text = apr_pstrcat(p, text, " their names are not shared.", NULL);
    }
    for (size_t i = 0; named && i < taken; i++) {
        const char *name = json_string_value(json_array_get(names, i));
        text = apr_psprintf(p, "%s\n%d. %s", text, (int)i + 1, name && *name ? name : "\xE2\x80\x94");
    }
    ev->description = text;
}

kf_cal_event kf_calendar_booking_event(apr_pool_t *p, const kf_cal_booking *b)
{
    kf_cal_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.start = b->start;
    ev.end = b->end;
    ev.timezone = b->timezone;
    ev.reference = b->booking_id;
    if (b->class_json) {
        class_event(p, b, &ev);
        return ev;
    }
    ev.summary = apr_pstrcat(p, b->service_name, " \xE2\x80\x94 ", b->customer_name, NULL);
    ev.description = apr_pstrcat(p, "Booked through Konfirmado for ", b->business_name, ".", NULL);
    ev.customer_name = b->customer_name;
    ev.customer_email = b->customer_email;
    if (b->customer_attendee && b->customer_email) {
        ev.attendee_email = b->customer_email;
        ev.attendee_name = b->customer_name;
    }
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

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

kf_cal_event_facts kf_calendar_event_facts_of(const char *const *v)
{
    const char *lead = v[KF_CAL_EV_COL_CLASS_LEAD];
    kf_cal_event_facts f = {
        kf_text_true(v[KF_CAL_EV_COL_BOOKED]) && (!lead || kf_text_true(lead)),
        kf_text_true(v[KF_CAL_EV_COL_CALENDAR]),
        v[KF_CAL_EV_COL_PROFESSIONAL], seconds(v[KF_CAL_EV_COL_START]),
        seconds(v[KF_CAL_EV_COL_END]), v[KF_CAL_EV_COL_EVENT_ID],
        v[KF_CAL_EV_COL_WRITTEN_PROFESSIONAL], seconds(v[KF_CAL_EV_COL_WRITTEN_START]),
        seconds(v[KF_CAL_EV_COL_WRITTEN_END]), 0,   /* room_missing: the glue's (kf_location) */
        !same_text(v[KF_CAL_EV_COL_CLASS], v[KF_CAL_EV_COL_WRITTEN_CLASS]),
    };
    return f;
}

kf_cal_booking kf_calendar_booking_of(const char *booking_id, const char *const *v)
{
    kf_cal_booking b = {
        booking_id, v[KF_CAL_EV_COL_SERVICE], v[KF_CAL_EV_COL_BUSINESS], v[KF_CAL_EV_COL_CUSTOMER],
        v[KF_CAL_EV_COL_CUSTOMER_EMAIL], seconds(v[KF_CAL_EV_COL_START]),
        seconds(v[KF_CAL_EV_COL_END]), v[KF_CAL_EV_COL_TIMEZONE],
        kf_text_true(v[KF_CAL_EV_COL_ATTENDEE]), v[KF_CAL_EV_COL_CLASS],
    };
    return b;
}
