-- 020 reminders by SMS or WhatsApp through Twilio (API.md "After booking": reminders).
-- A tenant's messaging account (the auth token sealed like the payment secrets, aad
-- "tenant:<id>:twilio"), and the outbox of text messages: one row per reminder of a booking
-- (the reminder's own key, so a reminder is texted at most once), sent by the message job
-- with backoff until the appointment starts; a failure never touches the reminder's mail.
CREATE TABLE tenant_messaging_settings (
    tenant_id        uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    provider         text NOT NULL DEFAULT 'twilio' CHECK (provider IN ('twilio')),
    account_sid      text NOT NULL CHECK (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
    sender           text NOT NULL CHECK (sender ~ '^\+[0-9]{8,15}$'),
    channel          text NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    secrets_sealed   text NOT NULL,
    token_last4      text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE message_outbox (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    reservation_id   uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    lead_minutes     integer NOT NULL,
    starts_at        timestamptz NOT NULL,
    recipient        text NOT NULL,
    body_sealed      text,
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    provider_sid     text,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    UNIQUE (reservation_id, lead_minutes, starts_at)
);
CREATE INDEX message_outbox_due ON message_outbox (next_attempt_at) WHERE status = 'queued';
