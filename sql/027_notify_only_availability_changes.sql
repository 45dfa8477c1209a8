-- 027 a reservation's update records its professional for other servers' caches only when
-- what availability reads of it changed.
--
-- The trigger of migration 022 fired on every UPDATE naming status or the times, so a booking
-- approved (held or pending_payment -> paid, deadline cleared) or confirmed (paid ->
-- confirmed) told every server to drop its cached answers although its slot stays blocked
-- the same: one more row in availability_changes and one more trigger call per approval,
-- and every listener's take scanning them (README "Performance", webhook ingest).
-- Availability reads a reservation's professional, its times and whether it blocks now
-- (an active state, its deadline not passed: kf_reservation_due of 017); when none of them
-- differ the answers cached anywhere are still right. An update whose deadline has already
-- passed (a late approval of an expired-looking hold) changes whether it blocks, so it still
-- notifies.

DROP TRIGGER reservations_notify ON reservations;

CREATE TRIGGER reservations_notify AFTER INSERT OR DELETE ON reservations
    FOR EACH ROW EXECUTE FUNCTION kf_notify_professional();

CREATE TRIGGER reservations_notify_update AFTER UPDATE OF status, starts_at, ends_at, blocked,
    expires_at, professional_id ON reservations
    FOR EACH ROW WHEN (
        OLD.professional_id IS DISTINCT FROM NEW.professional_id
        OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
        OR OLD.ends_at IS DISTINCT FROM NEW.ends_at
        OR OLD.blocked IS DISTINCT FROM NEW.blocked
        OR (OLD.status IN ('held', 'pending_payment', 'paid', 'confirmed')
            AND NOT kf_reservation_due(OLD.status, OLD.expires_at))
           IS DISTINCT FROM
           (NEW.status IN ('held', 'pending_payment', 'paid', 'confirmed')
            AND NOT kf_reservation_due(NEW.status, NEW.expires_at)))
    EXECUTE FUNCTION kf_notify_professional();

-- The take of 025 deleted `ctid = ANY (ARRAY(SELECT ctid ... FOR UPDATE SKIP LOCKED))` so that
-- two servers' takes never waited for each other. Its plan is made once per listener session
-- (PL/pgSQL keeps it), and one made while the table was empty (after a vacuum gave its pages
-- back) is a sequential scan testing each row against the whole array: a burst of 30,000
-- changes then took seconds per take instead of milliseconds. Now one take runs at a time
-- (whichever server takes notifies them all, so another server's take has nothing to add
-- that round and returns at once) and deletes what it sees, in one pass whatever the plan.
CREATE OR REPLACE FUNCTION kf_availability_changes_take(max_ids int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
    taken int;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('kf_availability_changes_take')) THEN
        RETURN 0;
    END IF;
    WITH gone AS (DELETE FROM availability_changes RETURNING professional_id, changed_at)
    SELECT array_agg(DISTINCT professional_id::text) FILTER (WHERE changed_at > now() - interval '1 minute'),
           count(*)
      INTO ids, taken FROM gone;
    IF cardinality(ids) > max_ids THEN
        PERFORM pg_notify('konfirmado_availability', '*');
    ELSIF cardinality(ids) > 0 THEN
        PERFORM pg_notify('konfirmado_availability', array_to_string(ids, ','));
    END IF;
    RETURN taken;
END $$;

-- The callback claim (mod_kf_callbacks.c) reads each tenant's oldest due deliveries instead of
-- numbering the whole due backlog, whose plan went quadratic on stale statistics after a burst
-- (11 s a claim with 5,700 due). It finds the tenants with pending deliveries and each one's
-- oldest through this index, which replaces the one on next_attempt_at alone.
CREATE INDEX merchant_callbacks_tenant_due ON merchant_callbacks (tenant_id, next_attempt_at, id)
    WHERE status = 'pending';
DROP INDEX merchant_callbacks_due;
