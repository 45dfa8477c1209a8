-- A business's rows of metrics_daily from `p_from` to `p_to` as they are now, for the
-- dashboard: the kept rows with the changes since the job's last refresh added
-- (kf_metrics_changes, kf_metrics_rows_after), without writing anything (it runs on the read
-- replica) and without computing any day whole. A business the job has not computed yet
-- (new, a new zone, rows from before parts were kept) has today computed from the facts.
CREATE OR REPLACE FUNCTION kf_metrics_live(p_tenant uuid, p_from date, p_to date)
RETURNS SETOF metrics_daily
LANGUAGE plpgsql STABLE
-- each statement planned for its arrays: a plan cached for any size reads whole tables
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    zone text;
    since timestamptz;
    today date;
    c record;
BEGIN
    SELECT timezone INTO zone FROM tenants WHERE id = p_tenant;
    SELECT m.reread_from INTO since FROM metrics_daily_marks m
     WHERE m.tenant_id = p_tenant AND m.timezone = zone;
    IF since IS NULL THEN
        today := (now() AT TIME ZONE zone)::date;
        RETURN QUERY SELECT m.* FROM metrics_daily m
                      WHERE m.tenant_id = p_tenant AND m.day BETWEEN p_from AND p_to AND m.day < today;
        IF today BETWEEN p_from AND p_to THEN
            RETURN QUERY SELECT * FROM kf_metrics_day(p_tenant, today);
        END IF;
        RETURN;
    END IF;
    SELECT * INTO c FROM kf_metrics_changes(p_tenant, since, NULL, NULL);
    RETURN QUERY
        WITH g AS (
            SELECT DISTINCT day, service_id, professional_id FROM unnest(c.plus || c.minus))
        SELECT m.* FROM metrics_daily m
         WHERE m.tenant_id = p_tenant AND m.day BETWEEN p_from AND p_to
           AND NOT EXISTS (
               SELECT 1 FROM g WHERE g.day = m.day
                  AND g.service_id = coalesce(m.service_id, '00000000-0000-0000-0000-000000000000')
                  AND g.professional_id = coalesce(m.professional_id, '00000000-0000-0000-0000-000000000000'))
        UNION ALL
        SELECT a.* FROM kf_metrics_rows_after(p_tenant, c.plus, c.minus, c.changed, c.fresh) a
         WHERE a.day BETWEEN p_from AND p_to;
END
$$;
