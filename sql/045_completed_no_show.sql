-- 045 after the appointment: a paid or confirmed booking whose end has passed becomes
-- `completed` (the merchant says so, or the auto-complete job auto_complete_hours after its
-- end) or `no_show` (the merchant says so). Both keep the money and leave the slot's
-- exclusion (the appointment is over); the merchant hears of each by callback.
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
    CHECK (status IN ('held', 'pending_payment', 'paid', 'confirmed', 'failed', 'expired',
                      'cancelled', 'completed', 'no_show'));

ALTER TABLE merchant_callbacks DROP CONSTRAINT merchant_callbacks_event_check;
ALTER TABLE merchant_callbacks ADD CONSTRAINT merchant_callbacks_event_check
    CHECK (event IN ('booking.paid', 'booking.cancelled', 'booking.rescheduled', 'purchase.paid',
                     'booking.completed', 'booking.no_show'));

-- hours after a booking's end before it is completed automatically (API.md, 0-720)
ALTER TABLE tenants ADD COLUMN auto_complete_hours integer NOT NULL DEFAULT 24
    CHECK (auto_complete_hours BETWEEN 0 AND 720);

-- the bookings the customer has (KFM_SQL_PAID_STATES): reminders read the upcoming ones
DROP INDEX reservations_upcoming;
CREATE INDEX reservations_upcoming ON reservations (starts_at)
    WHERE status IN ('paid', 'confirmed', 'completed', 'no_show');
-- the auto-complete job's claim: bookings still to be marked, by their end
CREATE INDEX reservations_to_complete ON reservations (ends_at)
    WHERE status IN ('paid', 'confirmed');
