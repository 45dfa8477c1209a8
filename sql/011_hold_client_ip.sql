-- 011 the client address of a hold (r->useragent_ip, mod_remoteip-aware): at most
-- KonfirmadoActiveHoldLimit active holds per address (API.md "Hosts and tenants").
ALTER TABLE reservations ADD COLUMN client_ip inet;
CREATE INDEX reservations_active_holds_by_ip ON reservations (client_ip, expires_at)
    WHERE status = 'held' AND client_ip IS NOT NULL;
