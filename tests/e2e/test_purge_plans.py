"""The hourly purge's look for hold leftovers and the retention's look for abandoned bookings
read what they clear, not the bookings table (sql/083): a database of a year of bookings holds
hundreds of thousands of past ones, and either look ran over all of them every hour. Counted in
the rows each plan reads from reservations, not in time."""
import json

from conftest import psql, statement_with
from test_hold_plans import CATALOG, RESERVATIONS, print_sql, quiet_db  # noqa: F401 (fixtures)


def reservation_rows_read(plan):
    """The rows a plan (EXPLAIN ANALYZE, JSON) read from reservations: kept and filtered out,
    and whether any node read the whole table."""
    rows, whole = 0, False
    stack = [plan]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == "reservations":
            loops = node.get("Actual Loops", 1)
            rows += (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
            whole = whole or node["Node Type"] == "Seq Scan"
        stack.extend(node.get("Plans", []))
    return rows, whole


def past_bookings(run):
    """A year's worth of the table's usual rows: 20,000 bookings paid and gone by (with their
    customers' addresses), 5,000 holds that expired and were purged already, all untouched
    for weeks."""
    run(CATALOG)
    run(RESERVATIONS.format(status="'completed'", expires="NULL", net=1, pro="busy", n=20000, days=-300)
        + ";" + RESERVATIONS.format(status="'expired'", expires="now() - interval '60 days'", net=2,
                                   pro="busy", n=5000, days=-60))
    run("UPDATE reservations SET customer_email = 'cliente@example.com', customer_name = 'Cliente',"
        "   updated_at = now() - interval '60 days' WHERE status = 'completed';"
        " UPDATE reservations SET client_ip = NULL, updated_at = now() - interval '59 days'"
        "   WHERE status = 'expired'")


def test_the_purge_finds_hold_leftovers_without_reading_the_bookings(quiet_db, print_sql):  # noqa: F811
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    past_bookings(run)
    # three holds that ran out two days ago, their token and address still kept
    run(RESERVATIONS.format(status="'expired'", expires="now() - interval '2 days'", net=3,
                            pro="judged", n=3, days=-2)
        + "; UPDATE reservations SET hold_token_hash = encode(sha256(id::text::bytea), 'hex'), updated_at = now() - interval '2 days'"
          " WHERE client_ip << '10.3.0.0/16'::inet")
    run("VACUUM ANALYZE reservations")
    plan = json.loads(run("EXPLAIN (ANALYZE, FORMAT JSON) " + print_sql("purge_hold_leftovers")))[0]["Plan"]
    read, whole = reservation_rows_read(plan)
    assert not whole and read <= 10, "the purge read %d rows of reservations (whole table: %s)" % (read, whole)
    # and it cleared them
    assert run("SELECT count(*) FROM reservations WHERE hold_token_hash IS NOT NULL OR client_ip IS NOT NULL"
               "  AND status = 'expired'") == "0"


def test_the_retention_finds_abandoned_bookings_without_reading_the_bookings(quiet_db, print_sql):  # noqa: F811
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    past_bookings(run)
    # three bookings given up before paying, forty days ago, their customer's data still kept
    run(RESERVATIONS.format(status="'expired'", expires="now() - interval '40 days'", net=3,
                            pro="judged", n=3, days=-40)
        + "; UPDATE reservations SET customer_email = 'se.fue@example.com', customer_name = 'Se Fue',"
          "   updated_at = now() - interval '40 days' WHERE client_ip << '10.3.0.0/16'::inet")
    run("VACUUM ANALYZE reservations")
    # kf_privacy_abandoned_erase's arguments: the cutoff (30 days), the tombstones
    erase = statement_with(print_sql("abandoned_erase"), [
        run("SELECT now() - interval '30 days'"), "Persona eliminada", "eliminado@invalid", ""])
    plan = json.loads(run("EXPLAIN (ANALYZE, FORMAT JSON) " + erase))[0]["Plan"]
    read, whole = reservation_rows_read(plan)
    assert not whole and read <= 10, "the retention read %d rows of reservations (whole table: %s)" % (read, whole)
    assert run("SELECT count(*) FROM reservations WHERE customer_email = 'se.fue@example.com'") == "0"
