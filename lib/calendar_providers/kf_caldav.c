/* CalDAV's requests and answers: see kf_caldav.h. */
#include "kf_caldav.h"
#include "kf_calendar.h"
#include "kf_ics.h"
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
           "</d:prop></d:propfind>";
}

static const char *ics_range(apr_pool_t *p, apr_int64_t from, apr_int64_t to)
{
    return apr_pstrcat(p, "<c:time-range start=\"", kf_ics_utc(p, apr_time_from_sec(from)),
                       "\" end=\"", kf_ics_utc(p, apr_time_from_sec(to)), "\"/>", NULL);
}

const char *kf_caldav_freebusy_body(apr_pool_t *p, apr_int64_t from, apr_int64_t to)
{
    return apr_pstrcat(p, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                          "<c:free-busy-query xmlns:c=\"urn:ietf:params:xml:ns:caldav\">",
                       ics_range(p, from, to), "</c:free-busy-query>", NULL);
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

/* The trimmed text of a child's href (NULL: none). */
static const char *href_in(apr_pool_t *p, const xmlNode *n)
{
    const char *s = text_of(p, child(n, NS_DAV, "href"));
    if (!s) {
        return NULL;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
        s++;
    }
    apr_size_t len = strlen(s);
    while (len > 0 && strchr(" \t\r\n", s[len - 1])) {
        len--;
    }
    return len ? apr_pstrndup(p, s, len) : NULL;
}

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
        *res = (kf_caldav_resource){href_in(p, response), 0, 1, 1, NULL, NULL};
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
                    is(what, NS_DAV, "write-content")) {
                    res->writable = 1;
                }
            }
        }
    }
    const char *principal = href_in(p, child(prop, NS_DAV, "current-user-principal"));
    const char *home = href_in(p, child(prop, NS_CALDAV, "calendar-home-set"));
    res->principal = principal ? principal : res->principal;
    res->home = home ? home : res->home;
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

/* A DATE or DATE-TIME value: UTC ("...Z"), in the TZID's zone, or floating / a date (taken
 * as UTC). *is_date: a date alone. 0 when malformed. */
typedef struct zones {
    apr_pool_t *p;
    const char *dir;
    apr_hash_t *loaded;
} zones;

