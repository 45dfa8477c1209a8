"""What the availability statement and the hold's judgement cost PostgreSQL, apart from httpd:
pgbench, one client, the module's own statement text (bench/print_sql.c prints it from
mod_kf_availability_sql.h) with the bench's availability request (and a hold of its first free slot)
as literals, against `SELECT 1` (a round trip and nothing else), alternating rounds. Prints
the latency per call of each and what each statement adds to a round trip. Run through
bench/statement_cost (the stack must be up)."""
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import bench  # noqa: E402
from conftest import Api, read_stack_env, statement_with  # noqa: E402

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


if __name__ == "__main__":
    main()
