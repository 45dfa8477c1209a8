-- 058 every change of a professional's availability version is also a change notice.
--
-- A calendar's read state and a deadline brought forward bumped the professional's version
-- (031, 041) without recording a change for the listeners (025), so a server could learn of
-- them only by reading the versions, which kept facts did on every request. They record the
-- professional now, as every other write availability reads does: the listeners' next take
-- (every 20 ms) tells every server, whose kept facts and cached answers of that professional
-- are then judged again. Both writes are rare (a calendar read every few minutes, a hold
-- becoming a pending payment), and the row joins the writer's transaction's others in one
-- notification. An older module is told of more changes, never fewer.
-- konfirmado: additive
CREATE OR REPLACE FUNCTION kf_bump_professional_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO availability_changes (professional_id) VALUES (NEW.professional_id);
    PERFORM kf_bump_version(NEW.professional_id);
    RETURN NULL;
END $$;
