-- 032 the expiry sweep's index no longer misleads the planner during a burst of holds.
--
-- reservations_expiring (004) was partial on status IN ('held', 'pending_payment'): it held
-- only the reservations waiting for a deadline. A VACUUM in a quiet moment records such an
-- index empty (pg_class.reltuples = 0), and until the next one PostgreSQL believes reading it
-- costs nothing, whatever it holds by then. Every statement whose condition implied its
-- predicate could then read it whole: the judgement of a hold counted the client address's
-- live holds by walking the live holds of every address (18,592 rows, 13 ms each, under
-- bench/run's hold load) instead of that address's along reservations_active_holds_by_ip.
--
-- The sweep now reads an index of every reservation on its deadline (NULL for a state that has
-- none), which the statistics never see empty, and the rule "which states have a deadline" is
-- kf_reservation_deadline, once. kf_reservation_due keeps its meaning (false, never NULL, for
-- a state without a deadline) and its use: it inlines to a condition on the indexed expression.

CREATE FUNCTION kf_reservation_deadline(p_status text, p_expires_at timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_status IN ('held', 'pending_payment') THEN p_expires_at END
$$;

CREATE OR REPLACE FUNCTION kf_reservation_due(p_status text, p_expires_at timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT kf_reservation_deadline(p_status, p_expires_at) IS NOT NULL
       AND kf_reservation_deadline(p_status, p_expires_at) <= now()
$$;

CREATE INDEX reservations_deadline ON reservations (kf_reservation_deadline(status, expires_at));
DROP INDEX reservations_expiring;

-- As in 017, but the sweep orders by the indexed deadline, and a professional's range names the
-- exclusion constraint's states so that its index finds the rows (the due condition alone no
-- longer implies the index's predicate).
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
              AND status IN ('held', 'pending_payment', 'paid', 'confirmed')
              AND professional_id = p_professional AND blocked && p_range
            FOR UPDATE) d;
    ELSE
        SELECT array_agg(id) INTO due_ids FROM (
            SELECT id FROM reservations
            WHERE kf_reservation_due(status, expires_at)
            ORDER BY kf_reservation_deadline(status, expires_at) LIMIT p_limit
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

-- the new index's expression gets its statistics now, not at the next autovacuum
ANALYZE reservations;
