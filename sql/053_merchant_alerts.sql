-- 053 merchant alerts: what keeps going wrong on a business's side (its callback URL, a
-- calendar, its payment webhooks' signatures, mails and texts to its customers), raised and
-- resolved by the alerts job, mailed to the business at most once per kind per hour, and
-- shown on the dashboard's home until resolved. One open alert per business and kind.
CREATE TABLE merchant_alerts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('callbacks_failing', 'calendar_not_syncing',
                                                'webhook_signatures_failing', 'messages_bouncing')),
    detail        text NOT NULL DEFAULT '' CHECK (char_length(detail) <= 1000),
    raised_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    mailed_at     timestamptz,
    resolved_at   timestamptz,
    dismissed_at  timestamptz
);
CREATE UNIQUE INDEX merchant_alerts_open ON merchant_alerts (tenant_id, kind) WHERE resolved_at IS NULL;
CREATE INDEX merchant_alerts_tenant_time ON merchant_alerts (tenant_id, raised_at DESC);

-- The alerts job reads the last hour's callback attempts.
CREATE INDEX callback_attempts_at ON callback_attempts (at);

-- Payment webhooks refused for a bad signature, per business: counted in memory and written
-- by the alerts job (no database write per refused request).
ALTER TABLE metrics_incidents DROP CONSTRAINT metrics_incidents_kind_check;
ALTER TABLE metrics_incidents ADD CONSTRAINT metrics_incidents_kind_check
    CHECK (kind IN ('rate_limited', 'calendar_failure', 'oauth_failure', 'webhook_signature'));
