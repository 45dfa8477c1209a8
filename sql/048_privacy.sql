-- 048 privacy (docs/privacy.md): what a customer accepted and under which terms, how long a
-- business keeps its customers' personal data, the customers' requests to be erased, and
-- the one erasure every path takes (the merchant's, a confirmed or automatic request, the
-- retention job).

-- The terms a customer accepted: the tenant's terms_url when they accepted, stamped by the
-- database in the statement that records the acceptance, so no path can store one without
-- the other.
ALTER TABLE reservations ADD COLUMN accepted_terms_version text
    CHECK (char_length(accepted_terms_version) <= 2048);
ALTER TABLE purchases ADD COLUMN accepted_terms_version text
    CHECK (char_length(accepted_terms_version) <= 2048);

CREATE FUNCTION kf_stamp_terms_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.accepted_terms_at IS NOT NULL
       AND NEW.accepted_terms_at IS DISTINCT FROM (CASE WHEN TG_OP = 'UPDATE'
                                                     THEN OLD.accepted_terms_at END) THEN
        NEW.accepted_terms_version := (SELECT coalesce(terms_url, '') FROM tenants
                                        WHERE id = NEW.tenant_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER reservations_terms_version BEFORE INSERT OR UPDATE OF accepted_terms_at
    ON reservations FOR EACH ROW EXECUTE FUNCTION kf_stamp_terms_version();
CREATE TRIGGER purchases_terms_version BEFORE INSERT OR UPDATE OF accepted_terms_at
    ON purchases FOR EACH ROW EXECUTE FUNCTION kf_stamp_terms_version();

-- How long personal data is kept after a booking's end, and after how many days a
-- customer's erasure request is carried out without the merchant (0: only when confirmed).
ALTER TABLE tenants
    ADD COLUMN data_retention_months integer NOT NULL DEFAULT 24
        CHECK (data_retention_months BETWEEN 1 AND 120),
    ADD COLUMN erasure_auto_days integer NOT NULL DEFAULT 30
        CHECK (erasure_auto_days BETWEEN 0 AND 365);

-- When a booking's or a purchase's personal data was erased (NULL: never).
ALTER TABLE reservations ADD COLUMN erased_at timestamptz;
ALTER TABLE purchases ADD COLUMN erased_at timestamptz;
-- the retention job's claim: bookings with personal data, by their end
CREATE INDEX reservations_to_erase ON reservations (tenant_id, ends_at)
    WHERE erased_at IS NULL AND customer_email IS NOT NULL;
-- (a customer's bookings by address: reservations_customer_email, made with the portal)
CREATE INDEX purchases_customer_email ON purchases (tenant_id, lower(customer_email));
-- an erasure finds the mails sent to the address among the tenant's
CREATE INDEX mail_outbox_tenant_recipient ON mail_outbox (tenant_id, lower(recipient));

-- A customer's request to be erased: pending until the merchant confirms it or
-- erasure_auto_days pass; once carried out, the address is forgotten and the row says when
-- and how many bookings it erased.
CREATE TABLE erasure_requests (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email            text CHECK (char_length(email) <= 254),
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'erased')),
    requested_at     timestamptz NOT NULL DEFAULT now(),
    erased_at        timestamptz,
    erased_by        text CHECK (erased_by IN ('merchant', 'automatic')),
    erased_bookings  integer CHECK (erased_bookings >= 0),
    CHECK ((status = 'pending') = (email IS NOT NULL)),
    CHECK ((status = 'erased') = (erased_at IS NOT NULL))
);
-- one pending request per address and tenant: asking twice is the same request
CREATE UNIQUE INDEX erasure_requests_pending ON erasure_requests (tenant_id, lower(email))
    WHERE status = 'pending';
CREATE INDEX erasure_requests_tenant ON erasure_requests (tenant_id, requested_at DESC);

