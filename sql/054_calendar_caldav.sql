-- 054 CalDAV calendars (iCloud, Fastmail, Nextcloud, Zoho...): a professional connects with
-- the server's URL, a user name and an app password. The password is the connection's
-- sealed secret, the user name its account; the calendar collection found at the URL is
-- kept (and kept with an event left behind, which is removed from there).
ALTER TABLE calendar_connections ADD COLUMN calendar_url text
    CHECK (char_length(calendar_url) <= 2048);
ALTER TABLE calendar_orphans ADD COLUMN calendar_url text
    CHECK (char_length(calendar_url) <= 2048);

ALTER TABLE calendar_connections DROP CONSTRAINT calendar_connections_provider_check,
    ADD CONSTRAINT calendar_connections_provider_check
    CHECK (provider IN ('google', 'microsoft', 'calcom', 'caldav'));
ALTER TABLE calendar_events DROP CONSTRAINT calendar_events_provider_check,
    ADD CONSTRAINT calendar_events_provider_check
    CHECK (provider IN ('google', 'microsoft', 'calcom', 'caldav'));
ALTER TABLE calendar_orphans DROP CONSTRAINT calendar_orphans_provider_check,
    ADD CONSTRAINT calendar_orphans_provider_check
    CHECK (provider IN ('google', 'microsoft', 'calcom', 'caldav'));
ALTER TABLE professionals DROP CONSTRAINT professionals_calendar_provider_check,
    ADD CONSTRAINT professionals_calendar_provider_check
    CHECK (calendar_provider IN ('none', 'google', 'calcom', 'microsoft', 'caldav'));