static int ics_time(zones *z, const char *value, const char *tzid, apr_int64_t *t, int *is_date)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    apr_size_t len = strlen(value);
    if (len < 8 || !kf_parse_digits(value, 4, &y) || !kf_parse_digits(value + 4, 2, &mo) ||
        !kf_parse_digits(value + 6, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
        return 0;
    }
    *is_date = len == 8;
    if (!*is_date &&
        (len < 15 || value[8] != 'T' || !kf_parse_digits(value + 9, 2, &h) ||
         !kf_parse_digits(value + 11, 2, &mi) || !kf_parse_digits(value + 13, 2, &se))) {
        return 0;
    }
    apr_int64_t local = kf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *t = local;
    if (*is_date || value[len - 1] == 'Z' || !tzid) {
        return 1;
    }
    kf_zone *zone = apr_hash_get(z->loaded, tzid, APR_HASH_KEY_STRING);
    if (!zone) {
        const char *why = NULL;
        zone = kf_zone_load(z->p, z->dir, tzid, &why);
        if (!zone) {
            return 1;   /* a zone we do not know (a Windows name): its wall clock as UTC */
        }
        apr_hash_set(z->loaded, apr_pstrdup(z->p, tzid), APR_HASH_KEY_STRING, zone);
    }
    *t = kf_zone_instant(zone, local);
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

/* An event's busy times: once, or each occurrence of its rule. */
static void event_busy(zones *z, apr_int64_t start, apr_int64_t end, const char *rule,
                       const char *tzid, apr_int64_t from, apr_int64_t to,
                       apr_array_header_t *out)
{
    if (!rule) {
        add_busy(out, start, end, from, to);
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
        add_busy(out, start, to, from, to);   /* not followed here: busy, never offered */
        return;
    }
    apr_int64_t every = (interval ? apr_atoi64(interval) : 1) * step_days;
    apr_int64_t last = to;
    int is_date = 0;
    if (until && ics_time(z, until, tzid, &last, &is_date) && is_date) {
        last += 86400 - 1;
    }
    apr_int64_t times = count ? apr_atoi64(count) : MAX_OCCURRENCES;
    if (every <= 0) {
        return;
    }
    /* occurrences keep the wall clock of the first (the zone's offset may change between) */
    kf_zone *zone = tzid ? apr_hash_get(z->loaded, tzid, APR_HASH_KEY_STRING) : NULL;
    apr_int64_t length = end - start;
    apr_int64_t local = zone ? start + kf_zone_offset(zone, start) : start;
    for (apr_int64_t i = 0; i < times && i < MAX_OCCURRENCES; i++) {
        apr_int64_t wall = local + i * every * 86400;
        apr_int64_t s = zone ? kf_zone_instant(zone, wall) : wall;
        if (s > last || s >= to) {
            break;
        }
        add_busy(out, s, s + length, from, to);
    }
}

/* A FREEBUSY value: comma-separated periods start/end or start/duration (UTC). */
static void freebusy_periods(zones *z, const char *value, apr_int64_t from, apr_int64_t to,
                             apr_array_header_t *out)
{
    char *last = NULL;
    for (char *period = apr_strtok(apr_pstrdup(z->p, value), ",", &last); period;
         period = apr_strtok(NULL, ",", &last)) {
        char *slash = strchr(period, '/');
        apr_int64_t s = 0, e = 0, d = 0;
        int is_date = 0;
        if (!slash) {
            continue;
        }
        *slash = '\0';
        if (!ics_time(z, period, NULL, &s, &is_date)) {
            continue;
        }
        if (ics_duration(slash + 1, &d)) {
            e = s + d;
        }
        else if (!ics_time(z, slash + 1, NULL, &e, &is_date)) {
            continue;
        }
        add_busy(out, s, e, from, to);
    }
}

int kf_caldav_read_ics(apr_pool_t *p, const char *ics, apr_int64_t from, apr_int64_t to,
                       const char *zone_dir, apr_array_header_t *out)
{
    apr_array_header_t *lines = ics_lines(p, ics ? ics : "");
    const ics_line *l = (const ics_line *)lines->elts;
    zones z = {p, zone_dir, apr_hash_make(p)};
    if (lines->nelts == 0 || strcmp(l[0].name, "BEGIN") != 0 ||
        strcasecmp(l[0].value, "VCALENDAR") != 0) {
        return 0;
    }
    int depth = 0, in_event = 0, in_freebusy = 0;
    apr_int64_t start = 0, end = 0, duration = 0;
    int has_start = 0, has_end = 0, has_duration = 0, start_is_date = 0, skip = 0;
    const char *rule = NULL, *tzid = NULL;
    for (int i = 0; i < lines->nelts; i++) {
        if (strcmp(l[i].name, "BEGIN") == 0) {
            depth++;
            if (depth == 2 && strcasecmp(l[i].value, "VEVENT") == 0) {
                in_event = 1;
                has_start = has_end = has_duration = start_is_date = skip = 0;
                rule = tzid = NULL;
            }
            in_freebusy = depth == 2 && strcasecmp(l[i].value, "VFREEBUSY") == 0;
            continue;
        }
        if (strcmp(l[i].name, "END") == 0) {
            if (depth == 2 && in_event) {
                in_event = 0;
                if (has_start && !skip) {
                    apr_int64_t e = has_end ? end
                                    : has_duration ? start + duration
                                    : start_is_date ? start + 86400 : start;
                    event_busy(&z, start, e, rule, tzid, from, to, out);
                }
            }
            in_freebusy = 0;
            depth--;
            continue;
        }
        if (depth == 2 && in_freebusy && strcmp(l[i].name, "FREEBUSY") == 0) {
            const char *type = param(p, l[i].params, "FBTYPE");
            if (!type || strcasecmp(type, "FREE") != 0) {
                freebusy_periods(&z, l[i].value, from, to, out);
            }
            continue;
        }
        if (depth != 2 || !in_event) {
            continue;   /* a VALARM's lines, a VTIMEZONE's */
        }
        const char *name = l[i].name;
        if (strcmp(name, "DTSTART") == 0) {
            tzid = param(p, l[i].params, "TZID");
            has_start = ics_time(&z, l[i].value, tzid, &start, &start_is_date);
        }
        else if (strcmp(name, "DTEND") == 0) {
            int is_date = 0;
            has_end = ics_time(&z, l[i].value, param(p, l[i].params, "TZID"), &end, &is_date);
        }
        else if (strcmp(name, "DURATION") == 0) {
            has_duration = ics_duration(l[i].value, &duration);
        }
        else if (strcmp(name, "RRULE") == 0) {
            rule = l[i].value;
        }
        else if (strcmp(name, "TRANSP") == 0 && strcasecmp(l[i].value, "TRANSPARENT") == 0) {
            skip = 1;
        }
        else if (strcmp(name, "STATUS") == 0 && strcasecmp(l[i].value, "CANCELLED") == 0) {
            skip = 1;
        }
    }
    return 1;
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

const char *kf_caldav_event_name(apr_pool_t *p, const char *reference)
{
    return apr_pstrcat(p, reference, ".ics", NULL);
}
