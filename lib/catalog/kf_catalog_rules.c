/* Pure rules of the catalog: see kf_catalog_rules.h. */
#include "kf_catalog_rules.h"
#include "kf_money.h"
#include "kf_email.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

int kf_catalog_lists_all(const apr_table_t *query, const char *const *flags)
{
    for (const char *const *flag = flags; flag && *flag; flag++) {
        const char *v = query ? apr_table_get(query, *flag) : NULL;
        if (v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)) {
            return 1;
        }
    }
    return 0;
}

static int digit_at(const char *s, int i)
{
    return s[i] >= '0' && s[i] <= '9';
}

/* The n characters at s are all digits: their value, else -1. */
static int number_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!digit_at(s, i)) {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int kf_hhmm_parse(const char *text, int allow_end_of_day, int *minutes)
{
    if (!text || strlen(text) != 5 || text[2] != ':') {
        return 0;
    }
    int h = number_at(text, 2), m = number_at(text + 3, 2);
    if (h < 0 || m < 0 || m > 59) {
        return 0;
    }
    if (h == 24 && m == 0 && allow_end_of_day) {
        *minutes = KF_MINUTES_PER_DAY;
        return 1;
    }
    if (h > 23) {
        return 0;
    }
    *minutes = h * 60 + m;
    return 1;
}

const char *kf_hhmm_format(apr_pool_t *p, int minutes)
{
    if (minutes < 0 || minutes > KF_MINUTES_PER_DAY) {
        return NULL;
    }
    return apr_psprintf(p, "%02d:%02d", minutes / 60, minutes % 60);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* "YYYY-MM-DD" at the start of text (exactly 10 characters used). */
static int parse_date_prefix(const char *text, int *y, int *m, int *d)
{
    if (text[4] != '-' || text[7] != '-') {
        return 0;
    }
    *y = number_at(text, 4);
    *m = number_at(text + 5, 2);
    *d = number_at(text + 8, 2);
    if (*y < 1900 || *m < 1 || *m > 12 || *d < 1) {
        return 0;
    }
    return *d <= days_in_month(*y, *m);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil): no timegm, no TZ, no process state. */
static apr_int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    apr_int64_t era = (y >= 0 ? y : y - 399) / 400;
    apr_int64_t yoe = y - era * 400;
    apr_int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    apr_int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}


int kf_utc_timestamp_parse(const char *text, apr_int64_t *epoch_seconds)
{
    int y, mo, d;
    if (!text || strlen(text) != 20 || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text[19] != 'Z' || !parse_date_prefix(text, &y, &mo, &d)) {
        return 0;
    }
    int h = number_at(text + 11, 2), mi = number_at(text + 14, 2), s = number_at(text + 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
        return 0;
    }
    *epoch_seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return 1;
}

int kf_ranges_find_overlaps(const kf_minute_range *ranges, int count, int *conflict)
{
    int found = 0;
    /* quadratic on purpose: a schedule has a handful of ranges per day */
    for (int i = 0; i < count; i++) {
        conflict[i] = -1;
        const kf_minute_range *a = &ranges[i];
        if (a->start >= a->end) {
            continue;
        }
        for (int j = 0; j < i; j++) {
            const kf_minute_range *b = &ranges[j];
            if (b->group == a->group && b->start < b->end && a->start < b->end &&
                b->start < a->end) {
                conflict[i] = j;
                found++;
                break;
            }
        }
    }
    return found;
}

kf_charge_type kf_charge_type_parse(const char *text)
{
    if (!text) {
        return KF_CHARGE_INVALID;
    }
    if (strcmp(text, "total") == 0) {
        return KF_CHARGE_TOTAL;
    }
    if (strcmp(text, "partial") == 0) {
        return KF_CHARGE_PARTIAL;
    }
    if (strcmp(text, "free") == 0) {
        return KF_CHARGE_FREE;
    }
    return KF_CHARGE_INVALID;
}

const char *kf_charge_type_name(kf_charge_type type)
{
    switch (type) {
    case KF_CHARGE_TOTAL:
        return "total";
    case KF_CHARGE_PARTIAL:
        return "partial";
    case KF_CHARGE_FREE:
        return "free";
    default:
        return NULL;
    }
}

const char *kf_charge_problem(kf_charge_type type, apr_int64_t price)
{
    if (price < 0 || price > KF_MONEY_MAX) {
        return "amount_out_of_range";
    }
    if (type == KF_CHARGE_FREE && price != 0) {
        return "free_needs_zero";
    }
    if ((type == KF_CHARGE_TOTAL || type == KF_CHARGE_PARTIAL) && price == 0) {
        return "paid_needs_amount";
    }
    return NULL;
}

apr_int64_t kf_charge_amount(kf_charge_type type, apr_int64_t price, int deposit_percent)
{
    if (kf_charge_problem(type, price)) {
        return -1;
    }
    switch (type) {
    case KF_CHARGE_TOTAL:
        return price;
    case KF_CHARGE_FREE:
        return 0;
    case KF_CHARGE_PARTIAL:
        if (deposit_percent < 1 || deposit_percent > 99) {
            return -1;
        }
        /* ceil(price × percent / 100) in integers; price <= KF_MONEY_MAX cannot overflow */
        return (price * deposit_percent + 99) / 100;
    default:
        return -1;
    }
}

int kf_currency_code_valid(const char *text)
{
    if (!text || strlen(text) != 3) {
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        if (text[i] < 'A' || text[i] > 'Z') {
            return 0;
        }
    }
    return 1;
}

int kf_link_slug_ok(const char *slug)
{
    apr_size_t n = slug ? strlen(slug) : 0;
    if (n < 16 || n > 64) {
        return 0;
    }
    for (apr_size_t i = 0; i < n; i++) {
        char c = slug[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

void kf_price_fail_range(kf_fields *f, const char *path, apr_int64_t amount, apr_int64_t min,
                         const char *currency)
{
    /* the merchant types major units: the bounds are said in them, with every decimal (the
     * least a package costs is COP 0,01, not "1") */
    const char *pairs[] = {"{min}", kf_money_text_exact(f->pool, f->locale, min, currency),
                           "{max}", kf_money_text_exact(f->pool, f->locale, KF_MONEY_MAX, currency),
                           NULL};
    kf_fields_fail_with(f, path, amount < min ? "price_at_least" : "price_at_most", pairs);
}

kf_field_result kf_field_price(kf_fields *f, const json_t *body, int flags, apr_int64_t min,
                               const char *tenant_currency, apr_int64_t *amount,
                               const char **currency)
{
    json_t *price = NULL;
    kf_field_result r = kf_field_object(f, body, "price", "price", flags, &price);
    if (r != KF_FIELD_VALUE) {
        return r;
    }
    int ok = 1;
    /* any integer first, so that the range error can speak major units */
    apr_int64_t n = 0;
    if (kf_field_int(f, price, "amount", "price.amount", KF_FIELD_REQUIRED, APR_INT64_MIN,
                     APR_INT64_MAX, &n) != KF_FIELD_VALUE) {
        ok = 0;
    }
    else if (n < min || n > KF_MONEY_MAX) {
        kf_price_fail_range(f, "price.amount", n, min, tenant_currency);
        ok = 0;
    }
    else {
        *amount = n;
    }
    const char *s = NULL;
    if (kf_field_string(f, price, "currency", "price.currency", KF_FIELD_REQUIRED, 0, 64, &s) !=
        KF_FIELD_VALUE) {
        ok = 0;
    }
    else if (!kf_currency_code_valid(s)) {
        kf_fields_fail(f, "price.currency", "currency_invalid");
        ok = 0;
    }
    else if (!tenant_currency || strcmp(s, tenant_currency) != 0) {
        kf_fields_fail(f, "price.currency", "currency_mismatch");
        ok = 0;
    }
    else {
        *currency = s;
    }
    return ok ? KF_FIELD_VALUE : KF_FIELD_BAD;
}

int kf_link_sells_package(const char *link_service_id, const char *link_professional_id,
                          const char *package_service_id, int service_active,
                          int professional_offers_service)
{
    if (!package_service_id || !service_active) {
        return 0;
    }
    if (link_service_id && strcasecmp(link_service_id, package_service_id) != 0) {
        return 0;
    }
    return !link_professional_id || professional_offers_service;
}
