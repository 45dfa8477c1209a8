/* Time zones from TZif files: see kf_zone.h. The transition search follows PostgreSQL's
 * pg_next_dst_boundary (src/timezone/localtime.c) and the wall-clock resolution its
 * DetermineTimeZoneOffsetInternal (src/backend/utils/adt/datetime.c), so that the module's
 * answers and the database's agree to the second. */
#include "kf_zone.h"
#include "kf_time.h"

#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#define MAX_ZONE_FILE (1 << 20)
#define MAX_OFFSET (26 * 3600)

typedef struct zone_type {
    int offset;                 /* seconds east of UTC */
    int isdst;
} zone_type;

/* One date of a POSIX rule: Jn (1..365, no Feb 29), n (0..365), or Mm.w.d. */
typedef struct rule_date {
    char kind;                  /* 'J', 'N' or 'M' */
    int n, month, week, weekday;
    int time;                   /* seconds after local midnight (may be negative or > 24 h) */
} rule_date;

typedef struct posix_rule {
    int has_dst;
    zone_type std, dst;
    rule_date start, end;       /* start in standard time, end in daylight time */
} posix_rule;

struct kf_zone {
    int ntrans;
    apr_int64_t *at;            /* ascending */
    unsigned char *type;        /* index into types of the type from at[i] on */
    int ntypes;
    zone_type *types;
    int has_rule;
    posix_rule rule;            /* the footer: what follows the last transition */
};

typedef struct transition {
    apr_int64_t at;
    zone_type type;
} transition;

/* ---- POSIX TZ strings (RFC 8536 section 3.3, POSIX.1 TZ) ---- */

static const char *parse_name(const char *s)
{
    if (*s == '<') {
        const char *e = strchr(s, '>');
        return e && e - s >= 4 ? e + 1 : NULL;
    }
    const char *b = s;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        s++;
    }
    return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] with hh <= max_hours; *secs signed. */
static const char *parse_hms(const char *s, int max_hours, int *secs)
{
    int sign = 1, part[3] = {0, 0, 0};
    if (*s == '+' || *s == '-') {
        sign = *s == '-' ? -1 : 1;
        s++;
    }
    for (int i = 0; i < 3; i++) {
        if (i > 0) {
            if (*s != ':') {
                break;
            }
            s++;
        }
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            part[i] = part[i] * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0 || (i > 0 && part[i] > 59)) {
            return NULL;
        }
    }
    if (part[0] > max_hours) {
        return NULL;
    }
    *secs = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    return s;
}

static const char *parse_number(const char *s, int lo, int hi, int *out)
{
    int v = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 4) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0 || v < lo || v > hi) {
        return NULL;
    }
    *out = v;
    return s;
}

static const char *parse_rule_date(const char *s, rule_date *d)
{
    memset(d, 0, sizeof(*d));
    if (*s == 'J') {
        d->kind = 'J';
        s = parse_number(s + 1, 1, 365, &d->n);
    } else if (*s == 'M') {
        d->kind = 'M';
        s = parse_number(s + 1, 1, 12, &d->month);
        s = s && *s == '.' ? parse_number(s + 1, 1, 5, &d->week) : NULL;
        s = s && *s == '.' ? parse_number(s + 1, 0, 6, &d->weekday) : NULL;
    } else {
        d->kind = 'N';
        s = parse_number(s, 0, 365, &d->n);
    }
    d->time = 2 * 3600;
    if (s && *s == '/') {
        s = parse_hms(s + 1, 167, &d->time);
    }
    return s;
}

/* The footer; an empty one means no rule. 1, or 0 when malformed. */
static int parse_posix(const char *s, kf_zone *z)
{
    posix_rule *r = &z->rule;
    int secs;
    if (!*s) {
        return 1;
    }
    if (!(s = parse_name(s)) || !(s = parse_hms(s, 24, &secs))) {
        return 0;
    }
    r->std.offset = -secs;   /* POSIX counts hours west */
    z->has_rule = 1;
    if (!*s) {
        return 1;
    }
    if (!(s = parse_name(s))) {
        return 0;
    }
    r->has_dst = 1;
    r->dst.isdst = 1;
    r->dst.offset = r->std.offset + 3600;
    if (*s && *s != ',') {
        if (!(s = parse_hms(s, 24, &secs))) {
            return 0;
        }
        r->dst.offset = -secs;
    }
    if (!*s) {
        s = ",M3.2.0,M11.1.0";   /* tzcode's default rule for a DST name without dates */
    }
    if (*s != ',' || !(s = parse_rule_date(s + 1, &r->start)) || *s != ',' ||
        !(s = parse_rule_date(s + 1, &r->end)) || *s) {
        return 0;
    }
    return 1;
}

