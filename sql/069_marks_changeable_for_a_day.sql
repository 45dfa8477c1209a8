-- 069 a mark is not final for a day (API.md "Admin API"): within 24 hours of a booking's mark
-- (completed or no_show, the merchant's or the auto-complete job's) its merchant changes it
-- to the other one or takes it back to the state before it. The mark's moment and that state
-- are its history line (kf_reservation_move writes it); nothing new is stored.
--
-- Not additive: every change of a mark is told to the merchant's server, so a booking may
-- now have booking.completed or booking.no_show more than once, like booking.rescheduled;
-- the unique index that keeps the other events to one per booking gets a new predicate, and
-- the module's ON CONFLICT names it (KFM_SQL_CALLBACK_ONCE). An older module's would match
-- no index: reload right after this migration (docs/operating.md "Upgrades").
DROP INDEX merchant_callbacks_once_per_booking_event;
CREATE UNIQUE INDEX merchant_callbacks_once_per_booking_event ON merchant_callbacks (reservation_id, event)
    WHERE event NOT IN ('booking.rescheduled', 'booking.completed', 'booking.no_show');

-- kf_metrics_day counts a marked appointment as its mark stands now: sql/functions/kf_metrics_day.sql
