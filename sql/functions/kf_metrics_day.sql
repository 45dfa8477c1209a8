-- A business's day of metrics (metrics_daily's row), in the business's zone; a marked
-- appointment is counted as its mark stands now (a mark may change for a day).
CREATE OR REPLACE FUNCTION kf_metrics_day(p_tenant uuid, p_day date) RETURNS SETOF metrics_daily
LANGUAGE sql STABLE AS $$
WITH rg AS (
    SELECT t.id AS tid, (p_day::timestamp AT TIME ZONE t.timezone) AS lo,
           ((p_day + 1)::timestamp AT TIME ZONE t.timezone) AS hi
    FROM tenants t WHERE t.id = p_tenant),
-- each visit's step on the day of its first event of that step; a visit belongs to the
-- service and professional of the first booking it went on to
ev AS (
    SELECT e.event, e.reservation_id, e.visit_id
    FROM funnel_events e, rg
    WHERE e.tenant_id = rg.tid AND e.created_at >= rg.lo AND e.created_at < rg.hi
      AND NOT EXISTS (
          SELECT 1 FROM funnel_events b
          WHERE b.event = e.event AND b.created_at < rg.lo AND b.tenant_id = rg.tid
            AND ((e.visit_id IS NOT NULL AND b.visit_id = e.visit_id)
                 OR (e.visit_id IS NULL AND e.reservation_id IS NOT NULL
                     AND b.visit_id IS NULL AND b.reservation_id = e.reservation_id)))),
steps AS (
    SELECT ev.event, coalesce(ev.visit_id, ev.reservation_id::text, gen_random_uuid()::text) AS who,
           coalesce(ev.reservation_id, (
               SELECT v.reservation_id FROM funnel_events v, rg
               WHERE v.visit_id = ev.visit_id AND v.tenant_id = rg.tid AND v.reservation_id IS NOT NULL
               ORDER BY v.id LIMIT 1)) AS rid
    FROM ev),
step_rows AS (
    SELECT r.service_id AS svc, r.professional_id AS pro, s.event, count(DISTINCT s.who) AS n
    FROM steps s LEFT JOIN reservations r ON r.id = s.rid
    GROUP BY 1, 2, 3),
hist AS (
    SELECT h.*, r.service_id AS svc, r.professional_id AS pro, r.cancelled_by, r.starts_at,
           r.status AS status_now
    FROM reservation_history h JOIN reservations r ON r.id = h.reservation_id, rg
    WHERE h.tenant_id = rg.tid AND h.created_at >= rg.lo AND h.created_at < rg.hi),
first_paid AS (
    SELECT DISTINCT ON (h.reservation_id) h.svc, h.pro,
           extract(epoch FROM h.starts_at - h.created_at) / 3600.0 AS lead
    FROM hist h
    WHERE h.to_status = 'paid' AND NOT EXISTS (
        SELECT 1 FROM reservation_history b
        WHERE b.reservation_id = h.reservation_id AND b.to_status = 'paid' AND b.created_at < h.created_at)
    ORDER BY h.reservation_id, h.created_at),
-- a marked appointment counts on the day of the mark that stands (its last move from paid
-- or confirmed into a mark), as what it is now: a change of the mark moves it from one count
-- to the other, an undo takes it out, a new mark after an undo counts on its own day
ended AS (
    SELECT h.svc, h.pro, h.status_now AS to_status,
           EXISTS (SELECT 1 FROM booking_reminders m WHERE m.reservation_id = h.reservation_id) AS reminded
    FROM hist h
    WHERE h.from_status IN ('paid', 'confirmed') AND h.to_status IN ('completed', 'no_show')
      AND h.status_now IN ('completed', 'no_show')
      AND NOT EXISTS (SELECT 1 FROM reservation_history l
                      WHERE l.reservation_id = h.reservation_id AND l.id > h.id
                        AND l.from_status IN ('paid', 'confirmed')
                        AND l.to_status IN ('completed', 'no_show'))),
money AS (
    SELECT r.service_id AS svc, r.professional_id AS pro, p.currency,
           sum(p.amount) FILTER (WHERE p.status = 'approved' AND NOT p.refund_needed
                                 AND p.approved_at >= rg.lo AND p.approved_at < rg.hi) AS paid,
           sum(p.refund_amount) FILTER (WHERE p.refund_status IN ('succeeded', 'manual')
                                        AND p.refunded_at >= rg.lo AND p.refunded_at < rg.hi) AS back
    FROM payments p LEFT JOIN reservations r ON r.id = p.reservation_id, rg
    WHERE p.tenant_id = rg.tid
      AND ((p.approved_at >= rg.lo AND p.approved_at < rg.hi)
           OR (p.refunded_at >= rg.lo AND p.refunded_at < rg.hi))
    GROUP BY 1, 2, 3),
