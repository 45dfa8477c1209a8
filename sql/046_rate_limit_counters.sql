-- 046 the attempt counters in PostgreSQL (KonfirmadoRateLimitCache postgres): one row per
-- counter key (lib/net/kf_ratelimit.c names them; no address or email in clear), shared by
-- every child of every server on this database. The window arithmetic stays in the module:
-- a request locks its rows (INSERT ... ON CONFLICT DO UPDATE), reads them, and writes the
-- new counts in the same transaction. UNLOGGED: counts lost in a crash only give a few
-- attempts back, and no write-ahead log is spent on every public read. Rows whose window
-- ended are deleted by the purge job. A fact kept for a while (a host name no tenant has)
-- is a row whose count is 1 until expires_at.
CREATE UNLOGGED TABLE rate_limit_counters (
    key        text PRIMARY KEY,
    started    bigint NOT NULL,    -- unix seconds of the window's first attempt; 0: empty
    count      integer NOT NULL CHECK (count >= 0),
    expires_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_counters_expiry ON rate_limit_counters (expires_at);
