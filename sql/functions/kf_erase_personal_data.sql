-- The erasure of the personal data of some bookings and purchases of one tenant, the same
-- for every path. p_identity is the address whose own data goes too (its preferences, portal
-- sessions and sign-in links, the mails sent to it about no booking): the address that asked
-- and proved it (the portal), or the one the merchant erased; NULL for the retention and
-- abandoned-booking sweeps, which erase the bookings' own rows only. Nothing is taken because
-- a text in some booking's fields matches it: the values of the erased rows are looked for
-- only inside rows that belong to those bookings and purchases (their mails, texts,
-- callbacks, payments and audit rows). A number's STOP is never touched. Each personal field
-- becomes the tombstone (p_name for a name, p_email for an address, p_phone for a phone; NULL
-- where the column allows it), what was queued for them and not sent is dropped, and the money
-- trail stays: amounts, provider references, dates and statuses. No status is written.
-- Returns how many bookings it erased.
-- The merchant's metadata goes too: it is not to hold personal data, but may.
CREATE OR REPLACE FUNCTION kf_erase_personal_data(p_tenant uuid, p_bookings uuid[], p_purchases uuid[],
                                       p_identity text, p_name text, p_email text, p_phone text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    personal text[];
    customer_addresses text[];
    identity text := lower(nullif(p_identity, ''));
    n integer;
BEGIN
    -- locked in the order the other writers take them (a callback's acknowledgment and a
    -- payment event lock their row, then the booking's), so that none waits on the other
    PERFORM 1 FROM merchant_callbacks WHERE tenant_id = p_tenant
       AND (reservation_id = ANY (p_bookings) OR purchase_id = ANY (p_purchases))
     ORDER BY id FOR UPDATE;
    PERFORM 1 FROM payments WHERE tenant_id = p_tenant
       AND (reservation_id = ANY (p_bookings) OR purchase_id = ANY (p_purchases))
     ORDER BY id FOR UPDATE;
    PERFORM 1 FROM reservations WHERE tenant_id = p_tenant AND id = ANY (p_bookings)
     ORDER BY id FOR UPDATE;
    PERFORM 1 FROM purchases WHERE tenant_id = p_tenant AND id = ANY (p_purchases)
     ORDER BY id FOR UPDATE;

    -- the values being erased, looked for inside the texts of these rows' own mails, texts,
    -- callbacks, payments and audit rows (and nowhere else)
    SELECT coalesce(array_agg(DISTINCT v) FILTER (WHERE v IS NOT NULL), '{}') INTO personal
      FROM (SELECT unnest(ARRAY[customer_name, customer_email, customer_phone]) AS v
              FROM reservations WHERE tenant_id = p_tenant AND id = ANY (p_bookings)
             UNION ALL
            SELECT unnest(ARRAY[customer_name, customer_email, customer_phone])
              FROM purchases WHERE tenant_id = p_tenant AND id = ANY (p_purchases)) vals;
    personal := array_remove(array_remove(array_remove(personal, p_name), p_email), p_phone);
    -- the addresses these bookings were made with: a mail of theirs to one of them was to
    -- the customer (the business's and the professionals' own addresses stay)
    SELECT coalesce(array_agg(DISTINCT lower(customer_email)), '{}') INTO customer_addresses
      FROM reservations WHERE tenant_id = p_tenant AND id = ANY (p_bookings)
       AND customer_email IS NOT NULL;

    -- mails about these bookings, and the identity's own mails about no booking (the
    -- portal's sign-in links, a purchase's mails): queued ones are dropped, the others keep
    -- that they were sent (and when) without whom to or what
    DELETE FROM mail_outbox m
     WHERE m.tenant_id = p_tenant AND m.sent_at IS NULL AND m.failed_at IS NULL
       AND (m.reservation_id = ANY (p_bookings)
            OR (m.reservation_id IS NULL AND lower(m.recipient) = identity));
    UPDATE mail_outbox m
       SET recipient = CASE WHEN lower(m.recipient) = ANY (customer_addresses)
                              OR lower(m.recipient) = identity
                            THEN p_email ELSE m.recipient END,
           subject = kf_erase_text(m.subject, personal, p_name),
           body_text = '', body_html = '', calendar = NULL, calendar_method = NULL,
           list_unsubscribe = NULL,
           last_error = kf_erase_text(m.last_error, personal, p_name)
     WHERE m.tenant_id = p_tenant
       AND (m.reservation_id = ANY (p_bookings)
            OR (m.reservation_id IS NULL AND lower(m.recipient) = identity));
    DELETE FROM message_outbox
     WHERE tenant_id = p_tenant AND reservation_id = ANY (p_bookings) AND status = 'queued';
    UPDATE message_outbox
       SET recipient = coalesce(p_phone, ''), body_sealed = NULL,
           last_error = kf_erase_text(last_error, personal, p_name)
     WHERE tenant_id = p_tenant AND reservation_id = ANY (p_bookings);

    -- what the merchant was told: the signed bodies are the booking's data; one not yet
    -- delivered is not sent any more
    UPDATE merchant_callbacks
       SET body = '{"erased":true}',
           status = CASE status WHEN 'pending' THEN 'failed' ELSE status END,
           last_error = CASE status WHEN 'pending' THEN 'customer data erased' ELSE
                             kf_erase_text(last_error, personal, p_name) END,
           updated_at = now()
     WHERE tenant_id = p_tenant
       AND (reservation_id = ANY (p_bookings) OR purchase_id = ANY (p_purchases));
    UPDATE callback_attempts a SET response_excerpt = NULL,
           error = kf_erase_text(a.error, personal, p_name)
      FROM merchant_callbacks c
     WHERE a.callback_id = c.id AND c.tenant_id = p_tenant
       AND (c.reservation_id = ANY (p_bookings) OR c.purchase_id = ANY (p_purchases));

    -- the provider's events: their figures, references and results stay as columns; the
    -- raw bodies carry the payer's details
    UPDATE payment_events e SET raw_body = '{"erased":true}'
      FROM payments p
     WHERE e.payment_id = p.id AND p.tenant_id = p_tenant
       AND (p.reservation_id = ANY (p_bookings) OR p.purchase_id = ANY (p_purchases));
    -- the checkout address may name the payer; the merchant's notes may quote them
    UPDATE payments
       SET checkout_url = NULL,
           refund_note = kf_erase_text(refund_note, personal, p_name),
           flag_reason = kf_erase_text(flag_reason, personal, p_name),
           dispute_reason = kf_erase_text(dispute_reason, personal, p_name),
           refund_error = kf_erase_text(refund_error, personal, p_name)
     WHERE tenant_id = p_tenant
       AND (reservation_id = ANY (p_bookings) OR purchase_id = ANY (p_purchases));

    -- the funnel keeps its counts, no longer tied to the booking or the visit
    UPDATE funnel_events f SET reservation_id = NULL, visit_id = NULL
     WHERE f.tenant_id = p_tenant
       AND (f.reservation_id = ANY (p_bookings)
            OR f.visit_id IN (SELECT visit_id FROM reservations
                               WHERE tenant_id = p_tenant AND id = ANY (p_bookings)
                                 AND visit_id IS NOT NULL));

    -- the audit rows of these bookings and purchases keep who did what and when, without
    -- the values; every other row stays as it was written
    UPDATE audit_log a
       SET changes = (SELECT coalesce(jsonb_object_agg(k, CASE
                          WHEN kf_erase_text(v::text, personal, p_name) <> v::text
                          THEN to_jsonb(p_name) ELSE v END), '{}'::jsonb)
                        FROM jsonb_each(a.changes) AS e(k, v))
     WHERE a.tenant_id = p_tenant
       AND (a.entity_id = ANY (SELECT unnest(p_bookings)::text)
            OR a.entity_id = ANY (SELECT unnest(p_purchases)::text));

    -- the business's alerts name the last failed delivery's recipient: not once erased
    UPDATE merchant_alerts
       SET detail = kf_erase_text(detail, personal, p_name)
     WHERE tenant_id = p_tenant AND kf_erase_text(detail, personal, p_name) <> detail;

    -- the identity's own portal sign-in links, sessions and preferences: an erased customer
    -- is a stranger again
    IF identity IS NOT NULL THEN
        DELETE FROM customer_sign_in_tokens WHERE tenant_id = p_tenant AND lower(email) = identity;
        DELETE FROM customer_sessions WHERE tenant_id = p_tenant AND lower(email) = identity;
        DELETE FROM customer_preferences WHERE tenant_id = p_tenant AND email = identity;
    END IF;

    -- the rows themselves: a tombstone in the personal fields, the links they held closed
    UPDATE reservations
       SET customer_name = CASE WHEN customer_name IS NULL THEN NULL ELSE p_name END,
           customer_email = NULL, customer_phone = NULL, notes = NULL,
           customer_timezone = NULL, cancel_reason = NULL, client_ip = NULL, visit_id = NULL,
           hold_token_hash = NULL, booking_token_hash = NULL, manage_token_hash = NULL,
           manage_token_sealed = NULL, metadata = NULL, erased_at = now()
     WHERE tenant_id = p_tenant AND id = ANY (p_bookings);
    GET DIAGNOSTICS n = ROW_COUNT;
    UPDATE purchases
       SET customer_name = p_name, customer_email = p_email, customer_phone = p_phone,
           token_sealed = NULL, metadata = NULL,
           token_hash = encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
           erased_at = now()
     WHERE tenant_id = p_tenant AND id = ANY (p_purchases);
    RETURN n;
END $$;
