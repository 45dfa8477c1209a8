-- 081 who takes a booking made for "any professional" through a link (API.md "Series, seats
-- and teams": the link's `assign`): the free professional with the fewest bookings made this
-- week (least_booked, the default), or the one furthest below its share of the merchant's
-- weights (weights). The rule is lib/holds/kf_assign.c; the weights' bounds are checked by
-- lib/catalog/kf_link_assign.c. assign_weights: {"<professional id>": 1..100}, NULL: none.
-- konfirmado: additive
ALTER TABLE booking_links
    ADD COLUMN assign text NOT NULL DEFAULT 'least_booked'
        CHECK (assign IN ('least_booked', 'weights')),
    ADD COLUMN assign_weights jsonb CHECK (jsonb_typeof(assign_weights) = 'object');
-- the week's bookings of each free professional, counted at every "any" hold
CREATE INDEX reservations_professional_created ON reservations (professional_id, created_at);
