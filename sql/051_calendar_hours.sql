-- 051 a calendar's own bookable hours and the events found by their id.
--
-- Cal.com keeps the professional's working hours, breaks and limits for the event type
-- bookings are made with; its slots are read with the busy times and kept as the times it
-- would take a booking (NULL: it says nothing: no event type, or another provider). A tenant
-- chooses whose hours its slots follow: its own (`ours`, as before), Cal.com's (`calcom`),
-- or only times both allow (`both`); a professional without Cal.com hours follows its own.
ALTER TABLE calendar_connections ADD COLUMN bookable tstzmultirange;
ALTER TABLE tenants ADD COLUMN calcom_hours text NOT NULL DEFAULT 'ours'
    CHECK (calcom_hours IN ('ours', 'calcom', 'both'));

-- availability reads both: a change is a change of the answer
CREATE TRIGGER calendar_connections_bookable_notify AFTER UPDATE OF bookable ON calendar_connections
    FOR EACH ROW WHEN (OLD.bookable IS DISTINCT FROM NEW.bookable)
    EXECUTE FUNCTION kf_notify_professional();
CREATE TRIGGER tenants_calcom_hours_notify AFTER UPDATE OF calcom_hours ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();

-- a change made in the professional's calendar names the event written there
CREATE INDEX calendar_events_written ON calendar_events (professional_id, event_id)
    WHERE event_id IS NOT NULL;
