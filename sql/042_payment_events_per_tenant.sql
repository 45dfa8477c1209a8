-- 042 a provider event is recorded once per tenant, not once across every tenant.
--
-- Each tenant has its own account at the provider, and providers number events and
-- transactions per account: two merchants' sandboxes (or Mercado Pago's notice ids, Wompi's
-- transaction ids) can hand out the same id. Keyed on (provider, event_key) alone, the second
-- tenant's event was taken for a repeat of the first's and never applied: its booking stayed
-- unpaid. The key now names the tenant; a repeat of one tenant's own event is still a no-op.

ALTER TABLE payment_events DROP CONSTRAINT payment_events_provider_event_key_key;

ALTER TABLE payment_events ADD CONSTRAINT payment_events_tenant_provider_event_key
    UNIQUE (tenant_id, provider, event_key);
