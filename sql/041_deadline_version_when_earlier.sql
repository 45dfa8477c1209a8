-- 041 a reservation's deadline bumps its professional's version only when it comes earlier.
--
-- Kept facts (031, mod_kf_availability_facts.c) are bounded by every deadline they read: they
-- are read again when the first of them passes. A deadline that goes away (a booking becoming
-- paid) or moves later changes nothing those facts answer before that bound, and at the
-- bound they are read again anyway; only a deadline that appears or moves earlier makes a
-- slot free sooner than they say. The trigger of 031 fired on every change, so each approval
-- (pending_payment -> paid clears the deadline) bumped the professional's version row and
-- held its lock until commit: one professional's approvals committed one at a time, each
-- waiting for the others' mails and callbacks to be queued.

DROP TRIGGER reservations_deadline_version ON reservations;

CREATE TRIGGER reservations_deadline_version AFTER UPDATE OF expires_at ON reservations
    FOR EACH ROW WHEN (NEW.expires_at IS NOT NULL
        AND (OLD.expires_at IS NULL OR NEW.expires_at < OLD.expires_at)
        AND OLD.professional_id = NEW.professional_id)
    EXECUTE FUNCTION kf_bump_professional_version();
