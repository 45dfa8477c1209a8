-- 060 the metrics job's shared read gives one callback attempt per day of a business, not all.
--
-- kf_metrics_shared_touches handed each business every callback attempt of the window, only
-- for kf_metrics_touched to turn them into the days they fall on. A merchant whose endpoint
-- fails gets an attempt per callback and retry: a busy one's attempts of a few minutes ran to
-- megabytes, read by the job and sent back in its refresh, and the connection's buffers
-- (libpq keeps them at their largest for the connection's life) held that much in the child
-- running the jobs, growing with the traffic. The latest attempt of each of the business's
-- days (in its time zone) names the same days.
-- konfirmado: additive
CREATE OR REPLACE FUNCTION kf_metrics_shared_touches(p_tenants uuid[], since timestamptz)
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
    SELECT c.tenant_id, max(a.at) AS at FROM callback_attempts a
      JOIN merchant_callbacks c ON c.id = a.callback_id
      JOIN tenants t ON t.id = c.tenant_id
     WHERE a.at >= since AND c.tenant_id = ANY (p_tenants)
     GROUP BY c.tenant_id, (a.at AT TIME ZONE t.timezone)::date),
bt AS (SELECT b.tenant_id, array_agg(b.id) AS bookings FROM b GROUP BY b.tenant_id),
at AS (SELECT a.tenant_id, array_agg(a.at) AS moments FROM a GROUP BY a.tenant_id)
SELECT coalesce(bt.tenant_id, at.tenant_id), coalesce(bt.bookings, '{}'), coalesce(at.moments, '{}')
  FROM bt FULL JOIN at ON at.tenant_id = bt.tenant_id
$$;
