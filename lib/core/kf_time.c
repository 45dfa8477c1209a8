#include "kf_time.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms). */
apr_int64_t kf_days_from_civil(int y, int m, int d)
{
    apr_int64_t yy = y - (m <= 2);
    apr_int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    apr_int64_t yoe = yy - era * 400;
    apr_int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    apr_int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void kf_civil_from_days(apr_int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    apr_int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    apr_int64_t doe = z - era * 146097;
    apr_int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    apr_int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    apr_int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static apr_int64_t floor_div(apr_int64_t a, apr_int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD" (10 chars) of day `days` since the epoch; years 0..9999 only. */
static void format_date(char *buf, apr_int64_t days)
{
    int y, m, d;
    kf_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(buf, "0000-00-00", 10);
        return;
    }
    put2(buf, y / 100);
    put2(buf + 2, y % 100);
    buf[4] = '-';
    put2(buf + 5, m);
    buf[7] = '-';
    put2(buf + 8, d);
}

static const char two_digits[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The last day each thread formatted, by the second it starts: an availability answer
 * formats its slots in order, three times each, so nearly every call falls within the day
 * of the one before and needs neither the civil date arithmetic nor a division by 86400
 * (together with the digit pairs below, 10.6 -> 4.2 ns a call; an uncached answer of 320
 * slots makes 960). Starts as the epoch's day. */
typedef struct day_formatted {
    apr_int64_t start;
    char date[10];
} day_formatted;
static _Thread_local day_formatted last_day = {0, {'1', '9', '7', '0', '-', '0', '1', '-', '0', '1'}};

/* "YYYY-MM-DDTHH:MM:SS" (19 chars) of the wall-clock time t; years 0..9999 only. */
static void format_wall(char *buf, apr_int64_t t)
{
    day_formatted *day = &last_day;
    /* unsigned: an earlier t wraps to a large value, as a later day's does */
    apr_uint64_t into_day = (apr_uint64_t)t - (apr_uint64_t)day->start;
    if (into_day >= 86400) {
        apr_int64_t days = floor_div(t, 86400);
        format_date(day->date, days);
        day->start = days * 86400;
        into_day = (apr_uint64_t)(t - day->start);
    }
    unsigned secs = (unsigned)into_day, h = secs / 3600, m = secs % 3600 / 60, sec = secs % 60;
    memcpy(buf, day->date, 10);
    buf[10] = 'T';
    memcpy(buf + 11, two_digits + 2 * h, 2);
    buf[13] = ':';
    memcpy(buf + 14, two_digits + 2 * m, 2);
    buf[16] = ':';
    memcpy(buf + 17, two_digits + 2 * sec, 2);
}

void kf_time_format_utc(char *buf, apr_int64_t t)
{
    format_wall(buf, t);
    buf[19] = 'Z';
    buf[20] = '\0';
}

const char *kf_time_utc_text(apr_pool_t *p, apr_int64_t t)
{
    char *buf = apr_palloc(p, KF_TIME_UTC_LEN + 1);
    kf_time_format_utc(buf, t);
    return buf;
}

void kf_time_format_local(char *buf, apr_int64_t t, int offset)
{
    format_wall(buf, t + offset);
    int a = offset < 0 ? -offset : offset;
    buf[19] = offset < 0 ? '-' : '+';
    put2(buf + 20, a / 3600 % 100);
    buf[22] = ':';
    put2(buf + 23, a / 60 % 60);
    buf[25] = '\0';
}

int kf_parse_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* "YYYY-MM-DD" at s (exactly 10 chars checked, not the terminator). */
static int parse_date_prefix(const char *s, apr_int64_t *days)
{
    int y, m, d;
    if (!kf_parse_digits(s, 4, &y) || s[4] != '-' || !kf_parse_digits(s + 5, 2, &m) ||
        s[7] != '-' || !kf_parse_digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, m)) {
        return 0;
    }
    *days = kf_days_from_civil(y, m, d);
    return 1;
}

int kf_date_parse(const char *s, apr_int64_t *days)
{
    apr_int64_t ignored;
    return s && strlen(s) == 10 && parse_date_prefix(s, days ? days : &ignored);
}

kf_time_parse_result kf_time_parse_rfc3339(const char *s, apr_int64_t *t)
{
    apr_int64_t days;
    int hh, mi, ss, oh = 0, om = 0, sign = 0, fraction = 0;
    if (!s || strlen(s) < 20 || !parse_date_prefix(s, &days) || (s[10] != 'T' && s[10] != 't') ||
        !kf_parse_digits(s + 11, 2, &hh) || s[13] != ':' || !kf_parse_digits(s + 14, 2, &mi) ||
        s[16] != ':' || !kf_parse_digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 59) {
        return KF_TIME_INVALID;
    }
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') {
            return KF_TIME_INVALID;
        }
        for (; *p >= '0' && *p <= '9'; p++) {
            fraction = fraction || *p != '0';
        }
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        sign = 0;
    }
    else if ((*p == '+' || *p == '-') && kf_parse_digits(p + 1, 2, &oh) && p[3] == ':' &&
             kf_parse_digits(p + 4, 2, &om) && p[6] == '\0' && oh <= 23 && om <= 59) {
        sign = *p == '-' ? -1 : 1;
    }
    else {
        return KF_TIME_INVALID;
    }
    *t = days * 86400 + hh * 3600 + mi * 60 + ss - sign * (oh * 3600 + om * 60);
    return fraction ? KF_TIME_FRACTION : KF_TIME_OK;
}

int kf_time_parse_provider(const char *s, apr_int64_t *usec)
{
    char buf[64];
    apr_size_t n = s ? strlen(s) : 0;
    if (n < 20 || n + 2 > sizeof(buf)) {
        return 0;
    }
    memcpy(buf, s, n + 1);
    /* "+hhmm" at the end -> "+hh:mm" */
    char *sign = buf + n - 5;
    if ((*sign == '+' || *sign == '-') && strspn(sign + 1, "0123456789") == 4) {
        memmove(sign + 4, sign + 3, 3);
        sign[3] = ':';
    }
    apr_int64_t t = 0;
    if (kf_time_parse_rfc3339(buf, &t) == KF_TIME_INVALID) {
        return 0;
    }
    apr_int64_t micro = 0, scale = 100000;
    for (const char *f = buf[19] == '.' ? buf + 20 : ""; *f >= '0' && *f <= '9'; f++) {
        micro += scale * (*f - '0');
        scale /= 10;
    }
    *usec = t * 1000000 + micro;
    return 1;
}

apr_int64_t kf_utc_day_of(apr_int64_t t)
{
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}
