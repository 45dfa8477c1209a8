-- 012 one expiry rule: holds and unpaid bookings whose time ran out become `expired`, with
-- the reason and the history line, in ONE place used by every statement that expires them
-- (the expiry job, holds, late approvals). Targeted calls (a professional's range) wait for
-- row locks, so a slot is really free when they return; the job's sweep skips locked rows
-- (another transaction is deciding them) and takes at most p_limit per call.
CREATE FUNCTION kf_expire_due(p_professional uuid, p_range tstzrange, p_limit integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    expired integer;
BEGIN
    IF p_professional IS NOT NULL THEN
        WITH due AS (
            SELECT id, status FROM reservations
            WHERE status IN ('held', 'pending_payment') AND expires_at <= now()
              AND professional_id = p_professional AND blocked && p_range
            FOR UPDATE),
        up AS (
            UPDATE reservations r SET status = 'expired', updated_at = now(),
                status_reason = CASE due.status WHEN 'held' THEN 'hold_expired'
                                ELSE 'payment_window_passed' END
            FROM due WHERE r.id = due.id
            RETURNING r.id, due.status AS from_status, r.status_reason),
        h AS (
            INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)
            SELECT id, from_status, 'expired', status_reason FROM up RETURNING 1)
        SELECT count(*) INTO expired FROM h;
    ELSE
        WITH due AS (
            SELECT id, status FROM reservations
            WHERE status IN ('held', 'pending_payment') AND expires_at <= now()
            ORDER BY expires_at LIMIT p_limit
            FOR UPDATE SKIP LOCKED),
        up AS (
            UPDATE reservations r SET status = 'expired', updated_at = now(),
                status_reason = CASE due.status WHEN 'held' THEN 'hold_expired'
                                ELSE 'payment_window_passed' END
            FROM due WHERE r.id = due.id
            RETURNING r.id, due.status AS from_status, r.status_reason),
        h AS (
            INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)
            SELECT id, from_status, 'expired', status_reason FROM up RETURNING 1)
        SELECT count(*) INTO expired FROM h;
    END IF;
    RETURN expired;
END
$$;
