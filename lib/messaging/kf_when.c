/* Dates and times for mails (see kf_when.h). */
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

const char *kf_when_long(apr_pool_t *p, kf_locale locale, const char *local, const char *zone)
{
    int y, mo, d, h, mi;
    if (!local || strlen(local) < 16 || local[4] != '-' || local[7] != '-' ||
        (local[10] != 'T' && local[10] != ' ') || local[13] != ':' ||
        !kf_parse_digits(local, 4, &y) || !kf_parse_digits(local + 5, 2, &mo) ||
        !kf_parse_digits(local + 8, 2, &d) || !kf_parse_digits(local + 11, 2, &h) ||
        !kf_parse_digits(local + 14, 2, &mi) || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) {
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
    const char *when;
    if (locale == KF_LOCALE_EN) {
        int h12 = h % 12 == 0 ? 12 : h % 12;
        when = apr_psprintf(p, "%s, %s %d, %d, %d:%02d %s", days_en[weekday], months_en[mo - 1], d,
                            y, h12, mi, h < 12 ? "AM" : "PM");
    }
    else {
        when = apr_psprintf(p, "%s %d de %s de %d, %02d:%02d", days_es[weekday], d,
                            months_es[mo - 1], y, h, mi);
    }
    return zone && *zone ? apr_pstrcat(p, when, " (", zone, ")", NULL) : when;
}