facts AS (
    SELECT svc, pro, event, n, NULL::real AS lead, NULL::text AS currency, NULL::bigint AS paid,
           NULL::bigint AS back, NULL::text AS what, NULL::real AS ms
    FROM step_rows
    UNION ALL SELECT svc, pro, 'booking', 1, lead, NULL, NULL, NULL, NULL, NULL FROM first_paid
    UNION ALL SELECT svc, pro, 'money', 0, NULL, currency, paid, back, NULL, NULL FROM money
    UNION ALL
    SELECT svc, pro, 'cancelled_' || coalesce(cancelled_by, 'system'), count(DISTINCT reservation_id),
           NULL, NULL, NULL, NULL, NULL, NULL
    FROM hist WHERE to_status = 'cancelled' AND from_status IN ('paid', 'confirmed') GROUP BY 1, 2, 3
    UNION ALL
    SELECT svc, pro, 'rescheduled', count(*), NULL, NULL, NULL, NULL, NULL, NULL
    FROM hist WHERE reason = 'rescheduled' GROUP BY 1, 2
    UNION ALL
    SELECT svc, pro, to_status || CASE WHEN reminded THEN '_reminded' ELSE '' END, count(*),
           NULL, NULL, NULL, NULL, NULL, NULL FROM ended GROUP BY 1, 2, 3
    UNION ALL
    SELECT r.service_id, r.professional_id, 'reminder', count(*), NULL, NULL, NULL, NULL, NULL, NULL
    FROM booking_reminders m JOIN reservations r ON r.id = m.reservation_id, rg
    WHERE r.tenant_id = rg.tid AND m.sent_at >= rg.lo AND m.sent_at < rg.hi GROUP BY 1, 2
    UNION ALL
    SELECT NULL, i.professional_id, i.kind, sum(i.count), NULL, NULL, NULL, NULL, NULL, NULL
    FROM metrics_incidents i, rg WHERE i.tenant_id = rg.tid AND i.at >= rg.lo AND i.at < rg.hi
    GROUP BY 2, 3
    UNION ALL
    SELECT NULL, NULL, 'webhook', 0, NULL, NULL, NULL, NULL, NULL, e.processing_us / 1000.0
    FROM payment_events e, rg
    WHERE e.tenant_id = rg.tid AND e.source = 'webhook' AND e.processing_us IS NOT NULL
      AND e.received_at >= rg.lo AND e.received_at < rg.hi
    UNION ALL
    SELECT NULL, NULL, 'callback', 0, NULL, NULL, NULL, NULL, NULL, a.latency_ms
    FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id, rg
    WHERE c.tenant_id = rg.tid AND a.at >= rg.lo AND a.at < rg.hi)
SELECT p_tenant, p_day, f.svc, f.pro,
       coalesce(sum(n) FILTER (WHERE event = 'link_viewed'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'slot_held'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'details_entered'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'payment_started'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'payment_approved'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'assistant_opened'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'assistant_answered'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'assistant_slot_picked'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'booking'), 0)::int,
       coalesce(array_agg(lead ORDER BY lead) FILTER (WHERE event = 'booking'), '{}'),
       coalesce(jsonb_object_agg(currency, paid) FILTER (WHERE event = 'money' AND paid IS NOT NULL), '{}'),
       coalesce(jsonb_object_agg(currency, back) FILTER (WHERE event = 'money' AND back IS NOT NULL), '{}'),
       coalesce(sum(n) FILTER (WHERE event = 'cancelled_customer'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'cancelled_merchant'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'cancelled_system'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'rescheduled'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event IN ('completed', 'completed_reminded')), 0)::int,
       coalesce(sum(n) FILTER (WHERE event IN ('no_show', 'no_show_reminded')), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'completed_reminded'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'no_show_reminded'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'reminder'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'rate_limited'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'calendar_failure'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'oauth_failure'), 0)::int,
       coalesce(array_agg(ms ORDER BY ms) FILTER (WHERE event = 'webhook'), '{}'),
       coalesce(array_agg(ms ORDER BY ms) FILTER (WHERE event = 'callback'), '{}')
FROM facts f
GROUP BY f.svc, f.pro
$$;