/* Days since the epoch of a rule's date in year y. */
static apr_int64_t rule_day(const rule_date *d, int y)
{
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    apr_int64_t jan1 = kf_days_from_civil(y, 1, 1);
    if (d->kind == 'J') {
        return jan1 + d->n - 1 + (leap && d->n >= 60 ? 1 : 0);
    }
    if (d->kind == 'N') {
        return jan1 + d->n;
    }
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    apr_int64_t first = kf_days_from_civil(y, d->month, 1);
    int first_weekday = (int)(((first % 7) + 7 + 4) % 7);   /* 1970-01-01 was a Thursday */
    int day = 1 + (d->weekday - first_weekday + 7) % 7 + 7 * (d->week - 1);
    int last = month_days[d->month - 1] + (d->month == 2 && leap ? 1 : 0);
    while (day > last) {
        day -= 7;
    }
    return first + day - 1;
}

/* The rule's two changes of year y, in order. */
static void rule_year(const posix_rule *r, int y, transition out[2])
{
    transition a = {rule_day(&r->start, y) * 86400 + r->start.time - r->std.offset, r->dst};
    transition b = {rule_day(&r->end, y) * 86400 + r->end.time - r->dst.offset, r->std};
    out[0] = a.at <= b.at ? a : b;
    out[1] = a.at <= b.at ? b : a;
}

static int year_of(apr_int64_t t)
{
    int y, m, d;
    kf_civil_from_days(kf_utc_day_of(t), &y, &m, &d);
    return y;
}

/* ---- lookups ---- */

/* PostgreSQL's choice for times before the first transition, or without any. */
static zone_type first_standard(const kf_zone *z)
{
    for (int i = 0; i < z->ntypes; i++) {
        if (!z->types[i].isdst) {
            return z->types[i];
        }
    }
    return z->types[0];
}

static apr_int64_t last_transition(const kf_zone *z)
{
    return z->ntrans ? z->at[z->ntrans - 1] : APR_INT64_MIN;
}

static int beyond_table(const kf_zone *z, apr_int64_t t)
{
    return z->ntrans == 0 || t >= z->at[z->ntrans - 1];
}

