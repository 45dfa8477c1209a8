-- A year of traffic for bench/run --seeded (bench/seed_history): :tenants businesses, each
-- with a service, two professionals, a booking link and :per_tenant past bookings; their
-- payments, payment events, callbacks, status history, funnel steps and mails, as the
-- module writes them. Past bookings only (ended, none active), so the benchmarks' own
-- scenarios find every slot they use free. Run as the module's role; the availability
-- triggers are switched off while the rows go in (one notification per row would only tell
-- the listener of professionals nobody asks about) and every professional's version is
-- bumped once at the end.
\set ON_ERROR_STOP on
BEGIN;
ALTER TABLE reservations DISABLE TRIGGER USER;

CREATE TEMP TABLE seed_tenants ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, g AS n FROM generate_series(1, :tenants) g;

INSERT INTO tenants (id, name, timezone, currency, payment_provider)
SELECT id, 'Historia ' || n, 'America/Bogota', 'COP', 'wompi' FROM seed_tenants;

CREATE TEMP TABLE seed_services ON COMMIT DROP AS
WITH s AS (
    INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount, currency,
                          charge_type)
    SELECT id, 'Consulta', 'Servicio de la historia', 30, 8000000, 'COP', 'total' FROM seed_tenants
    RETURNING id, tenant_id)
SELECT * FROM s;

CREATE TEMP TABLE seed_professionals ON COMMIT DROP AS
WITH p AS (
    INSERT INTO professionals (tenant_id, name, timezone)
    SELECT t.id, 'Profesional ' || k, 'America/Bogota' FROM seed_tenants t, generate_series(1, 2) k
    RETURNING id, tenant_id)
SELECT p.*, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS k FROM p;

INSERT INTO service_professionals (service_id, professional_id, tenant_id)
SELECT s.id, p.id, s.tenant_id FROM seed_services s JOIN seed_professionals p USING (tenant_id);

CREATE TEMP TABLE seed_links ON COMMIT DROP AS
WITH l AS (
    INSERT INTO booking_links (tenant_id, slug, name)
    SELECT id, 'historia-' || replace(id::text, '-', ''), 'Reservas' FROM seed_tenants
    RETURNING id, tenant_id)
SELECT * FROM l;

-- Each booking i of a business: its professional alternates, its start steps back from
-- two days ago so that one professional's bookings never overlap (a year for 1,000 of them)
-- 75 % completed, 8 % cancelled after paying, 12 % expired unpaid, 5 % no-show.
CREATE TEMP TABLE seed_bookings ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, t.id AS tenant_id, s.id AS service_id, p.id AS professional_id,
       l.id AS link_id, i,
       date_trunc('hour', now()) - interval '2 days'
           - make_interval(mins => 30 * ((i / 2) * 35 / 2)) AS starts_at,
       CASE WHEN i % 100 < 75 THEN 'completed' WHEN i % 100 < 83 THEN 'cancelled'
            WHEN i % 100 < 95 THEN 'expired' ELSE 'no_show' END AS status
FROM seed_tenants t JOIN seed_services s ON s.tenant_id = t.id
JOIN seed_links l ON l.tenant_id = t.id
CROSS JOIN generate_series(0, :per_tenant - 1) i
JOIN seed_professionals p ON p.tenant_id = t.id AND p.k = 1 + i % 2;

INSERT INTO reservations (id, tenant_id, service_id, professional_id, link_id, status, starts_at,
                          ends_at, blocked, customer_name, customer_email, customer_phone,
                          accepted_terms_at, charge_type, charge_amount, currency, created_at,
                          updated_at, status_reason, team_keys, erased_at)
