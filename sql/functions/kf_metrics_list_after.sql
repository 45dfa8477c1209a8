-- A row's sorted list of values (lead times, latencies) with the values of `p_gone` taken out
-- (once each) and those of `p_new` in, sorted as kf_metrics_day sorts it (array_agg ORDER BY).
-- A refresh adds a minute's values to a day's list of tens of thousands: each is put in its
-- place (a binary search) and each gone one taken from its place, rather than the whole list
-- sorted again; a list with a NULL, or many values gone, is sorted again.
CREATE OR REPLACE FUNCTION kf_metrics_list_after(p_list real[], p_gone real[], p_new real[])
RETURNS real[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    list real[] := coalesce(p_list, '{}');
    merged real[] := '{}';
    v real;
    lo integer;
    hi integer;
    mid integer;
    done integer := 1;
BEGIN
    IF cardinality(p_gone) = 0 AND cardinality(p_new) = 0 THEN
        RETURN list;
    END IF;
    IF cardinality(p_gone) > 64 OR array_position(list, NULL) IS NOT NULL
       OR array_position(p_gone, NULL) IS NOT NULL OR array_position(p_new, NULL) IS NOT NULL THEN
        RETURN (SELECT coalesce(array_agg(x ORDER BY x), '{}')
                  FROM ((SELECT unnest(list) AS x EXCEPT ALL SELECT unnest(p_gone))
                        UNION ALL SELECT unnest(p_new)) q);
    END IF;
    FOREACH v IN ARRAY p_gone LOOP
        -- its first place: the first value not below it
        lo := 1;
        hi := cardinality(list) + 1;
        WHILE lo < hi LOOP
            mid := (lo + hi) / 2;
            IF list[mid] < v THEN lo := mid + 1; ELSE hi := mid; END IF;
        END LOOP;
        IF lo <= cardinality(list) AND list[lo] = v THEN
            list := list[1:lo - 1] || list[lo + 1:cardinality(list)];
        END IF;
    END LOOP;
    FOR v IN SELECT x FROM unnest(p_new) AS x ORDER BY x LOOP
        -- after the values not above it, from where the last one went
        lo := done;
        hi := cardinality(list) + 1;
        WHILE lo < hi LOOP
            mid := (lo + hi) / 2;
            IF list[mid] <= v THEN lo := mid + 1; ELSE hi := mid; END IF;
        END LOOP;
        merged := merged || list[done:lo - 1] || v;
        done := lo;
    END LOOP;
    RETURN merged || list[done:cardinality(list)];
END
$$;
