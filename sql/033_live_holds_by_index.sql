-- 033 a client address's live holds are counted along their index, whatever the statistics say.
--
-- Every hold counts the live holds of its client address (KonfirmadoActiveHoldLimit). The
-- statement doing it is prepared once per connection and, after five runs, keeps a generic plan
-- built from the statistics of that moment. On a new database, or one whose reservations were
-- few when the connection opened, that plan read the whole table (a sequential scan looked
-- cheaper than reservations_active_holds_by_ip on a page or two), and it kept doing so while a
-- rush of holds grew the table: bench/run's first hold run on a fresh stack spent 30 ms and more
-- on each of 300 such counts, and made 1,156-1,401 holds/s where the next run made 2,509.
--
-- The count now lives in this function, whose own plan is built with sequential scans off: it
-- reads the address's entries of reservations_active_holds_by_ip and nothing else, at any size.
-- (A live hold: status 'held' and not due, as KF_SQL_LIVE_HOLD in mod_kf_sql.h.)

CREATE FUNCTION kf_live_holds(p_client_ip inet, p_limit int, OUT n bigint, OUT ends_in bigint)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
    SELECT count(*), COALESCE(ceil(extract(epoch FROM min(x.expires_at) - now())), 0)::bigint
      INTO n, ends_in
      FROM (SELECT r.expires_at FROM reservations r
             WHERE r.client_ip = p_client_ip AND r.status = 'held'
               AND NOT kf_reservation_due(r.status, r.expires_at)
             ORDER BY r.expires_at LIMIT p_limit) x;
END
$$;
