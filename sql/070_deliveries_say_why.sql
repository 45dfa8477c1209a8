-- 070 a failed delivery says why in the merchant's words.
-- The deliveries list gives each failure a reason (lib/messaging/kf_delivery_reason.h) read
-- from what its outbox keeps; for a mail that is its fault (mail_outbox.last_fault, 067)
-- beside its error, so the view now gives the fault too (NULL for texts and callbacks, whose
-- error says it all). The columns before it are unchanged: a module older than this one
-- reads the view as before.
-- konfirmado: additive
CREATE OR REPLACE VIEW deliveries AS
    SELECT m.id, m.tenant_id, m.reservation_id AS booking_id, 'email'::text AS channel,
           m.subject AS kind, m.recipient, m.last_error AS error, m.attempts,
           CASE WHEN m.sent_at IS NOT NULL THEN 'sent'
                WHEN m.failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END AS status,
           coalesce(m.sent_at, m.failed_at, CASE WHEN m.attempts > 0 THEN m.next_attempt_at END)
               AS last_attempt_at,
           m.created_at, m.last_fault AS fault
      FROM mail_outbox m WHERE m.tenant_id IS NOT NULL
    UNION ALL
    SELECT o.id, o.tenant_id, o.reservation_id, coalesce(s.channel, 'sms'), o.kind, o.recipient, o.last_error,
           o.attempts, CASE o.status WHEN 'queued' THEN 'pending' ELSE o.status END,
           coalesce(o.sent_at, CASE WHEN o.attempts > 0 OR o.status = 'failed' THEN o.next_attempt_at END),
           o.created_at, NULL::text
      FROM message_outbox o LEFT JOIN tenant_messaging_settings s ON s.tenant_id = o.tenant_id
    UNION ALL
    SELECT c.id, c.tenant_id, c.reservation_id, 'callback', c.event, t.callback_url, c.last_error,
           c.attempts, CASE c.status WHEN 'delivered' THEN 'sent' ELSE c.status END,
           CASE WHEN c.attempts > 0 THEN c.updated_at END, c.created_at, NULL::text
      FROM merchant_callbacks c JOIN tenants t ON t.id = c.tenant_id;
