-- 090 a reminder sent and a callback's attempt carry their business.
--
-- The merchants' figures read what changed in a window by each source's own index. Reminders
-- and callbacks' attempts had no business column: the dashboard's read, and a refresh called
-- alone, read the window's reminders and attempts of every business, as a platform's
-- thousands of reminders in ten minutes. Each row now carries its business (filled here from
-- its booking or delivery when its writer did not give it, as an older module's does), and
-- the figures find a business's own by (business, time), as the status history (062).
-- konfirmado: additive
ALTER TABLE booking_reminders ADD COLUMN tenant_id uuid;
ALTER TABLE callback_attempts ADD COLUMN tenant_id uuid;

-- a reminder's business is its booking's: the status history's trigger function (062) reads it
CREATE TRIGGER booking_reminders_tenant BEFORE INSERT ON booking_reminders
    FOR EACH ROW WHEN (NEW.tenant_id IS NULL) EXECUTE FUNCTION kf_history_tenant();

CREATE FUNCTION kf_callback_attempt_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.tenant_id INTO NEW.tenant_id FROM merchant_callbacks c WHERE c.id = NEW.callback_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER callback_attempts_tenant BEFORE INSERT ON callback_attempts
    FOR EACH ROW WHEN (NEW.tenant_id IS NULL) EXECUTE FUNCTION kf_callback_attempt_tenant();

-- every row: a business computed again from all its facts (a new zone) reads them all
UPDATE booking_reminders m SET tenant_id = r.tenant_id FROM reservations r
 WHERE r.id = m.reservation_id;
UPDATE callback_attempts a SET tenant_id = c.tenant_id FROM merchant_callbacks c
 WHERE c.id = a.callback_id;

CREATE INDEX booking_reminders_tenant_time ON booking_reminders (tenant_id, sent_at);
CREATE INDEX callback_attempts_tenant_time ON callback_attempts (tenant_id, at);
