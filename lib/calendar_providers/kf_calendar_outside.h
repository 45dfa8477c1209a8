/* A change made outside the gateway, in the professional's Cal.com: what its webhook says of
 * one booking, and what that does to a booking of ours written there. Cal.com is the
 * professional's own agenda, so a booking of ours they cancel there is cancelled here too
 * (by the merchant's side: no cutoff, the refund the tenant's policy gives), and one they
 * move there moves here (keeping its length; the new booking becomes its event). Our own calls
 * come back as webhooks as well: a change is acted on only while the booking's event is in
 * step (nothing of ours in flight), so an echo of our own delete or move does nothing.
 * Pure: no clock, no I/O.
 */
#ifndef KF_CALENDAR_OUTSIDE_H
#define KF_CALENDAR_OUTSIDE_H

#include <apr_pools.h>
#include <jansson.h>

#include "kf_calendar.h"

typedef enum {
    KF_CALCOM_CHANGE_OTHER = 0,     /* a trigger that changes no booking of ours */
    KF_CALCOM_CHANGE_CREATED,
    KF_CALCOM_CHANGE_RESCHEDULED,
    KF_CALCOM_CHANGE_CANCELLED
} kf_calcom_change_kind;

/* What a Cal.com webhook tells of one booking. */
typedef struct kf_calcom_change {
    kf_calcom_change_kind kind;
    const char *uid;               /* the booking's uid (NULL: none given) */
    const char *from_uid;          /* BOOKING_RESCHEDULED: the booking it replaces (rescheduleUid) */
    apr_int64_t start, end;        /* seconds; 0 when not given */
} kf_calcom_change;

/* Reads a webhook body ({"triggerEvent", "payload": {"uid", "startTime", "endTime",
 * "rescheduleUid"?...}}, PROVIDERS.md "Cal.com"). 0 when the body is not such an object. */
int kf_calendar_calcom_change(apr_pool_t *p, const char *body, apr_size_t len,
                              kf_calcom_change *out);

/* The uid of a booking of ours the change may concern: the cancelled booking's own, the one
 * a reschedule replaced; NULL for the other triggers. */
const char *kf_calendar_calcom_change_target(const kf_calcom_change *ch);

/* What our booking whose event the change names does. */
typedef enum {
    KF_CAL_OUTSIDE_NOTHING = 0,
    KF_CAL_OUTSIDE_CANCEL,         /* cancelled in the professional's calendar */
    KF_CAL_OUTSIDE_MOVE,           /* moved there: ours moves to the new start (same length)
                                      and its event is the new booking */
    KF_CAL_OUTSIDE_ADOPT           /* replaced there at the same time: only the event's id
                                      is the new booking's */
} kf_cal_outside_action;

/* The facts of our booking written as the target: booked (paid or confirmed), its event in
 * step (written for its professional at its time, no change of ours pending), its start. */
typedef struct kf_cal_outside_facts {
    int booked;
    int in_step;
    apr_int64_t start;
} kf_cal_outside_facts;

/* The row of our booking a change names (the glue's kf_cal_outside_booking), and its facts. */
enum {
    KF_CAL_OUTSIDE_COL_BOOKING, KF_CAL_OUTSIDE_COL_BOOKED, KF_CAL_OUTSIDE_COL_IN_STEP,
    KF_CAL_OUTSIDE_COL_START, KF_CAL_OUTSIDE_COLUMNS
};
kf_cal_outside_facts kf_calendar_outside_facts_of(const char *const *row);

kf_cal_outside_action kf_calendar_outside_action(const kf_calcom_change *ch,
                                                 const kf_cal_outside_facts *f);

/* ---- an event of ours changed in the professional's Google, Outlook or CalDAV calendar ----
 * There the calendar is not the booking: the booking is flagged for the merchant (moved
 * there, or deleted there), never moved or cancelled by itself; money may be involved. */

/* 1 when the provider's changes are found by reading our events again each time its busy
 * times are polled: it reads an event back but sends no notices (CalDAV); 0 when its
 * notices say when to read them (Google, Outlook) or it reads none back (Cal.com's
 * webhooks name the booking). */
int kf_calendar_outside_polled(const kf_calendar_provider *prov);

typedef enum {
    KF_CAL_CHANGED_NONE = 0,      /* as we wrote it */
    KF_CAL_CHANGED_DELETED,
    KF_CAL_CHANGED_MOVED,
    KF_CAL_CHANGED_UNKNOWN        /* the read failed: nothing is concluded */
} kf_cal_changed;

/* What reading our event (read_event ended in o, with its times now) says against what was
 * written. */
kf_cal_changed kf_calendar_event_changed(kf_cal_outcome o, apr_int64_t written_start,
                                         apr_int64_t written_end, apr_int64_t start,
                                         apr_int64_t end);

/* "deleted", "moved"; NULL for the others. */
const char *kf_calendar_changed_name(kf_cal_changed c);

/* The events of ours a check reads (the glue's kf_cal_outside_watch), and the flag each
 * carries already. */
enum {
    KF_CAL_WATCH_BOOKING, KF_CAL_WATCH_EVENT, KF_CAL_WATCH_CALENDAR, KF_CAL_WATCH_START,
    KF_CAL_WATCH_END, KF_CAL_WATCH_FLAG, KF_CAL_WATCH_FLAG_START, KF_CAL_WATCH_FLAG_END,
    KF_CAL_WATCH_COLUMNS
};
/* At most this many upcoming events are read per check (the nearest first). */
#define KF_CAL_WATCH_MAX 25

/* 1 when what was found (c, with start and end for a move) is not what the row's flag says:
 * the flag is set, changed, or cleared (the professional put the event back). UNKNOWN never
 * changes it. */
int kf_calendar_changed_news(const char *const *row, kf_cal_changed c, apr_int64_t start,
                             apr_int64_t end);

/* A booking's flag as the admin API shows it: its columns (kind, start, end, seen_at, the
 * times in RFC 3339) and {"kind", "start"?, "end"?, "seen_at"}, or JSON null without one. */
enum { KF_CAL_CHANGED_COL_KIND, KF_CAL_CHANGED_COL_START, KF_CAL_CHANGED_COL_END,
       KF_CAL_CHANGED_COL_SEEN, KF_CAL_CHANGED_COLUMNS };
json_t *kf_calendar_changed_json(const char *const *row);

#endif
