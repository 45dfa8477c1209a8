-- 037 deliveries (API.md "After booking"): every mail, text and merchant callback of a
-- booking, seen in one place, so a failed one is visible and can be sent again. The state
-- stays in each outbox; the view only reads it. A mail names the booking it is about
-- (NULL for mails about no booking: sign-up, password, invitations).
ALTER TABLE mail_outbox
    ADD COLUMN reservation_id uuid REFERENCES reservations (id) ON DELETE SET NULL;
CREATE INDEX mail_outbox_reservation ON mail_outbox (reservation_id) WHERE reservation_id IS NOT NULL;
CREATE INDEX mail_outbox_failed ON mail_outbox (tenant_id) WHERE failed_at IS NOT NULL;
CREATE INDEX message_outbox_failed ON message_outbox (tenant_id) WHERE status = 'failed';

CREATE VIEW deliveries AS
    SELECT m.id, m.tenant_id, m.reservation_id AS booking_id, 'email'::text AS channel,
           m.subject AS kind, m.recipient, m.last_error AS error, m.attempts,
           CASE WHEN m.sent_at IS NOT NULL THEN 'sent'
                WHEN m.failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END AS status,
           coalesce(m.sent_at, m.failed_at, CASE WHEN m.attempts > 0 THEN m.next_attempt_at END)
               AS last_attempt_at,
           m.created_at
      FROM mail_outbox m WHERE m.tenant_id IS NOT NULL
    UNION ALL
    SELECT o.id, o.tenant_id, o.reservation_id, coalesce(s.channel, 'sms'), o.kind, o.recipient, o.last_error,
           o.attempts, CASE o.status WHEN 'queued' THEN 'pending' ELSE o.status END,
           coalesce(o.sent_at, CASE WHEN o.attempts > 0 OR o.status = 'failed' THEN o.next_attempt_at END),
           o.created_at
      FROM message_outbox o LEFT JOIN tenant_messaging_settings s ON s.tenant_id = o.tenant_id
    UNION ALL
    SELECT c.id, c.tenant_id, c.reservation_id, 'callback', c.event, t.callback_url, c.last_error,
           c.attempts, CASE c.status WHEN 'delivered' THEN 'sent' ELSE c.status END,
           CASE WHEN c.attempts > 0 THEN c.updated_at END, c.created_at
      FROM merchant_callbacks c JOIN tenants t ON t.id = c.tenant_id;
