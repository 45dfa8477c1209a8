"""A/B of two builds of the module on one stack (run through bench/ab): two extra httpds of
the running stack that differ only in the module they load, measured in alternating order,
several rounds, so that the machine's changing speed falls on both alike.

    bench/ab BEFORE.so [AFTER.so] [ROUNDS] [holds,static,wompi,stripe]

AFTER defaults to the stack's module (KF_MODULE). Each round measures, on each httpd, in
alternating order: holds (bench.py's holds_rate: wrk, 200 connections, distinct slots), the
static file (wrk, 32 connections, a 48 KB file), webhook ingest (bench/webhook_ingest.sh,
8 connections). Prints a table of rounds."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import bench  # noqa: E402
from conftest import Api, read_stack_env, render_conf, start_extra_httpd  # noqa: E402


def static_rate(stack, port):
    docroot = os.path.join(stack["KF_RUNDIR"], "docroot")
    path = os.path.join(docroot, "bench-ab.json")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(b"x" * 48700)
        os.chmod(path, 0o644)
    rps, _, _, _ = bench.wrk("http://127.0.0.1:%d/bench-ab.json" % port, stack["KF_BASE_DOMAIN"])
    return rps


def webhook_rate(port, provider):
    out = subprocess.run([os.path.join(HERE, "webhook_ingest.sh"), str(bench.DURATION), "8", provider],
                         env=dict(os.environ, BENCH_PORT=str(port)), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    line = [x for x in out.splitlines() if "verified events applied" in x][-1]
    return int(line.split(": ")[1].split(" in ")[0]) / bench.DURATION


def main():
    stack = read_stack_env()
    api = Api(stack)
    before = os.path.abspath(sys.argv[1])
    after = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-" else stack["KF_MODULE"]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    what = (sys.argv[4] if len(sys.argv) > 4 else "holds,static,wompi,stripe").split(",")

    def conf(module):
        return render_conf({"LoadModule konfirmado_module": 'LoadModule konfirmado_module "%s"' % module})
    table = []
    with start_extra_httpd(conf(before)) as a, start_extra_httpd(conf(after)) as b:
        servers = {"before": a.port, "after": b.port}
        for rnd in range(rounds):
            order = ["before", "after"] if rnd % 2 == 0 else ["after", "before"]
            row = {}
            for name in order:
                port = servers[name]
                for w in what:
                    if w == "holds":
                        v = bench.holds_rate(stack, api, port)
                    elif w == "static":
                        v = static_rate(stack, port)
                    else:
                        v = webhook_rate(port, w)
                    row[(name, w)] = v
                    print("round %d %-6s %-6s %8.0f/s" % (rnd + 1, name, w, v), flush=True)
            table.append(row)
    print("\n| round | " + " | ".join("%s %s" % (w, n) for w in what for n in ("before", "after")) + " |")
    print("|---" * (1 + 2 * len(what)) + "|")
    for i, row in enumerate(table):
        print("| %d | " % (i + 1) + " | ".join("{:,.0f}".format(row[(n, w)]) for w in what
                                              for n in ("before", "after")) + " |")


if __name__ == "__main__":
    main()
