-- 082 seats (API.md "Series, seats and teams"): a service may take up to `capacity` customers
-- at one start (a group class). Each of them holds a numbered seat of the class, and the
-- database keeps a class within its places by construction, on any number of servers:
--   - one active reservation per (class, seat): a unique index;
--   - seats are numbered 1..capacity by the one statement that takes them (kf_seat_hold);
--   - a class is one professional, one service, one start: the exclusion constraint lets
--     the reservations of one class overlap each other and nothing else.
-- A reservation of a service without seats (seat NULL) is a class of its own (its id), so
-- the exclusion constraint refuses every overlap with it exactly as before: a module older
-- than this migration keeps working unchanged, hence additive.
-- konfirmado: additive

ALTER TABLE services
    ADD COLUMN capacity integer NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 500),
    -- whether the professional's event of a class names its attendees (else numbers them)
    ADD COLUMN attendee_names boolean NOT NULL DEFAULT false;

-- The class's key: the professional, the service and the start (epoch seconds of the UTC
-- wall clock, immutable unlike extract() of a timestamptz) hashed into a uuid; a reservation
-- without a seat is its own class. Generated, so a booking moved to another start changes
-- class with it.
ALTER TABLE reservations
    ADD COLUMN seat integer CHECK (seat BETWEEN 1 AND 500),
    ADD COLUMN seat_class uuid NOT NULL GENERATED ALWAYS AS (
        CASE WHEN seat IS NULL THEN id
             ELSE md5(professional_id::text || '/' || service_id::text || '/'
                      || extract(epoch FROM timezone('UTC', starts_at))::text)::uuid END) STORED;

ALTER TABLE reservations
    DROP CONSTRAINT reservations_professional_id_blocked_excl,
    ADD CONSTRAINT reservations_no_overlap
        EXCLUDE USING gist (professional_id WITH =, blocked WITH &&, seat_class WITH <>)
        WHERE (status IN ('held', 'pending_payment', 'paid', 'confirmed'));

CREATE UNIQUE INDEX reservations_one_per_seat ON reservations (seat_class, seat)
    WHERE seat IS NOT NULL AND status IN ('held', 'pending_payment', 'paid', 'confirmed');

-- A class has one event in its professional's calendar, written by one of its booked seats
-- (mod_kf_calendar_events.c): what it said of the class, to write it again when that changes.
ALTER TABLE calendar_events ADD COLUMN written_class text;
