/* A booking's event in its professional's calendar: what it says, and when a write that
 * failed is tried again or given up. Pure.
 */
#ifndef KF_CALENDAR_BOOKING_H
#define KF_CALENDAR_BOOKING_H

#include <apr_pools.h>

#include "kf_calendar.h"

/* A create, move or delete is given up after this many failed attempts (about a day). */
#define KF_CALENDAR_EVENT_MAX_ATTEMPTS 30

/* What the event is made of. */
typedef struct kf_cal_booking {
    const char *booking_id;
    const char *service_name;
    const char *business_name;
    const char *customer_name;
    const char *customer_email;    /* may be NULL */
    apr_int64_t start, end;        /* seconds */
    const char *timezone;          /* the professional's */
    int customer_attendee;         /* the tenant invites its customers to the event */
    /* a group class's one event (written by its lead booking: KF_CAL_EV_COL_CLASS_LEAD):
     * {"capacity": N, "names": bool, "attendees": [name, ...]} (its booked seats in seat
     * order; names: whether the event may name them), NULL for a one-to-one booking */
    const char *class_json;
} kf_cal_booking;

/* "service — customer", "Booked through Konfirmado for <business>.", the booking's times
 * in the professional's zone, the customer invited only when the tenant wants it (and there
 * is an address), the booking id as the event's reference. A class's event instead says
 * "service — class, n of N places" and lists its attendees, by name only when the service
 * allows it (else it counts them), and invites no customer: they would see each other. */
kf_cal_event kf_calendar_booking_event(apr_pool_t *p, const kf_cal_booking *b);

/* Columns of the statement that reads a booking's event (the glue's kf_cal_event_facts). */
enum {
    KF_CAL_EV_COL_BOOKED, KF_CAL_EV_COL_PROFESSIONAL, KF_CAL_EV_COL_START, KF_CAL_EV_COL_END,
    KF_CAL_EV_COL_TIMEZONE, KF_CAL_EV_COL_SERVICE, KF_CAL_EV_COL_CUSTOMER,
    KF_CAL_EV_COL_CUSTOMER_EMAIL, KF_CAL_EV_COL_ATTENDEE, KF_CAL_EV_COL_BUSINESS,
    KF_CAL_EV_COL_EVENT_ID, KF_CAL_EV_COL_WRITTEN_PROFESSIONAL, KF_CAL_EV_COL_WRITTEN_START,
    KF_CAL_EV_COL_WRITTEN_END, KF_CAL_EV_COL_CALENDAR,
    /* the booking's place (kf_location_source's fields) and its calendar's provider: whether
     * the event carries a meeting room (kf_calendar_room_wanted) */
    KF_CAL_EV_COL_LOCATION_TYPE, KF_CAL_EV_COL_LOCATION_VALUE, KF_CAL_EV_COL_LOCATION_PROVIDER,
    KF_CAL_EV_COL_PRO_VIDEO_URL, KF_CAL_EV_COL_PRO_VIDEO_PROVIDER, KF_CAL_EV_COL_MEETING_URL,
    KF_CAL_EV_COL_CALENDAR_PROVIDER,
    KF_CAL_EV_COL_WRITTEN_CALENDAR,   /* the calendar the event is in (NULL: the connection's) */
    /* a seat of a class: "t" when this booking writes the class's event (the booked seat
     * with the lowest number), "f" when another does; NULL: not a seat */
    KF_CAL_EV_COL_CLASS_LEAD,
    KF_CAL_EV_COL_CLASS,              /* the class as kf_cal_booking.class_json, or NULL */
    KF_CAL_EV_COL_WRITTEN_CLASS,      /* the class as the written event said it */
    KF_CAL_EV_COLUMNS
};

/* Such a row as what decides the event's action (kf_calendar_event_action), and as the
 * booking the event tells of. A seat that is not its class's lead wants no event of its
 * own (booked 0); the lead's is written again when its class changed. */
kf_cal_event_facts kf_calendar_event_facts_of(const char *const *row);
kf_cal_booking kf_calendar_booking_of(const char *booking_id, const char *const *row);

/* Seconds before the next attempt after a failed one (the `attempts`-th) that ended in `o`,
 * or -1 when the event is given up: only RETRY outcomes are tried again, at most
 * KF_CALENDAR_EVENT_MAX_ATTEMPTS times. */
int kf_calendar_event_retry_in(kf_cal_outcome o, int attempts);

#endif
