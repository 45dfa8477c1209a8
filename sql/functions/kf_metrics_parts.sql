-- The parts of the given sources of a business's figures, as the sources stand now (sql/088):
-- each fact kf_metrics_day counts, on the day and row it counts it, so that the sum of a
-- day's parts is that day's row. Mirrors kf_metrics_day fact by fact; a change there is a
-- change here (tests/e2e/test_admin_metrics_incremental.py holds the two equal). The sources'
-- rows are found by their own indexes; the business is a filter (IS NOT DISTINCT FROM is no
-- index's condition: a plan that also read the business's index would read all its rows).
CREATE OR REPLACE FUNCTION kf_metrics_parts(p_tenant uuid, p_bookings uuid[], p_visits text[],
                                            p_payments uuid[], p_events bigint[], p_webhooks bigint[],
                                            p_attempts bigint[], p_incidents bigint[])
RETURNS SETOF metrics_parts
LANGUAGE sql STABLE AS $$
WITH t AS (SELECT id, timezone, '00000000-0000-0000-0000-000000000000'::uuid AS nil
             FROM tenants WHERE id = p_tenant),
r AS (
    SELECT r.id, coalesce(r.service_id, t.nil) AS svc, coalesce(r.professional_id, t.nil) AS pro,
           r.cancelled_by, r.starts_at, r.status
      FROM reservations r, t WHERE r.id = ANY (p_bookings) AND r.tenant_id IS NOT DISTINCT FROM t.id),
hist AS (
    SELECT h.id, h.reservation_id, h.from_status, h.to_status, h.reason, h.created_at,
           (h.created_at AT TIME ZONE t.timezone)::date AS day, r.svc, r.pro, r.cancelled_by,
           r.starts_at, r.status AS status_now
      FROM reservation_history h JOIN r ON r.id = h.reservation_id, t
     WHERE h.tenant_id IS NOT DISTINCT FROM t.id),
-- a booking: on the day it first became paid, with its lead time
first_paid AS (
    SELECT DISTINCT ON (h.reservation_id) h.*
      FROM hist h WHERE h.to_status = 'paid' ORDER BY h.reservation_id, h.created_at),
-- a mark counts on the day of the mark that stands, as what the booking is now
ended AS (
    SELECT DISTINCT ON (h.reservation_id) h.*
      FROM hist h
     WHERE h.from_status IN ('paid', 'confirmed') AND h.to_status IN ('completed', 'no_show')
     ORDER BY h.reservation_id, h.id DESC),
-- a visit's step on the day of its first event of that step, in the row of the booking of
-- that event, or else of the first booking the visit went on to
ve AS (
    SELECT e.id, e.event, e.visit_id, e.reservation_id,
           (e.created_at AT TIME ZONE t.timezone)::date AS day
      FROM funnel_events e, t WHERE e.visit_id = ANY (p_visits) AND e.tenant_id IS NOT DISTINCT FROM t.id),
visit_first AS (
    SELECT DISTINCT ON (ve.visit_id) ve.visit_id, ve.reservation_id
      FROM ve WHERE ve.reservation_id IS NOT NULL ORDER BY ve.visit_id, ve.id),
step_day AS (SELECT ve.visit_id, ve.event, min(ve.day) AS day FROM ve GROUP BY 1, 2),
visit_steps AS (
    SELECT DISTINCT ve.visit_id, ve.event, ve.day,
           coalesce(ve.reservation_id, vf.reservation_id) AS rid
      FROM ve JOIN step_day s ON s.visit_id = ve.visit_id AND s.event = ve.event AND s.day = ve.day
      LEFT JOIN visit_first vf ON vf.visit_id = ve.visit_id),
-- a booking's steps of no visit: once per step, on the day of the first
booking_steps AS (
    SELECT e.reservation_id, e.event, min(e.created_at) AS at
      FROM funnel_events e, t
     WHERE e.reservation_id = ANY (p_bookings) AND e.visit_id IS NULL AND e.tenant_id IS NOT DISTINCT FROM t.id
     GROUP BY 1, 2),
pay AS (
    SELECT p.*, coalesce(rr.service_id, t.nil) AS svc, coalesce(rr.professional_id, t.nil) AS pro
      FROM payments p LEFT JOIN reservations rr ON rr.id = p.reservation_id, t
     WHERE p.id = ANY (p_payments) AND p.tenant_id IS NOT DISTINCT FROM t.id)
SELECT p_tenant, 'b:' || f.reservation_id, f.day, f.svc, f.pro, 'booking', 1::bigint,
       (extract(epoch FROM f.starts_at - f.created_at) / 3600.0)::real
  FROM first_paid f
