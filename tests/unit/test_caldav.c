/* Unit suite for lib/calendar_providers/kf_caldav.c: CalDAV request bodies, multistatus answers
 * (as Radicale, Nextcloud and iCloud write them) and the busy times of iCalendar objects. */
#include "kf_check.h"
#include "kf_caldav.h"
#include "kf_calendar_providers.h"
#include "kf_http.h"
#include "kf_json.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

#define ZONES "/usr/share/zoneinfo"

static apr_int64_t utc(const char *s)
{
    apr_int64_t t = 0;
    ck_assert_int_ne(kf_time_parse_rfc3339(s, &t), KF_TIME_INVALID);
    return t;
}

/* What ics makes busy in [from, to), its dates and floating times in zone (NULL: UTC). */
static apr_array_header_t *busy_in(const char *ics, const char *from, const char *to,
                                   const char *zone)
{
    apr_array_header_t *out = apr_array_make(pool, 4, sizeof(kf_cal_busy));
    ck_assert_int_eq(kf_caldav_read_ics(pool, ics, utc(from), utc(to), ZONES, zone, out), 1);
    kf_calendar_busy_merge(out);
    return out;
}

static apr_array_header_t *busy_of(const char *ics, const char *from, const char *to)
{
    return busy_in(ics, from, to, NULL);
}

static void assert_busy(apr_array_header_t *busy, int i, const char *start, const char *end)
{
    ck_assert_int_gt(busy->nelts, i);
    kf_cal_busy *b = &APR_ARRAY_IDX(busy, i, kf_cal_busy);
    ck_assert(b->start == utc(start));
    ck_assert(b->end == utc(end));
}

START_TEST(the_query_asks_for_events_in_the_window)
{
    const char *q = kf_caldav_query_body(pool, utc("2026-12-01T00:00:00Z"),
                                         utc("2026-12-15T00:00:00Z"));
    ck_assert_ptr_nonnull(strstr(q, "<c:calendar-query"));
    ck_assert_ptr_nonnull(strstr(q, "<c:comp-filter name=\"VEVENT\"><c:time-range "
                                    "start=\"20261201T000000Z\" end=\"20261215T000000Z\"/>"));
    ck_assert_ptr_nonnull(strstr(q, "<c:expand start=\"20261201T000000Z\""));
    /* a collection's name and zone are asked with the rest */
    const char *pf = kf_caldav_propfind_body();
    ck_assert_ptr_nonnull(strstr(pf, "<d:displayname/>"));
    ck_assert_ptr_nonnull(strstr(pf, "<c:calendar-timezone/>"));
}
END_TEST

START_TEST(a_report_gives_each_calendar_object)
{
    const char *body =
        "<?xml version=\"1.0\"?>\n<multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
        "<response><href>/pro/cal/a.ics</href><propstat><prop><getetag>\"1\"</getetag>"
        "<C:calendar-data>BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n</C:calendar-data></prop>"
        "<status>HTTP/1.1 200 OK</status></propstat></response>"
        "<response><href>/pro/cal/b.ics</href><propstat><prop><C:calendar-data/></prop>"
        "<status>HTTP/1.1 404 Not Found</status></propstat></response></multistatus>";
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(const char *));
    ck_assert_int_eq(kf_caldav_read_report(pool, body, strlen(body), out), 1);
    ck_assert_int_eq(out->nelts, 1);
    /* XML turns the object's CRLF into LF (XML 1.0 2.11): the reader takes either */
    ck_assert_str_eq(APR_ARRAY_IDX(out, 0, const char *), "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
    /* not a multistatus, not XML, an entity that would reach out: refused */
    const char *html = "<html><body>Login</body></html>";
    ck_assert_int_eq(kf_caldav_read_report(pool, html, strlen(html), out), 0);
    ck_assert_int_eq(kf_caldav_read_report(pool, "{}", 2, out), 0);
    const char *ext = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                      "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
                      "<d:response><d:href>/x</d:href><d:propstat><d:prop><c:calendar-data>&x;"
                      "</c:calendar-data></d:prop></d:propstat></d:response></d:multistatus>";
    out->nelts = 0;
    kf_caldav_read_report(pool, ext, strlen(ext), out);
    for (int i = 0; i < out->nelts; i++) {
        ck_assert_ptr_null(strstr(APR_ARRAY_IDX(out, i, const char *), "root:"));
    }
}
END_TEST

