-- 005 booking changes: a time zone check that availability can run inside its single
-- statement. `AT TIME ZONE 'Nowhere/Zone'` aborts a whole statement; this answers false
-- instead, so that one round trip can tell the client 400 invalid_timezone.

CREATE FUNCTION kf_tz_valid(zone text) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    -- IANA names only (Area/Location, UTC, EST5EDT...): no POSIX offsets such as '+05'.
    IF zone IS NULL OR length(zone) > 64
       OR zone !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$' THEN
        RETURN false;
    END IF;
    PERFORM now() AT TIME ZONE zone;
    RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END
$$;
