/* CalDAV (RFC 4791) as the calendar provider of kf_calendar_caldav.c speaks it: the bodies of
 * its PROPFIND and REPORT requests, the multistatus answers read with libxml2, and the
 * iCalendar objects of a calendar read into busy times (VEVENT) or free-busy periods
 * (VFREEBUSY). Pure: no I/O but the zone files named times are resolved with; results live
 * in the caller's pool.
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
const char *kf_caldav_propfind_body(void);    /* resourcetype, components, principal, home */
/* free-busy-query / calendar-query (VEVENT overlapping [from, to), calendar-data expanded
 * where the server can) over [from, to). */
const char *kf_caldav_freebusy_body(apr_pool_t *p, apr_int64_t from, apr_int64_t to);
const char *kf_caldav_query_body(apr_pool_t *p, apr_int64_t from, apr_int64_t to);

/* What a PROPFIND's multistatus says of its resources. */
typedef struct kf_caldav_resource {
    const char *href;              /* as answered (a path, usually) */
    int calendar;                  /* resourcetype has C:calendar */
    int events;                    /* it takes VEVENT (no component set named: it does) */
    int writable;                  /* the user may write it (no privilege set named: may) */
    const char *principal;         /* current-user-principal href, or NULL */
    const char *home;              /* calendar-home-set href, or NULL */
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
 * VEVENT's [DTSTART, DTEND) (or DTSTART + DURATION; a date alone is its whole day in UTC),
 * unless TRANSP:TRANSPARENT or STATUS:CANCELLED, and each busy FREEBUSY period of a
 * VFREEBUSY (FBTYPE FREE is not). A recurring event (RRULE) the server did not expand counts
 * each occurrence of a plain DAILY or WEEKLY rule (INTERVAL, COUNT, UNTIL) and, for any other
 * rule, the whole window from its first start (never a slot that may be taken). 0 when the
 * text is not an iCalendar object. */
int kf_caldav_read_ics(apr_pool_t *p, const char *ics, apr_int64_t from, apr_int64_t to,
                       const char *zone_dir, apr_array_header_t *out);

/* The SEQUENCE of the first VEVENT of an object (0 when none). */
int kf_caldav_ics_sequence(const char *ics);

/* A relative href (as a PROPFIND answers) on the server of base_url; an absolute one as is. */
const char *kf_caldav_resolve(apr_pool_t *p, const char *base_url, const char *href);

/* The name of a booking's event resource in the collection: "<booking id>.ics". */
const char *kf_caldav_event_name(apr_pool_t *p, const char *reference);

#endif
