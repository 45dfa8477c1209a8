#!/usr/bin/python3
"""What the running stack costs with no request coming in: the CPU its PostgreSQL (the
postmaster and every backend) and its httpd (parent and children) spend in IDLE_SECONDS
(default 30), as a share of one core, with how many businesses the database holds. Only the
jobs run then, at the stack's own intervals (tests/stack: every 1–2 s), so this is what a
stack left up beside other work takes from it, and what a server's jobs cost per business.
Appended to bench/results/idle-cpu.jsonl with the path of the module httpd loads.

    tests/stack up && bench/idle_cpu.py [LABEL]
    bench/idle_cpu.py --touch N          first N new businesses, each with a few bookings,
                                         payments, steps and reminders written now

Paired rounds of two builds: start the stack with KF_MODULE=A.so, run, restart httpd with
KF_MODULE=B.so, run, and so on (the same database both times). Businesses touched minutes
before are what a server has after traffic (the figures job reads 10 minutes back)."""
import datetime as dt
import json
import os
import random
import re
import sys
import time
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRCDIR, "tests", "e2e"))
from ab import cpu_seconds, postmaster_pid  # noqa: E402
from conftest import psql, read_stack_env  # noqa: E402
from test_admin_metrics_incremental import Business  # noqa: E402


def httpd_pid(rundir):
    with open(os.path.join(rundir, "httpd", "httpd.pid")) as f:
        return int(f.read().strip())


def loaded_module(rundir):
    """The module the stack's httpd loads (KF_MODULE when it was started)."""
    with open(os.path.join(rundir, "httpd.conf")) as f:
        found = re.search(r'^LoadModule konfirmado_module "?([^"\n]+)"?$', f.read(), re.M)
    return found.group(1) if found else ""


def touch(n):
    """n new businesses, each with the facts of a few bookings written now."""
    for i in range(n):
        tenant = psql("INSERT INTO tenants (name) VALUES ('Idle bench %d') RETURNING id" % i)
        Business(SimpleNamespace(tenant_id=tenant), random.Random(i)).batch(8)


def main():
    if sys.argv[1:2] == ["--touch"]:
        touch(int(sys.argv[2]))
        return 0
    label = sys.argv[1] if len(sys.argv) > 1 else ""
    seconds = float(os.environ.get("IDLE_SECONDS", "30"))
    env = read_stack_env()
    rundir = env["KF_RUNDIR"]
    # the servers and their children, the exited ones included (what their parents reaped)
    roots = {postmaster_pid(env), httpd_pid(rundir)}
    before = cpu_seconds(roots)
    time.sleep(seconds)
    share = (cpu_seconds(roots) - before) / seconds
    row = {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "label": label,
           "module": loaded_module(rundir), "seconds": seconds,
           "businesses": int(psql("SELECT count(*) FROM tenants")),
           # those with a fact of the figures' sources in the last 10 minutes
           "businesses_touched": int(psql("SELECT count(*) FROM tenants t WHERE"
                                          " kf_metrics_facts_since(t.id, now() - interval '10 minutes')")),
           "core_share": round(share, 4)}
    print("idle stack: %.1f %% of a core (PostgreSQL + httpd) over %.0f s, %d businesses (%d touched"
          " in the last 10 minutes)%s" % (100 * share, seconds, row["businesses"], row["businesses_touched"],
                                          " [%s]" % label if label else ""))
    with open(os.path.join(SRCDIR, "bench", "results", "idle-cpu.jsonl"), "a") as f:
        f.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
