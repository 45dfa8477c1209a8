-- 082 an approval writes less.
--
-- A booking's funnel step is written by its move: kf_reservation_move and
-- kf_reservation_must_move (040, 062) now live in sql/functions and take the funnel's event as
-- a last argument, so an approval writes its status, history line and funnel step in one
-- statement instead of two (the second reading the booking again). The functions of eight
-- arguments go, so that no statement can reach the old copies. Not additive: between this
-- file and the functions' there is no status writer (an older module's calls, of eight
-- arguments, reach the new functions once they are there).
DROP FUNCTION kf_reservation_must_move(uuid, text, text, text, text, timestamptz, text, text);
DROP FUNCTION kf_reservation_move(uuid, text, text, text, text, timestamptz, text, text);

