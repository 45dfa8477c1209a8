-- 074 what expiring does is the state machine's: kf_expire_due takes its moves.
-- kf_expire_due (040) wrote the expire transition again in SQL (held -> expired with
-- hold_expired, pending_payment -> expired with payment_window_passed) beside the state
-- machine's own (lib/bookings/kf_reservation.c), which the glue runs when it expires a
-- booking itself (paying again). It now lives in sql/functions/kf_expire_due.sql and takes
-- the machine's moves as an argument; the function of three arguments goes, so that no
-- statement can reach the old copy. Not additive: an older module calls that one.
DROP FUNCTION kf_expire_due(uuid, tstzrange, integer);