START_TEST(a_propfind_names_the_calendar_the_principal_and_the_home)
{
    const char *body =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:cal=\"urn:ietf:params:xml:ns:caldav\">"
        "<d:response><d:href>/remote.php/dav/</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/></d:resourcetype>"
        "<d:current-user-principal><d:href>/remote.php/dav/principals/users/ana/</d:href>"
        "</d:current-user-principal></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        "<d:propstat><d:prop><cal:calendar-home-set/></d:prop>"
        "<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>"
        "<d:response><d:href>/remote.php/dav/calendars/ana/tasks/</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>"
        "<cal:supported-calendar-component-set><cal:comp name=\"VTODO\"/>"
        "</cal:supported-calendar-component-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/remote.php/dav/calendars/ana/contact_birthdays/</d:href><d:propstat>"
        "<d:prop><d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>"
        "<d:current-user-privilege-set><d:privilege><d:read/></d:privilege>"
        "</d:current-user-privilege-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        "</d:response>"
        "<d:response><d:href>/remote.php/dav/calendars/ana/personal/</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>"
        "<d:current-user-privilege-set><d:privilege><d:read/></d:privilege><d:privilege><d:write/>"
        "</d:privilege></d:current-user-privilege-set>"
        "<cal:calendar-home-set><d:href> /remote.php/dav/calendars/ana/ </d:href></cal:calendar-home-set>"
        "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_caldav_resource));
    ck_assert_int_eq(kf_caldav_read_propfind(pool, body, strlen(body), out), 1);
    ck_assert_int_eq(out->nelts, 4);
    kf_caldav_resource *r = (kf_caldav_resource *)out->elts;
    /* the birthdays calendar is read only: never the one written to */
    ck_assert_int_eq(r[2].writable, 0);
    r[2] = r[3];
    ck_assert_int_eq(r[2].writable, 1);
    ck_assert_int_eq(r[1].writable, 1);   /* no privileges named: may */
    ck_assert_int_eq(r[0].calendar, 0);
    ck_assert_str_eq(r[0].principal, "/remote.php/dav/principals/users/ana/");
    ck_assert_ptr_null(r[0].home);
    ck_assert_int_eq(r[1].calendar, 1);
    ck_assert_int_eq(r[1].events, 0);   /* tasks only */
    ck_assert_int_eq(r[2].calendar, 1);
    ck_assert_int_eq(r[2].events, 1);   /* no component set named: all of them */
    ck_assert_str_eq(r[2].home, "/remote.php/dav/calendars/ana/");
    ck_assert_str_eq(kf_caldav_resolve(pool, "https://cloud.example.com/remote.php/dav", r[2].href),
                     "https://cloud.example.com/remote.php/dav/calendars/ana/personal/");
    ck_assert_str_eq(kf_caldav_resolve(pool, "https://x.example/a", "https://p01.example/b/"),
                     "https://p01.example/b/");
}
END_TEST

START_TEST(events_are_busy_unless_free_or_cancelled)
{
    const char *ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\n"
        "SUMMARY:Dentist\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nEND:VALARM\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261201T120000Z\r\nDURATION:PT30M\r\n"
        "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20261201T130000Z\r\nDTEND:20261201T140000Z\r\n"
        "STATUS:CANCELLED\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20261201T150000Z\r\nDURATION:PT1H30M\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    apr_array_header_t *b = busy_of(ics, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z");
    ck_assert_int_eq(b->nelts, 2);
    assert_busy(b, 0, "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z");
    assert_busy(b, 1, "2026-12-01T15:00:00Z", "2026-12-01T16:30:00Z");
    ck_assert_int_eq(kf_caldav_read_ics(pool, "<html>", 0, 1, ZONES, NULL, b), 0);
}
END_TEST

START_TEST(zoned_folded_and_all_day_events)
{
    /* Madrid is UTC+1 in December; a folded line goes on after CRLF + space */
    const char *ics =
        "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\nBEGIN:STANDARD\r\n"
        "DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=Europe/Madrid:20261201T1\r\n"
        " 00000\r\nDTEND;TZID=\"Europe/Madrid\":20261201T110000\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:day\r\nDTSTART;VALUE=DATE:20261203\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    apr_array_header_t *b = busy_of(ics, "2026-12-01T00:00:00Z", "2026-12-05T00:00:00Z");
    ck_assert_int_eq(b->nelts, 2);
    assert_busy(b, 0, "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z");
    assert_busy(b, 1, "2026-12-03T00:00:00Z", "2026-12-04T00:00:00Z");
    /* only what lies in the window */
    b = busy_of(ics, "2026-12-01T09:30:00Z", "2026-12-02T00:00:00Z");
    ck_assert_int_eq(b->nelts, 1);
    assert_busy(b, 0, "2026-12-01T09:30:00Z", "2026-12-01T10:00:00Z");
}
END_TEST

