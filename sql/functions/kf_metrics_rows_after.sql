-- A business's rows of metrics_daily that a change of parts (kf_metrics_changes) touches, as
-- they are once the change is added: the kept row (or none) plus the new parts less the gone
-- ones, sorted lists with the gone values taken out and the new ones in. A row, and a
-- currency of its revenue or refunds, stays while a part still gives it: a kept part of a
-- source not changed, or a fresh one. Read-only, so the dashboard adds the changes not yet
-- kept to what it reads (kf_metrics_live); the columns as kf_metrics_day's (and
-- kf_metrics_rows_of's).
CREATE OR REPLACE FUNCTION kf_metrics_rows_after(p_tenant uuid, p_plus metrics_parts[],
                                                 p_minus metrics_parts[], p_changed text[],
                                                 p_fresh metrics_parts[])
RETURNS SETOF metrics_daily
LANGUAGE sql STABLE AS $$
WITH d AS (
    SELECT day, service_id AS svc, professional_id AS pro, what, n, v, 1 AS sign FROM unnest(p_plus)
    UNION ALL
    SELECT day, service_id, professional_id, what, n, v, -1 FROM unnest(p_minus)),
dg AS (
    SELECT day, svc, pro,
           coalesce(sum(sign * n) FILTER (WHERE what = 'link_viewed'), 0) AS link_viewed,
           coalesce(sum(sign * n) FILTER (WHERE what = 'slot_held'), 0) AS slot_held,
           coalesce(sum(sign * n) FILTER (WHERE what = 'details_entered'), 0) AS details_entered,
           coalesce(sum(sign * n) FILTER (WHERE what = 'payment_started'), 0) AS payment_started,
           coalesce(sum(sign * n) FILTER (WHERE what = 'payment_approved'), 0) AS payment_approved,
           coalesce(sum(sign * n) FILTER (WHERE what = 'assistant_opened'), 0) AS assistant_opened,
           coalesce(sum(sign * n) FILTER (WHERE what = 'assistant_answered'), 0) AS assistant_answered,
           coalesce(sum(sign * n) FILTER (WHERE what = 'assistant_slot_picked'), 0) AS assistant_slot_picked,
           coalesce(sum(sign * n) FILTER (WHERE what = 'booking'), 0) AS bookings,
           coalesce(sum(sign * n) FILTER (WHERE what = 'cancelled_customer'), 0) AS cancelled_customer,
           coalesce(sum(sign * n) FILTER (WHERE what = 'cancelled_merchant'), 0) AS cancelled_merchant,
           coalesce(sum(sign * n) FILTER (WHERE what = 'cancelled_system'), 0) AS cancelled_system,
           coalesce(sum(sign * n) FILTER (WHERE what = 'rescheduled'), 0) AS rescheduled,
           coalesce(sum(sign * n) FILTER (WHERE what IN ('completed', 'completed_reminded')), 0) AS completed,
           coalesce(sum(sign * n) FILTER (WHERE what IN ('no_show', 'no_show_reminded')), 0) AS no_shows,
           coalesce(sum(sign * n) FILTER (WHERE what = 'completed_reminded'), 0) AS completed_reminded,
           coalesce(sum(sign * n) FILTER (WHERE what = 'no_show_reminded'), 0) AS no_shows_reminded,
           coalesce(sum(sign * n) FILTER (WHERE what = 'reminder'), 0) AS reminders_sent,
           coalesce(sum(sign * n) FILTER (WHERE what = 'rate_limited'), 0) AS rate_limited,
           coalesce(sum(sign * n) FILTER (WHERE what = 'calendar_failure'), 0) AS calendar_failures,
           coalesce(sum(sign * n) FILTER (WHERE what = 'oauth_failure'), 0) AS oauth_failures,
           coalesce(array_agg(v) FILTER (WHERE sign = -1 AND what = 'booking'), '{}') AS leads_gone,
           coalesce(array_agg(v) FILTER (WHERE sign = 1 AND what = 'booking'), '{}') AS leads_new,
           coalesce(array_agg(v) FILTER (WHERE sign = -1 AND what = 'webhook'), '{}') AS webhooks_gone,
           coalesce(array_agg(v) FILTER (WHERE sign = 1 AND what = 'webhook'), '{}') AS webhooks_new,
           coalesce(array_agg(v) FILTER (WHERE sign = -1 AND what = 'callback'), '{}') AS callbacks_gone,
           coalesce(array_agg(v) FILTER (WHERE sign = 1 AND what = 'callback'), '{}') AS callbacks_new
      FROM d GROUP BY 1, 2, 3),
money AS (
    SELECT day, svc, pro, what, sum(sign * n) AS dn FROM d
     WHERE what LIKE 'revenue:%' OR what LIKE 'refunds:%' GROUP BY 1, 2, 3, 4),
