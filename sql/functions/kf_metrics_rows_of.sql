-- A business's rows of metrics_daily from its kept parts (sql/088): the sums of each day's
-- parts, the columns as kf_metrics_day's (and kf_metrics_rows_after's). What the figures job
-- writes when it computes a business from every fact.
CREATE OR REPLACE FUNCTION kf_metrics_rows_of(p_tenant uuid) RETURNS SETOF metrics_daily
LANGUAGE sql STABLE AS $$
WITH p AS (SELECT * FROM metrics_parts WHERE tenant_id = p_tenant),
money AS (
    SELECT day, service_id, professional_id,
           jsonb_object_agg(substr(what, 9), n) FILTER (WHERE what LIKE 'revenue:%') AS revenue,
           jsonb_object_agg(substr(what, 9), n) FILTER (WHERE what LIKE 'refunds:%') AS refunds
      FROM (SELECT day, service_id, professional_id, what, sum(n) AS n FROM p
             WHERE what LIKE 'revenue:%' OR what LIKE 'refunds:%' GROUP BY 1, 2, 3, 4) x
     GROUP BY 1, 2, 3),
sums AS (
    SELECT day, service_id, professional_id,
           coalesce(sum(n) FILTER (WHERE what = 'link_viewed'), 0)::int AS link_viewed,
           coalesce(sum(n) FILTER (WHERE what = 'slot_held'), 0)::int AS slot_held,
           coalesce(sum(n) FILTER (WHERE what = 'details_entered'), 0)::int AS details_entered,
           coalesce(sum(n) FILTER (WHERE what = 'payment_started'), 0)::int AS payment_started,
           coalesce(sum(n) FILTER (WHERE what = 'payment_approved'), 0)::int AS payment_approved,
           coalesce(sum(n) FILTER (WHERE what = 'assistant_opened'), 0)::int AS assistant_opened,
           coalesce(sum(n) FILTER (WHERE what = 'assistant_answered'), 0)::int AS assistant_answered,
           coalesce(sum(n) FILTER (WHERE what = 'assistant_slot_picked'), 0)::int AS assistant_slot_picked,
           coalesce(sum(n) FILTER (WHERE what = 'booking'), 0)::int AS bookings,
           coalesce(array_agg(v ORDER BY v) FILTER (WHERE what = 'booking'), '{}') AS lead_hours,
           coalesce(sum(n) FILTER (WHERE what = 'cancelled_customer'), 0)::int AS cancelled_customer,
           coalesce(sum(n) FILTER (WHERE what = 'cancelled_merchant'), 0)::int AS cancelled_merchant,
           coalesce(sum(n) FILTER (WHERE what = 'cancelled_system'), 0)::int AS cancelled_system,
           coalesce(sum(n) FILTER (WHERE what = 'rescheduled'), 0)::int AS rescheduled,
           coalesce(sum(n) FILTER (WHERE what IN ('completed', 'completed_reminded')), 0)::int AS completed,
           coalesce(sum(n) FILTER (WHERE what IN ('no_show', 'no_show_reminded')), 0)::int AS no_shows,
           coalesce(sum(n) FILTER (WHERE what = 'completed_reminded'), 0)::int AS completed_reminded,
           coalesce(sum(n) FILTER (WHERE what = 'no_show_reminded'), 0)::int AS no_shows_reminded,
           coalesce(sum(n) FILTER (WHERE what = 'reminder'), 0)::int AS reminders_sent,
           coalesce(sum(n) FILTER (WHERE what = 'rate_limited'), 0)::int AS rate_limited,
           coalesce(sum(n) FILTER (WHERE what = 'calendar_failure'), 0)::int AS calendar_failures,
           coalesce(sum(n) FILTER (WHERE what = 'oauth_failure'), 0)::int AS oauth_failures,
           coalesce(array_agg(v ORDER BY v) FILTER (WHERE what = 'webhook'), '{}') AS webhook_ms,
           coalesce(array_agg(v ORDER BY v) FILTER (WHERE what = 'callback'), '{}') AS callback_ms
      FROM p GROUP BY 1, 2, 3)
SELECT p_tenant, s.day, nullif(s.service_id, '00000000-0000-0000-0000-000000000000'),
       nullif(s.professional_id, '00000000-0000-0000-0000-000000000000'),
       s.link_viewed, s.slot_held, s.details_entered, s.payment_started, s.payment_approved,
       s.assistant_opened, s.assistant_answered, s.assistant_slot_picked, s.bookings, s.lead_hours,
       coalesce(m.revenue, '{}'), coalesce(m.refunds, '{}'), s.cancelled_customer,
       s.cancelled_merchant, s.cancelled_system, s.rescheduled, s.completed, s.no_shows,
       s.completed_reminded, s.no_shows_reminded, s.reminders_sent, s.rate_limited,
       s.calendar_failures, s.oauth_failures, s.webhook_ms, s.callback_ms
  FROM sums s LEFT JOIN money m ON m.day = s.day AND m.service_id = s.service_id
                               AND m.professional_id = s.professional_id
$$;
