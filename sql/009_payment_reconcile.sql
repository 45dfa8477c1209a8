-- 009 payments asked about with the merchant's own key when their webhook is late: the
-- reconciliation job's schedule per payment, and the source of the events it applies.

ALTER TABLE payments
    ADD COLUMN reconcile_attempts integer NOT NULL DEFAULT 0,
    -- also the lease of a claimed look-up: pushed forward when claimed (the backoff)
    ADD COLUMN reconcile_next_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX payments_reconcile_due ON payments (reconcile_next_at) WHERE status = 'pending';

ALTER TABLE payment_events DROP CONSTRAINT payment_events_source_check;
ALTER TABLE payment_events ADD CONSTRAINT payment_events_source_check
    CHECK (source IN ('webhook', 'fetch', 'reconcile'));