static zone_type state_at(const kf_zone *z, apr_int64_t t)
{
    if (z->ntrans > 0 && t < z->at[0]) {
        return first_standard(z);
    }
    if (!beyond_table(z, t)) {
        int lo = 0, hi = z->ntrans - 1;   /* the last i with at[i] <= t */
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (z->at[mid] <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return z->types[z->type[lo]];
    }
    if (z->has_rule && z->rule.has_dst) {
        int y = year_of(t);
        transition best = {APR_INT64_MIN, {0, 0}}, tr[2];
        for (int yy = y - 1; yy <= y; yy++) {
            rule_year(&z->rule, yy, tr);
            for (int i = 0; i < 2; i++) {
                if (tr[i].at <= t && tr[i].at > last_transition(z) && tr[i].at > best.at) {
                    best = tr[i];
                }
            }
        }
        if (best.at != APR_INT64_MIN) {
            return best.type;
        }
    }
    if (z->ntrans > 0) {
        return z->types[z->type[z->ntrans - 1]];
    }
    return z->has_rule ? z->rule.std : first_standard(z);
}

/* pg_next_dst_boundary: 1 with the first change after t (its instant, the type before and
 * after it), or 0 and *before alone when no change follows. */
static int next_boundary(const kf_zone *z, apr_int64_t t, zone_type *before,
                         apr_int64_t *boundary, zone_type *after)
{
    if (z->ntrans > 0 && t < z->at[0]) {
        *before = first_standard(z);
        *boundary = z->at[0];
        *after = z->types[z->type[0]];
        return 1;
    }
    if (!beyond_table(z, t)) {
        int lo = 1, hi = z->ntrans - 1;   /* the first i with at[i] > t */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (t < z->at[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        *before = z->types[z->type[lo - 1]];
        *boundary = z->at[lo];
        *after = z->types[z->type[lo]];
        return 1;
    }
    *before = state_at(z, t);
    if (!z->has_rule || !z->rule.has_dst) {
        return 0;
    }
    int y = year_of(t);
    transition best = {APR_INT64_MAX, {0, 0}}, tr[2];
    for (int yy = y - 1; yy <= y + 1; yy++) {
        rule_year(&z->rule, yy, tr);
        for (int i = 0; i < 2; i++) {
            if (tr[i].at > t && tr[i].at > last_transition(z) && tr[i].at < best.at) {
                best = tr[i];
            }
        }
    }
    if (best.at == APR_INT64_MAX) {
        return 0;
    }
    *boundary = best.at;
    *after = best.type;
    return 1;
}

int kf_zone_offset(const kf_zone *z, apr_int64_t t)
{
    return state_at(z, t).offset;
}

apr_int64_t kf_zone_instant(const kf_zone *z, apr_int64_t local)
{
    zone_type before, after;
    apr_int64_t boundary;
    /* offsets are below a day and changes more than two days apart, so the first change
     * after local - 24 h is the only one that can matter */
    if (!next_boundary(z, local - 86400, &before, &boundary, &after)) {
        return local - before.offset;
    }
    apr_int64_t before_time = local - before.offset, after_time = local - after.offset;
    if (before_time < boundary && after_time < boundary) {
        return before_time;
    }
    if (before_time > boundary && after_time >= boundary) {
        return after_time;
    }
    /* in a gap (spring forward) the earlier offset, in an overlap (fall back) the later */
    return before_time > after_time ? before_time : after_time;
}

void kf_zone_changes(const kf_zone *z, apr_int64_t from, apr_int64_t to,
                     apr_array_header_t *out)
{
    kf_tz_change *c = apr_array_push(out);
    c->at = from;
    c->offset = kf_zone_offset(z, from);
    int last = c->offset;
    zone_type before, after;
    apr_int64_t t = from, boundary;
    while (next_boundary(z, t, &before, &boundary, &after) && boundary <= to) {
        if (after.offset != last) {
            c = apr_array_push(out);
            c->at = boundary;
            c->offset = last = after.offset;
        }
        t = boundary;
    }
}

/* ---- TZif ---- */

static apr_uint32_t be32(const unsigned char *p)
{
    return ((apr_uint32_t)p[0] << 24) | ((apr_uint32_t)p[1] << 16) | ((apr_uint32_t)p[2] << 8) |
           p[3];
}

static apr_int64_t be64(const unsigned char *p)
{
    return (apr_int64_t)(((apr_uint64_t)be32(p) << 32) | be32(p + 4));
}

typedef struct tzif_counts {
    apr_uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static int read_counts(const unsigned char *p, apr_size_t len, tzif_counts *c)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0) {
        return 0;
    }
    c->isut = be32(p + 20);
    c->isstd = be32(p + 24);
    c->leap = be32(p + 28);
    c->time = be32(p + 32);
    c->type = be32(p + 36);
    c->chars = be32(p + 40);
    return c->time <= 100000 && c->type >= 1 && c->type <= 256 && c->chars <= 100000 &&
           c->leap <= 100000 && (c->isstd == 0 || c->isstd == c->type) &&
           (c->isut == 0 || c->isut == c->type);
}

static apr_size_t block_size(const tzif_counts *c, int time_size)
{
    return (apr_size_t)c->time * (apr_size_t)time_size + c->time + (apr_size_t)c->type * 6 +
           c->chars + (apr_size_t)c->leap * (apr_size_t)(time_size + 4) + c->isstd + c->isut;
}

kf_zone *kf_zone_parse(apr_pool_t *p, const unsigned char *data, apr_size_t len, const char **why)
{
    tzif_counts c;
    *why = "not a TZif file";
    if (!read_counts(data, len, &c)) {
        return NULL;
    }
    int time_size = 4;
    const unsigned char *end = data + len, *b = data + 44;
    if (data[4] >= '2') {   /* skip the 32-bit block: the 64-bit one follows with its header */
        apr_size_t v1 = block_size(&c, 4);
        if (v1 > len - 44 || !read_counts(data + 44 + v1, len - 44 - v1, &c)) {
            *why = "truncated TZif file";
            return NULL;
        }
        b = data + 44 + v1 + 44;
        time_size = 8;
    }
    if (block_size(&c, time_size) > (apr_size_t)(end - b)) {
        *why = "truncated TZif file";
        return NULL;
    }
    if (c.leap > 0) {
        *why = "zone with leap seconds";
        return NULL;
    }
    kf_zone *z = apr_pcalloc(p, sizeof(*z));
    z->ntrans = (int)c.time;
    z->ntypes = (int)c.type;
    z->at = apr_palloc(p, sizeof(apr_int64_t) * (c.time + 1));
    z->type = apr_palloc(p, c.time + 1);
    z->types = apr_palloc(p, sizeof(zone_type) * c.type);
    for (apr_uint32_t i = 0; i < c.time; i++) {
        z->at[i] = time_size == 8 ? be64(b + i * 8) : (apr_int32_t)be32(b + i * 4);
        if (i > 0 && z->at[i] <= z->at[i - 1]) {
            *why = "transitions out of order";
            return NULL;
        }
    }
    b += (apr_size_t)c.time * (apr_size_t)time_size;
    for (apr_uint32_t i = 0; i < c.time; i++) {
        z->type[i] = b[i];
        if (b[i] >= c.type) {
            *why = "transition to an unknown type";
            return NULL;
        }
    }
    b += c.time;
    for (apr_uint32_t i = 0; i < c.type; i++, b += 6) {
        z->types[i].offset = (apr_int32_t)be32(b);
        z->types[i].isdst = b[4] != 0;
        if (z->types[i].offset > MAX_OFFSET || z->types[i].offset < -MAX_OFFSET) {
            *why = "offset out of range";
            return NULL;
        }
    }
    b += c.chars + c.isstd + c.isut;
    if (time_size == 8 && b < end) {   /* the footer: "\n" TZ string "\n" */
        const unsigned char *nl = b + 1 < end ? memchr(b + 1, '\n', (apr_size_t)(end - b - 1)) : NULL;
        if (*b != '\n' || !nl) {
            *why = "malformed footer";
            return NULL;
        }
        char *tz = apr_pstrmemdup(p, (const char *)b + 1, (apr_size_t)(nl - b - 1));
        if (!parse_posix(tz, z)) {
            *why = "unsupported footer rule";
            return NULL;
        }
    }
    *why = NULL;
    return z;
}

int kf_zone_name_ok(const char *name)
{
    apr_size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64 || !((name[0] >= 'A' && name[0] <= 'Z') ||
                              (name[0] >= 'a' && name[0] <= 'z'))) {
        return 0;
    }
    if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/") != n) {
        return 0;
    }
    return name[n - 1] != '/' && !strstr(name, "//");
}

