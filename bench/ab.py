"""A/B of two builds of the module on one stack (run through bench/ab): two extra httpds of
the running stack that differ only in the module they load, measured in alternating order,
several rounds, so that the machine's changing speed falls on both alike.

    bench/ab BEFORE.so [AFTER.so] [ROUNDS] [holds,static,wompi,stripe]
    bench/ab BEFORE.so [AFTER.so] [ROUNDS] graceful,graceful-health
    bench/ab BEFORE.so [AFTER.so] [ROUNDS] uncached,baseline
    bench/ab BEFORE.so [AFTER.so] [ROUNDS] cached-approvals

AFTER defaults to the stack's module (KF_MODULE). Each round measures, on each httpd, in
alternating order: holds (bench.py's holds_rate: wrk, 200 connections, distinct slots), the
static file (wrk, 32 connections, a 48 KB file), webhook ingest (bench/webhook_ingest.sh,
8 connections), and the CPU time the stack (PostgreSQL and that httpd, children included)
spent per operation, and PostgreSQL's share of it. `graceful` is bench.py's first requests after a graceful restart of
that httpd (the availability of bench.py's scenario; `graceful-health`: /api/health, one
statement each), their p99 and median over its restarts, and the p99 of the same requests
to the warm children. `uncached` is bench.py's availability of one professional over 14 days
with both httpds' caches off (KonfirmadoAvailabilityCache Off: every answer computed), its
rate and p99; `baseline` the same number of bytes from memory (bench.py's in-memory
baseline) on each. `cached-approvals` is that availability with the caches on while the same
httpd takes webhook approvals at APPROVALS_PER_S (bench/webhook_ingest.sh, open loop): its
rate, p99 and the cache's misses a second (the status page's), what a business's customers
meet while payments come in. Prints a table of rounds."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import bench  # noqa: E402
from conftest import Api, read_stack_env, render_conf, start_extra_httpd  # noqa: E402
from status_support import cache_misses  # noqa: E402


def _stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(") ", 1)[1].split()
    # after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state
    return int(fields[1]), sum(int(x) for x in fields[11:15])


def cpu_seconds(roots):
    """CPU time (user + system) of the processes `roots` and their children so far, exited
    children included (what their parents reaped)."""
    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            ppid, t = _stat(int(name))
        except (OSError, IndexError):
            continue
        if int(name) in roots or ppid in roots:
            total += t
    return total / tick


def postmaster_pid(stack):
    """The stack's PostgreSQL server process, parent of every backend."""
    with open(os.path.join(stack["KF_RUNDIR"], "pg", "data", "postmaster.pid")) as f:
        return int(f.readline())


def measured(fn, roots, postmaster):
    """fn(around)'s rate, the CPU milliseconds the stack (PostgreSQL, the httpd) spent per
    operation between around("start") and around("end") (the load itself, not its seeding),
    and PostgreSQL's share of them: figures the machine's speed moves much less than the rate."""
    marks = {}

    def around(when):
        marks[when] = (cpu_seconds(roots), cpu_seconds({postmaster}))
    rate = fn(around)
    # fn gives its rate, or its rate and the seconds it was counted over
    rate, seconds = rate if isinstance(rate, tuple) else (rate, bench.DURATION)
    ops = max(1.0, rate * seconds)
    return (rate, 1000.0 * (marks["end"][0] - marks["start"][0]) / ops,
            1000.0 * (marks["end"][1] - marks["start"][1]) / ops)


def static_rate(stack, port, around):
    docroot = os.path.join(stack["KF_RUNDIR"], "docroot")
    path = os.path.join(docroot, "bench-ab.json")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(b"x" * 48700)
        os.chmod(path, 0o644)
    around("start")
    rps, _, _, _ = bench.wrk("/bench-ab.json", stack["KF_BASE_DOMAIN"], ports=[port])
    around("end")
    return rps


WRITES = {}


def wait_for_mark(mark, when, proc):
    """Until bench/webhook_ingest.sh touches its BENCH_MARK file of `when`, or ends."""
    import time
    while not os.path.exists(mark + "." + when) and proc.poll() is None:
        time.sleep(0.05)


