-- Has the figures job compute a business's days again from every fact at its next refresh:
-- what rows written by hand with past times, or restored, need (they are not "since the last
-- run"). Its row of metrics_daily_marks is deleted under the refresh's lock
-- (kf_metrics_lock), so that no run under way, which read the facts before those rows,
-- writes its mark back afterwards and makes the next run add only what changed since.
CREATE OR REPLACE FUNCTION kf_metrics_recompute(p_tenant uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kf_metrics_lock(p_tenant);
    DELETE FROM metrics_daily_marks WHERE tenant_id = p_tenant;
END
$$;
