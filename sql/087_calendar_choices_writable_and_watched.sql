-- 087 a calendar the account may only read cannot receive the bookings' events (API.md
-- "Which calendars count"): the provider's list says so, and it is kept with the choice.
-- Calendars listed before are taken as writable until the list is read again.
ALTER TABLE calendar_choices ADD COLUMN writable boolean NOT NULL DEFAULT true;

-- Every calendar that blocks is watched (API.md "Calendar connection": busy times refreshed
-- when the provider notifies a change): the connection's own channel watches the calendar
-- that receives events, and each other blocking calendar has a channel of its own here.
ALTER TABLE calendar_choices
    ADD COLUMN channel_id text,
    ADD COLUMN channel_resource text,
    ADD COLUMN channel_secret_sealed text,
    ADD COLUMN channel_expires_at timestamptz;
-- a notification names its channel (Google: an id of ours; Graph: the subscription's id)
CREATE UNIQUE INDEX calendar_choices_channel ON calendar_choices (channel_id)
    WHERE channel_id IS NOT NULL;
-- the calendar the connection's own channel watches: when the calendar that receives events
-- changes, the channel is replaced by one on the new one (NULL: opened before this was kept)
ALTER TABLE calendar_connections ADD COLUMN channel_calendar text;
