-- 072 the payment providers are named once, by the module's registry
-- (lib/payments/kf_payment_providers.c), not by lists in SQL as well: a new provider is its
-- own file and its line there, with no migration unless it stores something new.
--
-- Every way a provider's name reaches a row is checked against the registry before the row
-- is written: the path of PUT /api/admin/tenant/payments/{provider} (404 for no provider of
-- that name), a PATCH's payment_provider (400), and a payment's provider, which is the
-- tenant's. What stays here keeps the rest of bad data out: one domain, kf_payment_provider,
-- for every column that holds a provider's name, which only takes a name's shape (a
-- lowercase word). A table of names that the module would fill at each start was the other
-- way; it adds a write at startup and a foreign key to every payment's insert for what the
-- edge already refuses.
--
-- The domain's new check is added NOT VALID: payments and their transactions hold only names
-- the old list allowed, all of that shape, and are not read again for it. tenants and
-- tenant_payment_settings are small; their columns are checked as they change type.
--
-- The checkouts job is handed the providers whose checkouts it ends (those that can end one:
-- kf_payment_provider.close_checkout), so its partial index no longer names them.
-- konfirmado: additive

ALTER DOMAIN kf_payment_provider DROP CONSTRAINT kf_payment_provider_check;
ALTER DOMAIN kf_payment_provider
    ADD CONSTRAINT kf_payment_provider_name CHECK (VALUE ~ '^[a-z][a-z0-9]{1,31}$') NOT VALID;

ALTER TABLE tenants
    DROP CONSTRAINT tenants_payment_provider_check,
    ALTER COLUMN payment_provider TYPE kf_payment_provider;

ALTER TABLE tenant_payment_settings
    DROP CONSTRAINT tenant_payment_settings_provider_check,
    ALTER COLUMN provider TYPE kf_payment_provider;

DROP INDEX payments_checkout_to_close;
CREATE INDEX payments_checkout_to_close ON payments (checkout_close_next_at)
    WHERE status = 'pending' AND checkout_closed_at IS NULL AND provider_checkout_id IS NOT NULL;
