/* GET /api/admin/metrics?from&to (API.md "Admin API"): the funnel of distinct visits, the
 * conversions between its steps (lib/bookings/kf_metrics.c), bookings and revenue per day of the
 * tenant's zone (every day of the range, zero-filled), cancellations, reschedules, the
 * median lead time, and webhook / callback latency percentiles. Dates are the tenant's.
 *
 * What counts: a booking counts on the day it first became paid (a free one when it was
 * booked); revenue is the approved payments of that day that are not flagged for a refund;
 * percentiles are PostgreSQL's percentile_cont (linear interpolation). */
#include "mod_kf_operations_feature.h"
#include "mod_kf_session.h"
#include "kf_metrics.h"
#include "kf_query.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

enum {
    M_VIEWED, M_HELD, M_DETAILS, M_STARTED, M_APPROVED, M_PER_DAY, M_CANCELLED, M_RESCHEDULED,
    M_LEAD_P50, M_WEBHOOK_P50, M_WEBHOOK_P95, M_CALLBACK_P50, M_CALLBACK_P95, M_CURRENCY,
    M_COLUMNS
};

/* tenant id, from, to, from, to */
#define METRICS_SQL                                                                          \
    "WITH rg AS (SELECT t.id AS tid, t.timezone AS tz, t.currency, %s::date AS d0,"          \
    "    %s::date AS d1, (%s::date)::timestamp AT TIME ZONE t.timezone AS lo,"               \
    "    (%s::date + 1)::timestamp AT TIME ZONE t.timezone AS hi"                            \
    "  FROM tenants t WHERE t.id = %s::uuid),"                                               \
    " fun AS (SELECT e.event, count(DISTINCT coalesce(e.visit_id, e.reservation_id::text,"   \
    "    e.id::text)) AS n FROM funnel_events e, rg"                                          \
    "  WHERE e.tenant_id = rg.tid AND e.created_at >= rg.lo AND e.created_at < rg.hi"        \
    "  GROUP BY e.event),"                                                                   \
    " first_paid AS (SELECT h.reservation_id, min(h.created_at) AS paid_at"                  \
    "  FROM reservation_history h JOIN reservations r ON r.id = h.reservation_id, rg"        \
    "  WHERE r.tenant_id = rg.tid AND h.to_status = 'paid' GROUP BY h.reservation_id),"      \
    " paid AS (SELECT f.* FROM first_paid f, rg WHERE f.paid_at >= rg.lo AND f.paid_at < rg.hi)," \
    " days AS (SELECT d::date AS day FROM rg, generate_series(rg.d0, rg.d1, interval '1 day') d)," \
    " pd AS (SELECT (paid.paid_at AT TIME ZONE rg.tz)::date AS day, count(*) AS n"          \
    "  FROM paid, rg GROUP BY 1),"                                                           \
    " rv AS (SELECT (p.approved_at AT TIME ZONE rg.tz)::date AS day, sum(p.amount) AS amount" \
    "  FROM payments p, rg WHERE p.tenant_id = rg.tid AND p.status = 'approved'"            \
    "    AND NOT p.refund_needed AND p.approved_at >= rg.lo AND p.approved_at < rg.hi"       \
    "  GROUP BY 1),"                                                                         \
    " hist AS (SELECT h.* FROM reservation_history h JOIN reservations r"                    \
    "    ON r.id = h.reservation_id, rg"                                                      \
    "  WHERE r.tenant_id = rg.tid AND h.created_at >= rg.lo AND h.created_at < rg.hi),"      \
    " wh AS (SELECT percentile_cont(ARRAY[0.5, 0.95]::float8[]) WITHIN GROUP"                \
    "    (ORDER BY e.processing_us / 1000.0) AS q FROM payment_events e, rg"                  \
    "  WHERE e.tenant_id = rg.tid AND e.source = 'webhook' AND e.processing_us IS NOT NULL"  \
    "    AND e.received_at >= rg.lo AND e.received_at < rg.hi),"                             \
    " cb AS (SELECT percentile_cont(ARRAY[0.5, 0.95]::float8[]) WITHIN GROUP"                \
    "    (ORDER BY a.latency_ms) AS q FROM callback_attempts a"                               \
    "  JOIN merchant_callbacks c ON c.id = a.callback_id, rg"                                \
    "  WHERE c.tenant_id = rg.tid AND a.at >= rg.lo AND a.at < rg.hi)"                       \
    " SELECT"                                                                                \
    "  coalesce((SELECT n FROM fun WHERE event = 'link_viewed'), 0),"                        \
    "  coalesce((SELECT n FROM fun WHERE event = 'slot_held'), 0),"                          \
    "  coalesce((SELECT n FROM fun WHERE event = 'details_entered'), 0),"                    \
    "  coalesce((SELECT n FROM fun WHERE event = 'payment_started'), 0),"                    \
    "  coalesce((SELECT n FROM fun WHERE event = 'payment_approved'), 0),"                   \
    "  (SELECT string_agg(days.day || ',' || coalesce(pd.n, 0) || ',' || coalesce(rv.amount, 0)," \
    "     ';' ORDER BY days.day) FROM days LEFT JOIN pd USING (day) LEFT JOIN rv USING (day)),"  \
    "  (SELECT count(DISTINCT reservation_id) FROM hist WHERE to_status = 'cancelled'),"     \
    "  (SELECT count(*) FROM hist WHERE reason = 'rescheduled'),"                            \
    "  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY"                                  \
    "     extract(epoch FROM r.starts_at - paid.paid_at) / 3600.0)"                          \
    "   FROM paid JOIN reservations r ON r.id = paid.reservation_id),"                       \
    "  (SELECT q[1] FROM wh), (SELECT q[2] FROM wh), (SELECT q[1] FROM cb), (SELECT q[2] FROM cb)," \
    "  (SELECT currency FROM rg)"

