-- 084 collective teams (API.md "Series, seats and teams"): a service may need 2 to 5
-- professionals together at every booking (`team`: {"mode": "collective", "professional_ids"}).
-- Its booking is one reservation (one customer, one payment, one status) that holds every
-- member at once, and the database keeps any member from being in two places by the one
-- exclusion constraint that already refused two customers in one place:
--   - each professional has a small number of its own (team_key);
--   - each reservation has the set of the keys of the professionals it holds (team_keys: its
--     professional's alone, or every member of its team), filled by the row's own trigger;
--   - the exclusion constraint refuses two active reservations whose sets meet and whose
--     blocked ranges overlap (intarray's && on the sets), a group class's seats apart as
--     before (seat_class). A team's hold is one insert: every member is held, or none.
-- A row of a module older than this migration gets its set from the trigger, so it keeps
-- working unchanged, hence additive. Rules of a team: lib/teams/kf_team.c.
-- konfirmado: additive

CREATE EXTENSION IF NOT EXISTS intarray;

ALTER TABLE professionals ADD COLUMN team_key integer GENERATED ALWAYS AS IDENTITY UNIQUE;

-- the team of a collective service (NULL: one professional per booking)
ALTER TABLE services
    ADD COLUMN team_ids uuid[] CHECK (cardinality(team_ids) BETWEEN 2 AND 5);

-- team_ids: the members a team booking holds (its professional among them), NULL otherwise
ALTER TABLE reservations
    ADD COLUMN team_ids uuid[] CHECK (cardinality(team_ids) BETWEEN 2 AND 5),
    ADD COLUMN team_keys integer[];

UPDATE reservations r SET team_keys = ARRAY[p.team_key]
  FROM professionals p WHERE p.id = r.professional_id;
ALTER TABLE reservations ALTER COLUMN team_keys SET NOT NULL;

-- A new reservation of a collective service holds the service's team (taken when it is made:
-- a later change of the team leaves it as it was); every row's set of keys follows its
-- professional and team.
CREATE FUNCTION kf_reservation_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.team_ids IS NULL THEN
        SELECT s.team_ids INTO NEW.team_ids FROM services s WHERE s.id = NEW.service_id;
    END IF;
    NEW.team_keys := ARRAY(SELECT p.team_key FROM professionals p
                            WHERE p.id = NEW.professional_id OR p.id = ANY (NEW.team_ids)
                            ORDER BY p.team_key);
    RETURN NEW;
END $$;

CREATE TRIGGER reservations_team BEFORE INSERT OR UPDATE OF professional_id, team_ids
    ON reservations FOR EACH ROW EXECUTE FUNCTION kf_reservation_team();

-- The other members' availability changes with a team booking as its professional's does
-- (kf_notify_professional): their caches are told and their versions bumped, in id order.
CREATE FUNCTION kf_notify_team() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    member uuid;
BEGIN
    FOR member IN SELECT DISTINCT m
                    FROM unnest(coalesce(NEW.team_ids, '{}')
                                || CASE WHEN TG_OP = 'UPDATE' THEN coalesce(OLD.team_ids, '{}')
                                        ELSE '{}' END) m
                   WHERE m <> NEW.professional_id ORDER BY m LOOP
        INSERT INTO availability_changes (professional_id) VALUES (member);
        PERFORM kf_bump_version(member);
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER reservations_team_insert AFTER INSERT ON reservations
    FOR EACH ROW WHEN (NEW.team_ids IS NOT NULL) EXECUTE FUNCTION kf_notify_team();
CREATE TRIGGER reservations_team_update AFTER UPDATE OF status, starts_at, ends_at, blocked,
    expires_at, professional_id, team_ids ON reservations
    FOR EACH ROW WHEN (NEW.team_ids IS NOT NULL OR OLD.team_ids IS NOT NULL)
    EXECUTE FUNCTION kf_notify_team();

ALTER TABLE reservations
    DROP CONSTRAINT reservations_no_overlap,
    ADD CONSTRAINT reservations_no_overlap
        EXCLUDE USING gist (team_keys gist__int_ops WITH &&, blocked WITH &&, seat_class WITH <>)
        WHERE (status IN ('held', 'pending_payment', 'paid', 'confirmed'));

-- the reads of one professional's reservations (availability, expiry of a range) used the
-- constraint's index, which now leads with the sets
CREATE INDEX reservations_professional_active ON reservations USING gist (professional_id, blocked)
    WHERE status IN ('held', 'pending_payment', 'paid', 'confirmed');

-- Each other member of a team booking has the booking's event in their own calendar: one row
-- each, as calendar_events has for the booking's professional (mod_kf_calendar_events.c
-- writes both). Columns as calendar_events'; member_id is whose calendar it is for.
CREATE TABLE calendar_member_events (
    reservation_id   uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    member_id        uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    professional_id  uuid,                    -- whose calendar holds the event (NULL: none)
    provider         text,
    event_id         text,
    calendar_id      text CHECK (char_length(calendar_id) <= 2048),
    written_start    timestamptz,
    written_end      timestamptz,
    written_class    text,
    due_at           timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reservation_id, member_id)
);
CREATE INDEX calendar_member_events_due ON calendar_member_events (due_at) WHERE due_at IS NOT NULL;
