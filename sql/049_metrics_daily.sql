-- 049 the merchant's figures per day (API.md: GET /api/admin/metrics), kept by the metrics
-- job so that a range of 90 days reads at most 90 rows of each service and professional.
--
-- A day is a date in the tenant's zone: from its midnight to the next one, 23 or 25 hours on
-- a day the clocks change. One row per tenant, day, service and professional (both NULL:
-- what belongs to no booking: views of visits that booked nothing, rate-limit hits, the
-- latencies; a professional alone: a calendar's failures). kf_metrics_day computes a day's
-- rows from the facts; the job (kf_metrics_refresh) replaces the rows of the days touched
-- since its last run for the tenant, and the endpoint reads today from kf_metrics_day itself.

-- What leaves no other trace: the 429s of a tenant's public pages (counted in memory and
-- written in one row per tenant and run), and a calendar's failures to sync or write an
-- event and an OAuth exchange or renewal that failed (one row each).
CREATE TABLE metrics_incidents (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    professional_id  uuid,
    kind             text NOT NULL CHECK (kind IN ('rate_limited', 'calendar_failure',
                                                   'oauth_failure')),
    count            integer NOT NULL DEFAULT 1 CHECK (count > 0),
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX metrics_incidents_tenant_time ON metrics_incidents (tenant_id, at);

CREATE TABLE metrics_daily (
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day                date NOT NULL,
    service_id         uuid,
    professional_id    uuid,
    -- distinct visits, each counted on the day of its first event of the step
    link_viewed        integer NOT NULL DEFAULT 0,
    slot_held          integer NOT NULL DEFAULT 0,
    details_entered    integer NOT NULL DEFAULT 0,
    payment_started    integer NOT NULL DEFAULT 0,
    payment_approved   integer NOT NULL DEFAULT 0,
    assistant_opened   integer NOT NULL DEFAULT 0,
    assistant_answered integer NOT NULL DEFAULT 0,
    assistant_slot_picked integer NOT NULL DEFAULT 0,
    bookings           integer NOT NULL DEFAULT 0,      -- first became paid this day
    lead_hours         real[] NOT NULL DEFAULT '{}',    -- of those: from paid to the start
    revenue            jsonb NOT NULL DEFAULT '{}',     -- currency -> minor units approved
    refunds            jsonb NOT NULL DEFAULT '{}',     -- currency -> minor units given back
    cancelled_customer integer NOT NULL DEFAULT 0,
    cancelled_merchant integer NOT NULL DEFAULT 0,
    cancelled_system   integer NOT NULL DEFAULT 0,      -- refunded at the provider, ...
    rescheduled        integer NOT NULL DEFAULT 0,
    completed          integer NOT NULL DEFAULT 0,
    no_shows           integer NOT NULL DEFAULT 0,
    completed_reminded integer NOT NULL DEFAULT 0,      -- of those, reminded beforehand
    no_shows_reminded  integer NOT NULL DEFAULT 0,
    reminders_sent     integer NOT NULL DEFAULT 0,
    rate_limited       integer NOT NULL DEFAULT 0,
    calendar_failures  integer NOT NULL DEFAULT 0,
    oauth_failures     integer NOT NULL DEFAULT 0,
    webhook_ms         real[] NOT NULL DEFAULT '{}',
    callback_ms        real[] NOT NULL DEFAULT '{}',
    UNIQUE NULLS NOT DISTINCT (tenant_id, day, service_id, professional_id)
);

-- Until when each tenant's rows were computed, and in which zone (absent, or another zone
-- than the tenant's now: the next run computes every day again).
CREATE TABLE metrics_daily_marks (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    through    timestamptz NOT NULL,
    timezone   text NOT NULL
);

-- what the job asks: what changed since a moment
CREATE INDEX reservation_history_time ON reservation_history (created_at);
CREATE INDEX booking_reminders_time ON booking_reminders (sent_at);
CREATE INDEX callback_attempts_time ON callback_attempts (at);
CREATE INDEX funnel_events_visit ON funnel_events (visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX payments_approved_time ON payments (tenant_id, approved_at);
CREATE INDEX payments_refunded_time ON payments (tenant_id, refunded_at);

-- The rows of one tenant's day, computed from the facts.
CREATE FUNCTION kf_metrics_day(p_tenant uuid, p_day date) RETURNS SETOF metrics_daily
LANGUAGE sql STABLE AS $$
WITH rg AS (
    SELECT t.id AS tid, (p_day::timestamp AT TIME ZONE t.timezone) AS lo,
           ((p_day + 1)::timestamp AT TIME ZONE t.timezone) AS hi
    FROM tenants t WHERE t.id = p_tenant),
-- each visit's step on the day of its first event of that step; a visit belongs to the
-- service and professional of the first booking it went on to
ev AS (
    SELECT e.event, e.reservation_id, e.visit_id
    FROM funnel_events e, rg
    WHERE e.tenant_id = rg.tid AND e.created_at >= rg.lo AND e.created_at < rg.hi
      AND NOT EXISTS (
          SELECT 1 FROM funnel_events b
          WHERE b.event = e.event AND b.created_at < rg.lo AND b.tenant_id = rg.tid
            AND ((e.visit_id IS NOT NULL AND b.visit_id = e.visit_id)
                 OR (e.visit_id IS NULL AND e.reservation_id IS NOT NULL
                     AND b.visit_id IS NULL AND b.reservation_id = e.reservation_id)))),
steps AS (
    SELECT ev.event, coalesce(ev.visit_id, ev.reservation_id::text, gen_random_uuid()::text) AS who,
           coalesce(ev.reservation_id, (
               SELECT v.reservation_id FROM funnel_events v, rg
               WHERE v.visit_id = ev.visit_id AND v.tenant_id = rg.tid AND v.reservation_id IS NOT NULL
               ORDER BY v.id LIMIT 1)) AS rid
    FROM ev),
step_rows AS (
    SELECT r.service_id AS svc, r.professional_id AS pro, s.event, count(DISTINCT s.who) AS n
    FROM steps s LEFT JOIN reservations r ON r.id = s.rid
    GROUP BY 1, 2, 3),
hist AS (
    SELECT h.*, r.service_id AS svc, r.professional_id AS pro, r.cancelled_by, r.starts_at
    FROM reservation_history h JOIN reservations r ON r.id = h.reservation_id, rg
    WHERE r.tenant_id = rg.tid AND h.created_at >= rg.lo AND h.created_at < rg.hi),
first_paid AS (
    SELECT DISTINCT ON (h.reservation_id) h.svc, h.pro,
           extract(epoch FROM h.starts_at - h.created_at) / 3600.0 AS lead
    FROM hist h
    WHERE h.to_status = 'paid' AND NOT EXISTS (
        SELECT 1 FROM reservation_history b
        WHERE b.reservation_id = h.reservation_id AND b.to_status = 'paid' AND b.created_at < h.created_at)
    ORDER BY h.reservation_id, h.created_at),
ended AS (
    SELECT DISTINCT ON (h.reservation_id) h.svc, h.pro, h.to_status,
           EXISTS (SELECT 1 FROM booking_reminders m WHERE m.reservation_id = h.reservation_id) AS reminded
    FROM hist h WHERE h.to_status IN ('completed', 'no_show')
    ORDER BY h.reservation_id, h.created_at),
money AS (
    SELECT r.service_id AS svc, r.professional_id AS pro, p.currency,
           sum(p.amount) FILTER (WHERE p.status = 'approved' AND NOT p.refund_needed
                                 AND p.approved_at >= rg.lo AND p.approved_at < rg.hi) AS paid,
           sum(p.refund_amount) FILTER (WHERE p.refund_status IN ('succeeded', 'manual')
                                        AND p.refunded_at >= rg.lo AND p.refunded_at < rg.hi) AS back
    FROM payments p LEFT JOIN reservations r ON r.id = p.reservation_id, rg
    WHERE p.tenant_id = rg.tid
      AND ((p.approved_at >= rg.lo AND p.approved_at < rg.hi)
           OR (p.refunded_at >= rg.lo AND p.refunded_at < rg.hi))
    GROUP BY 1, 2, 3),
facts AS (
    SELECT svc, pro, event, n, NULL::real AS lead, NULL::text AS currency, NULL::bigint AS paid,
           NULL::bigint AS back, NULL::text AS what, NULL::real AS ms
    FROM step_rows
    UNION ALL SELECT svc, pro, 'booking', 1, lead, NULL, NULL, NULL, NULL, NULL FROM first_paid
    UNION ALL SELECT svc, pro, 'money', 0, NULL, currency, paid, back, NULL, NULL FROM money
    UNION ALL
    SELECT svc, pro, 'cancelled_' || coalesce(cancelled_by, 'system'), count(DISTINCT reservation_id),
           NULL, NULL, NULL, NULL, NULL, NULL
    FROM hist WHERE to_status = 'cancelled' AND from_status IN ('paid', 'confirmed') GROUP BY 1, 2, 3
    UNION ALL
    SELECT svc, pro, 'rescheduled', count(*), NULL, NULL, NULL, NULL, NULL, NULL
    FROM hist WHERE reason = 'rescheduled' GROUP BY 1, 2
    UNION ALL
    SELECT svc, pro, to_status || CASE WHEN reminded THEN '_reminded' ELSE '' END, count(*),
           NULL, NULL, NULL, NULL, NULL, NULL FROM ended GROUP BY 1, 2, 3
    UNION ALL
    SELECT r.service_id, r.professional_id, 'reminder', count(*), NULL, NULL, NULL, NULL, NULL, NULL
    FROM booking_reminders m JOIN reservations r ON r.id = m.reservation_id, rg
    WHERE r.tenant_id = rg.tid AND m.sent_at >= rg.lo AND m.sent_at < rg.hi GROUP BY 1, 2
    UNION ALL
    SELECT NULL, i.professional_id, i.kind, sum(i.count), NULL, NULL, NULL, NULL, NULL, NULL
    FROM metrics_incidents i, rg WHERE i.tenant_id = rg.tid AND i.at >= rg.lo AND i.at < rg.hi
    GROUP BY 2, 3
    UNION ALL
    SELECT NULL, NULL, 'webhook', 0, NULL, NULL, NULL, NULL, NULL, e.processing_us / 1000.0
    FROM payment_events e, rg
    WHERE e.tenant_id = rg.tid AND e.source = 'webhook' AND e.processing_us IS NOT NULL
      AND e.received_at >= rg.lo AND e.received_at < rg.hi
    UNION ALL
    SELECT NULL, NULL, 'callback', 0, NULL, NULL, NULL, NULL, NULL, a.latency_ms
    FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id, rg
    WHERE c.tenant_id = rg.tid AND a.at >= rg.lo AND a.at < rg.hi)
SELECT p_tenant, p_day, f.svc, f.pro,
       coalesce(sum(n) FILTER (WHERE event = 'link_viewed'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'slot_held'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'details_entered'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'payment_started'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'payment_approved'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'assistant_opened'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'assistant_answered'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'assistant_slot_picked'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'booking'), 0)::int,
       coalesce(array_agg(lead ORDER BY lead) FILTER (WHERE event = 'booking'), '{}'),
       coalesce(jsonb_object_agg(currency, paid) FILTER (WHERE event = 'money' AND paid IS NOT NULL), '{}'),
       coalesce(jsonb_object_agg(currency, back) FILTER (WHERE event = 'money' AND back IS NOT NULL), '{}'),
       coalesce(sum(n) FILTER (WHERE event = 'cancelled_customer'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'cancelled_merchant'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'cancelled_system'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'rescheduled'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event IN ('completed', 'completed_reminded')), 0)::int,
       coalesce(sum(n) FILTER (WHERE event IN ('no_show', 'no_show_reminded')), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'completed_reminded'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'no_show_reminded'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'reminder'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'rate_limited'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'calendar_failure'), 0)::int,
       coalesce(sum(n) FILTER (WHERE event = 'oauth_failure'), 0)::int,
       coalesce(array_agg(ms ORDER BY ms) FILTER (WHERE event = 'webhook'), '{}'),
       coalesce(array_agg(ms ORDER BY ms) FILTER (WHERE event = 'callback'), '{}')
FROM facts f
GROUP BY f.svc, f.pro
$$;

-- The days of a tenant (its dates) that facts recorded at or after `since` belong to: a
-- booking's change touches every day its figures are counted on (paid, moved, ended, its
-- payments, its visit's steps), a visit's step the days of the visit's earlier steps (their
-- service may now be known).
CREATE FUNCTION kf_metrics_touched(p_tenant uuid, since timestamptz) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
WITH t AS (SELECT id, timezone FROM tenants WHERE id = p_tenant),
res AS (
    SELECT h.reservation_id AS id FROM reservation_history h
      JOIN reservations r ON r.id = h.reservation_id, t
     WHERE h.created_at >= since AND r.tenant_id = t.id
    UNION SELECT p.reservation_id FROM payments p, t
     WHERE p.tenant_id = t.id AND p.approved_at >= since AND p.reservation_id IS NOT NULL
    UNION SELECT p.reservation_id FROM payments p, t
     WHERE p.tenant_id = t.id AND p.refunded_at >= since AND p.reservation_id IS NOT NULL
    UNION SELECT m.reservation_id FROM booking_reminders m
      JOIN reservations r ON r.id = m.reservation_id, t
     WHERE m.sent_at >= since AND r.tenant_id = t.id
    UNION SELECT e.reservation_id FROM funnel_events e, t
     WHERE e.tenant_id = t.id AND e.created_at >= since AND e.reservation_id IS NOT NULL),
