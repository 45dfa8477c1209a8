-- A booking's status has one writer (040): a compare-and-set from the state the caller read,
-- the reason, the deadline (kept only by the states that run out: held, pending_payment) and
-- the history line, together. p_status_reason is what the row shows as the reason for its
-- state (NULL for a confirmed booking: the merchant's acknowledgement is history, not a
-- reason); p_reason is the history's. A move to the same state (a reschedule, a late approval
-- failing again) keeps the row's reason unless it gives one. A booking becoming paid may carry
-- the token of its mails' link (p_manage_hash, p_manage_sealed: kept when it has one already),
-- and the step of the booking funnel the move is (p_funnel_event, with the booking's link and
-- visit), written with it: one write of the row and one statement per approval, not three.
-- A booking that ran out or failed makes its payment's open checkout due to be ended at the
-- provider (the checkouts job, mod_kf_expiry.c): only such checkouts are in that job's index,
-- not every checkout still being paid.
CREATE OR REPLACE FUNCTION kf_reservation_move(p_id uuid, p_from text, p_to text, p_reason text,
                                               p_status_reason text, p_deadline timestamptz,
                                               p_manage_hash text DEFAULT NULL,
                                               p_manage_sealed text DEFAULT NULL,
                                               p_funnel_event text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    moved_tenant uuid;
    moved_link uuid;
    moved_visit text;
BEGIN
    UPDATE reservations
       SET status = p_to, updated_at = now(),
           status_reason = CASE WHEN p_from = p_to THEN coalesce(p_status_reason, status_reason)
                                ELSE p_status_reason END,
           expires_at = CASE WHEN p_from = p_to THEN expires_at
                             WHEN kf_reservation_deadline(p_to, 'infinity') IS NOT NULL
                             THEN coalesce(p_deadline, expires_at) END,
           manage_token_hash = CASE WHEN manage_token_sealed IS NULL AND p_manage_hash IS NOT NULL
                                    THEN p_manage_hash ELSE manage_token_hash END,
           manage_token_sealed = coalesce(manage_token_sealed, p_manage_sealed)
     WHERE id = p_id AND status = p_from
    RETURNING tenant_id, link_id, visit_id INTO moved_tenant, moved_link, moved_visit;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason)
    VALUES (p_id, moved_tenant, p_from, p_to, p_reason);
    IF p_funnel_event IS NOT NULL THEN
        INSERT INTO funnel_events (tenant_id, link_id, reservation_id, event, visit_id)
        VALUES (moved_tenant, moved_link, p_id, p_funnel_event, moved_visit);
    END IF;
    IF p_to IN ('expired', 'failed') AND p_from <> p_to THEN
        UPDATE payments SET checkout_close_next_at = now()
         WHERE reservation_id = p_id AND status = 'pending' AND checkout_closed_at IS NULL
           AND provider_checkout_id IS NOT NULL AND checkout_close_next_at IS NULL;
    END IF;
    RETURN true;
END
$$;
