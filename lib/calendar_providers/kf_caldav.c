/* CalDAV's requests and answers: see kf_caldav.h. */
#include "kf_caldav.h"
#include "kf_calendar.h"
#include "kf_ics.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_zone.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define NS_DAV "DAV:"
#define NS_CALDAV "urn:ietf:params:xml:ns:caldav"
/* a recurrence is followed this many times at most */
#define MAX_OCCURRENCES 2000

void kf_caldav_form(kf_fields *f, const json_t *body, kf_url_policy policy, const char **url,
                    const char **user, const char **password)
{
    *url = *user = *password = NULL;
    kf_field_url(f, body, "url", "url", KF_FIELD_REQUIRED, 10, KF_CALDAV_URL_MAX, policy, url);
    kf_field_string(f, body, "username", "username", KF_FIELD_REQUIRED, 1, KF_CALDAV_USER_MAX,
                    user);
    kf_field_string(f, body, "password", "password", KF_FIELD_REQUIRED, 1,
                    KF_CALDAV_PASSWORD_MAX, password);
    if (*user && strchr(*user, ':')) {
        kf_fields_fail(f, "username", "invalid_value");   /* Basic auth cannot carry it */
        *user = NULL;
    }
}

/* ---------------------------------------------------------------- request bodies */

const char *kf_caldav_propfind_body(void)
{
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
           "<d:propfind xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:prop>"
           "<d:resourcetype/><c:supported-calendar-component-set/>"
           "<d:current-user-principal/><c:calendar-home-set/><d:current-user-privilege-set/>"
           "<d:displayname/><c:calendar-timezone/><c:calendar-timezone-id/>"
           "</d:prop></d:propfind>";
}

static const char *ics_range(apr_pool_t *p, apr_int64_t from, apr_int64_t to)
{
    return apr_pstrcat(p, "<c:time-range start=\"", kf_ics_utc(p, apr_time_from_sec(from)),
                       "\" end=\"", kf_ics_utc(p, apr_time_from_sec(to)), "\"/>", NULL);
}

const char *kf_caldav_query_body(apr_pool_t *p, apr_int64_t from, apr_int64_t to)
{
    const char *range = ics_range(p, from, to);
    const char *expand = apr_pstrcat(p, "<c:expand", range + strlen("<c:time-range"), NULL);
    return apr_pstrcat(p, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                          "<c:calendar-query xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
                          "<d:prop><d:getetag/><c:calendar-data>", expand,
                       "</c:calendar-data></d:prop><c:filter><c:comp-filter name=\"VCALENDAR\">"
                       "<c:comp-filter name=\"VEVENT\">", range,
                       "</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>", NULL);
}

/* ---------------------------------------------------------------- multistatus */

static int is(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ns) == 0 && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *ns, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (is(c, ns, name)) {
            return c;
        }
    }
    return NULL;
}

static const char *text_of(apr_pool_t *p, const xmlNode *n)
{
    if (!n) {
        return NULL;
    }
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? apr_pstrdup(p, (const char *)t) : NULL;
    xmlFree(t);
    return s;
}

/* s without the white space around it; NULL when nothing is left. */
static const char *trimmed(apr_pool_t *p, const char *s)
{
    apr_size_t len = 0;
    const char *start = s ? kf_trim_span(s, &len) : NULL;
    return len ? apr_pstrndup(p, start, len) : NULL;
}

/* The trimmed text of a child's href (NULL: none). */
static const char *href_in(apr_pool_t *p, const xmlNode *n)
{
    return trimmed(p, text_of(p, child(n, NS_DAV, "href")));
}

static const char *vtimezone_id(apr_pool_t *p, const char *ics);

static int status_ok(apr_pool_t *p, const xmlNode *propstat)
{
    const char *st = text_of(p, child(propstat, NS_DAV, "status"));
    const char *code = st ? strchr(st, ' ') : NULL;
    return !st || (code && code[1] == '2');
}

