-- 021 professionals' real calendars (API.md "Calendar connection"): Google, Microsoft
-- (Graph) and Cal.com. An invitation lets a professional connect; OAuth states are single
-- use and bound to it; a connection keeps its secrets sealed (refresh token or API key, the
-- access token, the channel's secret) and the busy times last read, which availability
-- subtracts; calendar_events is what the gateway wrote into the calendar for each booking and
-- whether that is still in step (the event job catches up, never blocking the booking).

-- A 7-day invitation (only its SHA-256 is kept); a new one replaces the older ones.
CREATE TABLE calendar_invitations (
    token_hash       text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    tenant_id        uuid NOT NULL,
    professional_id  uuid NOT NULL,
    expires_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (professional_id, tenant_id) REFERENCES professionals (id, tenant_id)
        ON DELETE CASCADE
);
CREATE INDEX calendar_invitations_professional ON calendar_invitations (professional_id);

-- An OAuth `state`: single use, 10 minutes, bound to the invitation (whose token is kept
-- sealed so that the callback can send the professional back to its page).
CREATE TABLE calendar_oauth_states (
    state_hash       text PRIMARY KEY CHECK (state_hash ~ '^[0-9a-f]{64}$'),
    invitation_hash  text NOT NULL REFERENCES calendar_invitations (token_hash) ON DELETE CASCADE,
    invitation_sealed text NOT NULL,
    provider         text NOT NULL CHECK (provider IN ('google', 'microsoft')),
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz
);

CREATE TABLE calendar_connections (
    professional_id  uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL,
    provider         text NOT NULL CHECK (provider IN ('google', 'microsoft', 'calcom')),
    status           text NOT NULL CHECK (status IN ('connected', 'error')),
    account          text CHECK (char_length(account) <= 254),
    secret_sealed    text NOT NULL,           -- refresh token (OAuth) or API key (Cal.com)
    access_sealed    text,                    -- the current access token (OAuth)
    access_expires_at timestamptz,
    event_type_id    text CHECK (event_type_id ~ '^[0-9]{1,18}$'),   -- Cal.com
    -- busy times read from the provider: outside the window read, everything is busy
    busy             tstzmultirange NOT NULL DEFAULT '{}',
    busy_until       timestamptz,             -- end of the window read
    synced_at        timestamptz,             -- last successful read of busy times
    sync_due_at      timestamptz NOT NULL DEFAULT now(),  -- the refresh job's next read
    sync_lease_until timestamptz,
    sync_error       text,
    error_mailed_at  timestamptz,
    -- where the provider notifies changes: Google channel, Graph subscription, Cal.com webhook
    channel_id       text,
    channel_resource text,
    channel_secret_sealed text,
    channel_expires_at timestamptz,
    connected_at     timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (professional_id, tenant_id) REFERENCES professionals (id, tenant_id)
        ON DELETE CASCADE
);
-- a notification names its channel (Google: an id of ours; Graph: the subscription's id);
-- Cal.com's webhooks are found through the tenant in their URL and their signature
CREATE UNIQUE INDEX calendar_connections_channel ON calendar_connections (provider, channel_id)
    WHERE channel_id IS NOT NULL AND provider <> 'calcom';
CREATE INDEX calendar_connections_due ON calendar_connections (sync_due_at);
CREATE INDEX calendar_connections_tenant ON calendar_connections (tenant_id, provider);

-- The event of a booking in a professional's calendar. due_at set: the calendar is not in
-- step with the booking yet (create, move or delete pending); NULL: in step.
CREATE TABLE calendar_events (
    reservation_id   uuid PRIMARY KEY REFERENCES reservations (id) ON DELETE CASCADE,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    professional_id  uuid,                    -- whose calendar holds the event (NULL: none)
    provider         text CHECK (provider IN ('google', 'microsoft', 'calcom')),
    event_id         text,
    written_start    timestamptz,
    written_end      timestamptz,
    due_at           timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calendar_events_due ON calendar_events (due_at) WHERE due_at IS NOT NULL;

-- The customer is put on the event as an attendee only when the business wants it.
ALTER TABLE tenants ADD COLUMN calendar_customer_attendee boolean NOT NULL DEFAULT false;
