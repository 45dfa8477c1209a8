/* CalDAV (RFC 4791) as the calendar provider of kf_calendar_caldav.c speaks it: the bodies of
 * its PROPFIND and REPORT requests, the multistatus answers read with libxml2, and the
 * iCalendar objects of a calendar read into busy times or an event's times. A date alone (an
 * all-day event) and a floating time are the wall clock of the zone the caller names (the
 * collection's, else the professional's: RFC 4791 5.2.2). Pure: no I/O but the zone files
 * named times are resolved with; results live in the caller's pool.
 */
#ifndef KF_CALDAV_H
#define KF_CALDAV_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "kf_fields.h"
#include "kf_url.h"

/* What connecting takes: the server's https URL (the calendar collection, or any URL of the
 * account from which the calendar is discovered), the user name and an app password. */
#define KF_CALDAV_URL_MAX 500
#define KF_CALDAV_USER_MAX 254
#define KF_CALDAV_PASSWORD_MAX 200

void kf_caldav_form(kf_fields *f, const json_t *body, kf_url_policy policy, const char **url,
                    const char **user, const char **password);

/* Request bodies. */
/* resourcetype, components, privileges, principal, home, displayname and zone */
const char *kf_caldav_propfind_body(void);
/* calendar-query: the VEVENTs overlapping [from, to), calendar-data expanded where the
 * server can. */
const char *kf_caldav_query_body(apr_pool_t *p, apr_int64_t from, apr_int64_t to);

/* What a PROPFIND's multistatus says of its resources. */
typedef struct kf_caldav_resource {
    const char *href;              /* as answered (a path, usually) */
    int calendar;                  /* resourcetype has C:calendar */
    int events;                    /* it takes VEVENT (no component set named: it does) */
    int writable;                  /* the user may write it (no privilege set named: may) */
    const char *principal;         /* current-user-principal href, or NULL */
    const char *home;              /* calendar-home-set href, or NULL */
    const char *name;              /* displayname, or NULL */
    const char *timezone;          /* calendar-timezone-id, else the TZID of calendar-timezone's
                                      VTIMEZONE, or NULL */
} kf_caldav_resource;

/* Appends to out (kf_caldav_resource) each response of a multistatus with a 2xx propstat.
 * 0 when the body is not a DAV multistatus. */
int kf_caldav_read_propfind(apr_pool_t *p, const char *body, apr_size_t len,
                            apr_array_header_t *out);

/* Appends to out (const char *) the calendar-data of each response of a REPORT's
 * multistatus. 0 when the body is not a DAV multistatus. */
int kf_caldav_read_report(apr_pool_t *p, const char *body, apr_size_t len,
                          apr_array_header_t *out);

/* Appends to out (kf_cal_busy) what an iCalendar object makes busy in [from, to): each
 * VEVENT's [DTSTART, DTEND) (or DTSTART + DURATION; a date alone is its whole day),
 * unless TRANSP:TRANSPARENT or STATUS:CANCELLED. A recurring event (RRULE) the server did
 * not expand counts each occurrence of a plain DAILY or WEEKLY rule (INTERVAL, COUNT, UNTIL)
 * and, for any other rule, the whole window from its first start (never a slot that may be
 * taken). Dates, floating times and times in a zone not known here are the wall clock of
 * `zone` (NULL or unknown: UTC). 0 when the text is not an iCalendar object. */
int kf_caldav_read_ics(apr_pool_t *p, const char *ics, apr_int64_t from, apr_int64_t to,
                       const char *zone_dir, const char *zone, apr_array_header_t *out);

/* The times of an object's first VEVENT, resolved as kf_caldav_read_ics does; *cancelled
 * when it says STATUS:CANCELLED. 0 when the text is not an iCalendar object with an event
 * that has a start. */
int kf_caldav_event_times(apr_pool_t *p, const char *ics, const char *zone_dir, const char *zone,
                          apr_int64_t *start, apr_int64_t *end, int *cancelled);

/* The SEQUENCE of the first VEVENT of an object (0 when none). */
int kf_caldav_ics_sequence(const char *ics);

/* A relative href (as a PROPFIND answers) on the server of base_url; an absolute one as is. */
const char *kf_caldav_resolve(apr_pool_t *p, const char *base_url, const char *href);

/* 1 when two URLs name one collection: the same origin (its case aside) and path (a trailing
 * slash aside). */
int kf_caldav_same_collection(const char *a, const char *b);

/* What a collection is called in the list of calendars: its displayname when it has a
 * sensible one (1 to KF_CALDAV_NAME_MAX characters of UTF-8), else the last part of its
 * path. */
#define KF_CALDAV_NAME_MAX 200
const char *kf_caldav_collection_name(apr_pool_t *p, const char *displayname, const char *url);

/* The name of a booking's event resource in the collection: "<booking id>.ics". */
const char *kf_caldav_event_name(apr_pool_t *p, const char *reference);

#endif
