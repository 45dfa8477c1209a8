/* iCalendar events of bookings (see kf_ics.h). */
#include "kf_ics.h"

#include <apr_strings.h>
#include <string.h>

#define FOLD_OCTETS 75

const char *kf_ics_escape_text(apr_pool_t *p, const char *s)
{
    if (!s) {
        return "";
    }
    size_t n = strlen(s);
    char *out = apr_palloc(p, 2 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == ';' || c == ',') {
            *o++ = '\\';
            *o++ = (char)c;
        }
        else if (c == '\r' || c == '\n') {
            if (c == '\r' && s[i + 1] == '\n') {
                i++;
            }
            *o++ = '\\';
            *o++ = 'n';
        }
        else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            continue;   /* not allowed in TEXT */
        }
        else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

const char *kf_ics_unescape_text(apr_pool_t *p, const char *s)
{
    if (!s) {
        return "";
    }
    size_t n = strlen(s);
    char *out = apr_palloc(p, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            *o++ = (c == 'n' || c == 'N') ? '\n' : c;
        }
        else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

const char *kf_ics_fold(apr_pool_t *p, const char *line)
{
    size_t n = strlen(line);
    /* 3 extra octets (CRLF SP) per fold, a fold at least every 70 octets, the final CRLF */
    char *out = apr_palloc(p, n + 3 * (n / 70 + 2) + 3), *o = out;
    size_t used = 0;   /* octets on the current physical line (the leading space counts) */
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)line[i];
        if (c >= 0xc0) {   /* a UTF-8 lead byte: keep the whole sequence together */
            while (i + len < n && ((unsigned char)line[i + len] & 0xc0) == 0x80 && len < 4) {
                len++;
            }
        }
        if (used + len > FOLD_OCTETS) {
            memcpy(o, "\r\n ", 3);
            o += 3;
            used = 1;
        }
        memcpy(o, line + i, len);
        o += len;
        used += len;
        i += len;
    }
    memcpy(o, "\r\n", 3);
    return out;
}

const char *kf_ics_utc(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t x;
    if (apr_time_exp_gmt(&x, t) != APR_SUCCESS) {
        return NULL;
    }
    return apr_psprintf(p, "%04d%02d%02dT%02d%02d%02dZ", x.tm_year + 1900, x.tm_mon + 1,
                        x.tm_mday, x.tm_hour, x.tm_min, x.tm_sec);
}

/* Bytes that could end the line or break a parameter: nothing of the kind in an address
 * or a name (the callers validated addresses; this is the last barrier). */
static int line_safe(const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* A CN parameter: always quoted (names have commas and colons); DQUOTE and control
 * bytes cannot appear inside a quoted parameter value, so they are dropped. */
static const char *cn_param(apr_pool_t *p, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    char *out = apr_palloc(p, n + 3), *o = out;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c != '"' && c >= 0x20 && c != 0x7f) {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

struct ics_text {
    char *buf;
    size_t len, cap;
};

static void add(apr_pool_t *p, struct ics_text *l, const char *line)
{
    const char *folded = kf_ics_fold(p, line);
    size_t n = strlen(folded);
    if (l->len + n + 1 > l->cap) {
        size_t cap = (l->cap + n + 1) * 2;
        char *bigger = apr_palloc(p, cap);
        memcpy(bigger, l->buf, l->len);
        l->buf = bigger;
        l->cap = cap;
    }
    memcpy(l->buf + l->len, folded, n + 1);
    l->len += n;
}

const char *kf_ics_build(apr_pool_t *p, const kf_ics_event *ev)
{
    if (!ev || !ev->uid || !*ev->uid || !ev->summary || ev->end <= ev->start ||
        !line_safe(ev->uid) || !line_safe(ev->organizer_email) ||
        !line_safe(ev->attendee_email) || !line_safe(ev->url) || ev->sequence < 0) {
        return NULL;
    }
    const char *start = kf_ics_utc(p, ev->start), *end = kf_ics_utc(p, ev->end);
    const char *stamp = kf_ics_utc(p, ev->stamp ? ev->stamp : apr_time_now());
    if (!start || !end || !stamp) {
        return NULL;
    }
    static const char *const methods[] = {"REQUEST", "CANCEL", "PUBLISH", NULL};
    struct ics_text l = {apr_palloc(p, 1024), 0, 1024};
    l.buf[0] = '\0';
    add(p, &l, "BEGIN:VCALENDAR");
    add(p, &l, "VERSION:2.0");
    add(p, &l, "PRODID:-//Konfirmado//Bookings//ES");
    add(p, &l, "CALSCALE:GREGORIAN");
    if (methods[ev->method]) {
        add(p, &l, apr_pstrcat(p, "METHOD:", methods[ev->method], NULL));
    }
    add(p, &l, "BEGIN:VEVENT");
    add(p, &l, apr_pstrcat(p, "UID:", ev->uid, NULL));
    add(p, &l, apr_psprintf(p, "SEQUENCE:%d", ev->sequence));
    add(p, &l, apr_pstrcat(p, "DTSTAMP:", stamp, NULL));
    add(p, &l, apr_pstrcat(p, "DTSTART:", start, NULL));
    add(p, &l, apr_pstrcat(p, "DTEND:", end, NULL));
    add(p, &l, apr_pstrcat(p, "SUMMARY:", kf_ics_escape_text(p, ev->summary), NULL));
    if (ev->description && *ev->description) {
        add(p, &l, apr_pstrcat(p, "DESCRIPTION:", kf_ics_escape_text(p, ev->description), NULL));
    }
    if (ev->location && *ev->location) {
        add(p, &l, apr_pstrcat(p, "LOCATION:", kf_ics_escape_text(p, ev->location), NULL));
    }
    if (ev->url && *ev->url) {
        add(p, &l, apr_pstrcat(p, "URL:", ev->url, NULL));
    }
    if (ev->organizer_email && *ev->organizer_email) {
        add(p, &l, apr_pstrcat(p, "ORGANIZER;CN=", cn_param(p, ev->organizer_name), ":mailto:",
                               ev->organizer_email, NULL));
    }
    if (ev->attendee_email && *ev->attendee_email) {
        add(p, &l, apr_pstrcat(p, "ATTENDEE;CN=", cn_param(p, ev->attendee_name),
                               ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:",
                               ev->attendee_email, NULL));
    }
    add(p, &l, ev->method == KF_ICS_CANCEL ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    add(p, &l, "TRANSP:OPAQUE");
    add(p, &l, "END:VEVENT");
    add(p, &l, "END:VCALENDAR");
    return l.buf;
}

const char *kf_ics_merge(apr_pool_t *p, const char *calendar, const char *other)
{
    static const char end[] = "END:VCALENDAR\r\n";
    const char *tail = calendar ? strstr(calendar, end) : NULL;
    const char *from = other ? strstr(other, "BEGIN:VEVENT\r\n") : NULL;
    const char *to = other ? strstr(other, end) : NULL;
    if (!tail || !from || !to || to < from) {
        return NULL;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, calendar, (apr_size_t)(tail - calendar)),
                       apr_pstrmemdup(p, from, (apr_size_t)(to - from)), tail, NULL);
}
