-- 017 the expiry rule as one predicate, and kf_expire_due written once.
-- kf_reservation_due(status, expires_at): a hold or an unpaid booking whose time ran out.
-- Every statement that asks "is it due?" (the expiry job, holds, late approvals, the public
-- status read) or "is this hold still live?" asks this function, so the condition exists
-- once. LANGUAGE sql and STABLE so that PostgreSQL inlines it: the partial index
-- reservations_expiring still serves the sweep.
CREATE FUNCTION kf_reservation_due(p_status text, p_expires_at timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT p_status IN ('held', 'pending_payment') AND p_expires_at <= now()
$$;

-- kf_expire_due (012) had two copies of the update and its history line, differing only in
-- which rows they lock. Now the two ways of choosing rows stay apart (a professional's range
-- waits for row locks, so a slot is really free when it returns; the job's sweep skips
-- locked rows and takes at most p_limit), and what expiring does is written once. Same
-- signature, same result (the number of rows expired), same history rows.
CREATE OR REPLACE FUNCTION kf_expire_due(p_professional uuid, p_range tstzrange, p_limit integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    due_ids uuid[];
    expired integer;
BEGIN
    IF p_professional IS NOT NULL THEN
        SELECT array_agg(id) INTO due_ids FROM (
            SELECT id FROM reservations
            WHERE kf_reservation_due(status, expires_at)
              AND professional_id = p_professional AND blocked && p_range
            FOR UPDATE) d;
    ELSE
        SELECT array_agg(id) INTO due_ids FROM (
            SELECT id FROM reservations
            WHERE kf_reservation_due(status, expires_at)
            ORDER BY expires_at LIMIT p_limit
            FOR UPDATE SKIP LOCKED) d;
    END IF;
    IF due_ids IS NULL THEN
        RETURN 0;
    END IF;
    -- the rows are ours (locked above): `o` is each one as it was before this update
    WITH up AS (
        UPDATE reservations r SET status = 'expired', updated_at = now(),
            status_reason = CASE o.status WHEN 'held' THEN 'hold_expired'
                            ELSE 'payment_window_passed' END
        FROM reservations o
        WHERE o.id = r.id AND r.id = ANY(due_ids)
        RETURNING r.id, o.status AS from_status, r.status_reason),
    h AS (
        INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)
        SELECT id, from_status, 'expired', status_reason FROM up RETURNING 1)
    SELECT count(*) INTO expired FROM h;
    RETURN expired;
END
$$;
