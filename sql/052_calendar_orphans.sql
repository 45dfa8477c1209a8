-- 052 events left behind in a calendar: written for a booking, no longer wanted there, and
-- not deleted yet. Two ways to get here: the professional's connection was replaced by
-- another calendar (another provider or account), whose new events are written anew while
-- the old ones must go from the old calendar; or a delete the calendar refused for good.
-- Each is retried by the orphans job with backoff and listed for the merchant, who can ask
-- for its removal (or drop it from the list once removed by hand).
CREATE TABLE calendar_orphans (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    professional_id  uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    reservation_id   uuid REFERENCES reservations (id) ON DELETE SET NULL,
    provider         text NOT NULL CHECK (provider IN ('google', 'microsoft', 'calcom')),
    account          text CHECK (char_length(account) <= 254),
    event_id         text NOT NULL,
    written_start    timestamptz,
    written_end      timestamptz,
    -- the replaced connection's refresh token or API key, sealed as it was (aad of the
    -- professional); NULL: the event is in the professional's current calendar
    secret_sealed    text,
    attempts         integer NOT NULL DEFAULT 0,
    due_at           timestamptz,             -- the next attempt; NULL: given up
    lease_until      timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calendar_orphans_due ON calendar_orphans (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX calendar_orphans_tenant ON calendar_orphans (tenant_id, created_at);