-- A text with each of the personal values in it replaced by the tombstone.
CREATE FUNCTION kf_erase_text(p_text text, p_values text[], p_tombstone text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text;
    t text := p_text;
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH v IN ARRAY p_values LOOP
        IF v IS NOT NULL AND char_length(v) >= 2 THEN
            t := regexp_replace(t, regexp_replace(v, '([^[:alnum:] ])', '\\\1', 'g'), p_tombstone, 'gi');
        END IF;
    END LOOP;
    RETURN t;
END $$;

-- The erasure of the personal data of some bookings and purchases of one tenant, the same
-- for every path. Each personal field becomes the tombstone (p_name for a name, p_email for
-- an address, p_phone for a phone; NULL where the column allows it), what was queued for
-- them and not sent is dropped, and the money trail stays: amounts, provider references,
-- dates and statuses. No status is written. Returns how many bookings it erased.
CREATE FUNCTION kf_erase_personal_data(p_tenant uuid, p_bookings uuid[], p_purchases uuid[],
                                       p_name text, p_email text, p_phone text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    personal text[];
    distinctive text[];
    patterns text[];
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

    -- the values being erased: also looked for inside texts that quote them
    SELECT coalesce(array_agg(DISTINCT v) FILTER (WHERE v IS NOT NULL), '{}') INTO personal
      FROM (SELECT unnest(ARRAY[customer_name, customer_email, customer_phone]) AS v
              FROM reservations WHERE tenant_id = p_tenant AND id = ANY (p_bookings)
             UNION ALL
            SELECT unnest(ARRAY[customer_name, customer_email, customer_phone])
              FROM purchases WHERE tenant_id = p_tenant AND id = ANY (p_purchases)) vals;
    personal := array_remove(array_remove(array_remove(personal, p_name), p_email), p_phone);
    -- those looked for in the tenant's whole audit: long enough not to match by chance
    SELECT coalesce(array_agg(v), '{}'), coalesce(array_agg('%' || lower(v) || '%'), '{}')
      INTO distinctive, patterns FROM unnest(personal) v WHERE char_length(v) >= 5;

    -- mails and texts about them or to them: queued ones are dropped, the others keep that
    -- they were sent (and when) without whom to or what
    DELETE FROM mail_outbox m
     WHERE m.tenant_id = p_tenant AND m.sent_at IS NULL AND m.failed_at IS NULL
       AND (m.reservation_id = ANY (p_bookings) OR lower(m.recipient) = ANY
            (SELECT lower(x) FROM unnest(personal) x));
    UPDATE mail_outbox m
       SET recipient = CASE WHEN lower(m.recipient) = ANY (SELECT lower(x) FROM unnest(personal) x)
                            THEN p_email ELSE m.recipient END,
           subject = kf_erase_text(m.subject, personal, p_name),
           body_text = '', body_html = '', calendar = NULL, calendar_method = NULL,
           last_error = kf_erase_text(m.last_error, personal, p_name)
     WHERE m.tenant_id = p_tenant
       AND (m.reservation_id = ANY (p_bookings) OR lower(m.recipient) = ANY
            (SELECT lower(x) FROM unnest(personal) x));
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

    -- the audit keeps who did what and when, without the values
    UPDATE audit_log a
       SET changes = (SELECT coalesce(jsonb_object_agg(k, CASE
                          WHEN kf_erase_text(v::text, personal, p_name) <> v::text
                          THEN to_jsonb(p_name) ELSE v END), '{}'::jsonb)
                        FROM jsonb_each(a.changes) AS e(k, v))
     WHERE a.tenant_id = p_tenant
       AND (a.entity_id = ANY (SELECT unnest(p_bookings)::text)
            OR a.entity_id = ANY (SELECT unnest(p_purchases)::text)
            OR (lower(a.changes::text) LIKE ANY (patterns)
                AND kf_erase_text(a.changes::text, distinctive, p_name) <> a.changes::text));

    -- the portal's sign-in links and sessions, the reminders' preferences and a number's
    -- STOP: they name the customer, and an erased customer is a stranger again
    DELETE FROM customer_sign_in_tokens
     WHERE tenant_id = p_tenant AND lower(email) = ANY (SELECT lower(x) FROM unnest(personal) x);
    DELETE FROM customer_sessions
     WHERE tenant_id = p_tenant AND lower(email) = ANY (SELECT lower(x) FROM unnest(personal) x);
    DELETE FROM customer_preferences
     WHERE tenant_id = p_tenant AND email = ANY (SELECT lower(x) FROM unnest(personal) x);
    DELETE FROM customer_text_opt_outs WHERE tenant_id = p_tenant AND phone = ANY (personal);

    -- the rows themselves: a tombstone in the personal fields, the links they held closed
    UPDATE reservations
       SET customer_name = CASE WHEN customer_name IS NULL THEN NULL ELSE p_name END,
           customer_email = NULL, customer_phone = NULL, notes = NULL,
           customer_timezone = NULL, cancel_reason = NULL, client_ip = NULL, visit_id = NULL,
           hold_token_hash = NULL, booking_token_hash = NULL, manage_token_hash = NULL,
           manage_token_sealed = NULL, erased_at = now()
     WHERE tenant_id = p_tenant AND id = ANY (p_bookings);
    GET DIAGNOSTICS n = ROW_COUNT;
    UPDATE purchases
       SET customer_name = p_name, customer_email = p_email, customer_phone = p_phone,
           token_sealed = NULL,
           token_hash = encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
           erased_at = now()
     WHERE tenant_id = p_tenant AND id = ANY (p_purchases);
    RETURN n;
END $$;
