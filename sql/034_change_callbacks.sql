-- 034 change callbacks tell what changed (API.md "Merchant callback"): a rescheduled booking
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
