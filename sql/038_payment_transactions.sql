-- 038 every approved provider transaction of a payment. A customer may pay one reference
-- twice (two card attempts, two Wompi transactions): what the booking took is the sum of
-- its transactions, and a refund is spread over them (newest first), one provider call per
-- transaction with its own idempotency key. payments.refund_* stay the payment's totals
-- (callbacks and mails report those); the rows here say what each transaction gave back.
CREATE TABLE payment_transactions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id       uuid NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    provider         kf_payment_provider NOT NULL,
    transaction_id   text NOT NULL,
    amount           kf_amount NOT NULL,
    currency         kf_currency NOT NULL,
    approved_at      timestamptz NOT NULL DEFAULT now(),
    -- given back so far (the refund job's successes and the provider's refund events)
    refunded_amount  kf_amount NOT NULL DEFAULT 0,
    -- the share of the payment's current refund asked of this transaction (NULL: none), and
    -- refunded_amount once that share is done
    refund_share     kf_amount_positive,
    refund_target    kf_amount,
    refund_status    text CHECK (refund_status IN ('pending', 'succeeded', 'manual')),
    -- the provider's idempotency key of the share: the same on every attempt
    refund_key       text CHECK (char_length(refund_key) <= 64),
    refund_rounds    kf_count NOT NULL DEFAULT 0,
    refund_provider_id text,
    refunded_at      timestamptz,
    UNIQUE (payment_id, transaction_id),
    CHECK (refunded_amount <= amount)
);
-- a refund made in the provider's dashboard may name only the transaction
CREATE INDEX payment_transactions_provider_tx ON payment_transactions (provider, transaction_id);

-- The transactions approved before: every approved event of an approved payment (by each
-- provider's approved status; refunds, disputes and refused amounts excluded), then the
-- payment's own last transaction.
INSERT INTO payment_transactions (payment_id, tenant_id, provider, transaction_id, amount,
                                  currency, approved_at)
SELECT DISTINCT ON (e.payment_id, e.transaction_id)
       p.id, p.tenant_id, p.provider, e.transaction_id, p.amount, p.currency, e.received_at
  FROM payment_events e JOIN payments p ON p.id = e.payment_id
 WHERE p.status = 'approved' AND e.transaction_id IS NOT NULL
   AND e.amount = p.amount AND e.currency = p.currency
   AND e.result NOT IN ('refunded', 'disputed', 'amount_mismatch', 'failed')
   AND ((p.provider = 'wompi' AND e.status = 'APPROVED')
     OR (p.provider = 'stripe' AND e.status = 'complete/paid')
     OR (p.provider = 'mercadopago' AND (e.status = 'approved' OR e.status LIKE 'approved/%')
         AND e.status <> 'approved/partially_refunded')
     OR (p.provider = 'airwallex' AND e.status = 'SUCCEEDED'))
 ORDER BY e.payment_id, e.transaction_id, e.received_at
ON CONFLICT (payment_id, transaction_id) DO NOTHING;

INSERT INTO payment_transactions (payment_id, tenant_id, provider, transaction_id, amount,
                                  currency, approved_at)
SELECT p.id, p.tenant_id, p.provider, p.provider_transaction_id, p.amount, p.currency,
       coalesce(p.approved_at, p.updated_at)
  FROM payments p
 WHERE p.status = 'approved' AND p.provider_transaction_id IS NOT NULL
ON CONFLICT (payment_id, transaction_id) DO NOTHING;

-- what was given back before: a payment's single refund was always of its last transaction
UPDATE payment_transactions t
   SET refunded_amount = least(t.amount, p.refund_amount), refunded_at = p.refunded_at,
       refund_provider_id = p.refund_provider_id
  FROM payments p
 WHERE p.id = t.payment_id AND t.transaction_id = p.provider_transaction_id
   AND p.refund_status IN ('succeeded', 'manual') AND p.refunded_at IS NOT NULL
   AND coalesce(p.refund_amount, 0) > 0;
