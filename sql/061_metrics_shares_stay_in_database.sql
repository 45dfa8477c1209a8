-- 061 the figures job's shared read stays in the database. The job read each business's
-- share of the facts without a tenant column (kf_metrics_shared_touches: the bookings whose
-- history or reminders changed in the window) and sent it back with that business's
-- refresh: a busy business's window of bookings ran to hundreds of kilobytes each way, and
-- libpq keeps a connection's buffers at their largest for the connection's life, so every
-- pooled connection that ever ran the job held that much in the child running the jobs.
-- Now one statement keeps the batch's shares in an unlogged table, and each business's
-- refresh takes its own row from there: what crosses the wire is a run's id.
-- konfirmado: additive

-- One run's share of one business. UNLOGGED: a share lost in a crash is read again by the
-- next run (the business's mark did not move). A share whose refresh failed stays until a
-- later run clears it.
CREATE UNLOGGED TABLE metrics_shared_shares (
    run        uuid NOT NULL,
    tenant_id  uuid NOT NULL,
    bookings   uuid[] NOT NULL,
    moments    timestamptz[] NOT NULL,
    staged_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run, tenant_id)
);

-- The shares of `p_tenants` from `since`, kept under a new run id (returned); the shares
-- runs before left behind for an hour are cleared.
CREATE FUNCTION kf_metrics_stage_shares(p_tenants uuid[], since timestamptz) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    run_id uuid := gen_random_uuid();
BEGIN
    DELETE FROM metrics_shared_shares WHERE staged_at < now() - interval '1 hour';
    INSERT INTO metrics_shared_shares (run, tenant_id, bookings, moments)
        SELECT run_id, s.tenant_id, s.bookings, s.moments
          FROM kf_metrics_shared_touches(p_tenants, since) s;
    RETURN run_id;
END
$$;

-- kf_metrics_refresh with the business's share taken from run `p_run` (none: nothing of
-- the shared facts touched it since `p_since`). The share goes with the refresh's
-- transaction: a refresh that fails leaves it to the clearing above.
CREATE FUNCTION kf_metrics_refresh(p_tenant uuid, upto timestamptz, slack interval,
                                   p_since timestamptz, p_run uuid)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    share_bookings uuid[];
    share_moments timestamptz[];
BEGIN
    DELETE FROM metrics_shared_shares WHERE run = p_run AND tenant_id = p_tenant
        RETURNING bookings, moments INTO share_bookings, share_moments;
    RETURN kf_metrics_refresh(p_tenant, upto, slack, p_since, coalesce(share_bookings, '{}'),
                              coalesce(share_moments, '{}'));
END
$$;
