-- 057 the metrics job reads the facts that carry no tenant once per run, not once per tenant.
-- A booking's status history, its reminders and its callbacks' attempts are found by their
-- time alone (they have no tenant column), so kf_metrics_touched read every business's rows
-- of its window for each business in turn: 200 businesses a run times all the traffic of
-- the last minutes, a run that took longer than its interval once traffic was high. Now the
-- job reads those rows once for the whole batch (kf_metrics_shared_touches) and hands each
-- business its own share; the facts with a tenant column stay read by their tenant's index.
-- The older functions stay for a module of the previous version.
-- konfirmado: additive

-- The bookings (status history, reminders sent) and the callback attempts of the tenants
-- `p_tenants` recorded at or after `since`, by tenant (only tenants that have any).
CREATE FUNCTION kf_metrics_shared_touches(p_tenants uuid[], since timestamptz)
RETURNS TABLE (tenant_id uuid, bookings uuid[], moments timestamptz[])
LANGUAGE sql STABLE AS $$
WITH b AS (
    SELECT r.tenant_id, h.reservation_id AS id FROM reservation_history h
      JOIN reservations r ON r.id = h.reservation_id
     WHERE h.created_at >= since AND r.tenant_id = ANY (p_tenants)
    UNION SELECT r.tenant_id, m.reservation_id FROM booking_reminders m
      JOIN reservations r ON r.id = m.reservation_id
     WHERE m.sent_at >= since AND r.tenant_id = ANY (p_tenants)),
a AS (
    SELECT DISTINCT c.tenant_id, a.at FROM callback_attempts a
      JOIN merchant_callbacks c ON c.id = a.callback_id
     WHERE a.at >= since AND c.tenant_id = ANY (p_tenants)),
bt AS (SELECT b.tenant_id, array_agg(b.id) AS bookings FROM b GROUP BY b.tenant_id),
at AS (SELECT a.tenant_id, array_agg(a.at) AS moments FROM a GROUP BY a.tenant_id)
SELECT coalesce(bt.tenant_id, at.tenant_id), coalesce(bt.bookings, '{}'), coalesce(at.moments, '{}')
  FROM bt FULL JOIN at ON at.tenant_id = bt.tenant_id
$$;

-- kf_metrics_touched with the tenant's share of the shared facts given: `p_bookings` (the
-- bookings whose history or reminders changed since) and `p_moments` (its callbacks'
-- attempts since), as kf_metrics_shared_touches found them from `since` or earlier.
CREATE FUNCTION kf_metrics_touched(p_tenant uuid, since timestamptz, p_bookings uuid[],
                                   p_moments timestamptz[]) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
WITH t AS (SELECT id, timezone FROM tenants WHERE id = p_tenant),
res AS (
    SELECT unnest(p_bookings) AS id
    UNION SELECT p.reservation_id FROM payments p, t
     WHERE p.tenant_id = t.id AND p.approved_at >= since AND p.reservation_id IS NOT NULL
    UNION SELECT p.reservation_id FROM payments p, t
     WHERE p.tenant_id = t.id AND p.refunded_at >= since AND p.reservation_id IS NOT NULL
    UNION SELECT e.reservation_id FROM funnel_events e, t
     WHERE e.tenant_id = t.id AND e.created_at >= since AND e.reservation_id IS NOT NULL),
visits AS (
    SELECT e.visit_id FROM funnel_events e, t
     WHERE e.tenant_id = t.id AND e.created_at >= since AND e.visit_id IS NOT NULL
    UNION SELECT e.visit_id FROM funnel_events e WHERE e.reservation_id IN (SELECT id FROM res)
       AND e.visit_id IS NOT NULL),
