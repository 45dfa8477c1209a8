-- The figures job's lock of one business, until the caller's transaction ends: its refresh
-- (kf_metrics_refresh_one) and a request to compute its days again (kf_metrics_recompute)
-- take it, so neither runs halfway through the other.
CREATE OR REPLACE FUNCTION kf_metrics_lock(p_tenant uuid) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('kf_metrics_refresh'), hashtext(p_tenant::text))
$$;
