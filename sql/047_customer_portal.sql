-- 047 customers in control of their bookings and their reminders (API.md "Customer portal").
-- A customer is an address at a tenant (lower case, as kf_email_normalize writes it): the
-- portal signs them in by a link mailed to that address and lists the bookings it made.
-- Tokens and sessions are stored by their SHA-256 only.

-- a mailed sign-in link: 15 minutes, used once
CREATE TABLE customer_sign_in_tokens (
    token_hash text PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX customer_sign_in_tokens_expiry ON customer_sign_in_tokens (expires_at);

-- a signed-in customer: 12 hours from the sign-in, on the tenant's host only
CREATE TABLE customer_sessions (
    token_hash text PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX customer_sessions_expiry ON customer_sessions (expires_at);

-- what a customer wants to hear from a tenant; no row: every reminder, the tenant's language.
-- Confirmations and change notices are not preferences: they are always sent. The row's id,
-- sealed, is the unsubscribe token of its reminder mails.
CREATE TABLE customer_preferences (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email           text NOT NULL CHECK (email = lower(email)),
    reminders_email boolean NOT NULL DEFAULT true,
    reminders_text  boolean NOT NULL DEFAULT true,
    locale          text CHECK (locale IN ('es', 'en')),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);

-- a phone number that answered STOP (or BAJA, ...) to a tenant's texts: no text reminder goes
-- to it, whichever address booked; START takes it back
CREATE TABLE customer_text_opt_outs (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    phone      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, phone)
);

-- the one-click unsubscribe address of a mail (RFC 8058), for its List-Unsubscribe header
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe text;

-- the portal's list: a tenant's bookings by their customer's address
CREATE INDEX reservations_customer_email ON reservations (tenant_id, lower(customer_email));
