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

/* from, to, from, to, tenant id, service, professional (NULL: all); columns:
 * kf_metrics_answer.h. A filter keeps the bookings of that service / professional, their
 * payments and their funnel steps (a link view counts for the visits that went on to one of
 * them); latencies are the tenant's whatever the filter. */
#define METRICS_SQL                                                                          \
    "WITH rg AS (SELECT t.id AS tid, t.timezone AS tz, t.currency, %s::date AS d0,"          \
    "    %s::date AS d1, (%s::date)::timestamp AT TIME ZONE t.timezone AS lo,"               \
    "    (%s::date + 1)::timestamp AT TIME ZONE t.timezone AS hi"                            \
    "  FROM tenants t WHERE t.id = %s::uuid),"                                               \
    " f AS (SELECT %s::uuid AS svc, %s::uuid AS pro),"                                       \
    " mine AS (SELECT r.id FROM reservations r, rg, f WHERE r.tenant_id = rg.tid"             \
    "    AND (f.svc IS NULL OR r.service_id = f.svc)"                                        \
    "    AND (f.pro IS NULL OR r.professional_id = f.pro)),"                                 \
    " ev AS (SELECT e.* FROM funnel_events e, rg WHERE e.tenant_id = rg.tid"                 \
    "    AND e.created_at >= rg.lo AND e.created_at < rg.hi),"                               \
    " ev_mine AS (SELECT ev.* FROM ev, f WHERE (f.svc IS NULL AND f.pro IS NULL)"            \
    "    OR ev.reservation_id IN (SELECT id FROM mine)"                                       \
    "    OR (ev.reservation_id IS NULL AND ev.visit_id IN (SELECT e2.visit_id FROM ev e2"    \
    "      WHERE e2.reservation_id IN (SELECT id FROM mine)))),"                             \
    " fun AS (SELECT event, count(DISTINCT coalesce(visit_id, reservation_id::text,"         \
    "    id::text)) AS n FROM ev_mine GROUP BY event),"                                      \
    " first_paid AS (SELECT h.reservation_id, min(h.created_at) AS paid_at"                  \
    "  FROM reservation_history h WHERE h.reservation_id IN (SELECT id FROM mine)"           \
    "    AND h.to_status = 'paid' GROUP BY h.reservation_id),"                               \
    " paid AS (SELECT fp.* FROM first_paid fp, rg WHERE fp.paid_at >= rg.lo AND fp.paid_at < rg.hi)," \
    " days AS (SELECT d::date AS day FROM rg, generate_series(rg.d0, rg.d1, interval '1 day') d)," \
    " pd AS (SELECT (paid.paid_at AT TIME ZONE rg.tz)::date AS day, count(*) AS n"          \
    "  FROM paid, rg GROUP BY 1),"                                                           \
    " pay AS (SELECT p.* FROM payments p, rg, f WHERE p.tenant_id = rg.tid"                  \
    "    AND ((f.svc IS NULL AND f.pro IS NULL) OR p.reservation_id IN (SELECT id FROM mine)))," \
    " approved AS (SELECT pay.* FROM pay, rg WHERE pay.status = 'approved'"                  \
    "    AND NOT pay.refund_needed AND pay.approved_at >= rg.lo AND pay.approved_at < rg.hi)," \
    " rv AS (SELECT (a.approved_at AT TIME ZONE rg.tz)::date AS day, sum(a.amount) AS amount" \
    "  FROM approved a, rg WHERE a.currency = rg.currency GROUP BY 1),"                      \
    " hist AS (SELECT h.* FROM reservation_history h, rg"                                    \
    "  WHERE h.reservation_id IN (SELECT id FROM mine)"                                       \
    "    AND h.created_at >= rg.lo AND h.created_at < rg.hi),"                               \
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
    "  (SELECT count(DISTINCT reservation_id) FROM hist WHERE to_status = 'no_show'),"       \
    "  (SELECT string_agg(currency || ':' || total, ';' ORDER BY currency)"                  \
    "   FROM (SELECT currency, sum(amount) AS total FROM approved GROUP BY 1) x),"           \
    "  (SELECT string_agg(currency || ':' || total, ';' ORDER BY currency)"                  \
    "   FROM (SELECT pay.currency, sum(pay.refund_amount) AS total FROM pay, rg"             \
    "     WHERE pay.refunded_at >= rg.lo AND pay.refunded_at < rg.hi"                        \
    "       AND pay.refund_status IN ('succeeded', 'manual') GROUP BY 1) x)"

const kfm_sql kfm_metrics_sql[] = {
    {"kf_metrics", METRICS_SQL},
    {NULL, NULL},
};

/* The figures of one range. */
static json_t *figures_of(kfm_req *kr, const char *from, const char *to, const kf_metrics_query *q)
{
    kfm_rows *res = NULL;
    const char *args[] = {from, to, from, to, kr->session->tenant.id, q->service, q->professional};
    if (kfm_db_select(kr->r, kr->db, "kf_metrics", &res, 7, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return NULL;
    }
    const char *v[KF_METRICS_COLUMNS];
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, KF_METRICS_COLUMNS);
    return kf_metrics_answer_json(from, to, v);
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
    const char *given[5];
    const char *names[] = {"period", "from", "to", "service", "professional"};
    for (int i = 0; i < 5; i++) {
        given[i] = apr_table_get(params, names[i]);
        given[i] = given[i] && *given[i] ? given[i] : NULL;
    }
    kf_metrics_query q;
    if (kf_metrics_query_read(r->pool, given[0], given[1], given[2], given[3], given[4],
                              kr->session->tenant.today, &q, &bad, &why) != 0) {
        return kfm_reply_invalid_parameter(kr, bad, why);
    }
    json_t *current = figures_of(kr, q.from, q.to, &q);
    json_t *previous = current ? figures_of(kr, q.previous_from, q.previous_to, &q) : NULL;
    if (!previous) {
        json_decref(current);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kf_metrics_answer_compare(current, previous);
    return kfm_reply_json(kr, HTTP_OK, current);
}
