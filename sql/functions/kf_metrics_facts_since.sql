-- Whether a fact recorded at or after `since` touches a source of a business's figures: the
-- facts kf_metrics_keys starts from (a booking's history, reminders and funnel steps, a
-- payment approved, refunded or flagged, a webhook's event, a callback's attempt, an
-- incident; the rest of its keys are reached from these), each found by its business's index
-- by time, the first found enough. tests/e2e/test_metrics_due.py holds the two together.
CREATE OR REPLACE FUNCTION kf_metrics_facts_since(p_tenant uuid, since timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
SELECT EXISTS (SELECT 1 FROM reservation_history h WHERE h.tenant_id = p_tenant AND h.created_at >= since)
    OR EXISTS (SELECT 1 FROM booking_reminders m WHERE m.tenant_id = p_tenant AND m.sent_at >= since)
    OR EXISTS (SELECT 1 FROM funnel_events e WHERE e.tenant_id = p_tenant AND e.created_at >= since)
    OR EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = p_tenant AND p.approved_at >= since)
    OR EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = p_tenant AND p.refunded_at >= since)
    OR EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = p_tenant AND (p.refund_needed OR p.mismatch)
                  AND p.updated_at >= since)
    OR EXISTS (SELECT 1 FROM payment_events e WHERE e.tenant_id = p_tenant AND e.received_at >= since)
    OR EXISTS (SELECT 1 FROM callback_attempts a WHERE a.tenant_id = p_tenant AND a.at >= since)
    OR EXISTS (SELECT 1 FROM metrics_incidents i WHERE i.tenant_id = p_tenant AND i.at >= since)
$$;