moments AS (
    SELECT h.created_at AS at FROM reservation_history h WHERE h.reservation_id IN (SELECT id FROM res)
    UNION SELECT m.sent_at FROM booking_reminders m WHERE m.reservation_id IN (SELECT id FROM res)
    UNION SELECT unnest(ARRAY[p.approved_at, p.refunded_at]) FROM payments p
     WHERE p.reservation_id IN (SELECT id FROM res)
    UNION SELECT unnest(ARRAY[p.approved_at, p.refunded_at]) FROM payments p, t
     WHERE p.tenant_id = t.id AND p.approved_at >= since
    UNION SELECT unnest(ARRAY[p.approved_at, p.refunded_at]) FROM payments p, t
     WHERE p.tenant_id = t.id AND p.refunded_at >= since
    UNION SELECT e.created_at FROM funnel_events e, t WHERE e.tenant_id = t.id AND e.created_at >= since
    UNION SELECT e.created_at FROM funnel_events e WHERE e.reservation_id IN (SELECT id FROM res)
    UNION SELECT e.created_at FROM funnel_events e WHERE e.visit_id IN (SELECT visit_id FROM visits)
    UNION SELECT i.at FROM metrics_incidents i, t WHERE i.tenant_id = t.id AND i.at >= since
    UNION SELECT e.received_at FROM payment_events e, t WHERE e.tenant_id = t.id AND e.received_at >= since
    UNION SELECT unnest(p_moments))
SELECT DISTINCT (m.at AT TIME ZONE t.timezone)::date FROM moments m, t WHERE m.at IS NOT NULL
$$;

-- kf_metrics_refresh with the shared facts read from `p_since` (the batch's earliest mark,
-- less the slack; -infinity when the batch has a tenant never computed, whose days are then
-- all computed from the shared read too). A tenant whose own window starts before `p_since`
-- (its zone changed) is computed as before, from every fact.
CREATE FUNCTION kf_metrics_refresh(p_tenant uuid, upto timestamptz, slack interval,
                                   p_since timestamptz, p_bookings uuid[], p_moments timestamptz[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    since timestamptz;
    zone text;
    days date[];
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kf_metrics_refresh'), hashtext(p_tenant::text));
    SELECT timezone INTO zone FROM tenants WHERE id = p_tenant;
    SELECT m.through - slack INTO since FROM metrics_daily_marks m
     WHERE m.tenant_id = p_tenant AND m.timezone = zone;
    IF since IS NULL THEN
        DELETE FROM metrics_daily WHERE tenant_id = p_tenant;
    END IF;
    IF p_since IS NOT NULL AND coalesce(since, '-infinity') >= p_since THEN
        days := ARRAY(SELECT kf_metrics_touched(p_tenant, coalesce(since, '-infinity'),
                                                p_bookings, p_moments));
    ELSE
        days := ARRAY(SELECT kf_metrics_touched(p_tenant, coalesce(since, '-infinity')));
    END IF;
    DELETE FROM metrics_daily WHERE tenant_id = p_tenant AND day = ANY (days);
    INSERT INTO metrics_daily SELECT d.* FROM unnest(days) AS u(day), kf_metrics_day(p_tenant, u.day) d;
    INSERT INTO metrics_daily_marks (tenant_id, through, timezone) VALUES (p_tenant, upto, zone)
        ON CONFLICT (tenant_id) DO UPDATE SET through = excluded.through, timezone = excluded.timezone;
    RETURN cardinality(days);
END
$$;

-- The one-business forms are the batch's forms for a batch of one, so the rule of which days
-- a fact touches is written once (above).
CREATE OR REPLACE FUNCTION kf_metrics_touched(p_tenant uuid, since timestamptz) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
SELECT kf_metrics_touched(p_tenant, since, coalesce(s.bookings, '{}'), coalesce(s.moments, '{}'))
  FROM (SELECT 1) one
  LEFT JOIN kf_metrics_shared_touches(ARRAY[p_tenant], since) s ON true
$$;

CREATE OR REPLACE FUNCTION kf_metrics_refresh(p_tenant uuid, upto timestamptz, slack interval)
RETURNS integer LANGUAGE sql AS $$
SELECT kf_metrics_refresh(p_tenant, upto, slack, NULL, '{}', '{}')
$$;
