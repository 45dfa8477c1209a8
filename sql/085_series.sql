-- 085 series (API.md "Series, seats and teams"): a service may be booked as a run of 2..12
-- occurrences, every week, two weeks or month (lib/series/kf_series.h). The rule is one value
-- of the service, {"every", "min", "max", "pay"}, or NULL. Each occurrence is a reservation of
-- its own (its own slot, held, paid, cancelled or moved under the same rules), tied to the
-- series by the first occurrence's id and its place in it; the exclusion constraint keeps
-- each of them from overlapping anything, as any reservation. Nothing older reads these
-- columns, hence additive.
-- konfirmado: additive

ALTER TABLE services
    ADD COLUMN series jsonb CHECK (series IS NULL OR jsonb_typeof(series) = 'object');

ALTER TABLE reservations
    ADD COLUMN series_id uuid,
    ADD COLUMN series_index smallint,
    ADD COLUMN series_count smallint,
    ADD CONSTRAINT reservations_series_place CHECK (
        (series_id IS NULL AND series_index IS NULL AND series_count IS NULL)
        OR (series_count BETWEEN 2 AND 12 AND series_index BETWEEN 1 AND series_count));

-- a series' occurrences, in order
CREATE INDEX reservations_series ON reservations (series_id, series_index)
    WHERE series_id IS NOT NULL;
