/* Series of bookings: see kf_series.h. */
#include "kf_series.h"
#include "kf_time.h"

#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#define DAY 86400

kf_series_every kf_series_every_parse(const char *s)
{
    if (!s) {
        return KF_SERIES_NONE;
    }
    return strcmp(s, "week") == 0     ? KF_SERIES_WEEK
           : strcmp(s, "2weeks") == 0 ? KF_SERIES_TWO_WEEKS
           : strcmp(s, "month") == 0  ? KF_SERIES_MONTH
                                      : KF_SERIES_NONE;
}

const char *kf_series_every_name(kf_series_every every)
{
    switch (every) {
    case KF_SERIES_WEEK: return "week";
    case KF_SERIES_TWO_WEEKS: return "2weeks";
    case KF_SERIES_MONTH: return "month";
    default: return NULL;
    }
}

void kf_series_field(kf_fields *f, const json_t *body, kf_series_rule *v)
{
    const json_t *s = json_object_get(body, "series");
    if (!s) {
        return;
    }
    if (json_is_null(s)) {
        memset(v, 0, sizeof(*v));
        return;
    }
    if (!json_is_object(s)) {
        kf_fields_fail(f, "series", "field_wrong_type");
        return;
    }
    kf_series_rule n = {0};
    const char *text = NULL;
    apr_int64_t min = 0, max = 0;
    if (kf_field_string(f, s, "every", "series.every", KF_FIELD_REQUIRED, 0, 20, &text) ==
        KF_FIELD_VALUE) {
        n.every = kf_series_every_parse(text);
        if (n.every == KF_SERIES_NONE) {
            kf_fields_fail(f, "series.every", "series_every_invalid");
        }
    }
    int got_min = kf_field_int(f, s, "min", "series.min", KF_FIELD_REQUIRED, KF_SERIES_COUNT_MIN,
                               KF_SERIES_COUNT_MAX, &min) == KF_FIELD_VALUE;
    int got_max = kf_field_int(f, s, "max", "series.max", KF_FIELD_REQUIRED, KF_SERIES_COUNT_MIN,
                               KF_SERIES_COUNT_MAX, &max) == KF_FIELD_VALUE;
    if (got_min && got_max && min > max) {
        kf_fields_fail(f, "series.max", "series_max_below_min");
    }
    if (kf_field_string(f, s, "pay", "series.pay", KF_FIELD_REQUIRED, 0, 20, &text) ==
        KF_FIELD_VALUE) {
        if (strcmp(text, "all") != 0 && strcmp(text, "first") != 0) {
            kf_fields_fail(f, "series.pay", "series_pay_invalid");
        }
        n.pay_all = strcmp(text, "all") == 0;
    }
    n.min = (int)min;
    n.max = (int)max;
    if (!kf_fields_has(f, "series.every") && !kf_fields_has(f, "series.min") &&
        !kf_fields_has(f, "series.max") && !kf_fields_has(f, "series.pay")) {
        *v = n;
    }
}

int kf_series_field_failed(const kf_fields *f)
{
    return kf_fields_has(f, "series") || kf_fields_has(f, "series.every") ||
           kf_fields_has(f, "series.min") || kf_fields_has(f, "series.max") ||
           kf_fields_has(f, "series.pay");
}

const char *kf_series_combination_problem(const kf_series_rule *v, int team_size, long capacity)
{
    if (v->every == KF_SERIES_NONE) {
        return NULL;
    }
    return team_size > 0 ? "series_with_team" : capacity > 1 ? "series_with_capacity" : NULL;
}

const char *kf_series_stored(apr_pool_t *p, const kf_series_rule *v)
{
    if (v->every == KF_SERIES_NONE) {
        return NULL;
    }
    return apr_psprintf(p, "{\"every\": \"%s\", \"min\": %d, \"max\": %d, \"pay\": \"%s\"}",
                        kf_series_every_name(v->every), v->min, v->max,
                        v->pay_all ? "all" : "first");
}

void kf_series_from_stored(const char *stored, kf_series_rule *v)
{
    memset(v, 0, sizeof(*v));
    json_t *j = stored ? json_loads(stored, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        return;
    }
    v->every = kf_series_every_parse(json_string_value(json_object_get(j, "every")));
    v->min = (int)json_integer_value(json_object_get(j, "min"));
    v->max = (int)json_integer_value(json_object_get(j, "max"));
    const char *pay = json_string_value(json_object_get(j, "pay"));
    v->pay_all = pay && strcmp(pay, "all") == 0;
    if (v->min < KF_SERIES_COUNT_MIN || v->max > KF_SERIES_COUNT_MAX || v->min > v->max) {
        v->every = KF_SERIES_NONE;
    }
    json_decref(j);
}

