"""What the availability statement and the hold's judgement cost PostgreSQL, apart from httpd:
pgbench, one client, the module's own statement text (bench/print_sql.c prints it from
mod_kf_availability_sql.h) with the bench's availability request (and a hold of its first free slot)
as literals, against `SELECT 1` (a round trip and nothing else), alternating rounds. Prints
the latency per call of each and what each statement adds to a round trip.

Then the hold's insert alone (mod_kf_holds_sql.h's text; the slot, token, address and visit
drawn by pgbench for each call, among 60 professionals of one service, as bench.py's holds)
at 1, 4 and 32 clients, with the stack's httpd stopped meanwhile so that nothing else runs in
PostgreSQL: inserts a second and PostgreSQL's CPU per insert (its processes', the ended
backends' included) in alternating rounds, what PostgreSQL alone allows the holds on this
machine. Appended to bench/results/hold-insert.jsonl.

Then webhook approvals (bench/webhook_ingest.sh, Wompi, 8 connections) through the stack's
httpd, with the CPU PostgreSQL's processes and httpd's spent per approval counted apart:
PostgreSQL's share is the approval's statements and what the jobs do with what it queued
(the callback, the mail, the calendar event) in those seconds, so cores divided by it bounds
the approvals a second PostgreSQL allows on this machine even with httpd free. Appended to
bench/results/approval-cost.jsonl. Run through bench/statement_cost (the stack must be
up)."""
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import ab  # noqa: E402
import bench  # noqa: E402
import booking_seed as bs  # noqa: E402
from conftest import Api, psql, read_stack_env, statement_with  # noqa: E402

SECONDS = int(os.environ.get("BENCH_DURATION", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def latency_ms(pgbench, url, script):
    out = subprocess.run([pgbench, "-n", "-M", "prepared", "-c", "1", "-T", str(SECONDS), "-f", script, url],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"latency average = ([\d.]+) ms", out).group(1))


def main():
    stack = read_stack_env()
    api = Api(stack)
    printer = sys.argv[1]
    pgbench = sys.argv[2]
    sc, _, start_day, path = bench.availability_scenario(api)
    text = {kind: subprocess.run([printer, kind], capture_output=True, text=True, check=True).stdout.strip()
            for kind in ("availability", "judge")}
    # kfm_availability_load's arguments: slug, host subdomain, service, professional, the dates
    # read (three days of margin around the 14 asked for, days since the epoch) and the period
    # of busy times (seconds)
    base = (start_day - dt.date(1970, 1, 1)).days
    availability = statement_with(text["availability"], [sc.slug, None, sc.service_id, sc.professional_id,
                                                         base - 3, base + 14 + 2, (base - 3) * 86400,
                                                         (base + 14 + 3) * 86400])
    # kfm_hold_judge_load's: the same for the start's day, busy times within 26 hours, the client
    # address and the active-hold limit; the start is the first slot availability offers
    first = api.get(path).json()["slots"][0]["start"]
    epoch = int(dt.datetime.strptime(first, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp())
    day = epoch // 86400
    judge = statement_with(text["judge"], [sc.slug, None, sc.service_id, sc.professional_id, day - 2, day + 2,
                                           epoch - 26 * 3600, epoch + 26 * 3600, "203.0.113.7", 5])
    with tempfile.TemporaryDirectory() as work:
        scripts = {}
        for name, sql in (("SELECT 1", "SELECT 1"), ("kf_availability_one", availability),
                          ("kf_hold_judge_one", judge)):
            scripts[name] = os.path.join(work, "%d.sql" % len(scripts))
            with open(scripts[name], "w") as f:
                f.write(" ".join(sql.split()) + ";\n")
        runs = {name: [] for name in scripts}
        for _ in range(ROUNDS):
            for name, script in scripts.items():
                runs[name].append(latency_ms(pgbench, stack["KF_PGURL"], script))
    print("pgbench, 1 client, %d s x %d alternating rounds, latency per call (round trip included):"
          % (SECONDS, ROUNDS))
    for name, values in runs.items():
        print("  %-24s %s ms" % (name, " / ".join("%.3f" % v for v in values)))
    one = min(runs["SELECT 1"])
    for name in ("kf_availability_one", "kf_hold_judge_one"):
        stmt = min(runs[name])
        print("  %s adds %.3f ms to a round trip (best rounds): %.1f times a round trip's cost"
              % (name, stmt - one, stmt / one))
    with tempfile.TemporaryDirectory() as work:
        hold_insert(stack, api, printer, pgbench, work)
    approval_cost(stack)


HOLD_CLIENTS = (1, 4, 32)


def hold_insert_script(api, printer, work):
    """A pgbench script of the hold's insert: each call a random 30-minute slot of one of 60
    professionals within 50 years, its own token, client address and visit (an overlap, rare,
    is refused by the exclusion constraint and counts as a call, as a refused hold does).
    Returns the script's path and the business the holds are taken for."""
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30, "horizon": 45},
                     professionals=[{"name": "Insert %02d" % i, "hours": bs.ALL_WEEK(("09:00", "17:00"))}
                                    for i in range(60)])
    link_id = psql("SELECT id FROM booking_links WHERE slug = :'p1'", sc.slug)
    text = subprocess.run([printer, "insert"], capture_output=True, text=True, check=True).stdout.strip()
    start = "(extract(epoch FROM date_trunc('day', now()))::bigint + 86400 + :k * 1800)"
    args = ["'%s'" % sc.tenant_id, "'%s'" % sc.service_id,
            "('{%s}'::uuid[])[:p]" % ",".join(sc.professionals), "'%s'" % link_id,
            start, start + " + 1800", start, start + " + 1800",
            "encode(sha256(('kf' || :k || '-' || :client_id)::bytea), 'hex')", "600",
            "('10.' || (:k % 250) || '.' || (:k / 250 % 250) || '.' || (:k / 62500 % 250))::inet",
            "('visit-' || lpad(:k::text, 12, '0'))", "true"]
    parts = text.split("%s")
    assert len(parts) == len(args) + 1
    sql = "".join(p + a for p, a in zip(parts, args)) + parts[-1]
    # pgbench takes every ":name" for a variable, those of the answer's time format too
    # (folded to the same constant when the statement is planned)
    sql = sql.replace("HH24:MI:SS", "HH24' || chr(58) || 'MI' || chr(58) || 'SS")
    path = os.path.join(work, "insert.sql")
    with open(path, "w") as f:
        f.write("\\set k random(0, 876000)\n\\set p random(1, 60)\n" + " ".join(sql.split()) + ";\n")
    return path, sc.tenant_id


