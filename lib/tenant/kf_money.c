/* Money: currencies, their decimals and how amounts are written (see kf_money.h). */
#include "kf_money.h"

#include <apr_strings.h>
#include <math.h>
#include <string.h>

/* ---- currencies ---- */

int kf_currency_exponent(const char *currency)
{
    static const char *const zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                       "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
                                       "XPF", NULL};
    static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL};
    for (int i = 0; currency && zero[i]; i++) {
        if (strcmp(currency, zero[i]) == 0) {
            return 0;
        }
    }
    for (int i = 0; currency && three[i]; i++) {
        if (strcmp(currency, three[i]) == 0) {
            return 3;
        }
    }
    return 2;
}

/* Active ISO 4217 codes of money a business can price in (no funds, metals or test codes). */
static const char iso4217[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
    "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP "
    "MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR "
    "RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT "
    "TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW "
    "ZWL";

static int three_letters(const char *s)
{
    if (!s || strlen(s) != 3) {
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        if (s[i] < 'A' || s[i] > 'Z') {
            return 0;
        }
    }
    return 1;
}

/* 1 when the 3-letter code is one of the space-separated list */
static int listed(const char *list, const char *code)
{
    for (const char *c = list; *c; c += c[3] ? 4 : 3) {
        if (strncmp(c, code, 3) == 0) {
            return 1;
        }
    }
    return 0;
}

int kf_currency_known(const char *currency)
{
    return three_letters(currency) && listed(iso4217, currency);
}

const char *kf_currency_of_country(const char *country)
{
    /* "CC CUR": the businesses this serves first, Latin America, and the common others */
    static const char *const map[] = {
        "CO COP", "CL CLP", "MX MXN", "PE PEN", "AR ARS", "BR BRL", "UY UYU", "PY PYG",
        "BO BOB", "CR CRC", "GT GTQ", "HN HNL", "NI NIO", "DO DOP", "EC USD", "SV USD",
        "PA USD", "PR USD", "US USD", "CA CAD", "GB GBP", "JP JPY", "KW KWD", "BH BHD",
        "JO JOD", "OM OMR", "TN TND", "CH CHF", "AU AUD", "NZ NZD", "SE SEK", "NO NOK",
        "DK DKK", "PL PLN", "CZ CZK", "HU HUF", "KR KRW", "IN INR", "CN CNY", "HK HKD",
        "SG SGD", "AE AED", "SA SAR", "IL ILS", "TR TRY", "ZA ZAR", "ES EUR", "PT EUR",
        "FR EUR", "DE EUR", "IT EUR", "NL EUR", "BE EUR", "AT EUR", "IE EUR", "FI EUR",
        "GR EUR", "LU EUR", NULL};
    if (!country || strlen(country) != 2) {
        return NULL;
    }
    for (int i = 0; map[i]; i++) {
        if (strncmp(map[i], country, 2) == 0) {
            return map[i] + 3;
        }
    }
    return NULL;
}

/* ---- major units, as providers speak them ---- */

static apr_uint64_t unit_of(int exponent)
{
    apr_uint64_t unit = 1;
    for (int i = 0; i < exponent; i++) {
        unit *= 10;
    }
    return unit;
}

const char *kf_money_major(apr_pool_t *p, apr_int64_t minor, const char *currency)
{
    int exp = kf_currency_exponent(currency);
    const char *sign = minor < 0 ? "-" : "";
    apr_uint64_t v = minor < 0 ? (apr_uint64_t)(-(minor + 1)) + 1 : (apr_uint64_t)minor;
    if (exp == 0) {
        return apr_psprintf(p, "%s%" APR_UINT64_T_FMT, sign, v);
    }
    apr_uint64_t unit = unit_of(exp);
    return apr_psprintf(p, "%s%" APR_UINT64_T_FMT ".%0*" APR_UINT64_T_FMT, sign, v / unit, exp,
                        v % unit);
}

apr_status_t kf_money_minor_of(const json_t *major, const char *currency, apr_int64_t *minor)
{
    if (!json_is_number(major) || !minor) {
        return APR_EINVAL;
    }
    double v = json_number_value(major);
    double scaled = v * (double)unit_of(kf_currency_exponent(currency));
    /* 2^53: beyond it a double no longer holds every integer */
    if (!isfinite(scaled) || scaled < 0 || scaled > 9007199254740992.0) {
        return APR_EINVAL;
    }
    *minor = (apr_int64_t)(scaled + 0.5);    /* non-negative: rounds to the nearest */
    return APR_SUCCESS;
}

/* ---- amounts as people read and type them ---- */

static char group_mark(kf_locale locale)
{
    return locale == KF_LOCALE_EN ? ',' : '.';
}

static char decimal_mark(kf_locale locale)
{
    return locale == KF_LOCALE_EN ? '.' : ',';
}

/* 1234567 -> "1.234.567" (sep '.') */
static const char *grouped(apr_pool_t *p, apr_uint64_t n, char sep)
{
    char digits[32];
    int len = apr_snprintf(digits, sizeof(digits), "%" APR_UINT64_T_FMT, n);
    char *out = apr_palloc(p, (apr_size_t)len + (apr_size_t)len / 3 + 1), *o = out;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) {
            *o++ = sep;
        }
        *o++ = digits[i];
    }
    *o = '\0';
    return out;
}

