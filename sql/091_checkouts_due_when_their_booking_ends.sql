-- 091 the checkouts job reads only the checkouts it has to end.
--
-- The job ends at the provider a checkout that can still be paid though its booking expired
-- or failed. Its index held every open checkout (072), the ones customers are paying now
-- among them, and each run walked all of those to their bookings to find the few that ended:
-- with tens of thousands of checkouts open, a run read each of them every second. A booking
-- that runs out or fails now makes its checkout due (checkout_close_next_at, set by
-- kf_reservation_move), and the index holds only due checkouts. The ones whose booking ended
-- before this migration are made due here. An older module's claim finds the same checkouts
-- without this index until Apache reloads with this one.
-- konfirmado: additive
UPDATE payments p SET checkout_close_next_at = now()
  FROM reservations r
 WHERE r.id = p.reservation_id AND r.status IN ('expired', 'failed')
   AND p.status = 'pending' AND p.checkout_closed_at IS NULL
   AND p.provider_checkout_id IS NOT NULL AND p.checkout_close_next_at IS NULL;

DROP INDEX payments_checkout_to_close;
CREATE INDEX payments_checkout_to_close ON payments (checkout_close_next_at)
    WHERE status = 'pending' AND checkout_closed_at IS NULL AND provider_checkout_id IS NOT NULL
      AND checkout_close_next_at IS NOT NULL;