-- what the fresh parts give: rows (what: '') and currencies of them
fresh AS (
    SELECT DISTINCT day, service_id AS svc, professional_id AS pro, '' AS what FROM unnest(p_fresh)
    UNION
    SELECT day, service_id, professional_id, what FROM unnest(p_fresh)
     WHERE what LIKE 'revenue:%' OR what LIKE 'refunds:%'),
-- whether a part still gives the row (what: '') or a currency of it (what: that one)
gives AS (
    SELECT dg.day, dg.svc, dg.pro, w.what,
           f.day IS NOT NULL
           OR EXISTS (SELECT 1 FROM metrics_parts p
                       WHERE p.tenant_id = p_tenant AND p.day = dg.day AND p.service_id = dg.svc
                         AND p.professional_id = dg.pro AND (w.what = '' OR p.what = w.what)
                         AND p.key <> ALL (p_changed)) AS yes
      FROM dg CROSS JOIN LATERAL (SELECT '' AS what
                                  UNION ALL SELECT m.what FROM money m
                                   WHERE m.day = dg.day AND m.svc = dg.svc AND m.pro = dg.pro) w
      LEFT JOIN fresh f ON f.day = dg.day AND f.svc = dg.svc AND f.pro = dg.pro AND f.what = w.what),
amounts AS (
    SELECT m.day, m.svc, m.pro,
           coalesce(array_agg(ROW(substr(m.what, 9), m.dn, gv.yes)::kf_metrics_amount_change)
                    FILTER (WHERE m.what LIKE 'revenue:%'), '{}') AS revenue,
           coalesce(array_agg(ROW(substr(m.what, 9), m.dn, gv.yes)::kf_metrics_amount_change)
                    FILTER (WHERE m.what LIKE 'refunds:%'), '{}') AS refunds
      FROM money m JOIN gives gv ON gv.day = m.day AND gv.svc = m.svc AND gv.pro = m.pro AND gv.what = m.what
     GROUP BY 1, 2, 3),
g AS (
    SELECT dg.*, nullif(dg.svc, '00000000-0000-0000-0000-000000000000') AS service_id,
           nullif(dg.pro, '00000000-0000-0000-0000-000000000000') AS professional_id
      FROM dg JOIN gives ON gives.day = dg.day AND gives.svc = dg.svc AND gives.pro = dg.pro
                        AND gives.what = '' AND gives.yes)
SELECT p_tenant, g.day, g.service_id, g.professional_id,
       (coalesce(s.link_viewed, 0) + g.link_viewed)::int,
       (coalesce(s.slot_held, 0) + g.slot_held)::int,
       (coalesce(s.details_entered, 0) + g.details_entered)::int,
       (coalesce(s.payment_started, 0) + g.payment_started)::int,
       (coalesce(s.payment_approved, 0) + g.payment_approved)::int,
       (coalesce(s.assistant_opened, 0) + g.assistant_opened)::int,
       (coalesce(s.assistant_answered, 0) + g.assistant_answered)::int,
       (coalesce(s.assistant_slot_picked, 0) + g.assistant_slot_picked)::int,
       (coalesce(s.bookings, 0) + g.bookings)::int,
       kf_metrics_list_after(s.lead_hours, g.leads_gone, g.leads_new),
       kf_metrics_amounts_after(s.revenue, coalesce(a.revenue, '{}')),
       kf_metrics_amounts_after(s.refunds, coalesce(a.refunds, '{}')),
       (coalesce(s.cancelled_customer, 0) + g.cancelled_customer)::int,
       (coalesce(s.cancelled_merchant, 0) + g.cancelled_merchant)::int,
       (coalesce(s.cancelled_system, 0) + g.cancelled_system)::int,
       (coalesce(s.rescheduled, 0) + g.rescheduled)::int,
       (coalesce(s.completed, 0) + g.completed)::int,
       (coalesce(s.no_shows, 0) + g.no_shows)::int,
       (coalesce(s.completed_reminded, 0) + g.completed_reminded)::int,
       (coalesce(s.no_shows_reminded, 0) + g.no_shows_reminded)::int,
       (coalesce(s.reminders_sent, 0) + g.reminders_sent)::int,
       (coalesce(s.rate_limited, 0) + g.rate_limited)::int,
       (coalesce(s.calendar_failures, 0) + g.calendar_failures)::int,
       (coalesce(s.oauth_failures, 0) + g.oauth_failures)::int,
       kf_metrics_list_after(s.webhook_ms, g.webhooks_gone, g.webhooks_new),
       kf_metrics_list_after(s.callback_ms, g.callbacks_gone, g.callbacks_new)
  FROM g LEFT JOIN amounts a ON a.day = g.day AND a.svc = g.svc AND a.pro = g.pro
  LEFT JOIN metrics_daily s
    ON s.tenant_id = p_tenant AND s.day = g.day AND s.service_id IS NOT DISTINCT FROM g.service_id
   AND s.professional_id IS NOT DISTINCT FROM g.professional_id
$$;
