-- 004 bookings: the reservations table that takes slots (holds and bookings are one row
-- each, the same row as it moves from hold to booking), its status history, and the
-- booking funnel. Double booking is impossible by construction: the exclusion constraint
-- refuses two active reservations of one professional whose blocked ranges overlap.

CREATE TABLE reservations (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    service_id       uuid NOT NULL,
    professional_id  uuid NOT NULL,
    link_id          uuid REFERENCES booking_links (id),
    status           text NOT NULL CHECK (status IN ('held', 'pending_payment', 'paid', 'confirmed',
                                                     'failed', 'expired', 'cancelled')),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    -- the appointment plus the service's buffers: what no other active reservation may touch
    blocked          tstzrange NOT NULL,
    -- holds: end of the hold; pending_payment: end of the payment window; else NULL
    expires_at       timestamptz,
    hold_token_hash  text UNIQUE CHECK (hold_token_hash ~ '^[0-9a-f]{64}$'),
    booking_token_hash text UNIQUE CHECK (booking_token_hash ~ '^[0-9a-f]{64}$'),
    customer_name    text CHECK (char_length(customer_name) BETWEEN 2 AND 100),
    customer_email   text CHECK (char_length(customer_email) <= 254),
    customer_phone   text CHECK (customer_phone ~ '^\+[0-9]{8,15}$'),
    accepted_terms_at timestamptz,
    notes            text CHECK (char_length(notes) <= 1000),
    charge_type      text CHECK (charge_type IN ('total', 'partial', 'free')),
    charge_amount    bigint CHECK (charge_amount >= 0),
    currency         text CHECK (currency ~ '^[A-Z]{3}$'),
    status_reason    text,          -- e.g. hold_expired, payment_window_passed, slot_lost
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK (lower(blocked) <= starts_at AND upper(blocked) >= ends_at),
    FOREIGN KEY (service_id, tenant_id) REFERENCES services (id, tenant_id),
    FOREIGN KEY (professional_id, tenant_id) REFERENCES professionals (id, tenant_id),
    EXCLUDE USING gist (professional_id WITH =, blocked WITH &&)
        WHERE (status IN ('held', 'pending_payment', 'paid', 'confirmed'))
);
CREATE INDEX reservations_professional_active ON reservations USING gist (professional_id, blocked)
    WHERE status IN ('held', 'pending_payment', 'paid', 'confirmed');
CREATE INDEX reservations_expiring ON reservations (expires_at)
    WHERE status IN ('held', 'pending_payment');
CREATE INDEX reservations_tenant_start ON reservations (tenant_id, starts_at);

CREATE TABLE reservation_history (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reservation_id  uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    from_status     text,
    to_status       text NOT NULL,
    reason          text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservation_history_reservation ON reservation_history (reservation_id, id);

CREATE TABLE funnel_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    link_id     uuid REFERENCES booking_links (id),
    reservation_id uuid REFERENCES reservations (id) ON DELETE SET NULL,
    event       text NOT NULL CHECK (event IN ('link_viewed', 'slot_held', 'details_entered',
                                               'payment_started', 'payment_approved')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funnel_events_tenant_time ON funnel_events (tenant_id, created_at);
