-- 001 foundation: database-wide settings the module relies on.
-- The bookkeeping table kf_schema_migrations is created by tools/konfirmado-migrate itself,
-- since it must exist before the first migration runs.

-- Every connection of the module also runs SET TIME ZONE 'UTC' (DBDInitSQL); making it the
-- database default too keeps psql sessions and ad-hoc jobs consistent with the module.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
END
$$;
