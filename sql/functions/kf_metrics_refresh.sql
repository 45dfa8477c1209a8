-- The figures job's refresh of one business as the module calls it (sql/057, sql/061):
-- kf_metrics_refresh_one, with the batch's shared read taken from the run that keeps it
-- (`p_run`, read from `p_since`; none for this business: nothing of it in the shared read).
-- A share staged by a module of the previous version has no attempts: the refresh reads
-- them. Without a run (the tests' and an operator's call): every fact read for the business.
CREATE OR REPLACE FUNCTION kf_metrics_refresh(p_tenant uuid, upto timestamptz, slack interval,
                                              p_since timestamptz DEFAULT NULL, p_run uuid DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    share_bookings uuid[];
    share_attempts bigint[];
BEGIN
    IF p_run IS NOT NULL THEN
        DELETE FROM metrics_shared_shares WHERE run = p_run AND tenant_id = p_tenant
            RETURNING bookings, attempts INTO share_bookings, share_attempts;
        IF NOT FOUND THEN
            share_bookings := '{}';
            share_attempts := '{}';
        END IF;
    END IF;
    RETURN kf_metrics_refresh_one(p_tenant, upto, slack, p_since, share_bookings, share_attempts);
END
$$;
