/* The merchant's metrics: visit ids, ranges, conversions (see kf_metrics.h). */
#include "kf_metrics.h"
#include "kf_time.h"

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

double kf_metrics_ratio(long part, long base)
{
    return base > 0 ? (double)part / (double)base : -1.0;
}