visits AS (
    SELECT e.visit_id FROM funnel_events e, t
     WHERE e.tenant_id = t.id AND e.created_at >= since AND e.visit_id IS NOT NULL
    UNION SELECT e.visit_id FROM funnel_events e WHERE e.reservation_id IN (SELECT id FROM res)
       AND e.visit_id IS NOT NULL),
moments AS (
    SELECT h.created_at AS at FROM reservation_history h WHERE h.reservation_id IN (SELECT id FROM res)
    UNION SELECT m.sent_at FROM booking_reminders m WHERE m.reservation_id IN (SELECT id FROM res)
    UNION SELECT unnest(ARRAY[p.approved_at, p.refunded_at]) FROM payments p
     WHERE p.reservation_id IN (SELECT id FROM res)
    UNION SELECT unnest(ARRAY[p.approved_at, p.refunded_at]) FROM payments p, t
     WHERE p.tenant_id = t.id AND p.approved_at >= since
    UNION SELECT unnest(ARRAY[p.approved_at, p.refunded_at]) FROM payments p, t
     WHERE p.tenant_id = t.id AND p.refunded_at >= since
    UNION SELECT e.created_at FROM funnel_events e, t WHERE e.tenant_id = t.id AND e.created_at >= since
    UNION SELECT e.created_at FROM funnel_events e WHERE e.reservation_id IN (SELECT id FROM res)
    UNION SELECT e.created_at FROM funnel_events e WHERE e.visit_id IN (SELECT visit_id FROM visits)
    UNION SELECT i.at FROM metrics_incidents i, t WHERE i.tenant_id = t.id AND i.at >= since
    UNION SELECT e.received_at FROM payment_events e, t WHERE e.tenant_id = t.id AND e.received_at >= since
    UNION SELECT a.at FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id, t
     WHERE a.at >= since AND c.tenant_id = t.id)
