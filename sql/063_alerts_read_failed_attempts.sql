-- 063 the alerts job reads the hour's failed callback attempts, not all of them.
-- Its "callbacks failing" check read every attempt of the last hour to keep the failed ones,
-- then looked for a later 2xx among every business's attempts once per failure: a run cost
-- as much as the hour's deliveries (341 ms a run during webhook ingest on a 2-core machine),
-- and a snapshot held that long slows the callback job's claims (docs/performance.md). The
-- failures have an index of their own, as small as they are few, each failing business's
-- last delivery is found through its business, and the read is a function here so that its
-- plan can be checked. With 100,000 deliveries and 306 failures in the hour: 45-50 ms
-- reading 206,632 attempt rows before, 1.7 ms reading 312, the same businesses found. The
-- index on the attempts' time made for the alerts (053) was the same as the figures job's
-- (049): every attempt wrote both; one goes.
-- konfirmado: additive
CREATE INDEX callback_attempts_failed_time ON callback_attempts (at)
    WHERE status_code IS NULL OR status_code NOT BETWEEN 200 AND 299;
DROP INDEX callback_attempts_at;

-- A business's last delivery, found from its business: the alerts' check asks it of each
-- business whose attempts fail (only delivered callbacks are in it).
CREATE INDEX merchant_callbacks_delivered ON merchant_callbacks (tenant_id, delivered_at)
    WHERE delivered_at IS NOT NULL;

-- The businesses with at least `failures` failed attempts within the last `span` after their
-- last delivery (a 2xx answer: its attempt is recorded with the delivery's time): how many,
-- the last one's reason, not told yet. 053 looked for a later 2xx attempt once per failed
-- attempt, among every business's attempts.
CREATE FUNCTION kf_alerts_callbacks_failing(span interval, failures int)
RETURNS TABLE (tenant_id uuid, detail text, told boolean)
LANGUAGE sql STABLE AS $$
WITH failed AS (
    SELECT c.tenant_id, a.at, coalesce(a.error, 'HTTP ' || a.status_code, 'no answer') AS why
      FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id
     WHERE a.at > now() - span
       AND (a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299)),
answered AS (
    SELECT b.tenant_id, (SELECT max(c.delivered_at) FROM merchant_callbacks c
                          WHERE c.tenant_id = b.tenant_id AND c.delivered_at IS NOT NULL) AS at
      FROM (SELECT DISTINCT tenant_id FROM failed) b)
SELECT f.tenant_id, count(*) || ' failed attempts in the last hour; the last: '
       || (array_agg(f.why ORDER BY f.at DESC))[1], false
  FROM failed f JOIN answered o ON o.tenant_id = f.tenant_id
 WHERE o.at IS NULL OR f.at > o.at
 GROUP BY f.tenant_id HAVING count(*) >= failures
$$;