static xmlDoc *read_multistatus(const char *body, apr_size_t len, xmlNode **root)
{
    if (!body || len == 0 || len > INT32_MAX) {
        return NULL;
    }
    xmlDoc *doc = xmlReadMemory(body, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!is(*root, NS_DAV, "multistatus")) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* What one <response> of a multistatus gives: each of its <prop>s whose <propstat> says 2xx,
 * then prop NULL when the response ends. */
typedef void prop_fn(apr_pool_t *p, xmlNode *response, xmlNode *prop, void *data);

/* Walks a multistatus body's responses: 0 when it is not one. */
static int each_ok_prop(apr_pool_t *p, const char *body, apr_size_t len, prop_fn *fn, void *data)
{
    xmlNode *root = NULL;
    xmlDoc *doc = read_multistatus(body, len, &root);
    if (!doc) {
        return 0;
    }
    for (xmlNode *r = root->children; r; r = r->next) {
        if (!is(r, NS_DAV, "response")) {
            continue;
        }
        for (xmlNode *ps = r->children; ps; ps = ps->next) {
            xmlNode *prop = is(ps, NS_DAV, "propstat") ? child(ps, NS_DAV, "prop") : NULL;
            if (prop && status_ok(p, ps)) {
                fn(p, r, prop, data);
            }
        }
        fn(p, r, NULL, data);
    }
    xmlFreeDoc(doc);
    return 1;
}

typedef struct resources {
    apr_array_header_t *out;
    kf_caldav_resource res;   /* the response being read */
    int found;                /* a 2xx <prop> of it was read */
} resources;

static void read_resource_prop(apr_pool_t *p, xmlNode *response, xmlNode *prop, void *data)
{
    resources *rs = data;
    kf_caldav_resource *res = &rs->res;
    if (!prop) {
        if (rs->found && res->href) {
            *(kf_caldav_resource *)apr_array_push(rs->out) = *res;
        }
        rs->found = 0;
        return;
    }
    if (!rs->found) {
        *res = (kf_caldav_resource){href_in(p, response), 0, 1, 1, NULL, NULL, NULL, NULL};
        rs->found = 1;
    }
    xmlNode *type = child(prop, NS_DAV, "resourcetype");
    if (child(type, NS_CALDAV, "calendar")) {
        res->calendar = 1;
    }
    xmlNode *comps = child(prop, NS_CALDAV, "supported-calendar-component-set");
    if (comps && comps->children) {
        res->events = 0;
        for (xmlNode *c = comps->children; c; c = c->next) {
            xmlChar *name = is(c, NS_CALDAV, "comp") ? xmlGetProp(c, BAD_CAST "name") : NULL;
            if (name && strcmp((const char *)name, "VEVENT") == 0) {
                res->events = 1;
            }
            xmlFree(name);
        }
    }
    xmlNode *privileges = child(prop, NS_DAV, "current-user-privilege-set");
    if (privileges && privileges->children) {
        /* a read-only calendar (Nextcloud's birthdays, a shared one) takes no booking */
        res->writable = 0;
        for (xmlNode *pr = privileges->children; pr; pr = pr->next) {
            xmlNode *what = is(pr, NS_DAV, "privilege") ? pr->children : NULL;
            for (; what; what = what->next) {
                if (is(what, NS_DAV, "all") || is(what, NS_DAV, "write") ||
                    is(what, NS_DAV, "write-content") || is(what, NS_DAV, "bind")) {
                    res->writable = 1;
                }
            }
        }
    }
    const char *principal = href_in(p, child(prop, NS_DAV, "current-user-principal"));
    const char *home = href_in(p, child(prop, NS_CALDAV, "calendar-home-set"));
    res->principal = principal ? principal : res->principal;
    res->home = home ? home : res->home;
    const char *name = trimmed(p, text_of(p, child(prop, NS_DAV, "displayname")));
    res->name = name ? name : res->name;
    /* RFC 7809's id names the zone; RFC 4791's property carries the whole VTIMEZONE */
    const char *zone_id = trimmed(p, text_of(p, child(prop, NS_CALDAV, "calendar-timezone-id")));
    const char *vtimezone = vtimezone_id(p, text_of(p, child(prop, NS_CALDAV, "calendar-timezone")));
    if (zone_id) {
        res->timezone = zone_id;
    }
    else if (vtimezone && !res->timezone) {
        res->timezone = vtimezone;
    }
}

int kf_caldav_read_propfind(apr_pool_t *p, const char *body, apr_size_t len,
                            apr_array_header_t *out)
{
    resources rs = {out, {0}, 0};
    return each_ok_prop(p, body, len, read_resource_prop, &rs);
}

static void read_calendar_data(apr_pool_t *p, xmlNode *response, xmlNode *prop, void *data)
{
    const char *text = prop ? text_of(p, child(prop, NS_CALDAV, "calendar-data")) : NULL;
    if (text && *text) {
        APR_ARRAY_PUSH((apr_array_header_t *)data, const char *) = text;
    }
}

int kf_caldav_read_report(apr_pool_t *p, const char *body, apr_size_t len,
                          apr_array_header_t *out)
{
    return each_ok_prop(p, body, len, read_calendar_data, out);
}

/* ---------------------------------------------------------------- iCalendar */

/* One content line: NAME;PARAMS:VALUE, unfolded. */
typedef struct ics_line {
    const char *name;     /* uppercased */
    const char *params;   /* ";..." or "" */
    const char *value;
} ics_line;

/* The object's content lines, unfolded (RFC 5545 3.1). */
static apr_array_header_t *ics_lines(apr_pool_t *p, const char *ics)
{
    apr_array_header_t *lines = apr_array_make(p, 32, sizeof(ics_line));
    char *buf = apr_palloc(p, strlen(ics) + 1);
    const char *s = ics;
    while (*s) {
        apr_size_t n = 0;
        for (;;) {
            while (*s && *s != '\r' && *s != '\n') {
                buf[n++] = *s++;
            }
            if (*s == '\r') {
                s++;
            }
            if (*s == '\n') {
                s++;
            }
            if (*s == ' ' || *s == '\t') {
                s++;       /* a folded line goes on */
                continue;
            }
            break;
        }
        buf[n] = '\0';
        if (n == 0) {
            continue;
        }
        char *line = apr_pstrndup(p, buf, n);
        /* the value starts at the first ':' outside a quoted parameter value */
        char *colon = NULL;
        int quoted = 0;
        for (char *c = line; *c && !colon; c++) {
            if (*c == '"') {
                quoted = !quoted;
            }
            else if (*c == ':' && !quoted) {
                colon = c;
            }
        }
        if (!colon) {
            continue;
        }
        *colon = '\0';
        ics_line *l = apr_array_push(lines);
        char *semi = strchr(line, ';');
        l->params = semi ? apr_pstrdup(p, semi) : "";
        if (semi) {
            *semi = '\0';
        }
        for (char *c = line; *c; c++) {
            if (*c >= 'a' && *c <= 'z') {
                *c = (char)(*c - 'a' + 'A');
            }
        }
        l->name = line;
        l->value = colon + 1;
    }
    return lines;
}

/* The value of parameter `name` (e.g. "TZID") in params, or NULL. */
static const char *param(apr_pool_t *p, const char *params, const char *name)
{
    apr_size_t len = strlen(name);
    for (const char *s = params; s && (s = strchr(s, ';')) != NULL; s++) {
        if (strncasecmp(s + 1, name, len) == 0 && s[1 + len] == '=') {
            const char *v = s + 2 + len;
            if (*v == '"') {
                const char *end = strchr(v + 1, '"');
                return end ? apr_pstrndup(p, v + 1, (apr_size_t)(end - v - 1)) : NULL;
            }
            return apr_pstrndup(p, v, strcspn(v, ";:"));
        }
    }
    return NULL;
}

/* The zones an object's times are read in, each loaded once. */
typedef struct zones {
    apr_pool_t *p;
    const char *dir;
    apr_hash_t *loaded;     /* name -> kf_zone, or &unknown_zone when no file has it */
    const char *floating;   /* the zone of dates and floating times (NULL: UTC) */
} zones;

static char unknown_zone;

static kf_zone *zone_named(zones *z, const char *name)
{
    if (!name) {
        return NULL;
    }
    void *known = apr_hash_get(z->loaded, name, APR_HASH_KEY_STRING);
    if (!known) {
        const char *why = NULL;
        kf_zone *zone = kf_zone_load(z->p, z->dir, name, &why);
        known = zone ? (void *)zone : (void *)&unknown_zone;
        apr_hash_set(z->loaded, apr_pstrdup(z->p, name), APR_HASH_KEY_STRING, known);
    }
    return known == (void *)&unknown_zone ? NULL : known;
}

/* The instant of a wall-clock time in zone (NULL: UTC). */
static apr_int64_t instant_in(const kf_zone *zone, apr_int64_t local)
{
    return zone ? kf_zone_instant(zone, local) : local;
}

/* A DATE or DATE-TIME value as read. */
typedef struct ics_when {
    apr_int64_t t;          /* its instant */
    apr_int64_t local;      /* its wall clock, seconds since 1970-01-01T00:00 of that clock */
    const kf_zone *zone;    /* the wall clock's zone (NULL: UTC) */
    int is_date;            /* a date alone */
} ics_when;

/* A value in UTC ("...Z"), in its TZID's zone, or else (a date, a floating time, a zone we
 * do not know: a Windows name) in the floating zone. 0 when malformed. */
static int ics_time(zones *z, const char *value, const char *tzid, ics_when *w)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    apr_size_t len = strlen(value);
    if (len < 8 || !kf_parse_digits(value, 4, &y) || !kf_parse_digits(value + 4, 2, &mo) ||
        !kf_parse_digits(value + 6, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
        return 0;
    }
    w->is_date = len == 8;
    if (!w->is_date &&
        (len < 15 || value[8] != 'T' || !kf_parse_digits(value + 9, 2, &h) ||
         !kf_parse_digits(value + 11, 2, &mi) || !kf_parse_digits(value + 13, 2, &se))) {
        return 0;
    }
    w->local = kf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    w->zone = NULL;
    if (w->is_date || value[len - 1] != 'Z') {
        w->zone = !w->is_date && tzid ? zone_named(z, tzid) : NULL;
        w->zone = w->zone ? w->zone : zone_named(z, z->floating);
    }
    w->t = instant_in(w->zone, w->local);
    return 1;
}

/* An RFC 5545 DURATION ("PT1H30M", "P1D", "P2W"), seconds; 0 when malformed. */
static int ics_duration(const char *s, apr_int64_t *out)
{
    apr_int64_t total = 0, n = 0;
    int sign = 1, in_time = 0, seen = 0;
    if (*s == '+' || *s == '-') {
        sign = *s == '-' ? -1 : 1;
        s++;
    }
    if (*s++ != 'P') {
        return 0;
    }
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            n = n * 10 + (*s - '0');
            if (n > 100000000) {
                return 0;
            }
            continue;
        }
        switch (*s) {
        case 'T': in_time = 1; n = 0; continue;
        case 'W': total += n * 7 * 86400; break;
        case 'D': total += n * 86400; break;
        case 'H': if (!in_time) return 0; total += n * 3600; break;
        case 'M': if (!in_time) return 0; total += n * 60; break;
        case 'S': if (!in_time) return 0; total += n; break;
        default: return 0;
        }
        seen = 1;
        n = 0;
    }
    *out = sign * total;
    return seen;
}