START_TEST(an_all_day_event_is_the_day_of_the_zone_named)
{
    const char *day =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:day\r\nDTSTART;VALUE=DATE:20261203\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n";
    /* Tokyo's 3 December begins at 15:00 UTC the day before; Bogotá's at 05:00 UTC */
    apr_array_header_t *b = busy_in(day, "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z",
                                    "Asia/Tokyo");
    ck_assert_int_eq(b->nelts, 1);
    assert_busy(b, 0, "2026-12-02T15:00:00Z", "2026-12-03T15:00:00Z");
    b = busy_in(day, "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z", "America/Bogota");
    assert_busy(b, 0, "2026-12-03T05:00:00Z", "2026-12-04T05:00:00Z");
    /* a zone no file has: UTC, as without one */
    b = busy_in(day, "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z", "Mars/Olympus_Mons");
    assert_busy(b, 0, "2026-12-03T00:00:00Z", "2026-12-04T00:00:00Z");
    /* the day the clocks go back in New York lasts 25 hours */
    const char *fall =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:fall\r\nDTSTART;VALUE=DATE:20261101\r\n"
        "DTEND;VALUE=DATE:20261102\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    b = busy_in(fall, "2026-10-30T00:00:00Z", "2026-11-05T00:00:00Z", "America/New_York");
    assert_busy(b, 0, "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z");
    /* a floating time, and one in a zone named as Windows names it, are the zone's clock */
    const char *floating =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART:20261210T090000\r\n"
        "DTEND:20261210T100000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:w\r\n"
        "DTSTART;TZID=SA Pacific Standard Time:20261211T090000\r\nDURATION:PT30M\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n";
    b = busy_in(floating, "2026-12-10T00:00:00Z", "2026-12-12T00:00:00Z", "America/Bogota");
    ck_assert_int_eq(b->nelts, 2);
    assert_busy(b, 0, "2026-12-10T14:00:00Z", "2026-12-10T15:00:00Z");
    assert_busy(b, 1, "2026-12-11T14:00:00Z", "2026-12-11T14:30:00Z");
    /* each day of a daily all-day event is a day of the zone */
    const char *daily =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:dd\r\nDTSTART;VALUE=DATE:20261205\r\n"
        "DTEND;VALUE=DATE:20261206\r\nRRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    b = busy_in(daily, "2026-12-01T00:00:00Z", "2026-12-10T00:00:00Z", "Asia/Tokyo");
    ck_assert_int_eq(b->nelts, 1);
    assert_busy(b, 0, "2026-12-04T15:00:00Z", "2026-12-06T15:00:00Z");
}
END_TEST

START_TEST(an_event_is_read_back_with_its_times)
{
    apr_int64_t start = 0, end = 0;
    int cancelled = 1;
    const char *moved =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b-1@konfirmado\r\nSEQUENCE:1\r\n"
        "DTSTART:20261201T170000Z\r\nDTEND:20261201T173000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:other\r\nDTSTART:20261202T170000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    ck_assert_int_eq(kf_caldav_event_times(pool, moved, ZONES, NULL, &start, &end, &cancelled), 1);
    ck_assert(start == utc("2026-12-01T17:00:00Z") && end == utc("2026-12-01T17:30:00Z"));
    ck_assert_int_eq(cancelled, 0);
    /* in its own zone with a duration; a date alone in the zone named */
    const char *zoned =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/Madrid:20261201T100000\r\n"
        "DURATION:PT45M\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    ck_assert_int_eq(kf_caldav_event_times(pool, zoned, ZONES, "Asia/Tokyo", &start, &end,
                                           &cancelled), 1);
    ck_assert(start == utc("2026-12-01T09:00:00Z") && end == utc("2026-12-01T09:45:00Z"));
    ck_assert_int_eq(cancelled, 1);
    const char *all_day =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261203\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    ck_assert_int_eq(kf_caldav_event_times(pool, all_day, ZONES, "Asia/Tokyo", &start, &end,
                                           &cancelled), 1);
    ck_assert(start == utc("2026-12-02T15:00:00Z") && end == utc("2026-12-03T15:00:00Z"));
    /* no event, no start, not iCalendar */
    ck_assert_int_eq(kf_caldav_event_times(pool, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ZONES,
                                           NULL, &start, &end, &cancelled), 0);
    ck_assert_int_eq(kf_caldav_event_times(pool, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n"
                                                 "END:VEVENT\r\nEND:VCALENDAR\r\n", ZONES,
                                           NULL, &start, &end, &cancelled), 0);
    ck_assert_int_eq(kf_caldav_event_times(pool, "<html>", ZONES, NULL, &start, &end,
                                           &cancelled), 0);
}
END_TEST

START_TEST(a_collection_names_itself_and_its_zone)
{
    const char *body =
        "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\" "
        "xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
        "<d:response><d:href>/ana/clinic/</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
        "<d:displayname> Cl\xc3\xadnica </d:displayname><c:calendar-timezone>BEGIN:VCALENDAR\n"
        "BEGIN:VTIMEZONE\nTZID:Asia/Tokyo\nBEGIN:STANDARD\nTZID:Not/This\n"
        "DTSTART:19700101T000000\nTZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nEND:STANDARD\n"
        "END:VTIMEZONE\nEND:VCALENDAR\n</c:calendar-timezone></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/madrid/</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
        "<c:calendar-timezone>BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Europe/Berlin\n"
        "END:VTIMEZONE\nEND:VCALENDAR\n</c:calendar-timezone>"
        "<c:calendar-timezone-id>Europe/Madrid</c:calendar-timezone-id></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        "<d:propstat><d:prop><d:displayname/></d:prop>"
        "<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response></d:multistatus>";
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_caldav_resource));
    ck_assert_int_eq(kf_caldav_read_propfind(pool, body, strlen(body), out), 1);
    ck_assert_int_eq(out->nelts, 2);
    kf_caldav_resource *r = (kf_caldav_resource *)out->elts;
    ck_assert_str_eq(r[0].name, "Cl\xc3\xadnica");
    ck_assert_str_eq(r[0].timezone, "Asia/Tokyo");   /* the VTIMEZONE's, not a part's */
    ck_assert_ptr_null(r[1].name);
    ck_assert_str_eq(r[1].timezone, "Europe/Madrid");   /* RFC 7809's id first */

    ck_assert_str_eq(kf_caldav_collection_name(pool, r[0].name, "http://cal.test/ana/clinic/"),
                     "Cl\xc3\xadnica");
    ck_assert_str_eq(kf_caldav_collection_name(pool, NULL, "http://cal.test/ana/madrid/"), "madrid");
    ck_assert_str_eq(kf_caldav_collection_name(pool, " \t", "http://cal.test/ana/work"), "work");
    char *long_name = apr_palloc(pool, KF_CALDAV_NAME_MAX + 2);
    memset(long_name, 'x', KF_CALDAV_NAME_MAX + 1);
    long_name[KF_CALDAV_NAME_MAX + 1] = '\0';
    ck_assert_str_eq(kf_caldav_collection_name(pool, long_name, "http://cal.test/ana/work/"), "work");
    ck_assert_str_eq(kf_caldav_collection_name(pool, "\xff\xfe", "http://cal.test/ana/w/"), "w");

    ck_assert(kf_caldav_same_collection("http://Cal.Test/ana/work", "http://cal.test/ana/work/"));
    ck_assert(kf_caldav_same_collection("https://cal.test/ana/work//", "https://cal.test/ana/work"));
    ck_assert(!kf_caldav_same_collection("http://cal.test/ana/work", "http://cal.test/ana/work2"));
    ck_assert(!kf_caldav_same_collection("http://cal.test/ana/Work", "http://cal.test/ana/work"));
    ck_assert(!kf_caldav_same_collection("http://cal.test:81/ana/work", "http://cal.test/ana/work"));
    ck_assert(!kf_caldav_same_collection(NULL, "http://cal.test/ana/work"));
}
END_TEST

