-- 079 which calendars count (API.md "Which calendars count, outside changes, meeting rooms"):
-- a connection lists the professional's calendars; each one may block availability, and one
-- receives the bookings' events. Without a row for a connection, its primary calendar alone
-- blocks and receives (as every connection did before the list).
CREATE TABLE calendar_choices (
    professional_id  uuid NOT NULL,
    tenant_id        uuid NOT NULL,
    calendar_id      text NOT NULL CHECK (char_length(calendar_id) BETWEEN 1 AND 2048),
    name             text NOT NULL CHECK (char_length(name) <= 500),
    is_primary       boolean NOT NULL DEFAULT false,
    -- the calendar's own zone, where its all-day events begin and end (NULL: the professional's)
    time_zone        text CHECK (char_length(time_zone) <= 64),
    blocks           boolean NOT NULL,
    receives_events  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (professional_id, calendar_id),
    FOREIGN KEY (professional_id) REFERENCES calendar_connections (professional_id)
        ON DELETE CASCADE
);
-- exactly one calendar receives the events (the statement that changes the choice writes
-- every row of the connection at once)
CREATE UNIQUE INDEX calendar_choices_one_receiver ON calendar_choices (professional_id)
    WHERE receives_events;

-- when the provider's list was last read (it is read again at most once a minute)
ALTER TABLE calendar_connections ADD COLUMN calendars_listed_at timestamptz;

-- the calendar an event was written in: it is moved and deleted there, even after the
-- professional chose another one to receive new events
ALTER TABLE calendar_events ADD COLUMN calendar_id text CHECK (char_length(calendar_id) <= 2048);
