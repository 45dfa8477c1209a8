"""The mail and callback jobs' choices of what is due read what they take, not the whole
queue, with a plan made while the queue looked empty (its statistics say so most of the time,
and a connection keeps its plan) and read after a burst: a class's reminders, an import, a
night's confirmations. Counted in the rows the plan reads, not in time."""
import json
import re

from conftest import psql, statement_with
from test_hold_plans import CATALOG, RESERVATIONS, print_sql, quiet_db  # noqa: F401 (fixtures)

BURST = 400         # bookings, each with two mails waiting for the same customer
EACH, ALL = 10, 10  # what the job claims: of each business, in all


def rows_read(plan, relation):
    """The rows a plan (EXPLAIN ANALYZE, JSON) read from `relation`, kept and filtered out."""
    rows, stack = 0, [plan]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == relation:
            removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
            rows += (node.get("Actual Rows", 0) + removed) * node.get("Actual Loops", 1)
        stack.extend(node.get("Plans", []))
    return rows


def prepared(name, sql):
    """PREPARE of the module's statement `sql` under `name`, its %s as varchar $1, $2…, as
    apr_dbd prepares it."""
    n = iter(range(1, sql.count("%s") + 1))
    text = re.sub(r"%s", lambda _: "$%d" % next(n), sql)
    return "PREPARE %s(%s) AS %s;" % (name, ", ".join(["varchar"] * sql.count("%s")), text)


def plan_kept_through(run, sql, args, meanwhile):
    """The plan of the module's statement `sql` made once in a session and kept, as a pooled
    connection does, read (EXPLAIN ANALYZE) after `meanwhile` ran in the same session."""
    values = ", ".join("'%s'" % v for v in args)
    out = run("SET plan_cache_mode = force_generic_plan; " + prepared("kept", sql)
              + " EXECUTE kept(%s); %s;" % (values, meanwhile)
              + " EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE kept(%s)" % values)
    return json.loads(out)[0]["Plan"]


def test_a_burst_of_mail_is_claimed_reading_the_mails_taken(quiet_db, print_sql):  # noqa: F811
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    run(CATALOG)
    # a quiet hour: a year's mail sent (5,000 bookings' confirmations), none waiting
    run(RESERVATIONS.format(status="'completed'", expires="NULL", net=1, pro="busy", n=5000, days=-300))
    run("INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html, reservation_id,"
        " sent_at) SELECT tenant_id, 'antes@example.com', 'Confirmación', '', '', id, starts_at"
        " FROM reservations")
    run("VACUUM ANALYZE mail_outbox")
    run(RESERVATIONS.format(status="'paid'", expires="NULL", net=2, pro="busy", n=BURST, days=2))
    # the plan is made on the empty queue; then each booking's confirmation and, queued after
    # it, its reminder to the same person
    burst = ("INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html, reservation_id)"
             " SELECT r.tenant_id, 'cliente@example.com', m.subject, 'texto', '<p>texto</p>', r.id"
             " FROM reservations r, (VALUES ('Confirmación'), ('Recordatorio')) m(subject)"
             " WHERE r.status = 'paid'"
             " ORDER BY m.subject, r.id")
    plan = plan_kept_through(run, print_sql("mail_due"), [EACH, ALL], burst)
    read = rows_read(plan, "mail_outbox")
    assert read <= 10 * ALL, "claiming %d of %d waiting mails read %d rows of mail_outbox" % (
        ALL, 2 * BURST, read)
    # what it takes: ten confirmations, no reminder before its booking's confirmation is sent
    claim = statement_with(print_sql("mail_due"), [str(EACH), str(ALL)])
    taken = run("WITH d AS (%s) SELECT string_agg(DISTINCT m.subject || ' ' || m.recipient, ',')"
                " || ':' || count(*) FROM d JOIN mail_outbox m ON m.id = d.id" % claim)
    assert taken == "Confirmación cliente@example.com:%d" % ALL, taken


def test_a_backlog_of_callbacks_is_claimed_reading_the_deliveries_taken(quiet_db, print_sql):  # noqa: F811
    """The callback job's choice: a merchant's endpoint back after an outage has a backlog of
    hundreds due; each claim reads the deliveries it takes, not the backlog once for each."""
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    run(CATALOG)
    # a quiet hour: a year's callbacks delivered, none pending
    run(RESERVATIONS.format(status="'completed'", expires="NULL", net=1, pro="busy", n=5000, days=-300))
    run("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, status, delivered_at)"
        " SELECT tenant_id, id, '{}', 'delivered', starts_at FROM reservations")
    run("VACUUM ANALYZE merchant_callbacks")
    run(RESERVATIONS.format(status="'paid'", expires="NULL", net=2, pro="busy", n=BURST, days=2))
    # nothing in flight; 8 of a business at a time, 8 in all (the job's defaults)
    backlog = ("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body)"
               " SELECT tenant_id, id, '{}' FROM reservations WHERE status = 'paid'")
    plan = plan_kept_through(run, print_sql("callbacks_picked"), ["", 8, "", 8, 8], backlog)
    read = rows_read(plan, "merchant_callbacks")
    assert read <= 200, "claiming 8 of %d due deliveries read %d rows of merchant_callbacks" % (BURST, read)
    claim = statement_with(print_sql("callbacks_picked"), ["", "8", "", "8", "8"])
    assert run("WITH p AS (%s) SELECT count(*) FROM p JOIN merchant_callbacks c ON c.id = p.id"
               " WHERE c.status = 'pending'" % claim) == "8"


def test_the_callback_claim_is_planned_once_per_connection_not_on_every_call(quiet_db, print_sql):  # noqa: F811
    """The job claims ten times a second and more. Each plan made for the call's own values
    (its limits, the lengths of its in-flight lists) looked a little cheaper than the kept
    generic one, so PostgreSQL planned every call anew: as much of its CPU as the claim's
    run. Counted as PostgreSQL counts a session's plans of the statement."""
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    run(CATALOG)
    run(RESERVATIONS.format(status="'paid'", expires="NULL", net=2, pro="busy", n=BURST, days=2))
    run("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body)"
        " SELECT tenant_id, id, '{}' FROM reservations WHERE status = 'paid'")
    run("ANALYZE merchant_callbacks")
    tenant = run("SELECT tenant_id FROM merchant_callbacks LIMIT 1")
    in_flight = run("SELECT string_agg(reservation_id::text, ',') FROM"
                    " (SELECT reservation_id FROM merchant_callbacks LIMIT 3) s")
    # as the job calls it: nothing in flight, then three deliveries of one business in flight
    calls = [["", "8", "", "8", "8"], [",".join([tenant] * 3), "8", in_flight, "8", "5"]] * 6
    out = run(prepared("claim", print_sql("callbacks_picked"))
              + "".join(" EXECUTE claim(%s);" % ", ".join("'%s'" % v for v in args) for args in calls)
              + " SELECT custom_plans || ' ' || generic_plans FROM pg_prepared_statements"
                " WHERE name = 'claim'")
    custom, generic = map(int, out.splitlines()[-1].split())
    assert custom <= 5 and generic == len(calls) - custom, (
        "of %d claims on one connection, %d were planned for their own values" % (len(calls), custom))
