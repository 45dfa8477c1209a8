/* The merchant's metrics: visit ids, ranges, conversions (see kf_metrics.h). */
#include "kf_metrics.h"
#include "kf_time.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

int kf_visit_id_ok(const char *visit)
{
    size_t n = visit ? strlen(visit) : 0;
    if (n < 16 || n > 64) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = visit[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

static const char *date_of(apr_pool_t *p, apr_int64_t days)
{
    int y, m, d;
    kf_civil_from_days(days, &y, &m, &d);
    return apr_psprintf(p, "%04d-%02d-%02d", y, m, d);
}

int kf_metrics_range(apr_pool_t *p, const char *from, const char *to, const char *today,
                     const char **from_out, const char **to_out, const char **bad,
                     const char **why)
{
    apr_int64_t f = 0, t = 0;
    if (to && !kf_date_parse(to, &t)) {
        *bad = "to";
        *why = "param_date";
        return -1;
    }
    if (from && !kf_date_parse(from, &f)) {
        *bad = "from";
        *why = "param_date";
        return -1;
    }
    if (!to && !kf_date_parse(today, &t)) {
        *bad = "to";
        *why = "param_date";
        return -1;
    }
    if (!from) {
        f = t - (KF_METRICS_DEFAULT_DAYS - 1);
    }
    if (f > t) {
        *bad = "to";
        *why = "param_date_range";
        return -1;
    }
    if (t - f + 1 > KF_METRICS_MAX_DAYS) {
        *bad = "from";
        *why = "param_range_too_long";
        return -1;
    }
    *from_out = date_of(p, f);
    *to_out = date_of(p, t);
    return 0;
}

int kf_metrics_query_read(apr_pool_t *p, const char *period, const char *from, const char *to,
                          const char *service, const char *professional, const char *today,
                          kf_metrics_query *q, const char **bad, const char **why)
{
    static const struct {
        const char *name;
        int days;
    } periods[] = {{"7d", 7}, {"30d", 30}, {"90d", 90}};
    memset(q, 0, sizeof(*q));
    if (period) {
        int days = 0;
        for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
            days = strcmp(period, periods[i].name) == 0 ? periods[i].days : days;
        }
        if (!days) {
            *bad = "period";
            *why = "param_period";
            return -1;
        }
        if (from || to) {
            *bad = "period";
            *why = "param_period_and_range";
            return -1;
        }
        apr_int64_t t = 0;
        if (!kf_date_parse(today, &t)) {
            *bad = "period";
            *why = "param_date";
            return -1;
        }
        from = date_of(p, t - (days - 1));
    }
    if (kf_metrics_range(p, from, to, today, &q->from, &q->to, bad, why) != 0) {
        return -1;
    }
    const char *filters[][2] = {{"service", service}, {"professional", professional}};
    for (size_t i = 0; i < 2; i++) {
        if (filters[i][1] && !kf_is_uuid(filters[i][1])) {
            *bad = filters[i][0];
            *why = "param_id";
            return -1;
        }
    }
    q->service = service;
    q->professional = professional;
    apr_int64_t f = 0, t = 0;
    kf_date_parse(q->from, &f);
    kf_date_parse(q->to, &t);
    q->previous_to = date_of(p, f - 1);
    q->previous_from = date_of(p, f - 1 - (t - f));
    return 0;
}

double kf_metrics_trend(double current, double previous, int *none)
{
    *none = previous == 0;
    if (*none) {
        return -1.0;
    }
    double change = (current - previous) / previous * 100.0;
    /* one decimal, rounded half away from zero: what a person reads */
    return (double)(long long)(change * 10.0 + (change < 0 ? -0.5 : 0.5)) / 10.0;
}

double kf_metrics_ratio(long part, long base)
{
    return base > 0 ? (double)part / (double)base : -1.0;
}