SELECT id, tenant_id, service_id, professional_id, link_id, status, starts_at,
       starts_at + interval '30 minutes', tstzrange(starts_at, starts_at + interval '30 minutes'),
       -- a booking given up more than 30 days ago was erased by the hourly retention then
       -- (kf_erase_personal_data's tombstones), as a year of the job leaves it
       CASE WHEN abandoned THEN 'Persona eliminada' ELSE 'Cliente ' || i END,
       CASE WHEN NOT abandoned THEN 'cliente' || i || '@example.com' END,
       CASE WHEN NOT abandoned THEN '+57300' || lpad(i::text, 7, '0') END,
       starts_at - interval '3 days', 'total', 8000000, 'COP', starts_at - interval '3 days',
       starts_at + interval '1 day',
       CASE status WHEN 'expired' THEN 'payment_window_passed' WHEN 'cancelled' THEN 'customer' END,
       -- what the reservations_team trigger (off here) sets: the professional's key
       ARRAY(SELECT p.team_key FROM professionals p WHERE p.id = seed_bookings.professional_id),
       CASE WHEN abandoned THEN starts_at + interval '31 days' END
FROM (SELECT b.*, b.status = 'expired' AND b.starts_at + interval '1 day' < now() - interval '30 days'
             AS abandoned FROM seed_bookings b) seed_bookings;

-- one payment per booking: approved, or declined for the bookings that expired unpaid
INSERT INTO payments (id, tenant_id, reservation_id, provider, mode, reference, amount, currency,
                      status, provider_transaction_id, approved_at, created_at)
SELECT gen_random_uuid(), tenant_id, id, 'wompi', 'production', 'KF-H' || replace(id::text, '-', ''),
       8000000, 'COP', CASE WHEN status = 'expired' THEN 'declined' ELSE 'approved' END,
       'tx-' || id, CASE WHEN status <> 'expired' THEN starts_at - interval '3 days' END,
       starts_at - interval '3 days'
FROM seed_bookings;

INSERT INTO payment_events (provider, event_key, tenant_id, payment_id, source, status, amount,
                            currency, raw_body, result, processing_us, received_at)
SELECT 'wompi', 'hist-' || p.id, p.tenant_id, p.id, 'webhook',
       CASE WHEN p.status = 'approved' THEN 'APPROVED' ELSE 'DECLINED' END, p.amount, p.currency,
       '{}', CASE WHEN p.status = 'approved' THEN 'paid' ELSE 'unchanged' END, 900, p.created_at
FROM payments p JOIN seed_tenants t ON t.id = p.tenant_id;

INSERT INTO merchant_callbacks (tenant_id, reservation_id, event, body, status, attempts,
                                next_attempt_at, created_at, updated_at)
SELECT tenant_id, id, 'booking.paid', '{"evento":"booking.paid"}', 'delivered', 1,
       starts_at - interval '3 days', starts_at - interval '3 days', starts_at - interval '3 days'
FROM seed_bookings WHERE status <> 'expired';

INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason, created_at)
SELECT id, tenant_id, NULL, 'held', NULL, starts_at - interval '3 days' FROM seed_bookings
UNION ALL
SELECT id, tenant_id, 'held', 'pending_payment', NULL, starts_at - interval '3 days' FROM seed_bookings
UNION ALL
SELECT id, tenant_id, 'pending_payment', CASE WHEN status = 'expired' THEN 'expired' ELSE 'paid' END,
       NULL, starts_at - interval '3 days' FROM seed_bookings
UNION ALL
SELECT id, tenant_id, 'paid', status, NULL, starts_at + interval '1 day' FROM seed_bookings
WHERE status <> 'expired';

INSERT INTO funnel_events (tenant_id, link_id, reservation_id, event, created_at)
SELECT tenant_id, link_id, id, 'slot_held', starts_at - interval '3 days' FROM seed_bookings
UNION ALL
SELECT tenant_id, link_id, id, 'payment_approved', starts_at - interval '3 days' FROM seed_bookings
WHERE status <> 'expired';

INSERT INTO mail_outbox (reservation_id, tenant_id, recipient, subject, body_text, body_html,
                         attempts, sent_at, created_at)
SELECT id, tenant_id, 'cliente' || i || '@example.com', 'Tu reserva está confirmada',
       'Hola, tu reserva está confirmada.', '<p>Hola, tu reserva está confirmada.</p>', 1,
       starts_at - interval '3 days', starts_at - interval '3 days'
FROM seed_bookings WHERE status <> 'expired';

ALTER TABLE reservations ENABLE TRIGGER USER;
SELECT count(kf_bump_version(id)) AS professionals_told FROM seed_professionals;
COMMIT;
ANALYZE;
