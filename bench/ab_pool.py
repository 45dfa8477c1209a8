"""A/B of two database pool sizes (run through `bench/ab --pool`): two extra httpds of the
running stack that differ only in DBDMax, measured in alternating order, several rounds, so
that the machine's changing speed falls on both alike.

    bench/ab --pool 10,2 [ROUNDS] [CLIENTS,...] [RESULT.json]

Each round runs, on each httpd, bench.py's holds of distinct slots (closed loop) at each
CLIENTS count (default 32 and 200: the maximum's and the stress line's), with the CPU the
stack (PostgreSQL and that httpd) spent per hold and PostgreSQL's share of it. Prints one
JSON line per measurement and, given RESULT.json, writes them all there under bench/results
(as ab-pool-size-stress.json)."""
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import ab  # noqa: E402
import bench  # noqa: E402
from conftest import Api, read_stack_env, render_conf, start_extra_httpd  # noqa: E402


def main():
    sizes = [int(x) for x in sys.argv[1].split(",")]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    clients = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "32,200").split(",")]
    stack = read_stack_env()
    api = Api(stack)
    postmaster = ab.postmaster_pid(stack)
    rows = []
    with contextlib.ExitStack() as servers_up:
        servers = {n: servers_up.enter_context(start_extra_httpd(render_conf({"DBDMax": "DBDMax %d" % n})))
                   for n in sizes}
        for r in range(rounds):
            for n in (sizes if r % 2 == 0 else list(reversed(sizes))):
                server = servers[n]
                with open(server.pidfile) as f:
                    roots = {postmaster, int(f.read().strip())}
                for c in clients:
                    run = {}

                    def holds(around):
                        run.update(bench.holds_run(stack, api, port=server.port, around=around,
                                                   clients=c, label="DBDMax %d" % n))
                        return run["rate"]
                    rate, cpu, pg_cpu = ab.measured(holds, roots, postmaster)
                    row = {"pool": n, "clients": c, "round": r, "holds_per_s": round(rate),
                           "p99_ms": run["p99"], "dropped": run["dropped"], "cpu_ms_per_hold": round(cpu, 3),
                           "postgres_cpu_ms_per_hold": round(pg_cpu, 3), "load": round(os.getloadavg()[0], 2)}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    out = {"what": "holds of distinct slots, closed loop, %d s each (bench.py's holds_run) at %s "
                   "connections, on extra httpds of the stack that differ only in DBDMax (%s, "
                   "4 children each), alternating order, %d rounds; the jobs at their production "
                   "intervals" % (bench.DURATION, " and ".join(map(str, clients)),
                                  " against ".join(map(str, sizes)), rounds),
           "at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True, cwd=HERE).stdout.strip(),
           "machine": {"cores": os.cpu_count()}, "rounds": rows}
    if len(sys.argv) > 4:
        with open(os.path.join(HERE, "results", sys.argv[4]), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
