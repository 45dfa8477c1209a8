-- 022 several servers, one database (DESIGN.md "Scaling out"): every write that can change
-- availability notifies channel konfirmado_availability, delivered when its transaction commits;
-- each server's listener (mod_kf_availability_notify.c) bumps its cached answers at once.
-- The payload is the professional whose slots changed, or '*' when anything might have
-- (catalog edits, a tenant's zone). PostgreSQL folds identical
-- notifications of one transaction into one.

-- a row of reservations or calendar_connections: its professional (before and after a move)
CREATE FUNCTION kf_notify_professional() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('konfirmado_availability', OLD.professional_id::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('konfirmado_availability', NEW.professional_id::text);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reservations_notify AFTER INSERT OR DELETE OR UPDATE OF status, starts_at,
    ends_at, blocked, expires_at, professional_id ON reservations
    FOR EACH ROW EXECUTE FUNCTION kf_notify_professional();

CREATE FUNCTION kf_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('konfirmado_availability', '*');
    RETURN NULL;
END $$;

CREATE TRIGGER services_notify AFTER INSERT OR UPDATE OR DELETE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
CREATE TRIGGER professionals_notify AFTER INSERT OR UPDATE OR DELETE ON professionals
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
CREATE TRIGGER professional_hours_notify AFTER INSERT OR UPDATE OR DELETE ON professional_hours
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
CREATE TRIGGER professional_exceptions_notify AFTER INSERT OR UPDATE OR DELETE
    ON professional_exceptions FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
CREATE TRIGGER service_professionals_notify AFTER INSERT OR UPDATE OR DELETE
    ON service_professionals FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
CREATE TRIGGER booking_links_notify AFTER INSERT OR UPDATE OR DELETE ON booking_links
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
CREATE TRIGGER tenants_notify AFTER UPDATE OF timezone, subdomain, custom_domain ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_all();
-- a calendar's busy times: only when they changed (every read rewrites the row)
CREATE TRIGGER calendar_connections_notify AFTER INSERT OR DELETE ON calendar_connections
    FOR EACH ROW EXECUTE FUNCTION kf_notify_professional();
CREATE TRIGGER calendar_connections_busy_notify AFTER UPDATE OF busy, status ON calendar_connections
    FOR EACH ROW WHEN (OLD.busy IS DISTINCT FROM NEW.busy OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION kf_notify_professional();
