-- 039 a dispute's later state: every provider reports how a dispute goes on (Stripe
-- charge.dispute.closed, Airwallex payment_dispute.*, Mercado Pago's chargeback read back).
-- dispute_status: 'open' (the merchant may answer it at the provider), then 'won', 'lost'
-- or 'closed' (ended without a ruling); a final state is never reopened by a late event.
-- Disputes recorded before this migration are open.
ALTER TABLE payments
    ADD COLUMN dispute_status text
        CHECK (dispute_status IN ('open', 'won', 'lost', 'closed')),
    ADD COLUMN dispute_updated_at timestamptz;

UPDATE payments SET dispute_status = 'open', dispute_updated_at = disputed_at
    WHERE dispute_id IS NOT NULL;

-- the bookings list marks disputed bookings: found by reservation without a scan
CREATE INDEX payments_disputed ON payments (reservation_id) WHERE dispute_id IS NOT NULL;
