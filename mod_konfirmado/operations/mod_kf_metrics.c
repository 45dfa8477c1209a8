/* GET /api/admin/metrics?from&to (API.md "Admin API"): the funnel of distinct visits, the
 * conversions between its steps (lib/bookings/kf_metrics.c), bookings and revenue per day of the
 * tenant's zone (every day of the range, zero-filled), cancellations, reschedules, the
 * median lead time, webhook / callback latency percentiles, and the appointments marked
 * completed or no-show (and the no-show rate between them). Dates are the tenant's.
 *
 * What counts: a booking counts on the day it first became paid (a free one when it was
 * booked); revenue is the approved payments of that day that are not flagged for a refund;
 * percentiles are PostgreSQL's percentile_cont (linear interpolation). */
#include "mod_kf_operations_feature.h"
#include "mod_kf_session.h"
#include "kf_metrics.h"
#include "kf_metrics_answer.h"
#include "kf_query.h"

/* from, to, from, to, tenant id; columns: kf_metrics_answer.h */
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
    "  (SELECT currency FROM rg),"                                                             \
    "  (SELECT count(DISTINCT reservation_id) FROM hist WHERE to_status = 'completed'),"     \
    "  (SELECT count(DISTINCT reservation_id) FROM hist WHERE to_status = 'no_show')"

const kfm_sql kfm_metrics_sql[] = {
    {"kf_metrics", METRICS_SQL},
    {NULL, NULL},
};

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
    const char *v[KF_METRICS_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, v, KF_METRICS_COLUMNS);
    return kfm_reply_json(kr, HTTP_OK, kf_metrics_answer_json(from, to, v));
}
