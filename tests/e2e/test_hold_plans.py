"""What a hold's judgement reads does not grow with the other customers' live holds, even when
PostgreSQL's statistics were taken in a quiet moment (sql/032). Counted in pages the statement
reads, not in time."""
import json
import os
import subprocess

import pytest

from conftest import own_database, psql, statement_with


@pytest.fixture
def quiet_db():
    """A migrated database of its own: its statistics are this test's alone."""
    with own_database("kf_quiet") as (_, url):
        yield url


@pytest.fixture(scope="module")
def print_sql(stack, tmp_path_factory):
    """A statement's text as the module prepares it (bench/print_sql.c), %s placeholders."""
    printer = str(tmp_path_factory.mktemp("print_sql") / "print_sql")
    subprocess.run([os.environ.get("CC", "cc"), "-std=c11",
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "availability"),
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "callbacks"),
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "holds"),
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "messaging"),
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "module"),
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "operations"),
                    "-I", os.path.join(stack["KF_SRCDIR"], "mod_konfirmado", "privacy"), "-o", printer,
                    os.path.join(stack["KF_SRCDIR"], "bench", "print_sql.c")], check=True)
    return lambda kind: subprocess.run([printer, kind], capture_output=True, text=True,
                                       check=True).stdout


@pytest.fixture
def judge_sql(print_sql):
    return print_sql("judge")


# `n` reservations of professional `pro`, every 30 minutes from `days` days ahead (negative: ago)
RESERVATIONS = """
    INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at, ends_at,
                              blocked, expires_at, client_ip)
    SELECT t, s, pro, {status}, at, at + interval '30 minutes', tstzrange(at, at + interval '30 minutes'),
           {expires}, ('10.{net}.' || (i / 250) || '.' || (i % 250 + 1))::inet
    FROM (SELECT id AS t FROM tenants) t, (SELECT id AS s FROM services) s,
         (SELECT id AS pro FROM professionals WHERE name = '{pro}') p, generate_series(0, {n} - 1) i,
         LATERAL (SELECT date_trunc('day', now()) + interval '{days} days'
                         + i * interval '30 minutes' AS at) x"""


# a tenant with a service and two professionals: "judged" (whose hold is judged) and "busy"
CATALOG = """INSERT INTO tenants (name, subdomain, country, timezone, currency)
           VALUES ('Quieta', 'quieta', 'CO', 'America/Bogota', 'COP');
           INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount, currency,
                                 charge_type, deposit_percent, slot_interval_minutes,
                                 buffer_before_minutes, buffer_after_minutes,
                                 min_notice_minutes, horizon_days)
           SELECT id, 'Consulta', 'Una consulta general', 30, 1000000, 'COP', 'total', 25, 30, 0, 0, 0, 60 FROM tenants;
           INSERT INTO professionals (tenant_id, name, description, timezone)
           SELECT id, n, 'Profesional ' || n, 'America/Bogota' FROM tenants, (VALUES ('judged'), ('busy')) v(n);"""


def test_judging_a_hold_reads_only_its_address_holds(quiet_db, judge_sql):
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    run(CATALOG)
    # a quiet hour: history (paid bookings, expired holds), no live hold, and a VACUUM ANALYZE
    run(RESERVATIONS.format(status="'paid'", expires="NULL", net=1, pro="busy", n=2000, days=-60)
        + ";" + RESERVATIONS.format(status="'expired'", expires="now() - interval '1 day'", net=2,
                                   pro="busy", n=5000, days=-200))
    run("VACUUM ANALYZE reservations")
    # then a burst: 10,000 live holds of other customers, and one customer's hold is judged
    run(RESERVATIONS.format(status="'held'", expires="now() + interval '10 minutes'", net=3,
                            pro="busy", n=10000, days=1))
    ids = run("SELECT s.id, p.id FROM services s, professionals p WHERE p.name = 'judged'")
    service, judged = ids.split("|")
    epoch = int(run("SELECT extract(epoch FROM date_trunc('day', now()) + interval '3 days 14 hours')::bigint"))
    day = epoch // 86400
    # kfm_hold_judge_load's arguments (mod_kf_availability_facts.c): link, host, service, professional,
    # the dates around the start, busy times within 26 hours, client network, limit
    judge = statement_with(judge_sql, ["no-such-link", None, service, judged, day - 2, day + 2,
                                       epoch - 26 * 3600, epoch + 26 * 3600, "203.0.113.9", 5])
    # run once first, as a server's connection has (catalog caches, kf_live_holds compiled):
    # what is counted is what every later judgement reads
    out = run("\\o /dev/null\n" + judge + ";\n\\o\nEXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + judge)
    plan = json.loads(out)[0]["Plan"]
    read = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
    # the service, the professional and this address's index entries: tens of pages; walking
    # the other customers' holds reads a page for every few of them
    assert read < 100, "the judgement read %d pages with 10,000 other live holds" % read


def test_a_connection_planned_on_a_near_empty_table_still_counts_along_the_index(quiet_db, print_sql):
    """The check of kept facts (kf_hold_check_one), prepared and run by a connection while
    reservations held nothing, keeps its generic plan; after a burst of 10,000 live holds it
    must still read only the asking address's entries (sql/033), not walk the table."""
    run = lambda sql: psql(sql, db_url=quiet_db)  # noqa: E731
    run(CATALOG + "; ANALYZE reservations")
    judged = run("SELECT id FROM professionals WHERE name = 'judged'")
    parts = print_sql("check").split("%s")
    check = "".join(part + "$%d" % i for i, part in enumerate(parts[:-1], 1)) + parts[-1]
    args = "('%s', '203.0.113.9', '10')" % judged
    session = ["\\o /dev/null", "PREPARE chk(text, text, text) AS " + check + ";"]
    # the sixth run makes the generic plan that the connection keeps
    session += ["EXECUTE chk%s;" % args] * 6
    session += [RESERVATIONS.format(status="'held'", expires="now() + interval '10 minutes'", net=3,
                                    pro="busy", n=10000, days=1) + ";",
                "\\o", "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE chk%s;" % args]
    plan = json.loads(run("\n".join(session)))[0]["Plan"]
    read = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
    assert read < 40, "the check read %d pages after 10,000 live holds arrived" % read
