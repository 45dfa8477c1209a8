-- 024 packages (API.md "Admin API": Packages; pay first, schedule later). A package is N
-- sessions of one service sold at one price and valid for some days after it is paid; a
-- link may offer packages; a purchase is one customer's package, paid through the tenant's
-- payment provider like a booking (the same payments table and webhooks: a payment now
-- belongs to a reservation OR a purchase), then spent one session per booking.

CREATE TABLE packages (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    service_id   uuid NOT NULL,
    name         text NOT NULL CHECK (char_length(name) BETWEEN 3 AND 100),
    description  text CHECK (char_length(description) <= 2000),
    sessions     integer NOT NULL CHECK (sessions BETWEEN 1 AND 52),
    price_amount bigint NOT NULL CHECK (price_amount > 0),
    currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    valid_days   integer NOT NULL CHECK (valid_days BETWEEN 1 AND 730),
    archived_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (service_id, tenant_id) REFERENCES services (id, tenant_id)
);
CREATE INDEX packages_tenant ON packages (tenant_id) WHERE archived_at IS NULL;

-- The packages a link offers (admin links API `package_ids`).
ALTER TABLE booking_links ADD CONSTRAINT booking_links_id_tenant_key UNIQUE (id, tenant_id);
CREATE TABLE link_packages (
    tenant_id   uuid NOT NULL,
    link_id     uuid NOT NULL,
    package_id  uuid NOT NULL,
    PRIMARY KEY (link_id, package_id),
    FOREIGN KEY (link_id, tenant_id) REFERENCES booking_links (id, tenant_id) ON DELETE CASCADE,
    FOREIGN KEY (package_id, tenant_id) REFERENCES packages (id, tenant_id) ON DELETE CASCADE
);

-- A customer's package. What was bought is kept as it was (the package may be edited
-- later): its service, sessions, validity and price. status: pending_payment (checkout
-- open until pay_by), paid (sessions usable until expires_at = paid_at + valid_days),
-- failed (declined), expired (unpaid past pay_by, or paid and past expires_at).
CREATE TABLE purchases (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    package_id        uuid NOT NULL,
    link_id           uuid REFERENCES booking_links (id),
    service_id        uuid NOT NULL,
    status            text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'failed', 'expired')),
    status_reason     text,
    -- the token of the purchase page: its hash is the check, its sealed form (aad
    -- purchase:<id>:token) lets the mail sent once paid carry it
    token_hash        text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    token_sealed      text,
    customer_name     text NOT NULL CHECK (char_length(customer_name) BETWEEN 2 AND 100),
    customer_email    text NOT NULL CHECK (char_length(customer_email) <= 254),
    customer_phone    text NOT NULL CHECK (customer_phone ~ '^\+[0-9]{8,15}$'),
    accepted_terms_at timestamptz NOT NULL,
    sessions_total    integer NOT NULL CHECK (sessions_total BETWEEN 1 AND 52),
    -- sessions booked and not given back: never more than bought, whatever races
    sessions_used     integer NOT NULL DEFAULT 0
                      CHECK (sessions_used >= 0 AND sessions_used <= sessions_total),
    valid_days        integer NOT NULL CHECK (valid_days BETWEEN 1 AND 730),
    amount            bigint NOT NULL CHECK (amount > 0),
    currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    pay_by            timestamptz NOT NULL,
    paid_at           timestamptz,
    expires_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (package_id, tenant_id) REFERENCES packages (id, tenant_id),
    FOREIGN KEY (service_id, tenant_id) REFERENCES services (id, tenant_id)
);
CREATE INDEX purchases_paid_expiring ON purchases (expires_at) WHERE status = 'paid';
CREATE INDEX purchases_pending ON purchases (pay_by) WHERE status = 'pending_payment';
CREATE INDEX purchases_tenant ON purchases (tenant_id, created_at);

-- The expiry rule of a purchase, once (like kf_reservation_due): an unpaid one past its
-- payment window, a paid one past its validity.
CREATE FUNCTION kf_purchase_due(p_status text, p_pay_by timestamptz, p_expires_at timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT (p_status = 'pending_payment' AND p_pay_by <= now())
        OR (p_status = 'paid' AND p_expires_at <= now())
$$;

-- A booking made with a purchase's session, and whether a cancellation gave it back.
ALTER TABLE reservations
    ADD COLUMN purchase_id uuid,
    ADD COLUMN purchase_session_returned boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT reservations_purchase_fkey FOREIGN KEY (purchase_id, tenant_id)
        REFERENCES purchases (id, tenant_id);
CREATE INDEX reservations_purchase ON reservations (purchase_id) WHERE purchase_id IS NOT NULL;

-- A payment pays for a booking or for a purchase, never both.
ALTER TABLE payments
    ALTER COLUMN reservation_id DROP NOT NULL,
    ADD COLUMN purchase_id uuid REFERENCES purchases (id) ON DELETE CASCADE,
    ADD CONSTRAINT payments_pays_one CHECK ((reservation_id IS NULL) <> (purchase_id IS NULL));
CREATE INDEX payments_purchase ON payments (purchase_id, created_at DESC) WHERE purchase_id IS NOT NULL;

-- The merchant hears of a paid purchase through the same outbox (purchase.paid).
ALTER TABLE merchant_callbacks
    ALTER COLUMN reservation_id DROP NOT NULL,
    ADD COLUMN purchase_id uuid REFERENCES purchases (id) ON DELETE CASCADE,
    ADD CONSTRAINT merchant_callbacks_about_one
        CHECK ((reservation_id IS NULL) <> (purchase_id IS NULL)),
    ADD CONSTRAINT merchant_callbacks_purchase_event_key UNIQUE (purchase_id, event);
ALTER TABLE merchant_callbacks DROP CONSTRAINT merchant_callbacks_event_check;
ALTER TABLE merchant_callbacks ADD CONSTRAINT merchant_callbacks_event_check
    CHECK (event IN ('booking.paid', 'booking.cancelled', 'booking.rescheduled', 'purchase.paid'));
