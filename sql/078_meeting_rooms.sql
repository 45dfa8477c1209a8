-- 078 meeting rooms (API.md "Which calendars count, outside changes, meeting rooms"): a video
-- place may have its room created by the professional's connected calendar for each booking
-- (Google Meet, Microsoft Teams) instead of one fixed URL for every customer.

-- NULL: a fixed URL (location_value). With a provider the URL is optional: a fallback shown
-- while a booking has no link of its own.
ALTER TABLE services
    ADD COLUMN location_provider text CHECK (location_provider IN ('google_meet', 'teams')),
    DROP CONSTRAINT services_location_whole,
    ADD CONSTRAINT services_location_whole
        CHECK ((location_type IS NULL) = (location_value IS NULL)
               OR (location_type = 'video' AND location_provider IS NOT NULL)),
    ADD CONSTRAINT services_location_provider_video
        CHECK (location_provider IS NULL OR location_type = 'video');

-- the professional's own video place: their provider (video_url then the fallback)
ALTER TABLE professionals
    ADD COLUMN video_provider text CHECK (video_provider IN ('google_meet', 'teams'));

-- the booking's own join URL, from the event written in the professional's calendar
ALTER TABLE reservations
    ADD COLUMN meeting_url text CHECK (meeting_url LIKE 'https://%' AND char_length(meeting_url) <= 2048);