def insert_rate(pgbench, url, script, clients, root):
    before = ab.cpu_seconds({root})
    out = subprocess.run([pgbench, "-n", "-M", "prepared", "-c", str(clients), "-j", str(min(clients, 4)),
                          "-T", str(SECONDS), "-f", script, url], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("pgbench failed: %s" % out.stderr[-2000:])
    out = out.stdout
    # the clients' backends end with pgbench: their time is the postmaster's once it reaped them
    time.sleep(0.5)
    cpu = ab.cpu_seconds({root}) - before
    calls = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    return calls / SECONDS, 1000.0 * cpu / max(calls, 1)


def hold_insert(stack, api, printer, pgbench, work, record=True):
    """The insert alone at each of HOLD_CLIENTS, ROUNDS alternating rounds: {clients: [(inserts
    a second, ms of PostgreSQL's CPU each)]}; appended to hold-insert.jsonl when `record`."""
    script, tenant_id = hold_insert_script(api, printer, work)
    root = ab.postmaster_pid(stack)
    runs = {c: [] for c in HOLD_CLIENTS}
    subprocess.run([os.path.join(HERE, "..", "tests", "stack"), "httpd", "stop"], check=True,
                   stdout=subprocess.DEVNULL)
    try:
        for _ in range(ROUNDS):
            for clients in HOLD_CLIENTS:
                runs[clients].append(insert_rate(pgbench, stack["KF_PGURL"], script, clients, root))
    finally:
        subprocess.run([os.path.join(HERE, "..", "tests", "stack"), "httpd", "start"], check=True,
                       stdout=subprocess.DEVNULL)
        # the tens of thousands of holds taken would expire ten minutes later, in whatever
        # load runs then, and stay in the database for every run after
        bench.forget_business(tenant_id)
    print("the hold's insert alone, httpd stopped, %d s x %d alternating rounds:" % (SECONDS, ROUNDS))
    for clients, values in runs.items():
        print("  %2d clients: %s inserts/s, %s ms of PostgreSQL's CPU each"
              % (clients, " / ".join("%.0f" % r for r, _ in values), " / ".join("%.3f" % c for _, c in values)))
    if not record:
        return runs
    line = {"at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "commit": bench.commit(),
            "machine": bench.machine(), "seconds": SECONDS,
            "database_bookings": int(psql("SELECT count(*) FROM reservations")),
            "clients": {str(c): [{"inserts_per_s": round(r, 1), "cpu_ms": round(m, 3)} for r, m in v]
                        for c, v in runs.items()}}
    with open(os.path.join(HERE, "results", "hold-insert.jsonl"), "a") as f:
        f.write(json.dumps(line) + "\n")
    return runs


def approval_cost(stack):
    postgres = ab.postmaster_pid(stack)
    with open(stack["KF_HTTPD_PIDFILE"]) as f:
        httpd = int(f.read().strip())
    runs = []
    for _ in range(ROUNDS):
        marks = {}

        def around(when):
            marks[when] = (ab.cpu_seconds({postgres}), ab.cpu_seconds({httpd}))
        rate, seconds = ab.webhook_rate(int(stack["KF_PORT"]), "wompi", around)
        approvals = max(1.0, rate * seconds)
        runs.append({"approvals_per_s": round(rate, 1), "load": round(os.getloadavg()[0], 1),
                     "postgres_cpu_ms": round(1000.0 * (marks["end"][0] - marks["start"][0]) / approvals, 3),
                     "httpd_cpu_ms": round(1000.0 * (marks["end"][1] - marks["start"][1]) / approvals, 3)})
    cores = os.cpu_count()
    print("webhook approvals (Wompi, 8 connections), %d s x %d rounds, CPU per approval:"
          % (bench.DURATION, ROUNDS))
    for r in runs:
        print("  %6.0f/s  PostgreSQL %.3f ms, httpd %.3f ms (load %.1f): PostgreSQL alone allows %.0f/s"
              " on %d cores" % (r["approvals_per_s"], r["postgres_cpu_ms"], r["httpd_cpu_ms"], r["load"],
                                 cores * 1000.0 / max(r["postgres_cpu_ms"], 0.001), cores))
    line = {"at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "commit": bench.commit(),
            "machine": bench.machine(), "seconds": bench.DURATION, "connections": 8,
            "database_bookings": int(psql("SELECT count(*) FROM reservations")), "rounds": runs}
    with open(os.path.join(HERE, "results", "approval-cost.jsonl"), "a") as f:
        f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