/* The value of RRULE part `name` ("FREQ"), or NULL. */
static const char *rule_part(apr_pool_t *p, const char *rule, const char *name)
{
    apr_size_t len = strlen(name);
    for (const char *s = rule; s && *s; s = strchr(s, ';'), s = s ? s + 1 : NULL) {
        if (strncasecmp(s, name, len) == 0 && s[len] == '=') {
            return apr_pstrndup(p, s + len + 1, strcspn(s + len + 1, ";"));
        }
    }
    return NULL;
}

static void add_busy(apr_array_header_t *out, apr_int64_t start, apr_int64_t end,
                     apr_int64_t from, apr_int64_t to)
{
    if (end > from && start < to && end > start) {
        kf_cal_busy *b = apr_array_push(out);
        b->start = start < from ? from : start;
        b->end = end > to ? to : end;
    }
}

/* One VEVENT as read. */
typedef struct ics_event {
    ics_when start;
    apr_int64_t end;
    const char *rule;       /* RRULE, or NULL */
    const char *tzid;       /* DTSTART's TZID, or NULL (UNTIL is read in it) */
    int transparent;
    int cancelled;
} ics_event;

/* An event's busy times: once, or each occurrence of its rule. */
static void event_busy(zones *z, const ics_event *ev, apr_int64_t from, apr_int64_t to,
                       apr_array_header_t *out)
{
    const char *rule = ev->rule;
    if (!rule) {
        add_busy(out, ev->start.t, ev->end, from, to);
        return;
    }
    const char *freq = rule_part(z->p, rule, "FREQ");
    const char *interval = rule_part(z->p, rule, "INTERVAL");
    const char *count = rule_part(z->p, rule, "COUNT");
    const char *until = rule_part(z->p, rule, "UNTIL");
    int step_days = freq && strcasecmp(freq, "DAILY") == 0 ? 1
                    : freq && strcasecmp(freq, "WEEKLY") == 0 ? 7 : 0;
    int simple = step_days && !rule_part(z->p, rule, "BYDAY") &&
                 !rule_part(z->p, rule, "BYMONTH") && !rule_part(z->p, rule, "BYSETPOS") &&
                 !rule_part(z->p, rule, "BYHOUR");
    if (!simple) {
        add_busy(out, ev->start.t, to, from, to);   /* not followed here: busy, never offered */
        return;
    }
    apr_int64_t every = (interval ? apr_atoi64(interval) : 1) * step_days;
    apr_int64_t last = to;
    ics_when u;
    if (until && ics_time(z, until, ev->tzid, &u)) {
        last = u.is_date ? instant_in(u.zone, u.local + 86400) - 1 : u.t;
    }
    apr_int64_t times = count ? apr_atoi64(count) : MAX_OCCURRENCES;
    if (every <= 0) {
        return;
    }
    /* occurrences keep the wall clock of the first (the zone's offset may change between) */
    apr_int64_t length = ev->end - ev->start.t;
    for (apr_int64_t i = 0; i < times && i < MAX_OCCURRENCES; i++) {
        apr_int64_t s = instant_in(ev->start.zone, ev->start.local + i * every * 86400);
        if (s > last || s >= to) {
            break;
        }
        add_busy(out, s, s + length, from, to);
    }
}

