-- 083 an approval writes less, and the hourly jobs read what they clear.
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

-- The purge's look for hold leftovers (a hold that ran out without becoming a booking, its
-- token or client address still kept) and the retention's look for bookings given up before
-- being paid, their customer's data still kept, each read the whole bookings table every
-- hour: no index served either. Each has its own now, holding only the rows it looks for (a
-- row leaves it when the job clears it), so a paid booking is in neither and what either
-- reads is what it clears.
CREATE INDEX reservations_hold_leftovers ON reservations (updated_at)
    WHERE status IN ('expired', 'cancelled') AND booking_token_hash IS NULL
      AND (hold_token_hash IS NOT NULL OR client_ip IS NOT NULL);
CREATE INDEX reservations_abandoned ON reservations (updated_at)
    WHERE status IN ('expired', 'failed') AND erased_at IS NULL AND customer_email IS NOT NULL;

-- The figures job's look for a day's refunds (kf_metrics_day: refunded_at in the day) is the
-- only reader of payments_refunded_time, which held every payment, refunded or not: each
-- payment's insert and approval wrote an entry no plan reads. It holds the refunded ones.
DROP INDEX payments_refunded_time;
CREATE INDEX payments_refunded_time ON payments (tenant_id, refunded_at) WHERE refunded_at IS NOT NULL;
