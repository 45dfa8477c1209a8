-- 035 where an appointment takes place (API.md "Admin API" services and professionals).
-- The location is read from the service (and the professional's video_url) when a mail,
-- text, ICS, manage page or callback is made, not copied onto the booking: a merchant who
-- fixes an address or a meeting link wants every later message to carry the fix, and each
-- change notice resends the ICS with a higher SEQUENCE, which updates invites already sent.
ALTER TABLE services
    ADD COLUMN location_type text CHECK (location_type IN ('in_person', 'video', 'phone')),
    -- the address, the https:// URL or the phone instructions, by type
    ADD COLUMN location_value kf_text_500,
    ADD CONSTRAINT services_location_whole
        CHECK ((location_type IS NULL) = (location_value IS NULL)),
    ADD CONSTRAINT services_location_video_https
        CHECK (location_type IS DISTINCT FROM 'video' OR location_value LIKE 'https://%');

-- overrides a video service's URL for this professional
ALTER TABLE professionals
    ADD COLUMN video_url text CHECK (video_url LIKE 'https://%' AND char_length(video_url) <= 2048);