START_TEST(recurring_events_count_each_time)
{
    const char *weekly =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:w\r\nDTSTART:20261201T080000Z\r\n"
        "DTEND:20261201T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    apr_array_header_t *b = busy_of(weekly, "2026-12-01T00:00:00Z", "2027-01-31T00:00:00Z");
    ck_assert_int_eq(b->nelts, 3);
    assert_busy(b, 2, "2026-12-15T08:00:00Z", "2026-12-15T09:00:00Z");
    const char *daily =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:20261201T080000Z\r\n"
        "DTEND:20261201T083000Z\r\nRRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20261205T235959Z\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n";
    b = busy_of(daily, "2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z");
    ck_assert_int_eq(b->nelts, 3);
    assert_busy(b, 1, "2026-12-03T08:00:00Z", "2026-12-03T08:30:00Z");
    /* a rule not followed here: busy from its first time on, never offered */
    const char *monthly =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART:20261201T080000Z\r\n"
        "DTEND:20261201T090000Z\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    b = busy_of(monthly, "2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z");
    ck_assert_int_eq(b->nelts, 1);
    assert_busy(b, 0, "2026-12-01T08:00:00Z", "2026-12-31T00:00:00Z");
}
END_TEST

START_TEST(the_stored_sequence_is_read)
{
    ck_assert_int_eq(kf_caldav_ics_sequence("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n"
                                            "SEQUENCE:4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), 4);
    ck_assert_int_eq(kf_caldav_ics_sequence("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), 0);
    ck_assert_str_eq(kf_caldav_event_name(pool, "8c0e"), "8c0e.ics");
}
END_TEST

START_TEST(the_form_takes_a_url_a_user_and_a_password)
{
    kf_fields f;
    const char *url, *user, *password;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *ok = kf_json_own(pool, json_pack("{s:s, s:s, s:s}", "url", "https://caldav.icloud.com/",
                                             "username", "ana@icloud.com", "password", "abcd-efgh"));
    kf_caldav_form(&f, ok, KF_URL_HTTPS_ONLY, &url, &user, &password);
    ck_assert(kf_fields_ok(&f));
    ck_assert_str_eq(url, "https://caldav.icloud.com/");
    ck_assert_str_eq(user, "ana@icloud.com");

    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *bad = kf_json_own(pool, json_pack("{s:s, s:s}", "url", "http://cal.example.com/",
                                              "username", "a:b"));
    kf_caldav_form(&f, bad, KF_URL_HTTPS_ONLY, &url, &user, &password);
    ck_assert(!kf_fields_ok(&f));
    ck_assert(kf_fields_has(&f, "url"));
    ck_assert(kf_fields_has(&f, "username"));
    ck_assert(kf_fields_has(&f, "password"));
    /* plain http only where the operator allows it (tests) */
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *local = kf_json_own(pool, json_pack("{s:s, s:s, s:s}", "url", "http://127.0.0.1:5232/",
                                                "username", "pro", "password", "x"));
    kf_caldav_form(&f, local, KF_URL_ALLOW_HTTP, &url, &user, &password);
    ck_assert(kf_fields_ok(&f));
}
END_TEST

/* ------------------------------------------------------------------ the provider's requests */

/* A server that answers each request from a script, in order, and keeps what it was sent. */
typedef struct scripted {
    int status[4];
    const char *body[4];
    const char *etag[4];
    int n;
    const kf_http_request *sent[4];
} scripted;

static apr_status_t scripted_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                     kf_http_response **resp, const char **why)
{
    scripted *s = baton;
    ck_assert_int_lt(s->n, 4);
    kf_http_request *copy = apr_pmemdup(p, req, sizeof(*req));
    copy->headers = apr_table_copy(p, req->headers);
    s->sent[s->n] = copy;
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = s->status[s->n];
    r->body = s->body[s->n] ? s->body[s->n] : "";
    r->body_len = strlen(r->body);
    r->headers = apr_table_make(p, 2);
    if (s->etag[s->n]) {
        apr_table_setn(r->headers, "etag", s->etag[s->n]);
    }
    s->n++;
    *resp = r;
    (void)why;
    return APR_SUCCESS;
}

static const kf_http_impl scripted_impl = {"scripted-caldav", scripted_perform};

static kf_http_client *client_of(scripted *s)
{
    kf_http_client *c = kf_http_client_create(pool, &scripted_impl, s);
    kf_http_allow_insecure_prefix(c, "http://cal.test");
    return c;
}

static const kf_calendar_grant grant = {.access_token = "app-pass",
                                        .calendar_id = "http://cal.test/ana/work", .user = "ana"};
static const kf_calendar_endpoints no_endpoints = {NULL, NULL, NULL};

static kf_cal_event booking_event(void)
{
    kf_cal_event ev = {0};
    ev.summary = "Consulta \xe2\x80\x94 Juan";
    ev.start = utc("2026-12-01T15:00:00Z");
    ev.end = utc("2026-12-01T15:30:00Z");
    ev.timezone = "America/Bogota";
    ev.reference = "b-1";
    return ev;
}

START_TEST(a_new_event_is_put_only_where_none_is)
{
    scripted s = {{201}, {NULL}, {NULL}, 0, {NULL}};
    kf_cal_event ev = booking_event();
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav.put_event(pool, client_of(&s), &no_endpoints, &grant, &ev,
                                                  NULL, &id, &why), KF_CAL_OK);
    ck_assert_str_eq(id, "b-1.ics");
    ck_assert_int_eq(s.n, 1);
    const kf_http_request *put = s.sent[0];
    ck_assert_str_eq(put->method, "PUT");
    ck_assert_str_eq(put->url, "http://cal.test/ana/work/b-1.ics");
    ck_assert_str_eq(apr_table_get(put->headers, "If-None-Match"), "*");
    /* base64("ana:app-pass") */
    ck_assert_str_eq(apr_table_get(put->headers, "Authorization"), "Basic YW5hOmFwcC1wYXNz");
    ck_assert_ptr_nonnull(strstr(put->body, "UID:b-1@konfirmado\r\n"));
    ck_assert_ptr_nonnull(strstr(put->body, "SEQUENCE:0\r\n"));
    ck_assert_ptr_nonnull(strstr(put->body, "DTSTART:20261201T150000Z\r\n"));
    ck_assert_ptr_null(strstr(put->body, "METHOD:"));
    ck_assert_ptr_null(strstr(put->body, "ORGANIZER"));

    /* written already (the answer to an earlier attempt was lost): changed like a move */
    scripted again = {{412, 200, 204}, {NULL, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSEQUENCE:0\r\n"
                                              "END:VEVENT\r\nEND:VCALENDAR\r\n", NULL},
                      {NULL, "\"e1\"", NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.put_event(pool, client_of(&again), &no_endpoints, &grant,
                                                  &ev, NULL, &id, &why), KF_CAL_OK);
    ck_assert_str_eq(id, "b-1.ics");
    ck_assert_int_eq(again.n, 3);
    ck_assert_str_eq(apr_table_get(again.sent[2]->headers, "If-Match"), "\"e1\"");
    ck_assert_ptr_nonnull(strstr(again.sent[2]->body, "SEQUENCE:1\r\n"));
}
END_TEST

START_TEST(a_move_reads_the_etag_and_bumps_the_sequence)
{
    scripted s = {{200, 204}, {"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b-1@konfirmado\r\n"
                               "SEQUENCE:2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", NULL},
                  {"\"e7\"", NULL}, 0, {NULL}};
    kf_cal_event ev = booking_event();
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav.put_event(pool, client_of(&s), &no_endpoints, &grant, &ev,
                                                  "b-1.ics", &id, &why), KF_CAL_OK);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.sent[0]->method, "GET");
    ck_assert_str_eq(s.sent[1]->method, "PUT");
    ck_assert_str_eq(apr_table_get(s.sent[1]->headers, "If-Match"), "\"e7\"");
    ck_assert_ptr_nonnull(strstr(s.sent[1]->body, "SEQUENCE:3\r\n"));

    /* changed there meanwhile (412): tried again later, nothing overwritten */
    scripted raced = {{200, 412}, {"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", NULL}, {"\"e8\"", NULL},
                      0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.put_event(pool, client_of(&raced), &no_endpoints, &grant,
                                                  &ev, "b-1.ics", &id, &why), KF_CAL_RETRY);
    /* deleted by hand: GONE, so the caller writes it anew */
    /* a calendar the user may read but not write: failed, the password still good */
    scripted read_only = {{200, 403}, {"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", NULL},
                          {"\"e9\"", NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.put_event(pool, client_of(&read_only), &no_endpoints,
                                                  &grant, &ev, "b-1.ics", &id, &why), KF_CAL_FAILED);
    scripted gone = {{404}, {NULL}, {NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.put_event(pool, client_of(&gone), &no_endpoints, &grant,
                                                  &ev, "b-1.ics", &id, &why), KF_CAL_GONE);
}
END_TEST

static const char *report_of(const char *ics)
{
    return apr_pstrcat(pool, "<?xml version=\"1.0\"?><multistatus xmlns=\"DAV:\" "
                             "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><response>"
                             "<href>/ana/x.ics</href><propstat><prop><C:calendar-data>", ics,
                       "</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat>"
                       "</response></multistatus>", NULL);
}

START_TEST(busy_times_are_the_events_and_a_refused_password_is_revoked)
{
    const char *report = report_of("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n"
                                   "DTSTART:20261201T100000Z\nDTEND:20261201T110000Z\n"
                                   "END:VEVENT\nEND:VCALENDAR\n");
    scripted s = {{207}, {report}, {NULL}, 0, {NULL}};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav.busy(pool, client_of(&s), &no_endpoints, &grant,
                                             utc("2026-12-01T00:00:00Z"), utc("2026-12-02T00:00:00Z"),
                                             out, &why), KF_CAL_OK);
    ck_assert_int_eq(s.n, 1);
    ck_assert_str_eq(s.sent[0]->method, "REPORT");
    ck_assert_str_eq(s.sent[0]->url, "http://cal.test/ana/work/");
    ck_assert_str_eq(apr_table_get(s.sent[0]->headers, "Depth"), "1");
    ck_assert_ptr_nonnull(strstr(s.sent[0]->body, "calendar-query"));
    ck_assert_int_eq(out->nelts, 1);
    assert_busy(out, 0, "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z");

    scripted refused = {{401}, {NULL}, {NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.busy(pool, client_of(&refused), &no_endpoints, &grant, 0,
                                             100, out, &why), KF_CAL_REVOKED);
    ck_assert_ptr_null(strstr(why, "app-pass"));
    /* an answer that is not a multistatus: not known, tried again */
    scripted odd = {{200}, {"<html/>"}, {NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.busy(pool, client_of(&odd), &no_endpoints, &grant, 0,
                                             100, out, &why), KF_CAL_RETRY);
}
END_TEST

/* The work collection (no zone of its own) and the personal one (Tokyo's) block. */
static kf_calendar_grant blocking_grant(void)
{
    apr_array_header_t *blocking = apr_array_make(pool, 2, sizeof(kf_cal_calendar));
    kf_cal_calendar work = {"http://cal.test/ana/work", "work", NULL, 1, 1, 1, 0};
    kf_cal_calendar personal = {"http://cal.test/ana/personal/", "Personal", "Asia/Tokyo", 0, 1, 0, 0};
    APR_ARRAY_PUSH(blocking, kf_cal_calendar) = work;
    APR_ARRAY_PUSH(blocking, kf_cal_calendar) = personal;
    kf_calendar_grant g = grant;
    g.blocking = blocking;
    g.timezone = "America/Bogota";
    return g;
}

START_TEST(every_blocking_collection_is_read_its_dates_in_its_zone)
{
    const char *work = report_of("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n"
                                 "DTSTART;VALUE=DATE:20261203\nEND:VEVENT\nEND:VCALENDAR\n");
    const char *personal = report_of("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:b\n"
                                     "DTSTART;VALUE=DATE:20261205\nEND:VEVENT\nEND:VCALENDAR\n");
    scripted s = {{207, 207}, {work, personal}, {NULL}, 0, {NULL}};
    kf_calendar_grant g = blocking_grant();
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav.busy(pool, client_of(&s), &no_endpoints, &g,
                                             utc("2026-12-01T00:00:00Z"), utc("2026-12-10T00:00:00Z"),
                                             out, &why), KF_CAL_OK);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.sent[0]->url, "http://cal.test/ana/work/");
    ck_assert_str_eq(s.sent[1]->url, "http://cal.test/ana/personal/");
    /* asked a day wider on each side: a server takes a date as UTC when it matches it */
    ck_assert_ptr_nonnull(strstr(s.sent[0]->body, "start=\"20261130T000000Z\" end=\"20261211T000000Z\""));
    kf_calendar_busy_merge(out);
    ck_assert_int_eq(out->nelts, 2);
    assert_busy(out, 0, "2026-12-03T05:00:00Z", "2026-12-04T05:00:00Z");   /* Bogotá's day */
    assert_busy(out, 1, "2026-12-04T15:00:00Z", "2026-12-05T15:00:00Z");   /* Tokyo's */

    /* one collection not read: none is believed */
    scripted half = {{207, 503}, {work, NULL}, {NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav.busy(pool, client_of(&half), &no_endpoints, &g, 0, 100,
                                             out, &why), KF_CAL_RETRY);
    /* nothing ticked: nothing is asked, nothing is busy */
    g.blocking = apr_array_make(pool, 1, sizeof(kf_cal_calendar));
    scripted none = {{0}, {NULL}, {NULL}, 0, {NULL}};
    out->nelts = 0;
    ck_assert_int_eq(kf_calendar_caldav.busy(pool, client_of(&none), &no_endpoints, &g, 0, 100,
                                             out, &why), KF_CAL_OK);
    ck_assert_int_eq(none.n, 0);
    ck_assert_int_eq(out->nelts, 0);
}
END_TEST

START_TEST(the_calendars_are_the_collections_of_the_home)
{
    const char *own =
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:response>"
        "<d:href>/ana/work/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
        "<c:calendar/></d:resourcetype><d:displayname>Trabajo</d:displayname>"
        "<d:current-user-principal><d:href>/principals/ana/</d:href></d:current-user-principal>"
        "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    const char *principal =
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:response>"
        "<d:href>/principals/ana/</d:href><d:propstat><d:prop>"
        "<c:calendar-home-set><d:href>/ana/</d:href></c:calendar-home-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    const char *home =
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
        "<d:response><d:href>/ana/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
        "</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/personal/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/><c:calendar/></d:resourcetype><d:displayname>Personal</d:displayname>"
        "<c:calendar-timezone-id>Asia/Tokyo</c:calendar-timezone-id>"
        "<d:current-user-privilege-set><d:privilege><d:read/></d:privilege><d:privilege><d:bind/>"
        "</d:privilege></d:current-user-privilege-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/shared-by-luis/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/><c:calendar/></d:resourcetype><d:displayname>Luis</d:displayname>"
        "<d:current-user-privilege-set><d:privilege><d:read/></d:privilege>"
        "</d:current-user-privilege-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/tasks/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/><c:calendar/></d:resourcetype><c:supported-calendar-component-set>"
        "<c:comp name=\"VTODO\"/></c:supported-calendar-component-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/work/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/><c:calendar/></d:resourcetype><d:displayname>Trabajo</d:displayname>"
        "<c:calendar-timezone-id>Mars/Olympus_Mons</c:calendar-timezone-id></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    scripted s = {{207, 207, 207}, {own, principal, home}, {NULL}, 0, {NULL}};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_calendar));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav.calendars(pool, client_of(&s), &no_endpoints, &grant, out,
                                                  &why), KF_CAL_OK);
    ck_assert_int_eq(s.n, 3);
    ck_assert_str_eq(s.sent[1]->url, "http://cal.test/principals/ana/");
    ck_assert_str_eq(s.sent[2]->url, "http://cal.test/ana/");
    ck_assert_str_eq(apr_table_get(s.sent[2]->headers, "Depth"), "1");
    ck_assert_int_eq(out->nelts, 3);
    kf_cal_calendar *c = (kf_cal_calendar *)out->elts;
    /* the privileges the server names say which ones may be written (none named: may) */
    ck_assert_ptr_nonnull(strstr(s.sent[2]->body, "current-user-privilege-set"));
    ck_assert_int_eq(c[0].read_only, 0);
    ck_assert_int_eq(c[1].read_only, 0);   /* bind: new events may be put */
    ck_assert_str_eq(c[2].id, "http://cal.test/ana/shared-by-luis/");
    ck_assert_int_eq(c[2].read_only, 1);
    /* the connection's own first, named as the connection keeps it; no zone we do not know */
    ck_assert_str_eq(c[0].id, "http://cal.test/ana/work");
    ck_assert_str_eq(c[0].name, "Trabajo");
    ck_assert_ptr_null(c[0].timezone);
    ck_assert_int_eq(c[0].primary, 1);
    ck_assert_str_eq(c[1].id, "http://cal.test/ana/personal/");
    ck_assert_str_eq(c[1].name, "Personal");
    ck_assert_str_eq(c[1].timezone, "Asia/Tokyo");
    ck_assert_int_eq(c[1].primary, 0);

    /* a server that names no home: the connection's collection alone */
    const char *alone =
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:response>"
        "<d:href>/ana/work/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
        "<c:calendar/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
        "</d:propstat></d:response></d:multistatus>";
    scripted lone = {{207}, {alone}, {NULL}, 0, {NULL}};
    out->nelts = 0;
    ck_assert_int_eq(kf_calendar_caldav.calendars(pool, client_of(&lone), &no_endpoints, &grant,
                                                  out, &why), KF_CAL_OK);
    ck_assert_int_eq(out->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(out, 0, kf_cal_calendar).id, "http://cal.test/ana/work");
    ck_assert_str_eq(APR_ARRAY_IDX(out, 0, kf_cal_calendar).name, "work");
    /* the password refused: said so, nothing listed */
    scripted refused = {{401}, {NULL}, {NULL}, 0, {NULL}};
    out->nelts = 0;
    ck_assert_int_eq(kf_calendar_caldav.calendars(pool, client_of(&refused), &no_endpoints,
                                                  &grant, out, &why), KF_CAL_REVOKED);
    ck_assert_int_eq(out->nelts, 0);
}
END_TEST

START_TEST(our_event_is_read_back_where_it_was_written)
{
    kf_calendar_grant g = blocking_grant();
    g.calendar_id = "http://cal.test/ana/personal/";
    const char *moved = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b-1@konfirmado\r\n"
                        "DTSTART:20261201T170000Z\r\nDTEND:20261201T173000Z\r\nEND:VEVENT\r\n"
                        "END:VCALENDAR\r\n";
    const char *all_day = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b-1@konfirmado\r\n"
                          "DTSTART;VALUE=DATE:20261203\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    const char *cancelled = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b-1@konfirmado\r\n"
                            "DTSTART:20261201T170000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
                            "END:VCALENDAR\r\n";
    scripted s = {{200, 200, 200, 404}, {moved, all_day, cancelled, NULL}, {NULL}, 0, {NULL}};
    kf_http_client *http = client_of(&s);
    apr_int64_t start = 0, end = 0;
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav.read_event(pool, http, &no_endpoints, &g, "b-1.ics",
                                                   &start, &end, &why), KF_CAL_OK);
    ck_assert_str_eq(s.sent[0]->method, "GET");
    ck_assert_str_eq(s.sent[0]->url, "http://cal.test/ana/personal/b-1.ics");
    ck_assert(start == utc("2026-12-01T17:00:00Z") && end == utc("2026-12-01T17:30:00Z"));
    /* made an all-day event in the Tokyo collection: Tokyo's day */
    ck_assert_int_eq(kf_calendar_caldav.read_event(pool, http, &no_endpoints, &g, "b-1.ics",
                                                   &start, &end, &why), KF_CAL_OK);
    ck_assert(start == utc("2026-12-02T15:00:00Z") && end == utc("2026-12-03T15:00:00Z"));
    ck_assert_int_eq(kf_calendar_caldav.read_event(pool, http, &no_endpoints, &g, "b-1.ics",
                                                   &start, &end, &why), KF_CAL_GONE);
    ck_assert_int_eq(kf_calendar_caldav.read_event(pool, http, &no_endpoints, &g, "b-1.ics",
                                                   &start, &end, &why), KF_CAL_GONE);
    scripted odd = {{200, 410}, {"<html/>", NULL}, {NULL}, 0, {NULL}};
    http = client_of(&odd);
    ck_assert_int_eq(kf_calendar_caldav.read_event(pool, http, &no_endpoints, &g, "b-1.ics",
                                                   &start, &end, &why), KF_CAL_RETRY);
    ck_assert_int_eq(kf_calendar_caldav.read_event(pool, http, &no_endpoints, &g, "b-1.ics",
                                                   &start, &end, &why), KF_CAL_GONE);
}
END_TEST

