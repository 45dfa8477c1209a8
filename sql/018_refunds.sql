-- 018 refunds through the provider (API.md "After booking": admin refund, manual refunds).
-- A refund is asked once per payment (refund_status pending), carried out by the refund job
-- through the provider's refund API, and ends succeeded (the provider gave the money back)
-- or manual (no API for this payment, or the merchant gave it back by hand: refunded_at
-- and the note say when it was done).
ALTER TABLE payments
    ADD COLUMN refund_requested_at timestamptz,
    ADD COLUMN refunded_at timestamptz,
    ADD COLUMN refund_note text CHECK (char_length(refund_note) <= 500),
    ADD COLUMN refund_provider_id text,
    ADD COLUMN refund_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN refund_next_at timestamptz,
    ADD COLUMN refund_error text;

CREATE INDEX payments_refund_due ON payments (refund_next_at) WHERE refund_status = 'pending';
