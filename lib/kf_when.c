/* Dates and times for mails (see kf_when.h). */
#include "kf_when.h"
#include "kf_time.h"
#include "kf_payment.h"

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

static int digits(const char *s, int n, int *out)
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

const char *kf_when_long(apr_pool_t *p, kf_locale locale, const char *local, const char *zone)
{
    int y, mo, d, h, mi;
    if (!local || strlen(local) < 16 || local[4] != '-' || local[7] != '-' ||
        (local[10] != 'T' && local[10] != ' ') || local[13] != ':' ||
        !digits(local, 4, &y) || !digits(local + 5, 2, &mo) || !digits(local + 8, 2, &d) ||
        !digits(local + 11, 2, &h) || !digits(local + 14, 2, &mi) || mo < 1 || mo > 12 ||
        d < 1 || h > 23 || mi > 59) {
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

/* 1234567 -> "1.234.567" (sep '.') */
static const char *grouped(apr_pool_t *p, apr_int64_t n, char sep)
{
    char digits_buf[32];
    int len = apr_snprintf(digits_buf, sizeof(digits_buf), "%" APR_INT64_T_FMT, n);
    char *out = apr_palloc(p, (apr_size_t)len + (apr_size_t)len / 3 + 1), *o = out;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) {
            *o++ = sep;
        }
        *o++ = digits_buf[i];
    }
    *o = '\0';
    return out;
}

/* "CUR [-]major[<mark>fraction]": the amount's major units grouped by the locale, and its
 * `shown` fraction digits of the currency's `exponent` (0 shows none). */
static const char *money_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                              const char *currency, int exponent, int shown)
{
    int es = locale != KF_LOCALE_EN;
    const char *cur = currency && *currency ? currency : "";
    const char *sign = amount < 0 ? "-" : "";
    apr_int64_t a = amount < 0 ? -amount : amount;
    apr_int64_t unit = 1;
    for (int i = 0; i < exponent; i++) {
        unit *= 10;
    }
    const char *major = grouped(p, a / unit, es ? '.' : ',');
    if (!shown) {
        return apr_psprintf(p, "%s %s%s", cur, sign, major);
    }
    return apr_psprintf(p, "%s %s%s%c%0*" APR_INT64_T_FMT, cur, sign, major, es ? ',' : '.',
                        shown, a % unit);
}

const char *kf_money_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                          const char *currency)
{
    /* each currency's own minor unit (CLP and JPY have none, KWD three); Colombian pesos,
     * whose centavos are not used, are written without decimals */
    int exponent = kf_currency_exponent(currency);
    int cop = currency && strcmp(currency, "COP") == 0;
    return money_text(p, locale, amount, currency, exponent, cop ? 0 : exponent);
}

const char *kf_money_text_exact(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                                const char *currency)
{
    int exponent = kf_currency_exponent(currency);
    return money_text(p, locale, amount, currency, exponent, exponent);
}