static const char *read_file(apr_pool_t *p, const char *path, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    if (apr_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, p) != APR_SUCCESS) {
        return NULL;
    }
    char *buf = NULL;
    if (apr_file_info_get(&fi, APR_FINFO_TYPE | APR_FINFO_SIZE, f) == APR_SUCCESS &&
        fi.filetype == APR_REG && fi.size > 0 && fi.size <= MAX_ZONE_FILE) {
        buf = apr_palloc(p, (apr_size_t)fi.size);
        if (apr_file_read_full(f, buf, (apr_size_t)fi.size, len) != APR_SUCCESS) {
            buf = NULL;
        }
    }
    apr_file_close(f);
    return buf;
}

/* The entry of `dir` named `part` regardless of case, or NULL. */
static const char *entry_ci(apr_pool_t *p, const char *dir, const char *part)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    const char *found = NULL;
    if (apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        return NULL;
    }
    while (!found && apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        if (strcasecmp(fi.name, part) == 0) {
            found = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(d);
    return found;
}

kf_zone *kf_zone_load(apr_pool_t *p, const char *dir, const char *name, const char **why)
{
    apr_size_t len = 0;
    if (!kf_zone_name_ok(name)) {
        *why = "not a zone name";
        return NULL;
    }
    const char *data = read_file(p, apr_pstrcat(p, dir, "/", name, NULL), &len);
    if (!data) {   /* PostgreSQL matches names case-insensitively, part by part */
        char *rest = apr_pstrdup(p, name), *state = NULL;
        const char *path = dir;
        for (char *part = apr_strtok(rest, "/", &state); part && path;
             part = apr_strtok(NULL, "/", &state)) {
            const char *entry = entry_ci(p, path, part);
            path = entry ? apr_pstrcat(p, path, "/", entry, NULL) : NULL;
        }
        data = path ? read_file(p, path, &len) : NULL;
    }
    if (!data) {
        *why = "no such zone";
        return NULL;
    }
    return kf_zone_parse(p, (const unsigned char *)data, len, why);
}