def remove_marks(mark):
    for when in ("start", "end"):
        if os.path.exists(mark + "." + when):
            os.unlink(mark + "." + when)


def webhook_rate(port, provider, around):
    """bench/webhook_ingest.sh against that httpd; its marker files say when wrk runs and when
    the approvals' mails have left. The approvals a second over those seconds, and the seconds."""
    import tempfile
    mark = tempfile.mktemp(prefix="kf-ab-")
    proc = subprocess.Popen([os.path.join(HERE, "webhook_ingest.sh"), str(bench.DURATION), "8", provider],
                            env=dict(os.environ, BENCH_PORT=str(port), BENCH_MARK=mark),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for when in ("start", "end"):
        wait_for_mark(mark, when, proc)
        around(when)
    out = proc.communicate()[0]
    remove_marks(mark)
    line = [x for x in out.splitlines() if "verified events applied" in x][-1]
    # what each approval wrote: WAL bytes, and the size of its queued mail's row
    WRITES[port] = "; ".join(x for x in out.splitlines() if x.startswith(("WAL per", "mail_outbox rows")))
    # as bench/run counts a maximum: its seconds last until the approvals' mails have left
    seconds = bench.DURATION + sum(float(x.split()[3]) for x in out.splitlines()
                                   if x.startswith("mail drained in "))
    return int(line.split(": ")[1].split(" in ")[0]) / seconds, seconds


# The approvals a second beside the availability load of `cached-approvals`: a steady trickle
# of payments, far below what a server takes
APPROVALS_PER_S = 50


def cached_beside_approvals(stack, server, path):
    """bench.wrk on `path` (cached) while bench/webhook_ingest.sh sends that httpd
    APPROVALS_PER_S approvals a second: (requests/s, p99, cache misses a second)."""
    import tempfile
    import time
    mark = tempfile.mktemp(prefix="kf-ab-")
    proc = subprocess.Popen([os.path.join(HERE, "webhook_ingest.sh"), str(bench.DURATION + 2), "8",
                             "wompi"],
                            env=dict(os.environ, BENCH_PORT=str(server.port), BENCH_MARK=mark,
                                     BENCH_RATE=str(APPROVALS_PER_S)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_mark(mark, "start", proc)
        time.sleep(1)   # the approvals at their pace before the availability load starts
        before = cache_misses(server.api())
        rps, p99, _, _ = bench.wrk(path, stack["KF_BASE_DOMAIN"], ports=[server.port])
        misses = (cache_misses(server.api()) - before) / bench.DURATION
    finally:
        proc.wait()
        remove_marks(mark)
    return rps, p99, misses


def main():
    stack = read_stack_env()
    api = Api(stack)
    before = os.path.abspath(sys.argv[1])
    after = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-" else stack["KF_MODULE"]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    what = (sys.argv[4] if len(sys.argv) > 4 else "holds,static,wompi,stripe").split(",")

    def conf(module):
        changes = {"LoadModule konfirmado_module": 'LoadModule konfirmado_module "%s"' % module}
        if "uncached" in what:
            changes["KonfirmadoAvailabilityCache"] = "KonfirmadoAvailabilityCache Off"
        return render_conf(changes)
    table = []
    postmaster = postmaster_pid(stack)
    with start_extra_httpd(conf(before)) as a, start_extra_httpd(conf(after)) as b:
        servers = {"before": a.port, "after": b.port}
        roots = {}
        for name, x in (("before", a), ("after", b)):
            with open(x.pidfile) as f:
                roots[name] = {postmaster, int(f.read().strip())}
        graceful_path = {"graceful-health": "/api/health"}
        if "graceful" in what:
            graceful_path["graceful"] = bench.availability_scenario(api)[3]
        uncached_path = bench.availability_scenario(api)[3] if "uncached" in what else None
        cached_path = bench.availability_scenario(api)[3] if "cached-approvals" in what else None
        baseline_path = "/bench-baseline?bytes=%d" % len(api.get(uncached_path).content) \
            if uncached_path else "/bench-baseline?bytes=48700"
        pidfiles = {"before": a.pidfile, "after": b.pidfile}
        extras = {"before": a, "after": b}
        if uncached_path and bench.WARMUP > 0:
            # children spawned and facts read for the load: neither lands in the first round
            for port in servers.values():
                bench.wrk(uncached_path, stack["KF_BASE_DOMAIN"], bench.WARMUP, [port])
        for rnd in range(rounds):
            order = ["before", "after"] if rnd % 2 == 0 else ["after", "before"]
            row = {}
            for name in order:
                port = servers[name]
                for w in what:
                    if w in graceful_path:
                        times, bad, warm = bench.first_requests_after_graceful_restart(
                            pidfiles[name], port, stack["KF_BASE_DOMAIN"], graceful_path[w])
                        row[(name, w)] = (bench.percentile(times, 99), bench.percentile(times, 50),
                                          bench.percentile(warm, 99))
                        print("round %d %-6s %-15s p99 %6.1f ms  median %6.1f ms  non-200 %d  (warm p99"
                              " %5.1f ms)  load %s" % (rnd + 1, name, w, *row[(name, w)][:2], bad,
                                                       row[(name, w)][2], os.getloadavg()[0]), flush=True)
                        continue
                    if w == "cached-approvals":
                        row[(name, w)] = cached_beside_approvals(stack, extras[name], cached_path)
                        print("round %d %-6s %-16s %8.0f/s  p99 %7.2f ms  %.1f cache misses a second"
                              "  load %s" % (rnd + 1, name, w, *row[(name, w)], os.getloadavg()[0]),
                              flush=True)
                        continue
                    if w in ("uncached", "baseline"):
                        start = cpu_seconds(roots[name])
                        rps, p99, bad, err = bench.wrk(uncached_path if w == "uncached" else baseline_path,
                                                       stack["KF_BASE_DOMAIN"], ports=[port])
                        ms = 1000.0 * (cpu_seconds(roots[name]) - start) / max(1.0, rps * bench.DURATION)
                        row[(name, w)] = (rps, p99, ms)
                        print("round %d %-6s %-8s %8.0f/s  p99 %7.2f ms  non-2xx %d %s  %6.3f ms CPU"
                              " each  load %s" % (rnd + 1, name, w, rps, p99, bad, err, ms,
                                                  os.getloadavg()[0]), flush=True)
                        continue
                    if w == "holds":
                        fn = lambda around: bench.holds_rate(stack, api, port, around)  # noqa: E731
                    elif w == "static":
                        fn = lambda around: static_rate(stack, port, around)  # noqa: E731
                    else:
                        fn = lambda around: webhook_rate(port, w, around)  # noqa: E731
                    v, ms, pg_ms = measured(fn, roots[name], postmaster)
                    row[(name, w)] = (v, ms, pg_ms)
                    print("round %d %-6s %-6s %8.0f/s  %6.2f ms CPU each (httpd + PostgreSQL), PostgreSQL"
                          " %.2f ms  load %s%s"
                          % (rnd + 1, name, w, v, ms, pg_ms, os.getloadavg()[0],
                             ("  " + WRITES.pop(port)) if port in WRITES else ""), flush=True)
            table.append(row)
    print("\n| round | " + " | ".join("%s %s" % (w, n) for w in what for n in ("before", "after")) + " |")
    print("|---" * (1 + 2 * len(what)) + "|")
    for i, row in enumerate(table):
        print("| %d | " % (i + 1) + " | ".join(
            ("p99 {:.1f} ms, median {:.1f} ms (warm p99 {:.1f})" if w.startswith("graceful")
             else "{:,.0f}/s, p99 {:.2f} ms, {:.1f} misses/s" if w == "cached-approvals"
             else "{:,.0f}/s, p99 {:.2f} ms, {:.3f} ms CPU" if w in ("uncached", "baseline")
             else "{:,.0f}/s, {:.2f} ms (PostgreSQL {:.2f})")
            .format(*row[(n, w)]) for w in what for n in ("before", "after")) + " |")


if __name__ == "__main__":
    main()
