-- 002 accounts: tenants, merchant users, single-use tokens, sessions, the mail outbox
-- and the audit log. Ids are UUIDs; secrets are stored sealed (AES-256-GCM, text
-- "v1.<kid>.<...>") or, for tokens, as SHA-256 hex only.

CREATE TABLE tenants (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 100),
    subdomain        text UNIQUE CHECK (subdomain ~ '^[a-z0-9-]{3,63}$'),
    timezone         text NOT NULL DEFAULT 'America/Bogota',
    locale           text NOT NULL DEFAULT 'es' CHECK (locale IN ('es', 'en')),
    country          text NOT NULL DEFAULT 'CO' CHECK (country ~ '^[A-Z]{2}$'),
    currency         text NOT NULL DEFAULT 'COP' CHECK (currency ~ '^[A-Z]{3}$'),
    primary_color    text NOT NULL DEFAULT '#3B82F6' CHECK (primary_color ~ '^#[0-9A-Fa-f]{6}$'),
    secondary_color  text NOT NULL DEFAULT '#10B981' CHECK (secondary_color ~ '^#[0-9A-Fa-f]{6}$'),
    logo_url         text,
    callback_url     text,
    return_url       text,
    terms_url        text,
    callback_secret_sealed  text,
    callback_secret_set_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Payment provider settings of a tenant: one row per provider, secrets sealed.
CREATE TABLE tenant_payment_settings (
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    provider         text NOT NULL CHECK (provider IN ('wompi', 'stripe', 'airwallex', 'mercadopago')),
    mode             text NOT NULL CHECK (mode IN ('test', 'production')),
    public_key       text NOT NULL,
    secrets_sealed   text NOT NULL,      -- sealed JSON object of the provider's secrets
    hints            jsonb NOT NULL DEFAULT '{}',  -- last 4 characters of each secret, for display
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, provider)
);

CREATE TABLE users (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email              text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
    password_hash      text NOT NULL,
    email_verified_at  timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (email)
);
CREATE INDEX users_tenant ON users (tenant_id);

-- Email verification and password reset: single use, expiring, only the hash stored.
CREATE TABLE user_tokens (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

CREATE TABLE sessions (
    token_hash    text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    ip            inet,
    user_agent    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    idle_expires_at      timestamptz NOT NULL,
    absolute_expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (absolute_expires_at);

-- Transactional outbox of mail: written in the same transaction as what caused it,
-- delivered (and retried) by a watchdog job.
CREATE TABLE mail_outbox (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid REFERENCES tenants (id) ON DELETE CASCADE,
    recipient        text NOT NULL,
    subject          text NOT NULL,
    body_text        text NOT NULL,
    body_html        text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    sent_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    action       text NOT NULL,          -- e.g. service.create, tenant.update
    entity_type  text NOT NULL,
    entity_id    text,
    changes      jsonb NOT NULL DEFAULT '{}',   -- field -> new value; secrets as "[redacted]"
    ip           inet,
    user_agent   text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_time ON audit_log (tenant_id, created_at DESC);
