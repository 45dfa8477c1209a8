-- 056 deleting many bookings tells their professionals once per statement, not once per
-- row. Each row's bump updated the same version row again inside one transaction, and every
-- update walked the chain of that row's versions the transaction had left so far: deleting a
-- professional's n bookings at once (a business that leaves, retention) took time in n².
-- Inserts and updates stay per row (one booking at a time, with the update's WHEN).
-- konfirmado: additive
CREATE FUNCTION kf_notify_professionals_of_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    p uuid;
BEGIN
    INSERT INTO availability_changes (professional_id)
    SELECT DISTINCT professional_id FROM deleted_bookings;
    -- in one order, as the row trigger takes two professionals, so two deletes never wait
    -- on each other's version rows crosswise
    FOR p IN SELECT DISTINCT professional_id FROM deleted_bookings ORDER BY 1 LOOP
        PERFORM kf_bump_version(p);
    END LOOP;
    RETURN NULL;
END $$;

DROP TRIGGER reservations_notify ON reservations;
CREATE TRIGGER reservations_notify AFTER INSERT ON reservations
    FOR EACH ROW EXECUTE FUNCTION kf_notify_professional();
CREATE TRIGGER reservations_notify_deleted AFTER DELETE ON reservations
    REFERENCING OLD TABLE AS deleted_bookings
    FOR EACH STATEMENT EXECUTE FUNCTION kf_notify_professionals_of_deleted();
