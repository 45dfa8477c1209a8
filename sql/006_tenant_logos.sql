-- 006 tenant logos: the uploaded logo of each tenant (PNG or SVG, checked by content
-- before it gets here), served publicly at /api/public/tenants/{id}/logo; and an index
-- for the audit list's filter by action.

CREATE TABLE tenant_logos (
    tenant_id     uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/svg+xml')),
    bytes         bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 2097152),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_tenant_action_time ON audit_log (tenant_id, action, created_at DESC);
