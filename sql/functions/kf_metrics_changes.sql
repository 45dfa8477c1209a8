-- What changed in a business's figures since `since` (sql/088): the parts of the sources
-- touched since then that differ from the parts kept (`plus`: new, `minus`: gone), the keys
-- of the sources whose parts changed, and those sources' parts now (`fresh`). A source whose
-- parts are the same (read again: the window overlaps the last one) is in none of them.
-- `p_bookings`, `p_attempts`: the shared read's, or NULL (kf_metrics_keys).
CREATE OR REPLACE FUNCTION kf_metrics_changes(p_tenant uuid, since timestamptz, p_bookings uuid[],
                                              p_attempts bigint[],
                                              OUT plus metrics_parts[], OUT minus metrics_parts[],
                                              OUT changed text[], OUT fresh metrics_parts[])
LANGUAGE plpgsql STABLE
-- each statement planned for its arrays: a plan cached for any size reads whole tables
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    k record;
    keys text[];
    kept metrics_parts[];
BEGIN
    SELECT * INTO k FROM kf_metrics_keys(p_tenant, since, p_bookings, p_attempts);
    keys := ARRAY(SELECT 'b:' || unnest(k.bookings) UNION ALL SELECT 'v:' || unnest(k.visits)
                  UNION ALL SELECT 'p:' || unnest(k.payments) UNION ALL SELECT 'f:' || unnest(k.events)
                  UNION ALL SELECT 'w:' || unnest(k.webhooks) UNION ALL SELECT 'a:' || unnest(k.attempts)
                  UNION ALL SELECT 'i:' || unnest(k.incidents));
    -- nothing of the business touched since `since` (most businesses at most runs): nothing
    -- changed, and the statements below, each planned at every call, are not run
    IF cardinality(keys) = 0 THEN
        plus := '{}';
        minus := '{}';
        changed := '{}';
        fresh := '{}';
        RETURN;
    END IF;
    fresh := ARRAY(SELECT p FROM kf_metrics_parts(p_tenant, k.bookings, k.visits, k.payments, k.events,
                                                  k.webhooks, k.attempts, k.incidents) p);
    kept := ARRAY(SELECT p FROM metrics_parts p
                   WHERE p.key = ANY (keys) AND p.tenant_id IS NOT DISTINCT FROM p_tenant);
    plus := ARRAY(SELECT ROW(x.*)::metrics_parts
                    FROM (SELECT * FROM unnest(fresh) EXCEPT ALL SELECT * FROM unnest(kept)) x);
    minus := ARRAY(SELECT ROW(x.*)::metrics_parts
                     FROM (SELECT * FROM unnest(kept) EXCEPT ALL SELECT * FROM unnest(fresh)) x);
    changed := ARRAY(SELECT key FROM unnest(plus) UNION SELECT key FROM unnest(minus));
    fresh := ARRAY(SELECT f FROM unnest(fresh) f WHERE f.key = ANY (changed));
END
$$;
