-- Expires the holds and unpaid bookings whose deadline passed. When a row is due is the
-- database's one condition (kf_reservation_due, which every statement asks); what expiring
-- does to it is the booking state machine's, handed in as p_moves (lib/bookings
-- kf_res_expiry_moves): {"held": [to, history reason, status reason], ...}, one entry for each
-- state its expire transition moves. Nothing of that transition is written here.
--
-- Either a professional's range (p_professional, p_range: waits for the rows' locks, so a slot
-- is really free when it returns; the exclusion constraint's states named so that its index
-- finds the rows): the rows holding that professional or anyone who shares a collective team
-- with them (sql/084: a team's hold is refused by any member's row, and a member's by the
-- team's; expiring a due row early is what the sweep would do anyway), or the job's sweep (p_professional NULL: skips locked rows, takes at most
-- p_limit, earliest deadline first). Each row moves through kf_reservation_move, the one
-- writer of a status. Returns how many moved.
--
-- The two halves are checked against each other on every call: a state the machine expires
-- must have a deadline (kf_reservation_deadline), and a due row's state must be one the machine
-- expires. Either disagreement raises rather than leave a slot blocked by a row nothing expires.
CREATE OR REPLACE FUNCTION kf_expire_due(p_professional uuid, p_range tstzrange, p_limit integer,
                                         p_moves jsonb)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    due_ids uuid[];
    stray text;
    expired integer;
BEGIN
    IF jsonb_typeof(p_moves) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'kf_expire_due: the expire moves must be a JSON object, not %', p_moves;
    END IF;
    SELECT min(s) INTO stray FROM jsonb_object_keys(p_moves) s
     WHERE kf_reservation_deadline(s, 'infinity') IS NULL;
    IF stray IS NOT NULL THEN
        RAISE EXCEPTION 'kf_expire_due: the state machine expires %, which has no deadline', stray;
    END IF;
    IF p_professional IS NOT NULL THEN
        SELECT array_agg(id) INTO due_ids FROM (
            SELECT id FROM reservations
            WHERE kf_reservation_due(status, expires_at)
              AND status IN ('held', 'pending_payment', 'paid', 'confirmed')
              AND team_keys && ARRAY(SELECT p.team_key FROM professionals p
                                      WHERE p.id = p_professional
                                         OR p.id IN (SELECT unnest(s.team_ids) FROM services s
                                                      WHERE p_professional = ANY (s.team_ids)))
              AND blocked && p_range
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
    SELECT min(status) INTO stray FROM reservations
     WHERE id = ANY(due_ids) AND NOT p_moves ? status;
    IF stray IS NOT NULL THEN
        RAISE EXCEPTION 'kf_expire_due: a % reservation is due, but the state machine does not expire it',
            stray;
    END IF;
    SELECT count(*) FILTER (WHERE kf_reservation_move(id, status, m ->> 0, m ->> 1, m ->> 2, NULL))
      INTO expired
      FROM (SELECT id, status, p_moves -> status AS m
              FROM reservations WHERE id = ANY(due_ids)) d;
    RETURN expired;
END
$$;
