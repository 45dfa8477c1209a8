-- 034 changes are told completely (API.md "Merchant callback"): a rescheduled booking
-- keeps the time it had before its last move (cita_anterior, and the old time in the change
-- mails), and every reschedule is its own delivery, not only the first one of a booking.
ALTER TABLE reservations
    ADD COLUMN previous_starts_at timestamptz,
    ADD COLUMN previous_ends_at timestamptz;

ALTER TABLE merchant_callbacks DROP CONSTRAINT merchant_callbacks_reservation_id_event_key;
CREATE UNIQUE INDEX merchant_callbacks_once_per_booking_event ON merchant_callbacks (reservation_id, event)
    WHERE event <> 'booking.rescheduled';
CREATE INDEX merchant_callbacks_of_booking ON merchant_callbacks (reservation_id)
    WHERE event = 'booking.rescheduled';

-- A change (a move, a cancellation) is also told by text, beside the reminders.
ALTER TABLE message_outbox
    ADD COLUMN kind text NOT NULL DEFAULT 'reminder'
        CHECK (kind IN ('reminder', 'rescheduled', 'cancelled')),
    DROP CONSTRAINT message_outbox_reservation_id_lead_minutes_starts_at_key,
    ADD CONSTRAINT message_outbox_once UNIQUE (reservation_id, kind, lead_minutes, starts_at);
