-- The batch's shared read (sql/061), kept in the database under a new run id (returned):
-- for each business of `p_tenants`, the bookings whose history or reminders changed since
-- `since` and its callbacks' attempts since then (sql/088: the refresh takes them rather than
-- reading every business's attempts of its window itself). Shares runs left behind for an
-- hour are cleared.
CREATE OR REPLACE FUNCTION kf_metrics_stage_shares(p_tenants uuid[], since timestamptz) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    run_id uuid := gen_random_uuid();
BEGIN
    DELETE FROM metrics_shared_shares WHERE staged_at < now() - interval '1 hour';
    INSERT INTO metrics_shared_shares (run, tenant_id, bookings, moments, attempts)
        SELECT run_id, s.tenant_id, s.bookings, s.moments, coalesce(a.ids, '{}')
          FROM kf_metrics_shared_touches(p_tenants, since) s
          LEFT JOIN (SELECT a.tenant_id, array_agg(a.id) AS ids
                       FROM callback_attempts a
                      WHERE a.tenant_id = ANY (p_tenants) AND a.at >= since
                      GROUP BY a.tenant_id) a ON a.tenant_id = s.tenant_id;
    RETURN run_id;
END
$$;
