-- 003 catalog: services, professionals (weekly hours, date exceptions), who offers what,
-- and booking links. Every row belongs to a tenant; links between rows are checked to
-- stay inside one tenant by composite foreign keys (id, tenant_id).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE services (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id              uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                   text NOT NULL CHECK (char_length(name) BETWEEN 3 AND 100),
    description            text NOT NULL CHECK (char_length(description) BETWEEN 10 AND 2000),
    image_url              text,
    duration_minutes       integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
    price_amount           bigint NOT NULL CHECK (price_amount >= 0),
    currency               text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    charge_type            text NOT NULL CHECK (charge_type IN ('total', 'partial', 'free')),
    deposit_percent        integer NOT NULL DEFAULT 25 CHECK (deposit_percent BETWEEN 1 AND 99),
    slot_interval_minutes  integer NOT NULL DEFAULT 15 CHECK (slot_interval_minutes BETWEEN 5 AND 480),
    buffer_before_minutes  integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 480),
    buffer_after_minutes   integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 480),
    min_notice_minutes     integer NOT NULL DEFAULT 0 CHECK (min_notice_minutes BETWEEN 0 AND 525600),
    horizon_days           integer NOT NULL DEFAULT 14 CHECK (horizon_days BETWEEN 1 AND 365),
    archived_at            timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX services_tenant ON services (tenant_id) WHERE archived_at IS NULL;

CREATE TABLE professionals (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 100),
    description        text CHECK (char_length(description) <= 2000),
    photo_url          text,
    email              text CHECK (char_length(email) <= 254),
    timezone           text NOT NULL,
    calendar_provider  text NOT NULL DEFAULT 'none'
                       CHECK (calendar_provider IN ('none', 'google', 'calcom', 'microsoft')),
    calendar_status    text NOT NULL DEFAULT 'none'
                       CHECK (calendar_status IN ('none', 'pending', 'connected', 'error')),
    archived_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX professionals_tenant ON professionals (tenant_id) WHERE archived_at IS NULL;

-- Weekly working hours: wall-clock minutes of the day in the professional's zone,
-- ISO weekday (Monday = 1). Ranges of one day never overlap.
CREATE TABLE professional_hours (
    professional_id  uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    weekday          smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute     smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute       smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (start_minute < end_minute),
    EXCLUDE USING gist (professional_id WITH =, weekday WITH =,
                        int4range(start_minute, end_minute) WITH &&)
);

-- Date exceptions: a closed day, or hours that replace the weekly ones on that date.
CREATE TABLE professional_exceptions (
    professional_id  uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    day              date NOT NULL,
    closed           boolean NOT NULL,
    start_minute     smallint CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute       smallint CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK ((closed AND start_minute IS NULL AND end_minute IS NULL)
           OR (NOT closed AND start_minute < end_minute)),
    EXCLUDE USING gist (professional_id WITH =, day WITH =,
                        int4range(COALESCE(start_minute, 0), COALESCE(end_minute, 1440)) WITH &&)
);

CREATE TABLE service_professionals (
    tenant_id        uuid NOT NULL,
    service_id       uuid NOT NULL,
    professional_id  uuid NOT NULL,
    PRIMARY KEY (service_id, professional_id),
    FOREIGN KEY (service_id, tenant_id) REFERENCES services (id, tenant_id) ON DELETE CASCADE,
    FOREIGN KEY (professional_id, tenant_id) REFERENCES professionals (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX service_professionals_professional ON service_professionals (professional_id);

CREATE TABLE booking_links (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[A-Za-z0-9_-]{16,64}$'),
    name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    service_id       uuid,
    professional_id  uuid,
    expires_at       timestamptz,
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (service_id, tenant_id) REFERENCES services (id, tenant_id),
    FOREIGN KEY (professional_id, tenant_id) REFERENCES professionals (id, tenant_id)
);
CREATE INDEX booking_links_tenant ON booking_links (tenant_id);