/* Called with each VEVENT that has a start; 0 stops the walk. */
typedef int ics_event_fn(zones *z, const ics_event *ev, void *data);

/* Walks the VEVENTs of an object: 0 when the text is not an iCalendar object. */
static int each_event(zones *z, const char *ics, ics_event_fn *fn, void *data)
{
    apr_pool_t *p = z->p;
    apr_array_header_t *lines = ics_lines(p, ics ? ics : "");
    const ics_line *l = (const ics_line *)lines->elts;
    if (lines->nelts == 0 || strcmp(l[0].name, "BEGIN") != 0 ||
        strcasecmp(l[0].value, "VCALENDAR") != 0) {
        return 0;
    }
    int depth = 0, in_event = 0, has_start = 0, has_end = 0, has_duration = 0;
    ics_event ev;
    ics_when end;
    apr_int64_t duration = 0;
    for (int i = 0; i < lines->nelts; i++) {
        if (strcmp(l[i].name, "BEGIN") == 0) {
            depth++;
            if (depth == 2 && strcasecmp(l[i].value, "VEVENT") == 0) {
                in_event = 1;
                has_start = has_end = has_duration = 0;
                memset(&ev, 0, sizeof(ev));
            }
            continue;
        }
        if (strcmp(l[i].name, "END") == 0) {
            if (depth == 2 && in_event) {
                in_event = 0;
                if (has_start) {
                    /* without an end: a date is its whole day, a time an instant (RFC 5545
                     * 3.6.1); days of a duration are days of the wall clock */
                    ev.end = has_end ? end.t
                             : has_duration && ev.start.is_date
                                 ? instant_in(ev.start.zone, ev.start.local + duration)
                             : has_duration ? ev.start.t + duration
                             : ev.start.is_date ? instant_in(ev.start.zone, ev.start.local + 86400)
                                                : ev.start.t;
                    if (!fn(z, &ev, data)) {
                        return 1;
                    }
                }
            }
            depth--;
            continue;
        }
        if (depth != 2 || !in_event) {
            continue;   /* a VALARM's lines, a VTIMEZONE's */
        }
        const char *name = l[i].name;
        if (strcmp(name, "DTSTART") == 0) {
            ev.tzid = param(p, l[i].params, "TZID");
            has_start = ics_time(z, l[i].value, ev.tzid, &ev.start);
        }
        else if (strcmp(name, "DTEND") == 0) {
            has_end = ics_time(z, l[i].value, param(p, l[i].params, "TZID"), &end);
        }
        else if (strcmp(name, "DURATION") == 0) {
            has_duration = ics_duration(l[i].value, &duration);
        }
        else if (strcmp(name, "RRULE") == 0) {
            ev.rule = l[i].value;
        }
        else if (strcmp(name, "TRANSP") == 0) {
            ev.transparent = strcasecmp(l[i].value, "TRANSPARENT") == 0;
        }
        else if (strcmp(name, "STATUS") == 0) {
            ev.cancelled = strcasecmp(l[i].value, "CANCELLED") == 0;
        }
    }
    return 1;
}

