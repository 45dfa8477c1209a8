-- Has the figures job compute a business's days again from every fact at its next refresh:
-- what rows written by hand with past times, or restored, need (they are not "since the last
-- run"). Its row of metrics_daily_marks is deleted under the refresh's lock, so that no run
-- under way, which read the facts before those rows, writes its mark back afterwards and
-- makes the next run add only what changed since.
CREATE OR REPLACE FUNCTION kf_metrics_recompute(p_tenant uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kf_metrics_refresh'), hashtext(p_tenant::text));
    DELETE FROM metrics_daily_marks WHERE tenant_id = p_tenant;
END
$$;