SELECT DISTINCT (m.at AT TIME ZONE t.timezone)::date FROM moments m, t WHERE m.at IS NOT NULL
$$;

-- One run of the job for one tenant, in the caller's transaction: the days touched since
-- the tenant's mark (less `slack`, for transactions that committed late) are computed again
-- and the mark moves to `upto` (the run's start). Returns how many days were computed.
CREATE FUNCTION kf_metrics_refresh(p_tenant uuid, upto timestamptz, slack interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    since timestamptz;
    zone text;
    days date[];
BEGIN
    -- one run per tenant at a time, whichever server runs it (a tenant without a mark has
    -- no row to lock yet)
    PERFORM pg_advisory_xact_lock(hashtext('kf_metrics_refresh'), hashtext(p_tenant::text));
    SELECT timezone INTO zone FROM tenants WHERE id = p_tenant;
    SELECT m.through - slack INTO since FROM metrics_daily_marks m
     WHERE m.tenant_id = p_tenant AND m.timezone = zone;
    IF since IS NULL THEN
        -- never computed, or in another zone: its days were other days
        DELETE FROM metrics_daily WHERE tenant_id = p_tenant;
    END IF;
    days := ARRAY(SELECT kf_metrics_touched(p_tenant, coalesce(since, '-infinity')));
    DELETE FROM metrics_daily WHERE tenant_id = p_tenant AND day = ANY (days);
    INSERT INTO metrics_daily SELECT d.* FROM unnest(days) AS u(day), kf_metrics_day(p_tenant, u.day) d;
    INSERT INTO metrics_daily_marks (tenant_id, through, timezone) VALUES (p_tenant, upto, zone)
        ON CONFLICT (tenant_id) DO UPDATE SET through = excluded.through, timezone = excluded.timezone;
    RETURN cardinality(days);
END
$$;
