-- 023 more payment providers (API.md "More payment providers"): the one a tenant takes
-- payments with, the provider's own id of each checkout (Stripe's session, Mercado Pago's
-- preference, Airwallex's payment intent: what the merchant-scoped look-up asks about), and
-- refunds the provider reports (charge.refunded, ...) recorded on the payment.
ALTER TABLE tenants
    ADD COLUMN payment_provider text NOT NULL DEFAULT 'wompi'
        CHECK (payment_provider IN ('wompi', 'stripe', 'mercadopago', 'airwallex'));

-- Stripe and Mercado Pago have no public key
ALTER TABLE tenant_payment_settings ALTER COLUMN public_key DROP NOT NULL;

ALTER TABLE payments ADD COLUMN provider_checkout_id text;
-- webhooks that name only the provider's ids (a refund made in the provider's dashboard)
CREATE INDEX payments_provider_checkout ON payments (provider, provider_checkout_id)
    WHERE provider_checkout_id IS NOT NULL;
CREATE INDEX payments_provider_transaction ON payments (provider, provider_transaction_id)
    WHERE provider_transaction_id IS NOT NULL;

