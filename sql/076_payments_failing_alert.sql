-- 076 the merchant alert payments_failing: the payment provider makes no checkouts. Its facts
-- are the audit rows payment.provider_error (one per checkout the provider did not make),
-- read by the alerts job and counted per provider by the status page; a checkout made after
-- them clears it. The kind's check only widens: older modules never write the new kind.
-- konfirmado: additive
ALTER TABLE merchant_alerts DROP CONSTRAINT merchant_alerts_kind_check;
ALTER TABLE merchant_alerts ADD CONSTRAINT merchant_alerts_kind_check
    CHECK (kind IN ('callbacks_failing', 'calendar_not_syncing', 'webhook_signatures_failing',
                    'messages_bouncing', 'payments_failing'));
CREATE INDEX audit_log_provider_errors ON audit_log (created_at)
    WHERE action = 'payment.provider_error';
-- a business's last checkout made, read after each of those failures
CREATE INDEX payments_checkouts_made ON payments (tenant_id, created_at DESC)
    WHERE checkout_url IS NOT NULL;
