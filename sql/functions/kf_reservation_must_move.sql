-- kf_reservation_move where the caller cannot look at the answer (writes sent together, as a
-- payment event's are): a booking no longer in p_from fails the statement, so the whole
-- transaction rolls back and the event comes again.
CREATE OR REPLACE FUNCTION kf_reservation_must_move(p_id uuid, p_from text, p_to text, p_reason text,
                                                    p_status_reason text, p_deadline timestamptz,
                                                    p_manage_hash text DEFAULT NULL,
                                                    p_manage_sealed text DEFAULT NULL,
                                                    p_funnel_event text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF NOT kf_reservation_move(p_id, p_from, p_to, p_reason, p_status_reason, p_deadline,
                               p_manage_hash, p_manage_sealed, p_funnel_event) THEN
        RAISE EXCEPTION 'booking % is no longer %', p_id, p_from USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN true;
END
$$;
