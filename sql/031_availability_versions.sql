-- 031 versions of what availability reads, so that a server may keep the facts it read and
-- prove them current with one small read per request (mod_kf_availability_memo.c).
--
-- One row per professional (its reservations and calendar: the rows the triggers of 022/025/
-- 027 already record for other servers' caches) and one for the whole catalog (the nil uuid:
-- services, professionals, hours, exceptions, links, tenants' zones and hosts; those tables'
-- statement triggers already tell every cache '*'). Each write that can change availability
-- sets its owner's row to a new number of one sequence, inside the writer's transaction: the
-- row lock orders two writers of one professional, so a reader that saw version v saw every
-- change committed before v and none after. A statement that reads the facts reads their
-- versions in the same snapshot; a later request whose versions read the same reuses them.
-- Versions only grow and rows are never deleted, so a number is never seen twice.
--
-- The lock is taken in the writer's trigger and held until its commit: two holds of one
-- professional commit one after the other (the exclusion constraint already makes them wait
-- for each other when they overlap). A row naming two professionals (a booking moved from one
-- to another) bumps them in the order of their ids.

CREATE SEQUENCE availability_version_seq;

CREATE TABLE availability_versions (
    owner_id uuid PRIMARY KEY,     -- a professional, or the nil uuid: the catalog
    version bigint NOT NULL
) WITH (fillfactor = 50);          -- room for HOT updates: one row takes every hold's bump

CREATE FUNCTION kf_bump_version(p_owner uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO availability_versions (owner_id, version)
    VALUES (p_owner, nextval('availability_version_seq'))
    ON CONFLICT (owner_id) DO UPDATE SET version = EXCLUDED.version;
END $$;

-- 025's trigger function, plus the versions
CREATE OR REPLACE FUNCTION kf_notify_professional() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO availability_changes (professional_id) VALUES (OLD.professional_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.professional_id IS DISTINCT FROM OLD.professional_id) THEN
        INSERT INTO availability_changes (professional_id) VALUES (NEW.professional_id);
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM kf_bump_version(NEW.professional_id);
    ELSIF TG_OP = 'DELETE' OR NEW.professional_id = OLD.professional_id THEN
        PERFORM kf_bump_version(OLD.professional_id);
    ELSE
        PERFORM kf_bump_version(least(OLD.professional_id, NEW.professional_id));
        PERFORM kf_bump_version(greatest(OLD.professional_id, NEW.professional_id));
    END IF;
    RETURN NULL;
END $$;

-- 022's statement trigger function of the catalog tables, plus the catalog's version
CREATE OR REPLACE FUNCTION kf_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('konfirmado_availability', '*');
    PERFORM kf_bump_version('00000000-0000-0000-0000-000000000000');
    RETURN NULL;
END $$;

-- What availability reads beside what the notifying triggers watch: a calendar's read state
-- (when it was read: its busy times go stale after KonfirmadoCalendarStale; how far they
-- reach; a failed read and its retry) and a reservation's deadline (a hold becoming a pending
-- payment with a shorter window still blocks, but stops blocking earlier). Every calendar
-- read rewrites the first and cached answers bound themselves by time, so no notification:
-- only the version, which kept facts have no other way to learn.
CREATE FUNCTION kf_bump_professional_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kf_bump_version(NEW.professional_id);
    RETURN NULL;
END $$;

CREATE TRIGGER calendar_connections_read_version AFTER UPDATE OF synced_at, sync_error,
    sync_due_at, busy_until ON calendar_connections
    FOR EACH ROW WHEN (OLD.synced_at IS DISTINCT FROM NEW.synced_at
        OR OLD.sync_error IS DISTINCT FROM NEW.sync_error
        OR OLD.sync_due_at IS DISTINCT FROM NEW.sync_due_at
        OR OLD.busy_until IS DISTINCT FROM NEW.busy_until)
    EXECUTE FUNCTION kf_bump_professional_version();

CREATE TRIGGER reservations_deadline_version AFTER UPDATE OF expires_at ON reservations
    FOR EACH ROW WHEN (OLD.expires_at IS DISTINCT FROM NEW.expires_at
        AND OLD.professional_id = NEW.professional_id)
    EXECUTE FUNCTION kf_bump_professional_version();
