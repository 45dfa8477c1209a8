-- 088 the figures job adds to a day's sums what changed, instead of computing the day again.
--
-- kf_metrics_refresh computed every touched day of a business whole (kf_metrics_day): a day
-- of 79,000 bookings took seconds, every minute, and the dashboard computed today whole on
-- each request. Now every source of the figures (a booking, a visit, a payment, a funnel step
-- of no visit or booking, a webhook's event, a callback's attempt, an incident) keeps what it
-- adds to which day and row (metrics_parts: its parts, as kf_metrics_parts computes them from
-- the source as it stands). A refresh computes the parts of the sources touched since its
-- window's start, and for those whose parts differ from the kept ones adds the difference to
-- the rows it falls on (kf_metrics_rows_after) and keeps the new parts. Replacing a source's
-- parts, never adding them, is what keeps the sums exact: a source read twice (the window
-- overlaps the last one) changes nothing, and a fact that committed late is counted once,
-- whenever its window reads it. The window starts at the last refresh, or earlier at the
-- start of the oldest transaction then open, less a margin for facts dated before their
-- transaction began (metrics_daily_marks.reread_from). kf_metrics_day stays the definition:
-- the sums are what it computes for each day.
-- konfirmado: additive
--
-- kf_metrics_refresh has one form now (sql/functions), its run's share optional: the forms of
-- 057 and 061 go. The module's call (the business, its run's start, the margin, the shared
-- read's start and run) reaches it the same; between this file and the functions' the job
-- has no refresh, and the run that meets that leaves its businesses to the next one.
DROP FUNCTION kf_metrics_refresh(uuid, timestamptz, interval);
DROP FUNCTION kf_metrics_refresh(uuid, timestamptz, interval, timestamptz, uuid[], timestamptz[]);
DROP FUNCTION kf_metrics_refresh(uuid, timestamptz, interval, timestamptz, uuid);

-- A source's part of a day's row: `what` is one of kf_metrics_day's facts (a funnel step, a
-- booking with its lead time in v, a cancellation, a mark, a reminder, an incident, a
-- latency in v, 'revenue:CUR' or 'refunds:CUR' with the amount in n, 'payment' for a payment
-- that adds no amount but shows the row). The row's service and professional are the nil
-- uuid for none, so the rows' parts are found by their index. A row exists while it has parts.
CREATE TABLE metrics_parts (
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key              text NOT NULL,   -- b:booking, v:visit, p:payment, f:funnel event, w:payment event, a:attempt, i:incident
    day              date NOT NULL,
    service_id       uuid NOT NULL,
    professional_id  uuid NOT NULL,
    what             text NOT NULL,
    n                bigint NOT NULL,
    v                real
);
-- a source's parts by its key alone (the business a filter: a plan that also read the
-- business's entries of an index would read all its parts)
CREATE INDEX metrics_parts_source ON metrics_parts (key);
CREATE INDEX metrics_parts_row ON metrics_parts (tenant_id, day, service_id, professional_id, what);

-- Where the next refresh's window starts (NULL: a mark written before the parts were kept;
-- the next refresh computes the business's parts and days from every fact).
ALTER TABLE metrics_daily_marks ADD COLUMN reread_from timestamptz;

-- A change of a row's amount in one currency: by how much, and whether a part still gives
-- the currency (kf_metrics_amounts_after).
CREATE TYPE kf_metrics_amount_change AS (currency text, delta numeric, stays boolean);

-- The callback attempts of a run's window, by business: read once for the batch with the
-- rest of its shared read (sql/061), and taken by each business's refresh (NULL: a share
-- staged by a module of the previous version; the refresh reads them itself).
ALTER TABLE metrics_shared_shares ADD COLUMN attempts bigint[];