json_t *kf_series_json(const kf_series_rule *v)
{
    if (v->every == KF_SERIES_NONE) {
        return json_null();
    }
    return json_pack("{s:s, s:i, s:i, s:s}", "every", kf_series_every_name(v->every), "min",
                     v->min, "max", v->max, "pay", v->pay_all ? "all" : "first");
}

/* A count as a query string sends it: digits only, at most two of them. */
static int count_of(const char *text)
{
    size_t len = strlen(text);
    if (len == 0 || len > 2 || strspn(text, "0123456789") != len) {
        return -1;
    }
    return atoi(text);
}

const char *kf_series_asked(const kf_series_rule *rule, const char *repeat, const char *count,
                            kf_series_every *every, int *n, const char **why)
{
    *every = KF_SERIES_NONE;
    *n = 1;
    *why = NULL;
    if (!repeat && !count) {
        return NULL;
    }
    if (rule->every == KF_SERIES_NONE) {
        *why = "series_not_offered";
        return repeat ? "repeat" : "count";
    }
    if (!repeat || kf_series_every_parse(repeat) != rule->every) {
        *why = "series_repeat_invalid";
        return "repeat";
    }
    int c = count ? count_of(count) : -1;
    if (c < rule->min || c > rule->max) {
        *why = "series_count_range";
        return "count";
    }
    *every = rule->every;
    *n = c;
    return NULL;
}

/* The n-th (1..5) `weekday` (0..6, as days % 7) of a month, 5 meaning its last one: days
 * since the epoch. */
static apr_int64_t nth_weekday(int y, int m, int weekday, int n)
{
    apr_int64_t first = kf_days_from_civil(y, m, 1);
    /* 1970-01-01 (day 0) is a Thursday: (day + 3) % 7 counts from Monday = 0 */
    int first_weekday = (int)(((first + 3) % 7 + 7) % 7);
    apr_int64_t day = first + (weekday - first_weekday + 7) % 7 + 7 * (n - 1);
    int ny = y, nm = m + 1;
    if (nm > 12) {
        nm = 1;
        ny++;
    }
    if (day >= kf_days_from_civil(ny, nm, 1)) {
        day -= 7;   /* a 5th that this month has not: its last */
    }
    return day;
}

apr_int64_t kf_series_local_start(kf_series_every every, apr_int64_t first, int k)
{
    apr_int64_t day = first >= 0 ? first / DAY : -((-first + DAY - 1) / DAY);
    apr_int64_t time_of_day = first - day * DAY;
    switch (every) {
    case KF_SERIES_WEEK: return first + (apr_int64_t)k * 7 * DAY;
    case KF_SERIES_TWO_WEEKS: return first + (apr_int64_t)k * 14 * DAY;
    case KF_SERIES_MONTH: {
        int y, m, d;
        kf_civil_from_days(day, &y, &m, &d);
        int weekday = (int)(((day + 3) % 7 + 7) % 7);
        int nth = (d - 1) / 7 + 1;
        int months = (m - 1) + k;
        int ty = y + months / 12, tm = months % 12 + 1;
        return nth_weekday(ty, tm, weekday, nth) * DAY + time_of_day;
    }
    default: return first;
    }
}

int kf_series_scope_read(kf_fields *f, const json_t *body)
{
    const char *scope = NULL;
    if (!body || kf_field_string(f, body, "scope", "scope", KF_FIELD_NULLABLE, 1, 10, &scope) !=
        KF_FIELD_VALUE) {
        return 0;
    }
    if (strcmp(scope, "rest") == 0) {
        return 1;
    }
    if (strcmp(scope, "one") != 0) {
        kf_fields_fail(f, "scope", "series_scope_invalid");
    }
    return 0;
}

int kf_series_span_days(kf_series_every every, int count)
{
    int later = count > 1 ? count - 1 : 0;
    switch (every) {
    case KF_SERIES_WEEK: return 7 * later + 1;
    case KF_SERIES_TWO_WEEKS: return 14 * later + 1;
    case KF_SERIES_MONTH: return 31 * later + 8;
    default: return 0;
    }
}

apr_int64_t kf_series_charge(int pay_all, int count, apr_int64_t each)
{
    return pay_all ? each * count : each;
}

apr_int64_t kf_series_share(int pay_all, int index, apr_int64_t each)
{
    return pay_all || index <= 1 ? each : 0;
}
