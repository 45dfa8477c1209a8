-- 009 payments: one payment per paid booking attempt (unique provider reference), every
-- provider event recorded once, and the merchant callback outbox with its attempts.
-- A webhook records its event, moves the payment and the reservation and queues the
-- callback in ONE transaction (transactional outbox); a watchdog job delivers later.

CREATE TABLE payments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    reservation_id   uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    provider         text NOT NULL CHECK (provider IN ('wompi', 'stripe', 'airwallex', 'mercadopago')),
    mode             text NOT NULL CHECK (mode IN ('test', 'production')),
    reference        text NOT NULL UNIQUE CHECK (char_length(reference) BETWEEN 1 AND 64),
    -- what the customer was asked to pay: an event for another amount or currency is refused
    amount           bigint NOT NULL CHECK (amount > 0),
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'declined', 'error', 'voided')),
    provider_transaction_id text,
    checkout_url     text,
    expires_at       timestamptz,
    -- money was taken but the booking could not keep its slot (late approval, slot lost)
    refund_needed    boolean NOT NULL DEFAULT false,
    -- an authentic event disagreed with what was asked (amount or currency)
    mismatch         boolean NOT NULL DEFAULT false,
    flag_reason      text,
    approved_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_reservation ON payments (reservation_id, created_at DESC);
CREATE INDEX payments_flagged ON payments (tenant_id) WHERE refund_needed OR mismatch;

-- Every provider event (webhook or transaction fetched when the customer came back), once:
-- a repeat hits the unique key and is a no-op.
CREATE TABLE payment_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider         text NOT NULL,
    event_key        text NOT NULL,
    tenant_id        uuid REFERENCES tenants (id) ON DELETE CASCADE,
    payment_id       uuid REFERENCES payments (id) ON DELETE CASCADE,
    source           text NOT NULL CHECK (source IN ('webhook', 'fetch')),
    transaction_id   text,
    status           text,
    amount           bigint,
    currency         text,
    raw_body         text NOT NULL,
    -- paid, failed, unchanged, reserved_again, slot_lost, amount_mismatch, ignored
    result           text NOT NULL,
    processing_us    integer,
    received_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, event_key)
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, id);
CREATE INDEX payment_events_tenant_time ON payment_events (tenant_id, received_at);

-- Merchant callbacks (transactional outbox). id is the X-Konfirmado-Delivery header: the
-- same on every retry. body is stored exactly as signed (firma_hmac included).
CREATE TABLE merchant_callbacks (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    reservation_id   uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    event            text NOT NULL DEFAULT 'booking.paid' CHECK (event IN ('booking.paid')),
    body             text NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    -- also the lease of a claimed delivery: pushed forward while an attempt runs, so a
    -- server that dies mid-attempt leaves it to be retried, never lost
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error       text,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (reservation_id, event)
);
CREATE INDEX merchant_callbacks_due ON merchant_callbacks (next_attempt_at) WHERE status = 'pending';
CREATE INDEX merchant_callbacks_failed ON merchant_callbacks (tenant_id) WHERE status = 'failed';

CREATE TABLE callback_attempts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    callback_id      uuid NOT NULL REFERENCES merchant_callbacks (id) ON DELETE CASCADE,
    attempt          integer NOT NULL,
    url              text,
    status_code      integer,              -- NULL: no HTTP answer (timeout, refused, ...)
    latency_ms       integer NOT NULL,
    response_excerpt text,                 -- first 1 KiB of the answer
    error            text,
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callback_attempts_callback ON callback_attempts (callback_id, id);
