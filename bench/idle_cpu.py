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

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "e2e"))
from conftest import psql, read_stack_env  # noqa: E402
from test_admin_metrics_incremental import Business  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def processes(rundir):
    """The pids of the stack's PostgreSQL and httpd, by their command lines."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if rundir + "/pg/data" in cmd or rundir + "/httpd.conf" in cmd:
            pids.append(pid)
    return pids


def cpu_of(pid):
    """utime + stime of a process and its children it waited for, in ticks."""
    try:
        with open("/proc/%s/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(x) for x in fields[11:15])


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
    # PostgreSQL's backends are the postmaster's children: counted while they live and,
    # once gone, in the postmaster's own children's time (cutime/cstime)
    before = {pid: cpu_of(pid) for pid in processes(rundir)}
    time.sleep(seconds)
    after = {pid: cpu_of(pid) for pid in processes(rundir)}
    ticks = sum(after[p] - before.get(p, 0) for p in after)
    share = ticks / TICKS / seconds
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