UNION ALL
SELECT DISTINCT p_tenant, 'b:' || h.reservation_id, h.day, h.svc, h.pro,
       'cancelled_' || coalesce(h.cancelled_by, 'system'), 1::bigint, NULL::real
  FROM hist h WHERE h.to_status = 'cancelled' AND h.from_status IN ('paid', 'confirmed')
UNION ALL
SELECT p_tenant, 'b:' || h.reservation_id, h.day, h.svc, h.pro, 'rescheduled', count(*), NULL
  FROM hist h WHERE h.reason = 'rescheduled' GROUP BY h.reservation_id, h.day, h.svc, h.pro
UNION ALL
SELECT p_tenant, 'b:' || e.reservation_id, e.day, e.svc, e.pro,
       e.status_now || CASE WHEN EXISTS (SELECT 1 FROM booking_reminders m
                                         WHERE m.reservation_id = e.reservation_id)
                            THEN '_reminded' ELSE '' END, 1, NULL
  FROM ended e WHERE e.status_now IN ('completed', 'no_show')
UNION ALL
SELECT p_tenant, 'b:' || r.id, (m.sent_at AT TIME ZONE t.timezone)::date, r.svc, r.pro, 'reminder',
       count(*), NULL
  FROM booking_reminders m JOIN r ON r.id = m.reservation_id, t
 GROUP BY r.id, 3, r.svc, r.pro
UNION ALL
SELECT p_tenant, 'b:' || s.reservation_id, (s.at AT TIME ZONE t.timezone)::date,
       coalesce(rr.service_id, t.nil), coalesce(rr.professional_id, t.nil), s.event, 1, NULL
  FROM booking_steps s JOIN reservations rr ON rr.id = s.reservation_id, t
UNION ALL
SELECT DISTINCT p_tenant, 'v:' || s.visit_id, s.day, coalesce(rr.service_id, t.nil),
       coalesce(rr.professional_id, t.nil), s.event, 1::bigint, NULL::real
  FROM visit_steps s LEFT JOIN reservations rr ON rr.id = s.rid, t
UNION ALL
SELECT p_tenant, 'f:' || e.id, (e.created_at AT TIME ZONE t.timezone)::date, t.nil, t.nil, e.event,
       1, NULL
  FROM funnel_events e, t
 WHERE e.id = ANY (p_events) AND e.tenant_id IS NOT DISTINCT FROM t.id AND e.visit_id IS NULL AND e.reservation_id IS NULL
UNION ALL
SELECT p_tenant, 'p:' || p.id, (p.approved_at AT TIME ZONE t.timezone)::date, p.svc, p.pro,
       CASE WHEN p.status = 'approved' AND NOT p.refund_needed THEN 'revenue:' || p.currency
            ELSE 'payment' END,
       CASE WHEN p.status = 'approved' AND NOT p.refund_needed THEN p.amount ELSE 0 END, NULL
  FROM pay p, t WHERE p.approved_at IS NOT NULL
UNION ALL
SELECT p_tenant, 'p:' || p.id, (p.refunded_at AT TIME ZONE t.timezone)::date, p.svc, p.pro,
       CASE WHEN p.refund_status IN ('succeeded', 'manual') AND p.refund_amount IS NOT NULL
            THEN 'refunds:' || p.currency ELSE 'payment' END,
       CASE WHEN p.refund_status IN ('succeeded', 'manual') THEN coalesce(p.refund_amount, 0) ELSE 0 END,
       NULL
  FROM pay p, t WHERE p.refunded_at IS NOT NULL
UNION ALL
SELECT p_tenant, 'w:' || e.id, (e.received_at AT TIME ZONE t.timezone)::date, t.nil, t.nil,
       'webhook', 0, (e.processing_us / 1000.0)::real
  FROM payment_events e, t
 WHERE e.id = ANY (p_webhooks) AND e.tenant_id IS NOT DISTINCT FROM t.id AND e.source = 'webhook'
   AND e.processing_us IS NOT NULL
UNION ALL
SELECT p_tenant, 'a:' || a.id, (a.at AT TIME ZONE t.timezone)::date, t.nil, t.nil, 'callback', 0,
       a.latency_ms::real
  FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id, t
 WHERE a.id = ANY (p_attempts) AND c.tenant_id IS NOT DISTINCT FROM t.id
UNION ALL
SELECT p_tenant, 'i:' || i.id, (i.at AT TIME ZONE t.timezone)::date, t.nil,
       coalesce(i.professional_id, t.nil), i.kind, i.count, NULL
  FROM metrics_incidents i, t WHERE i.id = ANY (p_incidents) AND i.tenant_id IS NOT DISTINCT FROM t.id
$$;
