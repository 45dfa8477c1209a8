/* GET /api/admin/metrics?period|from&to&service&professional (API.md "Admin API"): for the
 * range and the range of equal length before it, the funnel of distinct visits and the
 * conversions between its steps (lib/bookings/kf_metrics.c), bookings and revenue per day of
 * the tenant's zone (every day of the range, zero-filled), cancellations by whom,
 * reschedules, lead time, appointments completed or missed and how reminders bear on that,
 * revenue and refunds per currency, refused requests, calendar and OAuth failures, the
 * assistant's steps, and webhook / callback latency percentiles. Dates are the tenant's.
 *
 * What counts (sql/047_metrics_daily.sql, kf_metrics_day): a booking counts on the day it
 * first became paid (a free one when it was booked); revenue is the approved payments of
 * that day that are not flagged for a refund; a visit's step on the day of its first event
 * of that step; percentiles are PostgreSQL's percentile_cont (linear interpolation). */
#include "mod_kf_operations_feature.h"
#include "mod_kf_operations_columns.h"
#include "mod_kf_session.h"
#include "kf_metrics.h"
#include "kf_metrics_answer.h"

/* from, to, tenant id, service, professional (NULL: all); columns: kf_metrics_answer.h.
 * The days are the metrics job's rows (metrics_daily, sql/049) with what changed since its
 * last refresh added (kf_metrics_live, sql/088), so a booking made a second ago counts and
 * no day is computed whole. A
 * filter keeps the rows of that service / professional: their bookings, payments and funnel
 * steps (a visit belongs to the booking it went on to); the calendar's failures follow the
 * professional alone; latencies and refused requests are the tenant's whatever the filter. */
#define METRICS_SQL                                                                          \
    "WITH rg AS (SELECT t.id AS tid, t.currency, %s::date AS d0, %s::date AS d1,"            \
    "    (now() AT TIME ZONE t.timezone)::date AS today, t.timezone AS tz"                   \
    "    FROM tenants t WHERE t.id = %s::uuid),"                                             \
    " f AS (SELECT %s::uuid AS svc, %s::uuid AS pro),"                                       \
    " every AS (SELECT d.* FROM rg, kf_metrics_live(rg.tid, rg.d0, rg.d1) d),"           \
    " x AS (SELECT e.* FROM every e, f WHERE (f.svc IS NULL OR e.service_id = f.svc)"        \
    "    AND (f.pro IS NULL OR e.professional_id = f.pro)),"                                 \
    " xp AS (SELECT e.* FROM every e, f WHERE f.pro IS NULL OR e.professional_id = f.pro),"  \
    " days AS (SELECT d::date AS day FROM rg, generate_series(rg.d0, rg.d1, interval '1 day') d)," \
    " pd AS (SELECT x.day, sum(x.bookings) AS n,"                                            \
    "    sum(coalesce((x.revenue ->> rg.currency)::bigint, 0)) AS amount FROM x, rg GROUP BY 1)," \
    " s AS (SELECT coalesce(sum(link_viewed), 0) AS viewed, coalesce(sum(slot_held), 0) AS held," \
    "    coalesce(sum(details_entered), 0) AS details, coalesce(sum(payment_started), 0) AS started," \
    "    coalesce(sum(payment_approved), 0) AS approved,"                                    \
    "    coalesce(sum(cancelled_customer), 0) AS by_customer,"                               \
    "    coalesce(sum(cancelled_merchant), 0) AS by_merchant,"                               \
    "    coalesce(sum(cancelled_system), 0) AS by_system,"                                   \
    "    coalesce(sum(rescheduled), 0) AS rescheduled, coalesce(sum(completed), 0) AS completed," \
    "    coalesce(sum(no_shows), 0) AS no_shows,"                                            \
    "    coalesce(sum(completed_reminded), 0) AS completed_reminded,"                        \
    "    coalesce(sum(no_shows_reminded), 0) AS no_shows_reminded,"                          \
    "    coalesce(sum(reminders_sent), 0) AS reminders,"                                     \
    "    coalesce(sum(assistant_opened), 0) AS a_opened,"                                    \
    "    coalesce(sum(assistant_answered), 0) AS a_answered,"                                \
    "    coalesce(sum(assistant_slot_picked), 0) AS a_picked FROM x),"                       \
    " lead AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS p50, avg(v) AS mean" \
    "    FROM x, unnest(x.lead_hours) v),"                                                   \
    " wh AS (SELECT percentile_cont(ARRAY[0.5, 0.95]::float8[]) WITHIN GROUP (ORDER BY v) AS q" \
    "    FROM every, unnest(every.webhook_ms) v),"                                           \
    " cb AS (SELECT percentile_cont(ARRAY[0.5, 0.95]::float8[]) WITHIN GROUP (ORDER BY v) AS q" \
    "    FROM every, unnest(every.callback_ms) v),"                                          \
    /* group classes that started in the range: read from the bookings themselves (a class  \
     * is its seats, sql/082), each counted with its service's capacity */                 \
    " cl AS (SELECT coalesce(sum(c.n), 0) AS booked, coalesce(sum(c.cap), 0) AS places"      \
    "    FROM (SELECT count(*) AS n, max(sv.capacity) AS cap FROM rg, f, reservations r"     \
    "      JOIN services sv ON sv.id = r.service_id WHERE r.tenant_id = rg.tid"              \
    "      AND r.starts_at >= rg.d0::timestamp AT TIME ZONE rg.tz"                           \
    "      AND r.starts_at < (rg.d1 + 1)::timestamp AT TIME ZONE rg.tz"                      \
    "      AND r.seat IS NOT NULL AND r.status IN " KFM_SQL_PAID_STATES                    \
    "      AND (f.svc IS NULL OR r.service_id = f.svc)"                                      \
    "      AND (f.pro IS NULL OR r.professional_id = f.pro) GROUP BY r.seat_class) c)"       \
    " SELECT " KFM_SQL_COLUMNS(KFM_METRICS_COLUMNS) \
    " FROM rg, s, lead, wh, cb, cl"

const kfm_sql kfm_metrics_sql[] = {
    {"kf_metrics", METRICS_SQL},
    {NULL, NULL},
};

/* The figures of one range. */
static json_t *figures_of(kfm_req *kr, const char *from, const char *to, const kf_metrics_query *q)
{
    const char *args[] = {from, to, kr->session->tenant.id, q->service, q->professional};
    const char *v[KF_METRICS_COLUMNS];
    /* sums that decide nothing: the read replica's, if any */
    if (kfm_db_select_row(kr->r, kfm_req_read_db(kr), kr->r->pool, "kf_metrics", 5, args, v,
                          KF_METRICS_COLUMNS) != APR_SUCCESS) {
        return NULL;
    }
    return kf_metrics_answer_json(from, to, v);
}

/* The period, range and filters, an empty one as absent, against the tenant's today. */
static const char *read_metrics_query(kfm_req *kr, const apr_table_t *params, void *q,
                                      const char **why)
{
    return kf_metrics_query_of(kr->r->pool, params, kr->session->tenant.today, q, why);
}

int kfm_handle_admin_metrics(kfm_req *kr)
{
    kf_metrics_query q;
    int reply = OK;
    if (!kfm_query_read(kr, read_metrics_query, &q, &reply)) {
        return reply;
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