/* "CUR [-]major[<mark>fraction]"; the fraction is left out when zero and `exact` is 0 */
static const char *money_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                              const char *currency, int exact)
{
    int exponent = kf_currency_exponent(currency);
    const char *cur = currency && *currency ? currency : "";
    const char *sign = amount < 0 ? "-" : "";
    apr_uint64_t a = amount < 0 ? (apr_uint64_t)(-(amount + 1)) + 1 : (apr_uint64_t)amount;
    apr_uint64_t unit = unit_of(exponent);
    const char *major = grouped(p, a / unit, group_mark(locale));
    if (exponent == 0 || (!exact && a % unit == 0)) {
        return apr_psprintf(p, "%s %s%s", cur, sign, major);
    }
    return apr_psprintf(p, "%s %s%s%c%0*" APR_UINT64_T_FMT, cur, sign, major,
                        decimal_mark(locale), exponent, a % unit);
}

const char *kf_money_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                          const char *currency)
{
    return money_text(p, locale, amount, currency, 0);
}

const char *kf_money_text_exact(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                                const char *currency)
{
    return money_text(p, locale, amount, currency, 1);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

apr_status_t kf_money_parse(const char *text, kf_locale locale, const char *currency,
                            apr_int64_t *amount)
{
    if (!text || !currency || !amount) {
        return APR_EINVAL;
    }
    const char *s = text;
    size_t cl = strlen(currency);
    if (strncmp(s, currency, cl) == 0 && s[cl] == ' ') {
        s += cl + 1;
    }
    int negative = *s == '-';
    s += negative;
    int exponent = kf_currency_exponent(currency);
    char group = group_mark(locale), mark = decimal_mark(locale);
    /* the major part: 1-3 digits, then groups of a mark and exactly three */
    apr_uint64_t major = 0;
    int run = 0, groups = 0;
    for (; *s && *s != mark; s++) {
        if (is_digit(*s)) {
            if (++run > 3 && groups) {
                return APR_EINVAL;
            }
            major = major * 10 + (apr_uint64_t)(*s - '0');
            if (major > 9007199254740992ULL) {
                return APR_EINVAL;
            }
        }
        else if (*s == group && run > 0 && run <= 3) {
            if (groups && run != 3) {
                return APR_EINVAL;
            }
            groups++;
            run = 0;
        }
        else {
            return APR_EINVAL;
        }
    }
    if (run == 0 || (groups && run != 3)) {
        return APR_EINVAL;
    }
    apr_uint64_t unit = unit_of(exponent), minor = 0;
    if (*s == mark) {
        s++;
        if (exponent == 0 || strlen(s) != (size_t)exponent) {
            return APR_EINVAL;
        }
        for (; *s; s++) {
            if (!is_digit(*s)) {
                return APR_EINVAL;
            }
            minor = minor * 10 + (apr_uint64_t)(*s - '0');
        }
    }
    apr_uint64_t v = major * unit + minor;
    *amount = negative ? -(apr_int64_t)v : (apr_int64_t)v;
    return APR_SUCCESS;
}
