-- 026 one GiST index on the professionals' active reservations instead of two.
--
-- Migration 004 created reservations_professional_active (professional_id, blocked) for the
-- availability reads, beside the exclusion constraint's own index on the same columns with
-- the same predicate (active states). The planner reads either (the availability and hold
-- statements already chose the constraint's), so the second one only cost every hold, move
-- and status change a GiST insertion, the most expensive of the twelve index writes of a
-- reservation.

DROP INDEX IF EXISTS reservations_professional_active;
