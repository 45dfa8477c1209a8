-- 080 outside changes (API.md "Which calendars count, outside changes, meeting rooms"): the
-- event written for a booking deleted or moved by the professional in Google, Outlook or
-- another calendar flags the booking for the merchant, who moves it to the new time, cancels
-- it or puts the event back; the booking is never cancelled or moved by itself.
-- konfirmado: additive
ALTER TABLE calendar_events
    ADD COLUMN outside_change text CHECK (outside_change IN ('deleted', 'moved')),
    ADD COLUMN outside_start timestamptz,
    ADD COLUMN outside_end timestamptz,
    ADD COLUMN outside_seen_at timestamptz,
    ADD CONSTRAINT calendar_events_outside_whole CHECK (
        (outside_change IS NULL AND outside_start IS NULL AND outside_end IS NULL
         AND outside_seen_at IS NULL)
        OR (outside_change = 'deleted' AND outside_start IS NULL AND outside_end IS NULL
            AND outside_seen_at IS NOT NULL)
        OR (outside_change = 'moved' AND outside_start < outside_end
            AND outside_seen_at IS NOT NULL));
CREATE INDEX calendar_events_outside ON calendar_events (tenant_id) WHERE outside_change IS NOT NULL;

ALTER TABLE merchant_alerts DROP CONSTRAINT merchant_alerts_kind_check;
ALTER TABLE merchant_alerts ADD CONSTRAINT merchant_alerts_kind_check
    CHECK (kind IN ('callbacks_failing', 'calendar_not_syncing', 'webhook_signatures_failing',
                    'messages_bouncing', 'payments_failing', 'calendar_changed'));
