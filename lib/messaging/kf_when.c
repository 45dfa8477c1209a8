/* Dates and times for mails and texts (see kf_when.h). */
#include "kf_when.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static const char *const days_es[] = {"lunes", "martes", "miércoles", "jueves", "viernes",
                                      "sábado", "domingo"};
static const char *const days_en[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                      "Saturday", "Sunday"};
static const char *const months_es[] = {"enero", "febrero", "marzo", "abril", "mayo", "junio",
                                        "julio", "agosto", "septiembre", "octubre",
                                        "noviembre", "diciembre"};
static const char *const months_en[] = {"January", "February", "March", "April", "May", "June",
                                        "July", "August", "September", "October", "November",
                                        "December"};

/* A no-break space, as Intl writes inside "3:30 p. m." in browsers: the time never breaks
 * across two lines of a mail. */
#define NBSP "\xc2\xa0"

/* What may follow the minutes: ":SS", then "Z" or "±HH:MM". Returns 1 with *has_offset and
 * *offset (minutes east of UTC), or 0 when anything else follows. */
static int parse_tail(const char *s, int *has_offset, int *offset)
{
    int v, oh, om;
    *has_offset = 0;
    *offset = 0;
    if (s[0] == ':') {
        if (!kf_parse_digits(s + 1, 2, &v) || v > 59) {
            return 0;
        }
        s += 3;
    }
    if (s[0] == 'Z' && s[1] == '\0') {
        *has_offset = 1;
        return 1;
    }
    if ((s[0] == '+' || s[0] == '-') && strlen(s) == 6 && s[3] == ':' &&
        kf_parse_digits(s + 1, 2, &oh) && kf_parse_digits(s + 4, 2, &om) && oh <= 23 &&
        om <= 59) {
        *has_offset = 1;
        *offset = (s[0] == '-' ? -1 : 1) * (oh * 60 + om);
        return 1;
    }
    return s[0] == '\0';
}

/* "GMT-5", "GMT+5:30", "GMT" for UTC itself: Intl's shortOffset. */
static const char *gmt_offset(apr_pool_t *p, int offset)
{
    if (offset == 0) {
        return "GMT";
    }
    int a = abs(offset);
    return a % 60 ? apr_psprintf(p, "GMT%c%d:%02d", offset < 0 ? '-' : '+', a / 60, a % 60)
                  : apr_psprintf(p, "GMT%c%d", offset < 0 ? '-' : '+', a / 60);
}

/* The zone as the pages name it: the last part of its IANA name, "_" read as a space
 * ("America/Argentina/Buenos_Aires" is "Buenos Aires"). */
static const char *zone_city(apr_pool_t *p, const char *zone)
{
    const char *slash = strrchr(zone, '/');
    char *city = apr_pstrdup(p, slash ? slash + 1 : zone);
    for (char *c = city; *c; c++) {
        if (*c == '_') {
            *c = ' ';
        }
    }
    return city;
}

const char *kf_when_long(apr_pool_t *p, kf_locale locale, const char *local, const char *zone)
{
    int y, mo, d, h, mi, has_offset, offset;
    if (!local || strlen(local) < 16 || local[4] != '-' || local[7] != '-' ||
        (local[10] != 'T' && local[10] != ' ') || local[13] != ':' ||
        !kf_parse_digits(local, 4, &y) || !kf_parse_digits(local + 5, 2, &mo) ||
        !kf_parse_digits(local + 8, 2, &d) || !kf_parse_digits(local + 11, 2, &h) ||
        !kf_parse_digits(local + 14, 2, &mi) || mo < 1 || mo > 12 || d < 1 || h > 23 ||
        mi > 59 || !parse_tail(local + 16, &has_offset, &offset)) {
        return NULL;
    }
    apr_int64_t days = kf_days_from_civil(y, mo, d);
    int cy, cm, cd;
    kf_civil_from_days(days, &cy, &cm, &cd);
    if (cy != y || cm != mo || cd != d) {
        return NULL;   /* 31 February and the like */
    }
    /* 1970-01-01 was a Thursday (index 3 with Monday = 0) */
    int weekday = (int)(((days % 7) + 7 + 3) % 7);
    int en = locale == KF_LOCALE_EN;
    /* 12-hour clock both ways, as Intl writes en-US and es-CO: midnight is 12 a. m. */
    int h12 = h % 12 == 0 ? 12 : h % 12;
    const char *when =
        en ? apr_psprintf(p, "%s, %s %d, %d · %d:%02d" NBSP "%s", days_en[weekday],
                          months_en[mo - 1], d, y, h12, mi, h < 12 ? "AM" : "PM")
           : apr_psprintf(p, "%s, %d de %s de %d · %d:%02d" NBSP "%s", days_es[weekday], d,
                          months_es[mo - 1], y, h12, mi,
                          h < 12 ? "a." NBSP "m." : "p." NBSP "m.");
    if (!zone || !*zone) {
        return when;
    }
    const char *city = zone_city(p, zone);
    const char *named = en ? apr_pstrcat(p, city, " time", NULL)
                           : apr_pstrcat(p, "hora de ", city, NULL);
    return has_offset ? apr_psprintf(p, "%s (%s, %s)", when, named, gmt_offset(p, offset))
                      : apr_psprintf(p, "%s (%s)", when, named);
}
