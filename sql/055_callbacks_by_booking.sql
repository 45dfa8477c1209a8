-- 055 a booking's callbacks found by one index: deleting a booking (a business that leaves,
-- retention, an erasure) removes its callbacks through their foreign key, and that look-up
-- could use neither partial index on reservation_id, so it read the whole table once per
-- booking (a business with 40,000 bookings took minutes to delete, holding its locks).
-- konfirmado: additive
CREATE INDEX merchant_callbacks_by_booking ON merchant_callbacks (reservation_id);
-- the rescheduled notices of a booking are found by the full index as well
DROP INDEX merchant_callbacks_of_booking;
