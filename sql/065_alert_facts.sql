-- 065 the alerts' details are facts, told in the merchant's language.
-- The job's reads wrote each alert's detail as an English sentence, which the dashboard and
-- the alert's mail showed as it was, in a Spanish dashboard too. They now give the facts as
-- a JSON object, and the module tells them in the reader's language (lib/alerts/kf_alerts.c,
-- kf_alert_detail_text). The job writes an open alert's detail again on each run; a detail
-- written before is shown as it is. An older module shows the facts' JSON as the detail until
-- Apache reloads with the new one.
-- konfirmado: additive
CREATE OR REPLACE FUNCTION kf_alerts_callbacks_failing(span interval, failures int)
RETURNS TABLE (tenant_id uuid, detail text, told boolean)
LANGUAGE sql STABLE AS $$
WITH failed AS (
    SELECT c.tenant_id, a.at, a.status_code, a.error
      FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id
     WHERE a.at > now() - span
       AND (a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299)),
answered AS (
    SELECT b.tenant_id, (SELECT max(c.delivered_at) FROM merchant_callbacks c
                          WHERE c.tenant_id = b.tenant_id AND c.delivered_at IS NOT NULL) AS at
      FROM (SELECT DISTINCT tenant_id FROM failed) b)
SELECT f.tenant_id,
       json_build_object('failures', count(*),
                         'last_status', (array_agg(f.status_code ORDER BY f.at DESC))[1],
                         'last_error', left((array_agg(f.error ORDER BY f.at DESC))[1], 300))::text,
       false
  FROM failed f JOIN answered o ON o.tenant_id = f.tenant_id
 WHERE o.at IS NULL OR f.at > o.at
 GROUP BY f.tenant_id HAVING count(*) >= failures
$$;
