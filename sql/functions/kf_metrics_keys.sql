-- The sources of a business's figures touched by a fact recorded at or after `since`
-- (sql/088): a booking whose history, reminders, payments or funnel steps changed; a visit
-- with a new step or a step of such a booking (its service may have changed); a payment
-- approved, refunded or flagged; a funnel step of no visit nor booking; a webhook's event; a
-- callback's attempt; an incident. `p_bookings`: the bookings whose history or reminders
-- changed, and `p_attempts`, the callbacks' attempts, when the job's shared read found them
-- (sql/061, sql/088); NULL: read here, the business's own (sql/090). A source's rows are found
-- by its own index: where that index is by time alone, the business is a filter there (IS NOT
-- DISTINCT FROM is no index's condition), lest the plan read all the business's rows of its
-- index too.
CREATE OR REPLACE FUNCTION kf_metrics_keys(p_tenant uuid, since timestamptz, p_bookings uuid[],
                                           p_attempts bigint[])
RETURNS TABLE (bookings uuid[], visits text[], payments uuid[], events bigint[], webhooks bigint[],
               attempts bigint[], incidents bigint[])
LANGUAGE sql STABLE AS $$
WITH paid AS (
    SELECT p.id, p.reservation_id FROM payments p
     WHERE p.tenant_id = p_tenant AND p.approved_at >= since
    UNION SELECT p.id, p.reservation_id FROM payments p
     WHERE p.tenant_id = p_tenant AND p.refunded_at >= since
    -- flagged for a refund later (a purchase's payment has no booking to touch)
    UNION SELECT p.id, p.reservation_id FROM payments p
     WHERE p.tenant_id = p_tenant AND (p.refund_needed OR p.mismatch) AND p.updated_at >= since),
b AS (
    SELECT unnest(p_bookings) AS id WHERE p_bookings IS NOT NULL
    UNION SELECT h.reservation_id FROM reservation_history h
     WHERE p_bookings IS NULL AND h.tenant_id = p_tenant AND h.created_at >= since
    UNION SELECT m.reservation_id FROM booking_reminders m
     WHERE p_bookings IS NULL AND m.tenant_id = p_tenant AND m.sent_at >= since
    UNION SELECT paid.reservation_id FROM paid WHERE paid.reservation_id IS NOT NULL
    UNION SELECT e.reservation_id FROM funnel_events e
     WHERE e.tenant_id = p_tenant AND e.created_at >= since AND e.reservation_id IS NOT NULL),
v AS (
    SELECT e.visit_id FROM funnel_events e
     WHERE e.tenant_id = p_tenant AND e.created_at >= since AND e.visit_id IS NOT NULL
    UNION SELECT e.visit_id FROM funnel_events e
     WHERE e.reservation_id = ANY (ARRAY(SELECT id FROM b)) AND e.tenant_id IS NOT DISTINCT FROM p_tenant
       AND e.visit_id IS NOT NULL),
p AS (
    SELECT paid.id FROM paid
    UNION SELECT p.id FROM payments p
     WHERE p.reservation_id = ANY (ARRAY(SELECT id FROM b)) AND p.tenant_id IS NOT DISTINCT FROM p_tenant)
SELECT ARRAY(SELECT id FROM b WHERE id IS NOT NULL),
       ARRAY(SELECT visit_id FROM v),
       ARRAY(SELECT id FROM p),
       ARRAY(SELECT e.id FROM funnel_events e
              WHERE e.tenant_id = p_tenant AND e.created_at >= since
                AND e.visit_id IS NULL AND e.reservation_id IS NULL),
       ARRAY(SELECT e.id FROM payment_events e WHERE e.tenant_id = p_tenant AND e.received_at >= since),
       coalesce(p_attempts,
                ARRAY(SELECT a.id FROM callback_attempts a WHERE a.tenant_id = p_tenant AND a.at >= since)),
       ARRAY(SELECT i.id FROM metrics_incidents i WHERE i.tenant_id = p_tenant AND i.at >= since)
$$;
