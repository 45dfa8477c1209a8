-- One run of the figures job for one business, in the caller's transaction (sql/088): the
-- changes of parts since the business's window start are added to its rows and kept; a
-- business never computed, in another zone than its rows', or computed before parts were
-- kept has its parts and rows computed from every fact. The next window starts at `upto`
-- (the run's start), or earlier at the start of the oldest transaction open now (its facts,
-- dated from its start, may commit after this run), less `slack` (facts dated earlier than
-- their transaction). The batch's shared read (`p_bookings`: the bookings whose history or
-- reminders changed, `p_attempts`: the callbacks' attempts; sql/057, sql/061) stands in for
-- this business's own reads of them when it began no later than the window (NULL: read
-- here). Returns how many days' rows changed. kf_metrics_refresh calls it.
CREATE OR REPLACE FUNCTION kf_metrics_refresh_one(p_tenant uuid, upto timestamptz, slack interval,
                                                  p_since timestamptz, p_bookings uuid[],
                                                  p_attempts bigint[])
RETURNS integer LANGUAGE plpgsql
-- each statement planned for its arrays: a plan cached for any size reads whole tables
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    since timestamptz;
    zone text;
    open_since timestamptz;
    days integer := 0;
    k record;
    c record;
    after metrics_daily[];
BEGIN
    PERFORM kf_metrics_lock(p_tenant);
    -- the business first, then its figures: a deletion takes them in that order too (059)
    SELECT timezone INTO zone FROM tenants WHERE id = p_tenant FOR KEY SHARE SKIP LOCKED;
    IF zone IS NULL THEN
        RETURN 0;
    END IF;
    -- before any read: a transaction that commits after this run's reads is open now or
    -- begins later
    SELECT min(a.xact_start) INTO open_since FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
       AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL;
    SELECT m.reread_from INTO since FROM metrics_daily_marks m
     WHERE m.tenant_id = p_tenant AND m.timezone = zone;
    IF since IS NULL THEN
        DELETE FROM metrics_daily WHERE tenant_id = p_tenant;
        DELETE FROM metrics_parts WHERE tenant_id = p_tenant;
        SELECT * INTO k FROM kf_metrics_keys(p_tenant, '-infinity', NULL, NULL);
        INSERT INTO metrics_parts
            SELECT * FROM kf_metrics_parts(p_tenant, k.bookings, k.visits, k.payments, k.events,
                                           k.webhooks, k.attempts, k.incidents);
        INSERT INTO metrics_daily SELECT * FROM kf_metrics_rows_of(p_tenant);
        SELECT count(DISTINCT day) INTO days FROM metrics_daily WHERE tenant_id = p_tenant;
    ELSE
        SELECT * INTO c FROM kf_metrics_changes(p_tenant, since,
            CASE WHEN p_since IS NOT NULL AND since >= p_since THEN p_bookings END,
            CASE WHEN p_since IS NOT NULL AND since >= p_since THEN p_attempts END);
        IF cardinality(c.changed) > 0 THEN
            after := ARRAY(SELECT r FROM kf_metrics_rows_after(p_tenant, c.plus, c.minus, c.changed,
                                                               c.fresh) r);
            WITH g AS (
                SELECT DISTINCT day, nullif(service_id, '00000000-0000-0000-0000-000000000000') AS svc,
                       nullif(professional_id, '00000000-0000-0000-0000-000000000000') AS pro
                  FROM unnest(c.plus || c.minus))
            DELETE FROM metrics_daily m USING g
             WHERE m.tenant_id = p_tenant AND m.day = g.day
               AND m.service_id IS NOT DISTINCT FROM g.svc AND m.professional_id IS NOT DISTINCT FROM g.pro;
            INSERT INTO metrics_daily SELECT * FROM unnest(after);
            DELETE FROM metrics_parts p USING unnest(c.changed) AS u(key)
             WHERE p.key = u.key AND p.tenant_id IS NOT DISTINCT FROM p_tenant;
            INSERT INTO metrics_parts SELECT * FROM unnest(c.fresh);
            SELECT count(DISTINCT day) INTO days FROM unnest(c.plus || c.minus);
        END IF;
    END IF;
    INSERT INTO metrics_daily_marks (tenant_id, through, timezone, reread_from)
    VALUES (p_tenant, upto, zone, least(upto, open_since) - slack)
        ON CONFLICT (tenant_id) DO UPDATE
        SET through = excluded.through, timezone = excluded.timezone, reread_from = excluded.reread_from;
    RETURN days;
END
$$;
