-- 040 a booking's status has one writer. Every change of reservations.status (the glue's
-- executor, mod_konfirmado/bookings/mod_kf_booking_state.c, for what the state machine in
-- lib/bookings/kf_reservation.c decides; and the expiry sweep below) is kf_reservation_move: a
-- compare-and-set from the state the caller read, the reason, the deadline (kept only by
-- the states that run out: held, pending_payment) and the history line, together.
-- p_status_reason is what the row shows as the reason for its state (NULL for a confirmed
-- booking: the merchant's acknowledgement is history, not a reason); p_reason is the
-- history's. A move to the same state (a reschedule, a late approval failing again) keeps
-- the row's reason unless it gives one. A booking becoming paid may carry the token of its
-- mails' link (p_manage_hash, p_manage_sealed: kept when it has one already), written by the
-- same UPDATE: one write of the row per approval, not two.
CREATE FUNCTION kf_reservation_move(p_id uuid, p_from text, p_to text, p_reason text,
                                    p_status_reason text, p_deadline timestamptz,
                                    p_manage_hash text DEFAULT NULL,
                                    p_manage_sealed text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reservations
       SET status = p_to, updated_at = now(),
           status_reason = CASE WHEN p_from = p_to THEN coalesce(p_status_reason, status_reason)
                                ELSE p_status_reason END,
           expires_at = CASE WHEN p_from = p_to THEN expires_at
                             WHEN kf_reservation_deadline(p_to, 'infinity') IS NOT NULL
                             THEN coalesce(p_deadline, expires_at) END,
           manage_token_hash = CASE WHEN manage_token_sealed IS NULL AND p_manage_hash IS NOT NULL
                                    THEN p_manage_hash ELSE manage_token_hash END,
           manage_token_sealed = coalesce(manage_token_sealed, p_manage_sealed)
     WHERE id = p_id AND status = p_from;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)
    VALUES (p_id, p_from, p_to, p_reason);
    RETURN true;
END
$$;

-- The same where the caller cannot look at the answer (writes sent together, as a payment
-- event's are): a booking no longer in p_from fails the statement, so the whole transaction
-- rolls back and the event comes again.
CREATE FUNCTION kf_reservation_must_move(p_id uuid, p_from text, p_to text, p_reason text,
                                         p_status_reason text, p_deadline timestamptz,
                                         p_manage_hash text DEFAULT NULL,
                                         p_manage_sealed text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF NOT kf_reservation_move(p_id, p_from, p_to, p_reason, p_status_reason, p_deadline,
                               p_manage_hash, p_manage_sealed) THEN
        RAISE EXCEPTION 'booking % is no longer %', p_id, p_from USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN true;
END
$$;

-- The expiry sweep (032) moves each due row through the same writer; the reasons are the
-- state machine's for its expire event (kf_reservation_next: hold_expired,
-- payment_window_passed). Same signature and result as before.
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
    -- the rows are ours (locked above)
    SELECT count(*) FILTER (WHERE kf_reservation_move(id, status, 'expired', reason, reason, NULL))
      INTO expired
      FROM (SELECT id, status, CASE status WHEN 'held' THEN 'hold_expired'
                               ELSE 'payment_window_passed' END AS reason
              FROM reservations WHERE id = ANY(due_ids)) d;
    RETURN expired;
END
$$;
