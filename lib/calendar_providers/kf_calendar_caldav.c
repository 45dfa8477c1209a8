/* CalDAV (RFC 4791): iCloud, Fastmail, Nextcloud, Zoho, Radicale... connected with the
 * calendar collection's URL, a user name and an app password (HTTP Basic). The account's
 * calendars are the collections of its calendar home that take events, the connection's own
 * collection the primary one. Busy times come from a calendar-query time-range REPORT of the
 * events of each collection that blocks, read here so that an all-day event (and a floating
 * time) is the day of the collection's zone, else of the professional's; a booking's event is
 * the same iCalendar object the mails carry (without METHOD), PUT at <collection>/<booking
 * id>.ics: created with If-None-Match: *, changed with If-Match on the ETag read just before
 * and SEQUENCE one past the stored one, DELETEd on cancel, and read back (GET) for the changes
 * the professional made to it. No change channel: busy times and our events are polled. */
#include "kf_calendar_providers.h"
#include "kf_caldav.h"
#include "kf_http_api.h"
#include "kf_ics.h"
#include "kf_zone.h"

#include <apr_strings.h>
#include <string.h>

/* A date's day in a zone begins up to 14 hours away from that date in UTC, which is how a
 * server matches a date against a time range: the range asked reaches a day further on
 * each side, and what is read is cut to the window. */
#define ALL_DAY_REACH 86400
/* The calendar ids kept (calendar_choices, calendar_connections.calendar_url) */
#define COLLECTION_URL_MAX 2048

static kf_calendar_endpoints caldav_endpoints(void)
{
    kf_calendar_endpoints ep = {NULL, NULL, NULL};   /* each connection names its server */
    return ep;
}

/* A collection URL that ends with '/' (hrefs of its members are relative to it). */
static const char *collection_of(apr_pool_t *p, const char *url)
{
    apr_size_t len = strlen(url);
    return len && url[len - 1] == '/' ? url : apr_pstrcat(p, url, "/", NULL);
}

static const char *collection(apr_pool_t *p, const kf_calendar_grant *g)
{
    return collection_of(p, g->calendar_id);
}

/* The zone of collection `url`'s dates: its own, as the choices keep it, else the
 * professional's (NULL: UTC). */
static const char *zone_of(const kf_calendar_grant *g, const char *url)
{
    for (int i = 0; g->blocking && i < g->blocking->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(g->blocking, i, kf_cal_calendar);
        if (c->timezone && kf_caldav_same_collection(c->id, url)) {
            return c->timezone;
        }
    }
    return g->timezone;
}

/* One exchange with the server, as the connection's user. An answer refused for the
 * credentials (401; 403 to a read) is REVOKED: an app password has no refresh. */
static kf_cal_outcome dav_call(apr_pool_t *p, kf_http_client *http, const kf_calendar_grant *g,
                               const char *method, const char *url, const char *depth,
                               const char *content_type, const char *body,
                               const char *condition, const char *etag,
                               kf_http_response **resp, const char **why)
{
    kf_http_request *req = kf_http_request_make(p, method, url);
    kf_http_request_set_basic_auth(p, req, g->user, g->access_token);
    if (depth) {
        apr_table_setn(req->headers, "Depth", depth);
    }
    if (condition) {
        apr_table_setn(req->headers, condition, etag);
    }
    if (body) {
        kf_http_request_set_body(req, content_type, body);
    }
    const char *transport = NULL;
    *resp = NULL;
    *why = NULL;
    if (kf_http_perform(http, p, req, resp, &transport) != APR_SUCCESS) {
        *why = transport ? transport : "the CalDAV server could not be reached";
        return KF_CAL_RETRY;
    }
    int status = (*resp)->status;
    int reading = strcmp(method, "PROPFIND") == 0 || strcmp(method, "REPORT") == 0;
    if (status == 401 || (status == 403 && reading)) {
        *why = apr_psprintf(p, "HTTP %d: the CalDAV server refused the user name or password",
                            status);
        return KF_CAL_REVOKED;
    }
    if (status == 403) {
        /* read, but not written: the calendar's permissions, not the password */
        *why = "HTTP 403: the CalDAV server does not let this user change the calendar";
        return KF_CAL_FAILED;
    }
    kf_cal_outcome o = kf_calendar_status_outcome(status);
    if (o != KF_CAL_OK) {
        *why = apr_psprintf(p, "HTTP %d from the CalDAV server", status);
    }
    return o;
}

static const char *XML = "application/xml; charset=utf-8";