START_TEST(the_calendar_is_found_from_the_account)
{
    const char *root =
        "<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/></d:resourcetype><d:current-user-principal>"
        "<d:href>/ana/</d:href></d:current-user-principal></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    const char *principal =
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:response>"
        "<d:href>/ana/</d:href><d:propstat><d:prop><d:resourcetype><d:principal/></d:resourcetype>"
        "<c:calendar-home-set><d:href>/ana/</d:href></c:calendar-home-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    const char *home =
        "<d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
        "<d:response><d:href>/ana/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
        "</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/tasks/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/><c:calendar/></d:resourcetype><c:supported-calendar-component-set>"
        "<c:comp name=\"VTODO\"/></c:supported-calendar-component-set></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "<d:response><d:href>/ana/work/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/><c:calendar/></d:resourcetype></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>";
    scripted s = {{207, 207, 207}, {root, principal, home}, {NULL}, 0, {NULL}};
    kf_calendar_grant g = {.access_token = "app-pass", .calendar_id = "http://cal.test/", .user = "ana"};
    const char *calendar = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_caldav_discover(pool, client_of(&s), &g, &calendar, &why), KF_CAL_OK);
    ck_assert_str_eq(calendar, "http://cal.test/ana/work/");
    ck_assert_str_eq(s.sent[0]->method, "PROPFIND");
    ck_assert_str_eq(apr_table_get(s.sent[0]->headers, "Depth"), "0");
    ck_assert_str_eq(apr_table_get(s.sent[2]->headers, "Depth"), "1");
    /* a web page, not a CalDAV server: no calendar there */
    scripted web = {{200}, {"<html></html>"}, {NULL}, 0, {NULL}};
    ck_assert_int_eq(kf_calendar_caldav_discover(pool, client_of(&web), &g, &calendar, &why),
                     KF_CAL_FAILED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("caldav");
    TCase *tc = tcase_create("caldav");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_query_asks_for_events_in_the_window);
    tcase_add_test(tc, a_report_gives_each_calendar_object);
    tcase_add_test(tc, a_propfind_names_the_calendar_the_principal_and_the_home);
    tcase_add_test(tc, events_are_busy_unless_free_or_cancelled);
    tcase_add_test(tc, zoned_folded_and_all_day_events);
    tcase_add_test(tc, an_all_day_event_is_the_day_of_the_zone_named);
    tcase_add_test(tc, an_event_is_read_back_with_its_times);
    tcase_add_test(tc, a_collection_names_itself_and_its_zone);
    tcase_add_test(tc, recurring_events_count_each_time);
    tcase_add_test(tc, the_stored_sequence_is_read);
    tcase_add_test(tc, the_form_takes_a_url_a_user_and_a_password);
    tcase_add_test(tc, a_new_event_is_put_only_where_none_is);
    tcase_add_test(tc, a_move_reads_the_etag_and_bumps_the_sequence);
    tcase_add_test(tc, busy_times_are_the_events_and_a_refused_password_is_revoked);
    tcase_add_test(tc, every_blocking_collection_is_read_its_dates_in_its_zone);
    tcase_add_test(tc, the_calendars_are_the_collections_of_the_home);
    tcase_add_test(tc, our_event_is_read_back_where_it_was_written);
    tcase_add_test(tc, the_calendar_is_found_from_the_account);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