const kfm_sql kfm_metrics_sql[] = {
    {"kf_metrics", METRICS_SQL},
    {NULL, NULL},
};

static json_t *number_or_null(const char *v)
{
    if (!v || !*v) {
        return json_null();
    }
    /* one decimal is what a person reads; keeps the JSON short and stable */
    char one_decimal[64];
    apr_snprintf(one_decimal, sizeof(one_decimal), "%.1f", strtod(v, NULL));
    return json_real(strtod(one_decimal, NULL));
}

static json_t *ratio(long part, long base)
{
    double r = kf_metrics_ratio(part, base);
    return r < 0 ? json_null() : json_real(r);
}

static json_t *per_day(const char *text, const char *currency)
{
    json_t *days = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    for (char *day = strtok_r(copy, ";", &save); day; day = strtok_r(NULL, ";", &save)) {
        char *count = strchr(day, ',');
        char *amount = count ? strchr(count + 1, ',') : NULL;
        if (!amount) {
            continue;
        }
        *count++ = '\0';
        *amount++ = '\0';
        json_t *revenue = json_pack("{s:I, s:s}", "amount", (json_int_t)strtoll(amount, NULL, 10),
                                    "currency", currency);
        json_array_append_new(days, json_pack("{s:s, s:I, s:o}", "date", day, "count",
                                              (json_int_t)strtoll(count, NULL, 10), "revenue", revenue));
    }
    free(copy);
    return days;
}

int kfm_handle_admin_metrics(kfm_req *kr)
{
    request_rec *r = kr->r;
    apr_table_t *params = NULL;
    const char *bad = NULL, *why = NULL;
    switch (kf_query_parse(r->pool, r->args, &params, &bad)) {
    case KF_QUERY_OK:
        break;
    case KF_QUERY_REPEATED:
        return kfm_reply_invalid_parameter(kr, bad, "param_repeated");
    default:
        return kfm_reply_invalid_parameter(kr, bad, "param_encoding");
    }
    const char *tenant = kr->session->tenant.id;
    const char *today = kr->session->tenant.today;
    kfm_rows *res = NULL;
    const char *from = NULL, *to = NULL;
    const char *given_from = apr_table_get(params, "from"), *given_to = apr_table_get(params, "to");
    if (kf_metrics_range(r->pool, given_from && *given_from ? given_from : NULL,
                         given_to && *given_to ? given_to : NULL, today, &from, &to, &bad,
                         &why) != 0) {
        return kfm_reply_invalid_parameter(kr, bad, why);
    }
    const char *args[] = {from, to, from, to, tenant};
    if (kfm_db_select(r, kr->db, "kf_metrics", &res, 5, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *v[M_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, v, M_COLUMNS);
    long viewed = atol(v[M_VIEWED]), held = atol(v[M_HELD]), details = atol(v[M_DETAILS]);
    long started = atol(v[M_STARTED]), approved = atol(v[M_APPROVED]);
    json_t *funnel = json_pack("{s:i, s:i, s:i, s:i, s:i}", "link_viewed", (int)viewed,
                               "slot_held", (int)held, "details_entered", (int)details,
                               "payment_started", (int)started, "payment_approved", (int)approved);
    json_t *conversion = json_pack("{s:o, s:o, s:o, s:o, s:o}",
                                   "view_to_hold", ratio(held, viewed),
                                   "hold_to_details", ratio(details, held),
                                   "details_to_payment", ratio(started, details),
                                   "payment_to_approved", ratio(approved, started),
                                   "view_to_approved", ratio(approved, viewed));
    json_t *out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:i, s:i, s:n, s:o, s:{s:o, s:o}, s:{s:o, s:o}}",
                            "from", from, "to", to, "funnel", funnel, "conversion", conversion,
                            "bookings_per_day", per_day(v[M_PER_DAY], v[M_CURRENCY]),
                            "cancellations", atoi(v[M_CANCELLED]),
                            "reschedules", atoi(v[M_RESCHEDULED]), "no_show_rate",
                            "lead_time_hours_p50", number_or_null(v[M_LEAD_P50]),
                            "webhook_latency_ms", "p50", number_or_null(v[M_WEBHOOK_P50]),
                            "p95", number_or_null(v[M_WEBHOOK_P95]),
                            "callback_latency_ms", "p50", number_or_null(v[M_CALLBACK_P50]),
                            "p95", number_or_null(v[M_CALLBACK_P95]));
    return kfm_reply_json(kr, HTTP_OK, out);
}
