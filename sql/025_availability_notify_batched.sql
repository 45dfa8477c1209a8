-- 025 other servers' caches told in batches, not by every reservation's commit.
--
-- Migration 022 had every reservation write send pg_notify in its own transaction. PostgreSQL
-- serializes the commits of transactions that notified (one lock on the notification queue
-- from before the commit record until the end), so 200 concurrent holds or webhooks queued
-- behind each other: a quarter of the hold rate (README "Performance"). Now a reservation's
-- or a calendar's write only records its professional in an unlogged table, with no lock
-- beyond its own row; each server's listener (mod_kf_availability_notify.c) empties the table
-- every few milliseconds and sends ONE notification naming the professionals it took
-- (comma-separated, or '*' when there are too many), so a write is heard everywhere within
-- tens of milliseconds, whoever made it (the module, a job, an edit by hand). Catalog and
-- tenant edits are rare and keep notifying '*' at once (022).
--
-- Unlogged: after a crash the table is empty, and every listener bumps everything when it
-- connects again anyway. Rows nobody took within a minute (no server listening) are dropped
-- by the listeners' next run and by kf_availability_changes_take itself.

CREATE UNLOGGED TABLE availability_changes (
    professional_id uuid NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION kf_notify_professional() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO availability_changes (professional_id) VALUES (OLD.professional_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.professional_id IS DISTINCT FROM OLD.professional_id) THEN
        INSERT INTO availability_changes (professional_id) VALUES (NEW.professional_id);
    END IF;
    RETURN NULL;
END $$;

-- Takes every committed change (rows other listeners took meanwhile are skipped) and notifies
-- their professionals in one notification; returns how many changes it took. max_ids: above
-- that many distinct professionals the notification says '*' (a payload stays far below
-- PostgreSQL's 8,000 bytes).
CREATE FUNCTION kf_availability_changes_take(max_ids int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
    taken int;
BEGIN
    WITH gone AS (
        DELETE FROM availability_changes c
        WHERE c.ctid = ANY (ARRAY(SELECT ctid FROM availability_changes FOR UPDATE SKIP LOCKED))
        RETURNING c.professional_id, c.changed_at)
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
