-- 015 cancellations (API.md "After booking"): the tenant's policy (how many hours before
-- the start a customer may still cancel or reschedule, how often, and what goes back), the
-- booking's cancellation, what a payment owes back, and callbacks for events other than
-- booking.paid.
ALTER TABLE tenants
    ADD COLUMN cancel_cutoff_hours integer NOT NULL DEFAULT 24 CHECK (cancel_cutoff_hours BETWEEN 0 AND 720),
    ADD COLUMN reschedule_cutoff_hours integer NOT NULL DEFAULT 24
        CHECK (reschedule_cutoff_hours BETWEEN 0 AND 720),
    ADD COLUMN max_reschedules integer NOT NULL DEFAULT 2 CHECK (max_reschedules BETWEEN 0 AND 10),
    ADD COLUMN refund_on_cancel text NOT NULL DEFAULT 'full' CHECK (refund_on_cancel IN ('full', 'none'));

ALTER TABLE reservations
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN cancelled_by text CHECK (cancelled_by IN ('customer', 'merchant')),
    ADD COLUMN cancel_reason text CHECK (char_length(cancel_reason) <= 500),
    ADD COLUMN reschedule_count integer NOT NULL DEFAULT 0 CHECK (reschedule_count >= 0);

-- What goes back of an approved payment: `manual` until a provider refund API does it.
ALTER TABLE payments
    ADD COLUMN refund_amount bigint CHECK (refund_amount > 0),
    ADD COLUMN refund_status text CHECK (refund_status IN ('pending', 'succeeded', 'manual'));

ALTER TABLE merchant_callbacks DROP CONSTRAINT merchant_callbacks_event_check;
ALTER TABLE merchant_callbacks ADD CONSTRAINT merchant_callbacks_event_check
    CHECK (event IN ('booking.paid', 'booking.cancelled', 'booking.rescheduled'));
