-- 073 the merchant's own ids on links, bookings and package purchases.
--
-- An object of at most 20 keys with string values (the module checks the bounds:
-- lib/requests/kf_metadata.c); a link's is the default of every booking and purchase made
-- through it, and a booking's or purchase's is that merged with its own. It is returned to the
-- merchant and carried by every callback. NULL: none. Erasure clears it with the rest.
-- konfirmado: additive
CREATE DOMAIN kf_metadata AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');
ALTER TABLE booking_links ADD COLUMN metadata kf_metadata;
ALTER TABLE reservations ADD COLUMN metadata kf_metadata;
ALTER TABLE purchases ADD COLUMN metadata kf_metadata;
