-- The businesses the figures job refreshes in a run (mod_kf_metrics_daily.c), at most
-- `p_limit`, the least recently computed first:
--   * a business never computed, or computed in another zone than its own now;
--   * one with a fact recorded since its last run began (its window's start less `slack`
--     back: the start of that run, or of the oldest transaction open then);
--   * one whose window started more than `p_idle` ago with a fact of that window, the
--     `slack` before the last run included (facts dated before their transaction).
-- The rest are left alone: their refresh would read the facts of the last `slack` again,
-- find nothing new and only move where their window starts, and most businesses are idle at
-- most runs. That start moves here instead, once it is older than `p_idle`, in this one
-- statement and as the refresh would move it (to now, or earlier to the start of the oldest
-- transaction open now, less `slack`): the batch's shared read starts at its earliest window
-- (kf_metrics_stage_shares), which a business idle for days would stretch to days when it is
-- touched again.
CREATE OR REPLACE FUNCTION kf_metrics_due(p_limit integer, slack interval, p_idle interval)
RETURNS SETOF uuid LANGUAGE plpgsql AS $$
DECLARE
    open_since timestamptz;
BEGIN
    -- before any read: a transaction that commits after this read is open now or begins later
    SELECT min(a.xact_start) INTO open_since FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
       AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL;
    RETURN QUERY
    WITH seen AS (
        SELECT t.id, m.through, m.reread_from,
               m.reread_from IS NULL OR m.timezone IS DISTINCT FROM t.timezone
               OR kf_metrics_facts_since(t.id, m.reread_from + slack)
               OR (m.reread_from < now() - p_idle AND kf_metrics_facts_since(t.id, m.reread_from)) AS due
          FROM tenants t LEFT JOIN metrics_daily_marks m ON m.tenant_id = t.id),
    moved AS (
        -- a refresh that moved the window meanwhile keeps its own start
        UPDATE metrics_daily_marks m
           SET through = now(), reread_from = least(now(), open_since) - slack
          FROM seen s
         WHERE m.tenant_id = s.id AND NOT s.due AND s.reread_from < now() - p_idle
           AND m.reread_from = s.reread_from)
    SELECT s.id FROM seen s WHERE s.due ORDER BY s.through NULLS FIRST LIMIT p_limit;
END
$$;