typedef struct busy_walk {
    apr_int64_t from, to;
    apr_array_header_t *out;
} busy_walk;

static int busy_of_event(zones *z, const ics_event *ev, void *data)
{
    busy_walk *w = data;
    if (!ev->transparent && !ev->cancelled) {
        event_busy(z, ev, w->from, w->to, w->out);
    }
    return 1;
}

int kf_caldav_read_ics(apr_pool_t *p, const char *ics, apr_int64_t from, apr_int64_t to,
                       const char *zone_dir, const char *zone, apr_array_header_t *out)
{
    zones z = {p, zone_dir, apr_hash_make(p), zone};
    busy_walk w = {from, to, out};
    return each_event(&z, ics, busy_of_event, &w);
}

typedef struct first_walk {
    ics_event ev;
    int found;
} first_walk;

static int first_event(zones *z, const ics_event *ev, void *data)
{
    first_walk *w = data;
    (void)z;
    w->ev = *ev;
    w->found = 1;
    return 0;
}

int kf_caldav_event_times(apr_pool_t *p, const char *ics, const char *zone_dir, const char *zone,
                          apr_int64_t *start, apr_int64_t *end, int *cancelled)
{
    zones z = {p, zone_dir, apr_hash_make(p), zone};
    first_walk w = {.found = 0};
    if (!each_event(&z, ics, first_event, &w) || !w.found) {
        return 0;
    }
    *start = w.ev.start.t;
    *end = w.ev.end;
    *cancelled = w.ev.cancelled;
    return 1;
}

