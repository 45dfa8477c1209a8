-- Takes a seat of a group class (sql/082): inserts the hold with the lowest seat number,
-- 1..the service's capacity, that no active reservation of the class holds, and returns it;
-- returns no row when the class is full or its time is taken by something else. Whatever it
-- reads, the unique index (class, seat) and the exclusion constraint decide: a seat two
-- customers race for goes to one of them (ON CONFLICT DO NOTHING waits for the other's
-- transaction), and the loser tries the next seat its next statement sees free. A refusal
-- that leaves its seat free was not about the seat (another booking of the professional
-- overlaps), so it ends the search.
--
-- p_moves: NULL, or the state machine's expire moves (kf_expire_due) to expire first the
-- holds and payment windows of the professional that ran out over the range, as the hold of
-- a free slot does when its first insert is refused.
CREATE OR REPLACE FUNCTION kf_seat_hold(p_tenant uuid, p_service uuid, p_professional uuid,
                                        p_link uuid, p_start timestamptz, p_end timestamptz,
                                        p_blocked tstzrange, p_token_hash text, p_ttl integer,
                                        p_client_ip inet, p_visit text, p_moves jsonb)
RETURNS SETOF reservations LANGUAGE plpgsql AS $$
DECLARE
    places integer;
    wanted integer;
    refused integer;
    made reservations;
BEGIN
    IF p_moves IS NOT NULL THEN
        PERFORM kf_expire_due(p_professional, p_blocked, NULL, p_moves);
    END IF;
    SELECT capacity INTO places FROM services WHERE id = p_service AND tenant_id = p_tenant;
    LOOP
        -- each statement reads a new snapshot: the seats taken since the last one show
        SELECT min(g) INTO wanted FROM generate_series(1, coalesce(places, 0)) g
         WHERE g NOT IN (SELECT r.seat FROM reservations r
                          WHERE r.tenant_id = p_tenant AND r.starts_at = p_start
                            AND r.professional_id = p_professional AND r.service_id = p_service
                            AND r.seat IS NOT NULL
                            AND r.status IN ('held', 'pending_payment', 'paid', 'confirmed'));
        EXIT WHEN wanted IS NULL OR wanted = refused;
        INSERT INTO reservations (tenant_id, service_id, professional_id, link_id, status,
                                  starts_at, ends_at, blocked, expires_at, hold_token_hash,
                                  client_ip, visit_id, seat)
        VALUES (p_tenant, p_service, p_professional, p_link, 'held', p_start, p_end, p_blocked,
                now() + make_interval(secs => p_ttl), p_token_hash, p_client_ip, p_visit, wanted)
        ON CONFLICT DO NOTHING
        RETURNING * INTO made;
        IF FOUND THEN
            RETURN NEXT made;
            RETURN;
        END IF;
        refused := wanted;
    END LOOP;
    RETURN;
END
$$;
