-- 050 the booking assistant's steps in the funnel: the page opened, a question answered with
-- slots offered, and a slot the customer picked from them (the hold that follows is the
-- wizard's, counted as slot_held). Counted per visit like the wizard's steps.
ALTER TABLE funnel_events DROP CONSTRAINT funnel_events_event_check;
ALTER TABLE funnel_events ADD CONSTRAINT funnel_events_event_check
    CHECK (event IN ('link_viewed', 'slot_held', 'details_entered', 'payment_started',
                     'payment_approved', 'assistant_opened', 'assistant_answered',
                     'assistant_slot_picked'));