/* The TZID of the VTIMEZONE in an object (a collection's calendar-timezone), or NULL. */
static const char *vtimezone_id(apr_pool_t *p, const char *ics)
{
    apr_array_header_t *lines = ics_lines(p, ics ? ics : "");
    const ics_line *l = (const ics_line *)lines->elts;
    int depth = 0, zone_depth = 0;
    for (int i = 0; i < lines->nelts; i++) {
        if (strcmp(l[i].name, "BEGIN") == 0) {
            depth++;
            if (!zone_depth && strcasecmp(l[i].value, "VTIMEZONE") == 0) {
                zone_depth = depth;
            }
        }
        else if (strcmp(l[i].name, "END") == 0) {
            zone_depth = depth == zone_depth ? 0 : zone_depth;
            depth--;
        }
        else if (zone_depth && depth == zone_depth && strcmp(l[i].name, "TZID") == 0) {
            return trimmed(p, l[i].value);   /* not the STANDARD's or DAYLIGHT's lines */
        }
    }
    return NULL;
}

int kf_caldav_ics_sequence(const char *ics)
{
    const char *s = ics ? strstr(ics, "\nSEQUENCE:") : NULL;
    return s ? atoi(s + strlen("\nSEQUENCE:")) : 0;
}

const char *kf_caldav_resolve(apr_pool_t *p, const char *base_url, const char *href)
{
    if (strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0) {
        return href;
    }
    const char *host = strstr(base_url, "://");
    const char *path = host ? strchr(host + 3, '/') : NULL;
    apr_size_t origin = path ? (apr_size_t)(path - base_url) : strlen(base_url);
    return apr_pstrcat(p, apr_pstrndup(p, base_url, origin), *href == '/' ? "" : "/", href, NULL);
}

