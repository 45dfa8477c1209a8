#ifndef KF_ICS_H
#define KF_ICS_H
/* iCalendar (RFC 5545) events of bookings, for the invites of the mails and
 * GET /api/public/bookings/{id}/calendar.ics: one VCALENDAR with one VEVENT, CRLF line
 * ends, lines folded at 75 octets without splitting a UTF-8 character, TEXT values
 * escaped, times in UTC. What Google Calendar and Outlook need to file an invite is there:
 * METHOD, ORGANIZER, ATTENDEE, a stable UID and a SEQUENCE that grows with each change. */
#include <apr_pools.h>
#include <apr_time.h>

typedef enum {
    KF_ICS_REQUEST = 0,   /* a new or changed booking (METHOD:REQUEST, STATUS:CONFIRMED) */
    KF_ICS_CANCEL,        /* a cancelled booking (METHOD:CANCEL, STATUS:CANCELLED) */
    KF_ICS_PUBLISH,       /* the calendar.ics download: no invitation semantics */
    KF_ICS_STORED         /* a calendar's own copy (CalDAV PUT): no METHOD (RFC 4791 4.1) */
} kf_ics_method;

typedef struct kf_ics_event {
    kf_ics_method method;
    const char *uid;              /* one per booking, forever: "<booking id>@<host>" */
    int sequence;                 /* 0 at creation, +1 with every change */
    apr_time_t start, end;        /* the appointment */
    apr_time_t stamp;             /* DTSTAMP: when this version was written */
    const char *summary;          /* e.g. "Consulta · Clínica Aurora" */
    const char *description;      /* may be NULL; several lines allowed */
    const char *location;         /* may be NULL */
    const char *url;              /* the manage page; may be NULL */
    const char *organizer_name;   /* the business */
    const char *organizer_email;  /* may be NULL: no ORGANIZER line */
    const char *attendee_name;    /* the customer */
    const char *attendee_email;   /* may be NULL: no ATTENDEE line */
} kf_ics_event;

/* The event as an iCalendar object, or NULL when uid, summary or the times are missing,
 * end <= start, or an address has a byte that could leave its line (CR, LF, control). */
const char *kf_ics_build(apr_pool_t *p, const kf_ics_event *ev);

/* An invite of several bookings (a series' occurrences, each its own UID): `calendar` with the
 * VEVENTs of `other` added before its end, in that order. NULL when either is no VCALENDAR. */
const char *kf_ics_merge(apr_pool_t *p, const char *calendar, const char *other);

/* A TEXT value escaped: backslash, ';' and ',' get a backslash, a line end (LF, CRLF or
 * CR) becomes "\n", other control bytes but TAB are dropped. NULL -> "". */
const char *kf_ics_escape_text(apr_pool_t *p, const char *s);

/* The inverse of kf_ics_escape_text ("\n" or "\N" -> LF); an unknown escape keeps the
 * character after the backslash. */
const char *kf_ics_unescape_text(apr_pool_t *p, const char *s);

/* One content line folded (RFC 5545 3.1): at most 75 octets per physical line, continued
 * with CRLF + one space, never inside a UTF-8 sequence; ends with CRLF. */
const char *kf_ics_fold(apr_pool_t *p, const char *line);

/* 20261201T150000Z */
const char *kf_ics_utc(apr_pool_t *p, apr_time_t t);

#endif
