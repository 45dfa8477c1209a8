-- 013 booking mails: a booking that becomes paid mails the customer a confirmation and the
-- professional (and the business's notification address) a notice, each with a calendar
-- invite. An invite is part of the queued mail (sealed like the bodies: it names the
-- customer); one booking keeps one iCalendar UID forever and its SEQUENCE grows with every
-- change. The mails carry a link to the booking's manage page with a token of its own (the
-- booking token is known only to the browser that booked): its hash is kept here.
ALTER TABLE mail_outbox
    ADD COLUMN calendar text,
    ADD COLUMN calendar_method text CHECK (calendar_method IN ('REQUEST', 'CANCEL')),
    ADD CONSTRAINT mail_outbox_calendar_method CHECK ((calendar IS NULL) = (calendar_method IS NULL));

-- customer_timezone: the zone the customer booked in (the wizard's), for the times of
-- their mails; NULL: the business's zone.
ALTER TABLE reservations
    ADD COLUMN ics_sequence integer NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0),
    ADD COLUMN manage_token_hash text CHECK (manage_token_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN customer_timezone text;
CREATE UNIQUE INDEX reservations_manage_token ON reservations (manage_token_hash)
    WHERE manage_token_hash IS NOT NULL;

-- Where the business wants to hear of new, moved and cancelled bookings (NULL: nowhere).
ALTER TABLE tenants ADD COLUMN notification_email text;