/* How long the scheme and authority of a URL are (up to its path). */
static apr_size_t origin_length(const char *url)
{
    const char *host = strstr(url, "://");
    const char *path = host ? strchr(host + 3, '/') : NULL;
    return path ? (apr_size_t)(path - url) : strlen(url);
}

/* How long a URL's path is without its trailing slashes. */
static apr_size_t path_length(const char *path)
{
    apr_size_t len = strlen(path);
    while (len > 0 && path[len - 1] == '/') {
        len--;
    }
    return len;
}

int kf_caldav_same_collection(const char *a, const char *b)
{
    if (!a || !b) {
        return 0;
    }
    apr_size_t oa = origin_length(a), ob = origin_length(b);
    if (oa != ob || strncasecmp(a, b, oa) != 0) {
        return 0;
    }
    apr_size_t la = path_length(a + oa), lb = path_length(b + ob);
    return la == lb && memcmp(a + oa, b + ob, la) == 0;
}

const char *kf_caldav_collection_name(apr_pool_t *p, const char *displayname, const char *url)
{
    const char *name = trimmed(p, displayname);
    if (name && kf_utf8_valid(name, strlen(name)) && kf_utf8_length(name) <= KF_CALDAV_NAME_MAX) {
        return name;
    }
    /* the last part of the path ("/ana/work/" -> "work"), at most the same length */
    const char *path = url + origin_length(url);
    apr_size_t end = path_length(path), start = end;
    while (start > 0 && path[start - 1] != '/') {
        start--;
    }
    apr_size_t len = end - start;
    if (len > KF_CALDAV_NAME_MAX) {
        len = KF_CALDAV_NAME_MAX;
        while (len > 0 && ((unsigned char)path[start + len] & 0xC0) == 0x80) {
            len--;   /* not in the middle of a character */
        }
    }
    return len ? apr_pstrndup(p, path + start, len) : url;
}

const char *kf_caldav_event_name(apr_pool_t *p, const char *reference)
{
    return apr_pstrcat(p, reference, ".ics", NULL);
}
