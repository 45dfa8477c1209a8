-- 059 the figures job leaves a business whose deletion is under way.
--
-- Deleting a business locks its row, then its cascade deletes its figures (metrics_daily,
-- metrics_daily_marks). kf_metrics_refresh took them the other way round: it rewrote the
-- figures, then its insert's foreign-key check waited for the business's row. The two then
-- waited for each other until PostgreSQL broke the deadlock by failing one (now and then the
-- deletion); after a deletion that won it wrote a mark with no time zone (SQLSTATE 23502).
-- It now takes the business's row first (FOR KEY SHARE: it conflicts with a deletion only,
-- not with a business's settings changing) and skips a business being deleted, whose figures
-- go with it; a deletion rolled back leaves the business to the job's next run, its mark
-- unchanged.
-- konfirmado: additive
CREATE OR REPLACE FUNCTION kf_metrics_refresh(p_tenant uuid, upto timestamptz, slack interval,
                                   p_since timestamptz, p_bookings uuid[], p_moments timestamptz[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    since timestamptz;
    zone text;
    days date[];
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('kf_metrics_refresh'), hashtext(p_tenant::text));
    -- the business first, then its figures: a deletion takes them in that order too
    SELECT timezone INTO zone FROM tenants WHERE id = p_tenant FOR KEY SHARE SKIP LOCKED;
    IF zone IS NULL THEN
        RETURN 0;   -- gone, or its deletion under way: nothing of it to compute
    END IF;
    SELECT m.through - slack INTO since FROM metrics_daily_marks m
     WHERE m.tenant_id = p_tenant AND m.timezone = zone;
    IF since IS NULL THEN
        DELETE FROM metrics_daily WHERE tenant_id = p_tenant;
    END IF;
    IF p_since IS NOT NULL AND coalesce(since, '-infinity') >= p_since THEN
        days := ARRAY(SELECT kf_metrics_touched(p_tenant, coalesce(since, '-infinity'),
                                                p_bookings, p_moments));
    ELSE
        days := ARRAY(SELECT kf_metrics_touched(p_tenant, coalesce(since, '-infinity')));
    END IF;
    DELETE FROM metrics_daily WHERE tenant_id = p_tenant AND day = ANY (days);
    INSERT INTO metrics_daily SELECT d.* FROM unnest(days) AS u(day), kf_metrics_day(p_tenant, u.day) d;
    INSERT INTO metrics_daily_marks (tenant_id, through, timezone) VALUES (p_tenant, upto, zone)
        ON CONFLICT (tenant_id) DO UPDATE SET through = excluded.through, timezone = excluded.timezone;
    RETURN cardinality(days);
END
$$;