/* What a PROPFIND (depth 0 or 1) of url says; OK with *res the resources answered. */
static kf_cal_outcome propfind(apr_pool_t *p, kf_http_client *http, const kf_calendar_grant *g,
                               const char *url, const char *depth, apr_array_header_t **res,
                               const char **why)
{
    kf_http_response *resp = NULL;
    kf_cal_outcome o = dav_call(p, http, g, "PROPFIND", url, depth, XML,
                                kf_caldav_propfind_body(), NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    *res = apr_array_make(p, 4, sizeof(kf_caldav_resource));
    if (resp->status != 207 || !kf_caldav_read_propfind(p, resp->body, resp->body_len, *res)) {
        *why = "the server did not answer as a CalDAV server (no multistatus)";
        return KF_CAL_FAILED;
    }
    return KF_CAL_OK;
}

kf_cal_outcome kf_calendar_caldav_discover(apr_pool_t *p, kf_http_client *http,
                                           const kf_calendar_grant *g, const char **calendar,
                                           const char **why)
{
    const char *url = g->calendar_id;
    apr_array_header_t *res = NULL;
    *calendar = NULL;
    /* the collection itself, or the principal, or the calendar home: at most three steps */
    for (int step = 0; step < 3; step++) {
        kf_cal_outcome o = propfind(p, http, g, url, "0", &res, why);
        if (o != KF_CAL_OK) {
            return o;
        }
        const kf_caldav_resource *r = res->nelts ? (const kf_caldav_resource *)res->elts : NULL;
        if (!r) {
            break;
        }
        if (r->calendar && r->events && r->writable) {
            *calendar = url;
            return KF_CAL_OK;
        }
        if (r->home) {
            /* the home's calendars: the first that takes events */
            const char *home = kf_caldav_resolve(p, url, r->home);
            o = propfind(p, http, g, home, "1", &res, why);
            if (o != KF_CAL_OK) {
                return o;
            }
            const kf_caldav_resource *c = (const kf_caldav_resource *)res->elts;
            for (int i = 0; i < res->nelts; i++) {
                if (c[i].calendar && c[i].events && c[i].writable) {
                    *calendar = kf_caldav_resolve(p, home, c[i].href);
                    return KF_CAL_OK;
                }
            }
            break;
        }
        if (!r->principal) {
            break;
        }
        const char *next = kf_caldav_resolve(p, url, r->principal);
        if (strcmp(next, url) == 0) {
            break;
        }
        url = next;
    }
    *why = "no calendar that takes events and may be written was found at that address";
    return KF_CAL_FAILED;
}

static kf_cal_outcome caldav_account(apr_pool_t *p, kf_http_client *http,
                                     const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                     const char **account, const char **why)
{
    (void)ep;
    const char *calendar = NULL;
    *account = NULL;
    kf_cal_outcome o = kf_calendar_caldav_discover(p, http, g, &calendar, why);
    if (o == KF_CAL_OK) {
        *account = g->user;
    }
    return o;
}

/* The busy times of one collection in [from, to), its dates in `zone`. */
static kf_cal_outcome collection_busy(apr_pool_t *p, kf_http_client *http,
                                      const kf_calendar_grant *g, const char *url,
                                      const char *zone, apr_int64_t from, apr_int64_t to,
                                      apr_array_header_t *out, const char **why)
{
    kf_http_response *resp = NULL;
    kf_cal_outcome o = dav_call(p, http, g, "REPORT", collection_of(p, url), "1", XML,
                                kf_caldav_query_body(p, from - ALL_DAY_REACH, to + ALL_DAY_REACH),
                                NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    apr_array_header_t *objects = apr_array_make(p, 16, sizeof(const char *));
    if (resp->status != 207 || !kf_caldav_read_report(p, resp->body, resp->body_len, objects)) {
        *why = "the CalDAV server answered the calendar query without a multistatus";
        return KF_CAL_RETRY;
    }
    for (int i = 0; i < objects->nelts; i++) {
        if (!kf_caldav_read_ics(p, APR_ARRAY_IDX(objects, i, const char *), from, to,
                                KF_CALENDAR_ZONE_DIR, zone, out)) {
            *why = "the CalDAV server answered an event that is not iCalendar";
            return KF_CAL_RETRY;
        }
    }
    return KF_CAL_OK;
}

/* The events themselves, not a free-busy-query: a server's free-busy takes all-day events in
 * UTC where the collection names no zone, and the professional's day is meant. */
static kf_cal_outcome caldav_busy(apr_pool_t *p, kf_http_client *http,
                                  const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                  apr_int64_t from, apr_int64_t to, apr_array_header_t *out,
                                  const char **why)
{
    (void)ep;
    if (!g->blocking) {
        return collection_busy(p, http, g, g->calendar_id, g->timezone, from, to, out, why);
    }
    for (int i = 0; i < g->blocking->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(g->blocking, i, kf_cal_calendar);
        kf_cal_outcome o = collection_busy(p, http, g, c->id,
                                           c->timezone ? c->timezone : g->timezone, from, to,
                                           out, why);
        if (o != KF_CAL_OK) {
            return o;   /* one collection not read: the busy times are not known */
        }
    }
    return KF_CAL_OK;
}

/* ---------------------------------------------------------------- the account's calendars */

/* The calendar home of the connection's account: the collection's own calendar-home-set,
 * or its principal's. FAILED when the server names none. */
static kf_cal_outcome find_home(apr_pool_t *p, kf_http_client *http, const kf_calendar_grant *g,
                                const char **home, kf_caldav_resource *own, const char **why)
{
    const char *url = g->calendar_id;
    *home = NULL;
    for (int step = 0; step < 2; step++) {
        apr_array_header_t *res = NULL;
        kf_cal_outcome o = propfind(p, http, g, url, "0", &res, why);
        if (o != KF_CAL_OK) {
            return o;
        }
        const kf_caldav_resource *r = res->nelts ? (const kf_caldav_resource *)res->elts : NULL;
        if (r && step == 0) {
            *own = *r;
        }
        if (r && r->home) {
            *home = kf_caldav_resolve(p, url, r->home);
            return KF_CAL_OK;
        }
        if (!r || !r->principal) {
            break;
        }
        url = kf_caldav_resolve(p, url, r->principal);
    }
    *why = "the CalDAV server names no calendar home for this user";
    return KF_CAL_FAILED;
}

/* The calendar a collection is in the list (its zone kept only when it is one we know). */
static kf_cal_calendar calendar_of(apr_pool_t *p, const kf_caldav_resource *r, const char *url,
                                   int primary)
{
    const char *why = NULL;
    kf_cal_calendar c = {0};
    c.id = url;
    c.name = kf_caldav_collection_name(p, r->name, url);
    c.timezone = r->timezone && kf_zone_load(p, KF_CALENDAR_ZONE_DIR, r->timezone, &why)
                     ? r->timezone : NULL;
    c.primary = primary;
    c.read_only = !r->writable;
    return c;
}

/* The collections of the account's calendar home that take events; the connection's own
 * first (its URL as the connection keeps it), even when it lives elsewhere (shared with the
 * user) or the server names no home. */
static kf_cal_outcome caldav_calendars(apr_pool_t *p, kf_http_client *http,
                                       const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                       apr_array_header_t *out, const char **why)
{
    (void)ep;
    const char *home = NULL;
    kf_caldav_resource own = {g->calendar_id, 1, 1, 1, NULL, NULL, NULL, NULL};
    kf_cal_outcome o = find_home(p, http, g, &home, &own, why);
    apr_array_header_t *res = NULL;
    if (o == KF_CAL_FAILED) {
        res = apr_array_make(p, 1, sizeof(kf_caldav_resource));   /* its own alone */
    }
    else if (o != KF_CAL_OK || (o = propfind(p, http, g, home, "1", &res, why)) != KF_CAL_OK) {
        return o;
    }
    *(kf_cal_calendar *)apr_array_push(out) = calendar_of(p, &own, g->calendar_id, 1);
    const kf_caldav_resource *r = (const kf_caldav_resource *)res->elts;
    for (int i = 0; i < res->nelts; i++) {
        const char *url = kf_caldav_resolve(p, home, r[i].href);
        if (kf_caldav_same_collection(url, g->calendar_id)) {
            APR_ARRAY_IDX(out, 0, kf_cal_calendar) = calendar_of(p, &r[i], g->calendar_id, 1);
        }
        else if (r[i].calendar && r[i].events && strlen(url) <= COLLECTION_URL_MAX) {
            *(kf_cal_calendar *)apr_array_push(out) = calendar_of(p, &r[i], url, 0);
        }
    }
    return KF_CAL_OK;
}

/* The booking's event as the calendar keeps it, at `sequence`. */
static const char *event_ics(apr_pool_t *p, const kf_cal_event *ev, int sequence)
{
    kf_ics_event ics = {0};
    ics.method = KF_ICS_STORED;
    ics.uid = apr_pstrcat(p, ev->reference, "@konfirmado", NULL);
    ics.sequence = sequence;
    ics.start = apr_time_from_sec(ev->start);
    ics.end = apr_time_from_sec(ev->end);
    ics.summary = ev->summary;
    ics.description = ev->description;
    ics.attendee_name = ev->attendee_name;
    ics.attendee_email = ev->attendee_email;
    return kf_ics_build(p, &ics);
}

/* A PUT of the event under a precondition; *refused: the server said 412 (the precondition
 * failed: the event is there already, or changed since its ETag was read). */
static kf_cal_outcome put_ics(apr_pool_t *p, kf_http_client *http, const kf_calendar_grant *g,
                              const char *url, const char *ics, const char *condition,
                              const char *etag, int *refused, const char **why)
{
    kf_http_response *resp = NULL;
    *refused = 0;
    if (!ics) {
        *why = "the booking's event could not be written as iCalendar";
        return KF_CAL_FAILED;
    }
    kf_cal_outcome o = dav_call(p, http, g, "PUT", url, NULL, "text/calendar; charset=utf-8", ics,
                                condition, etag, &resp, why);
    *refused = resp && resp->status == 412;
    return o;
}

static kf_cal_outcome caldav_put_event(apr_pool_t *p, kf_http_client *http,
                                       const kf_calendar_endpoints *ep,
                                       const kf_calendar_grant *g, const kf_cal_event *ev,
                                       const char *event_id, const char **new_id,
                                       const char **why)
{
    (void)ep;
    const char *name = event_id ? event_id : kf_caldav_event_name(p, ev->reference);
    const char *url = apr_pstrcat(p, collection(p, g), name, NULL);
    *new_id = event_id;
    kf_http_response *resp = NULL;
    kf_cal_outcome o;
    int refused = 0;
    if (!event_id) {
        o = put_ics(p, http, g, url, event_ics(p, ev, 0), "If-None-Match", "*", &refused, why);
        if (o == KF_CAL_OK) {
            *new_id = name;
            return o;
        }
        if (!refused) {
            return o;
        }
        /* written already (an answer lost on the way): changed like a move */
    }
    o = dav_call(p, http, g, "GET", url, NULL, NULL, NULL, NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;   /* GONE: deleted by hand, written again by the caller */
    }
    const char *etag = apr_table_get(resp->headers, "etag");
    int sequence = kf_caldav_ics_sequence(resp->body) + 1;
    o = put_ics(p, http, g, url, event_ics(p, ev, sequence), etag ? "If-Match" : NULL, etag,
                &refused, why);
    if (refused) {
        return KF_CAL_RETRY;   /* changed meanwhile: read again on the next attempt */
    }
    if (o == KF_CAL_OK) {
        *new_id = name;
    }
    return o;
}

static kf_cal_outcome caldav_delete_event(apr_pool_t *p, kf_http_client *http,
                                          const kf_calendar_endpoints *ep,
                                          const kf_calendar_grant *g, const char *event_id,
                                          const char **why)
{
    (void)ep;
    kf_http_response *resp = NULL;
    return dav_call(p, http, g, "DELETE", apr_pstrcat(p, collection(p, g), event_id, NULL), NULL,
                    NULL, NULL, NULL, NULL, &resp, why);
}

/* Our event as the collection it was written in holds it now; a date alone is the day of
 * that collection's zone. A cancelled event is gone as much as a deleted one. */
static kf_cal_outcome caldav_read_event(apr_pool_t *p, kf_http_client *http,
                                        const kf_calendar_endpoints *ep,
                                        const kf_calendar_grant *g, const char *event_id,
                                        apr_int64_t *start, apr_int64_t *end, const char **why)
{
    (void)ep;
    kf_http_response *resp = NULL;
    kf_cal_outcome o = dav_call(p, http, g, "GET", apr_pstrcat(p, collection(p, g), event_id, NULL),
                                NULL, NULL, NULL, NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    int cancelled = 0;
    if (!kf_caldav_event_times(p, resp->body, KF_CALENDAR_ZONE_DIR, zone_of(g, g->calendar_id),
                               start, end, &cancelled)) {
        *why = "the CalDAV server answered the event without its times";
        return KF_CAL_RETRY;
    }
    return cancelled ? KF_CAL_GONE : KF_CAL_OK;
}

/* Its form's server, user and app password: the login refused, or no calendar found there;
 * a server that does not answer is the server's trouble. */
static int caldav_form_refused(kf_cal_outcome o, kf_fields *f)
{
    if (o == KF_CAL_OK || o == KF_CAL_RETRY) {
        return 0;
    }
    if (o == KF_CAL_REVOKED) {
        kf_fields_fail(f, "password", "caldav_login_refused");
    }
    else {
        kf_fields_fail(f, "url", "caldav_no_calendar");
    }
    return 1;
}

const kf_calendar_provider kf_calendar_caldav = {
    .name = "caldav",
    .label = "CalDAV",
    .short_label = "CalDAV",
    .oauth_client = NULL,       /* a server, user and app password, through its form */
    .urls = NULL,               /* each connection names its server */
    .notices = KF_CAL_NOTICES_NONE,
    .professional_server = 1,
    .default_endpoints = caldav_endpoints,
    .form_refused = caldav_form_refused,
    .account = caldav_account,
    .calendars = caldav_calendars,
    .busy = caldav_busy,
    .put_event = caldav_put_event,
    .delete_event = caldav_delete_event,
    .read_event = caldav_read_event,
    .watch = NULL,              /* polled */
};
