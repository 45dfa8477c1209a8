-- A row's sorted list of values (lead times, latencies) with the values of `p_gone` taken out
-- (once each) and those of `p_new` in, sorted as kf_metrics_day sorts it.
CREATE OR REPLACE FUNCTION kf_metrics_list_after(p_list real[], p_gone real[], p_new real[])
RETURNS real[]
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN cardinality(p_gone) = 0 AND cardinality(p_new) = 0 THEN coalesce(p_list, '{}')
       ELSE (SELECT coalesce(array_agg(x ORDER BY x), '{}')
               FROM ((SELECT unnest(coalesce(p_list, '{}')) AS x EXCEPT ALL SELECT unnest(p_gone))
                     UNION ALL SELECT unnest(p_new)) q) END
$$;
