-- 036 a provider's checkout that outlives its booking's payment window (a Stripe session
-- lasts at least 30 minutes; an Airwallex intent never ends by itself) is ended at the
-- provider by the checkouts job once the booking expired or failed, so the customer cannot
-- pay it any more. NULL checkout_closed_at: not ended yet; the job leases a row through
-- checkout_close_next_at and gives up after a few attempts (a late payment still follows
-- the late-approval rule).
ALTER TABLE payments
    ADD COLUMN checkout_closed_at timestamptz,
    ADD COLUMN checkout_close_next_at timestamptz,
    ADD COLUMN checkout_close_attempts integer NOT NULL DEFAULT 0;

CREATE INDEX payments_checkout_to_close ON payments (checkout_close_next_at)
    WHERE status = 'pending' AND checkout_closed_at IS NULL
      AND provider IN ('stripe', 'airwallex') AND provider_checkout_id IS NOT NULL;

-- A dispute the customer opened with their bank (Stripe charge.dispute.created): recorded
-- on the payment and shown flagged in the admin booking detail; the merchant answers it at
-- the provider.
ALTER TABLE payments
    ADD COLUMN dispute_id text,
    ADD COLUMN dispute_amount bigint,
    ADD COLUMN dispute_reason text,
    ADD COLUMN disputed_at timestamptz;
