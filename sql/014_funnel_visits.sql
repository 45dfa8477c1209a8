-- 014 funnel visits: the wizard keeps a visit id and sends it with every public call
-- (X-Konfirmado-Visit); the funnel counts distinct visits per step, not page loads. A hold
-- keeps its visit, so the steps that follow it (details, payment, approval by webhook) are
-- counted for the same visit. Calls without one (API clients) count per booking.
ALTER TABLE funnel_events ADD COLUMN visit_id text CHECK (visit_id ~ '^[A-Za-z0-9_-]{16,64}$');
ALTER TABLE reservations ADD COLUMN visit_id text CHECK (visit_id ~ '^[A-Za-z0-9_-]{16,64}$');
CREATE INDEX funnel_events_tenant_event_time ON funnel_events (tenant_id, event, created_at);
