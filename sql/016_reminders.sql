-- 016 reminders (API.md "After booking"): each business picks up to 3 leads in minutes
-- (15..10080, default a day and an hour before). Each reminder of a booking is sent once, by
-- the reminder job, at or after start - lead and before the start, and only when that
-- moment had not passed when the booking was paid (or last moved); the row that records it
-- names the start it reminded of, so a moved booking is reminded again of its new time.
ALTER TABLE tenants ADD COLUMN reminders integer[] NOT NULL DEFAULT '{1440,60}'
    CHECK (cardinality(reminders) <= 3 AND 15 <= ALL (reminders) AND 10080 >= ALL (reminders));

CREATE TABLE booking_reminders (
    reservation_id  uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    lead_minutes    integer NOT NULL,
    starts_at       timestamptz NOT NULL,
    sent_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reservation_id, lead_minutes, starts_at)
);
CREATE INDEX reservations_upcoming ON reservations (starts_at) WHERE status IN ('paid', 'confirmed');
