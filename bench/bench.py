"""Benchmarks of the public booking API; run through bench/run.

1. Availability of one professional, 14 days, 15-minute grid, 50 existing reservations,
   at 32 connections with wrk, against the same httpd serving a static file of exactly
   the same size from its DocumentRoot. Prints requests/s, p99, and the ratio; then
   GET /api/health (one one-row statement per request: what a database round trip allows)
   and the same availability request with the answer cache Off (computed every time from
   facts proven current by one versions read), then also with KonfirmadoAvailabilityFactsMemo
   Off (the facts statement every time).
2. Contention: 200 concurrent clients hold the same slot (exactly one 201, 199 x 409,
   no errors), then the one start of a group class of 10 places (exactly ten 201, each a
   seat of its own, 190 x 409), then weekly series of 4 whose starts a week apart overlap
   (exactly one 201: its 4 occurrences held, 199 x 409); then wrk, 200 connections, holds distinct slots of 60 professionals for
   BENCH_DURATION seconds (each slot asked once; the holds taken counted in the database,
   no two overlapping), after BENCH_WARMUP seconds of the same on slots of its own: the
   stress line. One server: the same at 32 connections with PostgreSQL's CPU per hold; the
   better rate of the two is the sustainable maximum, and the holds run open loop at 50 %
   and 80 % of it (bench/paced.lua: p50/p99/p99.9 from each request's due time).
3. Webhook ingest (one server): bench/webhook_ingest.sh for Wompi, Stripe and Airwallex,
   signed events applied per second at 8 and at 16 connections, the seconds counted until
   their confirmation mails have left (the better is the maximum, with PostgreSQL's and
   httpd's CPU per approval), then open loop at 50 % and 80 % of it,
   each after a warm-up at its own rate; then bench/callback_delivery.sh,
   the signed callbacks the job delivers per second.
5. One server: the hold's insert alone in PostgreSQL (bench/statement_cost's, httpd
   stopped), the merchants' figures job on a day of 79,000 bookings (bench/figures.py: the
   day computed whole, and a refresh after a minute's traffic), then every target beside its
   limit from this run (bench/targets.py), PASS or FAIL.
4. One server: the first requests after a graceful restart (p99), beside the same requests to
   the children then warm. Two servers: how long a hold taken on one stays offered by the
   other.

`--read-replica`: a streaming standby of the stack's database (tests/e2e/replica_support.py)
and two more httpds of the stack, both computing every availability answer (cache and kept
facts Off), one reading it on the primary, the other on the standby (KonfirmadoReadDatabase):
requests/s, p99 and the ratio; then the holds load, with the standby's replay lag sampled on
the primary every 100 ms (median, p99, most). Written to bench/results/read-replica.json.

`--servers 2`: the stack's httpd and a second one on the same stack (same database, cache
and configuration, its own port and children) share every load: each wrk run is split in two,
half of the connections to each server, at the same time; rates are summed, a p99 is the worse
of the two. The uncached httpd is doubled likewise. The figures go to var/bench/last.json with
"servers": 2 and are compared only with a run of as many servers.
"""
import contextlib
import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import requests  # noqa: E402

import booking_seed as bs  # noqa: E402
from conftest import (Api, LoopbackAdapter, psql, read_stack_env, render_conf,  # noqa: E402
                      start_extra_httpd)

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = 32


WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
# slots of the hold benchmark set aside for its warm-up (its measured run has the rest)
WARMUP_HOLDS = 6000
# Every figure of the run, written to var/bench/last.json (the previous run's is compared)
RESULTS = {}


# The httpds that share the load (--servers): ports, the stack's first.
PORTS = []


def p99_ms(out):
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")


def wrk(path, host, duration=None, ports=None):
    """wrk on `path` of every server in `ports` (default PORTS) at once, the CONNECTIONS
    split between them: (requests/s summed, worst p99, non-2xx, socket errors)."""
    ports = ports or PORTS
    runs = [subprocess.Popen(["wrk", "-t%d" % (2 // len(ports) or 1), "-c%d" % (CONNECTIONS // len(ports)),
                              "-d%ds" % (duration or DURATION), "--latency", "-H", "Host: " + host,
                              "http://127.0.0.1:%s%s" % (port, path)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for port in ports]
    outs = [r.communicate()[0] for r in runs]
    rps = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) for out in outs)
    non2xx = sum(int(m.group(1)) for m in (re.search(r"Non-2xx or 3xx responses:\s+(\d+)", o) for o in outs) if m)
    errors = " ".join(m.group(0) for m in (re.search(r"Socket errors:.*", o) for o in outs) if m)
    return rps, max(p99_ms(o) for o in outs), non2xx, errors


def availability_scenario(api):
    """One professional, 09:00-17:00 every day, a 30-minute service on a 15-minute grid, 50
    reservations over the next 14 days: (scenario, reservation starts, first day, the
    availability path of those 14 days)."""
    start_day = dt.date.today() + dt.timedelta(days=1)
    sc = bs.Scenario(api, service={"duration": 30, "interval": 15, "horizon": 30},
                     professionals=[{"hours": bs.ALL_WEEK(("09:00", "17:00"))}])
    # 50 reservations spread over the 14 days, on the grid, never overlapping
    values = []
    for i in range(50):
        d = start_day + dt.timedelta(days=i % 14)
        slot = (i // 14) * 6 + (i * 7) % 5   # distinct 30-minute slots of the day
        start = dt.datetime(d.year, d.month, d.day, 9, 0, tzinfo=bs.BOG) + dt.timedelta(minutes=30 * slot)
        values.append(start)
    for s in values:
        bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, s)
    path = "/api/public/links/%s/availability?service=%s&professional=%s&from=%s&days=14" % (
        sc.slug, sc.service_id, sc.professional_id, start_day.isoformat())
    return sc, values, start_day, path


def availability_vs_static(stack, api):
    sc, values, start_day, path = availability_scenario(api)
    body = api.get(path).content
    nslots = body.count(b'"start"')
    docroot = os.path.join(stack["KF_RUNDIR"], "docroot")
    static = os.path.join(docroot, "bench-availability.json")
    with open(static, "wb") as f:
        f.write(body)
    os.chmod(static, 0o644)
    host = stack["KF_BASE_DOMAIN"]
    assert api.get("/bench-availability.json").content == body
    print("availability: %d slots, %d bytes, 50 reservations, %d s per run, %d connections"
          " (%d server%s)" % (nslots, len(body), DURATION, CONNECTIONS, len(PORTS),
                              "s" if len(PORTS) > 1 else ""))
    # Warm both paths first: children spawned for the load and database connections opened
    # on demand (DBDMin 0) would otherwise land in whichever run comes first.
    if WARMUP > 0:
        wrk(path, host, WARMUP)
        wrk("/bench-availability.json", host, WARMUP)
    # The baseline: the same httpd answering as many bytes from memory with no application work
    # (KonfirmadoBenchBaseline); a static file also pays file syscalls, whose cost differs
    # from one machine to another, so it stays as a second line only.
    baseline = "/bench-baseline?bytes=%d" % len(body)
    assert len(api.get(baseline).content) == len(body)
    if WARMUP > 0:
        wrk(baseline, host, WARMUP)
    b_rps, b_p99, b_bad, b_err = wrk(baseline, host)
    a_rps, a_p99, a_bad, a_err = wrk(path, host)
    s_rps, s_p99, s_bad, s_err = wrk("/bench-availability.json", host)
    print("  baseline      %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (the same bytes from memory)"
          % (b_rps, b_p99, b_bad, b_err))
    print("  static file   %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (%.1f %% of the baseline)"
          % (s_rps, s_p99, s_bad, s_err, 100.0 * s_rps / b_rps))
    print("  availability  %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (%.1f %% of the baseline,"
          " %.1f %% of static; target >= 90 %%, p99 <= 2 x the baseline's)" % (a_rps, a_p99, a_bad, a_err,
                                                   100.0 * a_rps / b_rps, 100.0 * a_rps / s_rps))
    # What one database round trip per request allows on this machine: GET /api/health runs
    # one prepared one-row statement (kf_ping) through the same pool, router and limiter.
    # The uncached figure below can approach this ceiling only as far as its statement is lean.
    if WARMUP > 0:
        wrk("/api/health", host, WARMUP)
    d_rps, d_p99, d_bad, d_err = wrk("/api/health", host)
    print("  db round trip %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (%.1f %% of the baseline: GET"
          " /api/health, one one-row statement)" % (d_rps, d_p99, d_bad, d_err, 100.0 * d_rps / b_rps))
    # the same request computed every time (statement + engine): what a cache miss costs
    # and the same for a professional with a connected calendar: its busy times (40
    # appointments over the 14 days) come from the stored copy, never from the provider
    calendar_path = path.replace(sc.professional_id, with_calendar(sc, values, start_day))
    # Every answer is computed, from facts each child keeps, proves current with one read of
    # their versions and then trusts with no read while no change notice names them
    # (KonfirmadoAvailabilityFactsMemo, On by default); then the same with the facts read
    # every time (Off), to show what the memo saves.
    conf = render_conf({"KonfirmadoAvailabilityCache": "KonfirmadoAvailabilityCache Off"})
    with contextlib.ExitStack() as extras:
        uncached = [extras.enter_context(start_extra_httpd(conf)).port for _ in PORTS]
        if WARMUP > 0:
            wrk(path, host, WARMUP, uncached)
        u_rps, u_p99, u_bad, u_err = wrk(path, host, ports=uncached)
        c_rps, c_p99, c_bad, c_err = wrk(calendar_path, host, ports=uncached)
    conf = render_conf({"KonfirmadoAvailabilityCache": "KonfirmadoAvailabilityCache Off",
                        "KonfirmadoAvailabilityFactsMemo": "KonfirmadoAvailabilityFactsMemo Off"})
    with contextlib.ExitStack() as extras:
        read_all = [extras.enter_context(start_extra_httpd(conf)).port for _ in PORTS]
        if WARMUP > 0:
            wrk(path, host, WARMUP, read_all)
        r_rps, r_p99, r_bad, r_err = wrk(path, host, ports=read_all)
    print("  uncached      %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (%.1f %% of the baseline; cache"
          " Off: computed every time from kept facts, no read between change notices; target >= 75 %%,"
          " p99 <= 2 x the baseline's)" % (u_rps, u_p99, u_bad, u_err, 100.0 * u_rps / b_rps))
    print("  + calendar    %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (%.0f %% of uncached without"
          " one; target >= 50 %%)" % (c_rps, c_p99, c_bad, c_err, 100.0 * c_rps / u_rps))
    print("  facts read    %9.0f req/s   p99 %7.2f ms   non-2xx %d %s  (%.1f %% of the baseline, cache"
          " Off and KonfirmadoAvailabilityFactsMemo Off: the facts statement every time)"
          % (r_rps, r_p99, r_bad, r_err, 100.0 * r_rps / b_rps))
    RESULTS.update({
        "baseline_rps": b_rps, "baseline_p99_ms": b_p99,
        "static_pct_of_baseline": 100.0 * s_rps / b_rps,
        "cached_pct_of_baseline": 100.0 * a_rps / b_rps,
        "uncached_pct_of_baseline": 100.0 * u_rps / b_rps,
        "facts_read_pct_of_baseline": 100.0 * r_rps / b_rps,
        "db_roundtrip_pct_of_baseline": 100.0 * d_rps / b_rps,
        "cached_rps": a_rps, "cached_p99_ms": a_p99, "static_rps": s_rps, "static_p99_ms": s_p99,
        "cached_pct_of_static": 100.0 * a_rps / s_rps, "uncached_rps": u_rps,
        "uncached_p99_ms": u_p99, "uncached_pct_of_static": 100.0 * u_rps / s_rps,
        "calendar_uncached_rps": c_rps, "calendar_pct_of_uncached": 100.0 * c_rps / u_rps,
        "facts_read_rps": r_rps, "facts_read_p99_ms": r_p99,
        "facts_read_pct_of_static": 100.0 * r_rps / s_rps,
        "db_roundtrip_rps": d_rps, "db_roundtrip_pct_of_static": 100.0 * d_rps / s_rps,
        "non_2xx": a_bad + s_bad + u_bad + c_bad + d_bad + r_bad + b_bad})
    if len(PORTS) == 1:
        after_graceful_restart(stack, path)
    os.unlink(static)


GRACEFUL_ROUNDS = 5
# seconds between the restart and the first requests: the old children finish, the new ones start
GRACEFUL_WAIT = float(os.environ.get("BENCH_GRACEFUL_WAIT", "1.0"))


def concurrent_first_requests(url, host, n):
    """n customers at once, each on a new connection, asking for url: each answer's
    milliseconds and status. curl in parallel, one C process: a Python client's own work
    for 32 threads at once (the interpreter's lock, the parsing of each answer) would be most
    of what it measures (p99 27-38 ms to warm children that curl times at 4 ms)."""
    args = ["curl", "-s", "--parallel", "--parallel-immediate", "--parallel-max", str(n),
            "--max-time", "30", "-H", "Host: " + host, "-H", "Connection: close"]
    for _ in range(n):
        args += ["-o", "/dev/null", "-w", "%{time_total} %{http_code}\\n", url]
    out = subprocess.run(args, capture_output=True, text=True).stdout.split()
    answers = [(float(out[i]) * 1000, int(out[i + 1])) for i in range(0, len(out) - 1, 2)]
    return answers + [(30000.0, 0)] * (n - len(answers))


def first_requests_after_graceful_restart(pidfile, port, host, path, rounds=GRACEFUL_ROUNDS):
    """`rounds` times, the httpd of `pidfile` restarts gracefully and CONNECTIONS customers at
    once, each on a new connection, ask for `path`; then the same again, to the children now
    warm: what this client and machine take anyway (and the first restart follows such
    requests too). (Every first answer's milliseconds,
    sorted; the first answers other than 200; every warm answer's milliseconds, sorted.)"""
    import signal
    with open(pidfile) as f:
        parent = int(f.read())
    url = "http://127.0.0.1:%s%s" % (port, path)
    times, bad, warm = [], 0, []
    # the same requests just before the first restart too, as before the others: a server
    # in service restarts with the answers of the moment before in its cache, not with the
    # cache a pause of several seconds (longer than KonfirmadoAvailabilityCacheTTL) emptied
    concurrent_first_requests(url, host, CONNECTIONS)
    for _ in range(rounds):
        os.kill(parent, signal.SIGUSR1)
        time.sleep(GRACEFUL_WAIT)
        for ms, status in concurrent_first_requests(url, host, CONNECTIONS):
            times.append(ms)
            bad += status != 200
        warm.extend(ms for ms, _ in concurrent_first_requests(url, host, CONNECTIONS))
    return sorted(times), bad, sorted(warm)


def percentile(sorted_ms, pct):
    return sorted_ms[max(0, int(len(sorted_ms) * pct / 100.0) - 1)]


def after_graceful_restart(stack, path):
    """The first requests after a graceful restart (new children, their caches and pooled
    connections empty): GRACEFUL_ROUNDS times, the stack's httpd restarts gracefully and 32
    customers at once, each on a new connection, ask for the availability; p99 of them all."""
    times, bad, warm = first_requests_after_graceful_restart(
        os.path.join(stack["KF_RUNDIR"], "httpd", "httpd.pid"), PORTS[0], stack["KF_BASE_DOMAIN"],
        path)
    p99, warm_p99 = percentile(times, 99), percentile(warm, 99)
    print("  after a graceful restart: %d first requests, p99 %.1f ms, max %.1f ms, non-200 %d"
          "; the same to the warm children: p99 %.1f ms"
          % (len(times), p99, times[-1], bad, warm_p99))
    RESULTS.update({"graceful_first_p99_ms": p99, "graceful_first_non_200": bad,
                    "graceful_warm_p99_ms": warm_p99})


def hold_visibility(stack, api, trials=100):
    """--servers 2: how long a hold taken on one server stays offered by the other (whose
    answers are cached): a hold on the first, then the second's availability asked every
    millisecond or so until the slot is gone. The distribution of those delays."""
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30, "horizon": 30})
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    first, second = ("http://127.0.0.1:%s" % p for p in PORTS[:2])
    headers = {"Host": stack["KF_BASE_DOMAIN"]}
    params = {"service": sc.service_id, "professional": sc.professional_id, "from": day, "days": 14}
    path = "/api/public/links/%s/availability" % sc.slug
    with requests.Session() as a, requests.Session() as b:
        def offered():
            r = b.get(second + path, params=params, headers=headers, timeout=10)
            return [x["start"] for x in r.json()["slots"]]
        delays = []
        for slot in offered()[:trials]:
            offered()   # the second server's answer is cached before the hold
            r = a.post(first + "/api/public/holds", headers=headers, timeout=10,
                       json={"link": sc.slug, "service": sc.service_id,
                             "professional": sc.professional_id, "start": slot})
            assert r.status_code == 201, r.text
            t0 = time.perf_counter()
            while slot in offered():
                if time.perf_counter() - t0 > 5:
                    break
            delays.append((time.perf_counter() - t0) * 1000)
    delays.sort()
    print("hold on one server, gone from the other's answers after: median %.1f ms, p99 %.1f ms,"
          " max %.1f ms (%d holds; target p99 <= 50 ms)"
          % (percentile(delays, 50), percentile(delays, 99), delays[-1], len(delays)))
    RESULTS.update({"cross_server_hold_median_ms": percentile(delays, 50),
                    "cross_server_hold_p99_ms": percentile(delays, 99),
                    "cross_server_hold_max_ms": delays[-1]})


def machine_busy_seconds():
    """The cores' busy and total seconds so far (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / tick, sum(ticks) / tick


# the cores are the bound when they were this busy (share of all the cores' time) under a load
CORES_BOUND_PCT = 90


def two_servers_scaling(stack, api, second):
    """--servers 2: the holds' sustainable maximum (closed loop, HOLD_MAX_CLIENTS) on the
    stack's httpd alone, then split across both httpds, with the CPU of each process over each
    load: each httpd (parent and children), PostgreSQL (every backend) and the load's client
    (wrk and this script), and how busy the cores were. Whether the second server adds what
    the first one could not do depends on which of these is the bound: on 2 cores shared by
    all of them, the cores are."""
    import ab
    roots = {"httpd_1": {int(open(os.path.join(stack["KF_RUNDIR"], "httpd", "httpd.pid")).read())},
             "httpd_2": {int(open(second.pidfile).read())},
             "postgresql": {ab.postmaster_pid(stack)}, "client": {os.getpid()}}
    for servers in (1, 2):
        marks = {}

        def around(when):
            marks[when] = ({name: ab.cpu_seconds(pids) for name, pids in roots.items()},
                           machine_busy_seconds())
        run = holds_run(stack, api, port=PORTS[0] if servers == 1 else None, around=around,
                        clients=HOLD_MAX_CLIENTS,
                        label="distinct slots, %d server%s" % (servers, "s" * (servers > 1)))
        (cpu0, (busy0, all0)), (cpu1, (busy1, all1)) = marks["start"], marks["end"]
        seconds = max(1e-6, all1 - all0) / os.cpu_count()
        RESULTS["two_servers_holds_%d_per_s" % servers] = run["rate"]
        RESULTS["two_servers_busy_%d_pct" % servers] = busy_pct((busy0, all0), (busy1, all1))
        RESULTS["two_servers_cpu_%d" % servers] = {
            name: round(100.0 * (cpu1[name] - cpu0[name]) / seconds, 1) for name in roots}
        print("  %d server(s): %.0f holds/s; cores %.0f %% busy; CPU (%% of one core): %s"
              % (servers, run["rate"], RESULTS["two_servers_busy_%d_pct" % servers],
                 ", ".join("%s %.0f" % kv for kv in RESULTS["two_servers_cpu_%d" % servers].items())))


def with_calendar(sc, reservations, start_day):
    """A second professional of the service, same hours and reservations, with a connected
    calendar read just now holding 40 appointments of its own (not due for a day)."""
    pro = bs.professional(sc.tenant_id, name="Dr. Calendario", hours=bs.ALL_WEEK(("09:00", "17:00")),
                          services=[sc.service_id])
    for s in reservations:
        bs.reservation(sc.tenant_id, sc.service_id, pro, s)
    psql("""INSERT INTO calendar_connections (professional_id, tenant_id, provider, status, account,
              secret_sealed, busy, busy_until, synced_at, sync_due_at)
            SELECT :'p1', :'p2', 'google', 'connected', 'bench@example.com', 'unused',
                   range_agg(tstzrange(s, s + interval '45 minutes')), now() + interval '40 days',
                   now(), now() + interval '1 day'
            FROM (SELECT ((:'p3'::date + (i % 14)) + time '12:10' + make_interval(mins => 20 * (i / 14)))
                           AT TIME ZONE 'America/Bogota' AS s FROM generate_series(0, 39) i) x""",
         pro, sc.tenant_id, start_day.isoformat())
    return pro


def session(stack):
    s = requests.Session()
    s.mount("http://", LoopbackAdapter())
    return s


def fire(stack, bodies, concurrency):
    """POST each body to /api/public/holds from `concurrency` threads (each its own
    connection; thread k talks to server k mod len(PORTS)), all released at once; returns
    (statuses, seconds)."""
    urls = ["http://%s:%s/api/public/holds" % (stack["KF_BASE_DOMAIN"], port)
            for port in (PORTS or [stack["KF_PORT"]])]
    statuses = [None] * len(bodies)
    lock = threading.Lock()
    next_i = [0]
    barrier = threading.Barrier(concurrency + 1)

    def worker(url):
        s = session(stack)
        barrier.wait()
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= len(bodies):
                break
            try:
                # one connection per client: a fresh client, as a customer's browser would be
                statuses[i] = s.post(url, json=bodies[i], timeout=60,
                                     headers={"Connection": "close"}).status_code
            except requests.RequestException as e:
                statuses[i] = "error: %s" % e.__class__.__name__
        s.close()
    threads = [threading.Thread(target=worker, args=(urls[k % len(urls)],)) for k in range(concurrency)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.time()
    for t in threads:
        t.join()
    return statuses, time.time() - t0


def summary(statuses):
    out = {}
    for s in statuses:
        out[s] = out.get(s, 0) + 1
    return out


def contention(stack, api):
    sc = bs.Scenario(api, service={"horizon": 30})
    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    slot = sc.slots(**{"from": day, "days": 1})[0]
    body = {"link": sc.slug, "service": sc.service_id, "professional": sc.professional_id,
            "start": slot["start"]}
    statuses, secs = fire(stack, [body] * 200, 200)
    got = summary(statuses)
    ok = got == {201: 1, 409: 199}
    print("same slot, 200 concurrent clients (%d server%s): %s in %.2f s  -> %s"
          % (len(PORTS), "s" if len(PORTS) > 1 else "", got, secs, "OK" if ok else "WRONG"))
    RESULTS["same_slot_one_winner"] = ok
    same_class(stack, api)
    same_series(stack, api)

    if len(PORTS) == 1:
        # what httpd alone costs per hold: the in-memory baseline answering as many bytes as
        # a hold's answer, at the same connections as the holds' maximum
        slot = sc.slots(**{"from": day, "days": 1})[0]
        answer = api.post("/api/public/holds", json=dict(body, start=slot["start"]))
        assert answer.status_code == 201, answer.text
        path = "/bench-baseline?bytes=%d" % len(answer.content)
        global CONNECTIONS
        saved, CONNECTIONS = CONNECTIONS, HOLD_MAX_CLIENTS
        try:
            if WARMUP > 0:
                wrk(path, stack["KF_BASE_DOMAIN"], WARMUP)
            rps, p99, _, _ = wrk(path, stack["KF_BASE_DOMAIN"])
        finally:
            CONNECTIONS = saved
        print("the baseline at a hold answer's size (%d bytes), %d connections: %.0f req/s, p99 %.2f ms"
              % (len(answer.content), HOLD_MAX_CLIENTS, rps, p99))
        RESULTS.update({"baseline_hold_size_rps": rps, "baseline_hold_size_p99_ms": p99})
        holds_loads(stack, api)
    else:
        run = holds_run(stack, api)
        RESULTS.update({"holds_per_s": run["rate"], "holds_p99_ms": run["p99"],
                        "holds_no_overlap": run["no_overlap"], "holds_socket_errors": run["dropped"]})


CLASS_PLACES = 10


def same_class(stack, api):
    """A group class of CLASS_PLACES places (sql/082: a seat per customer): the same 200
    concurrent clients hold its one start; exactly CLASS_PLACES win, each a seat of its own."""
    sc = bs.Scenario(api, service={"horizon": 30, "duration": 60, "interval": 60})
    psql("UPDATE services SET capacity = :'p1' WHERE id = :'p2'", CLASS_PLACES, sc.service_id)
    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    slot = sc.slots(**{"from": day, "days": 1})[0]
    body = {"link": sc.slug, "service": sc.service_id, "professional": sc.professional_id,
            "start": slot["start"]}
    statuses, secs = fire(stack, [body] * 200, 200)
    got = summary(statuses)
    seats = psql("SELECT string_agg(seat::text, ',' ORDER BY seat) FROM reservations"
                 " WHERE service_id = :'p1' AND status = 'held'", sc.service_id)
    ok = got == {201: CLASS_PLACES, 409: 200 - CLASS_PLACES} and \
        seats == ",".join(str(n) for n in range(1, CLASS_PLACES + 1))
    print("same class of %d places, 200 concurrent clients: %s in %.2f s, seats %s  -> %s"
          % (CLASS_PLACES, got, secs, seats, "OK" if ok else "WRONG"))
    RESULTS["same_class_one_winner_per_place"] = ok


SERIES_COUNT = 4


def same_series(stack, api):
    """Weekly series of SERIES_COUNT (a hold takes every occurrence or none): the same 200
    concurrent clients hold a series starting on one of two days a week apart, so every two
    asks share at least SERIES_COUNT - 1 occurrences; exactly one wins, and its occurrences
    are the only ones held."""
    sc = bs.Scenario(api, service={"horizon": 60, "duration": 60, "interval": 60})
    psql("UPDATE services SET series = :'p1'::jsonb WHERE id = :'p2'",
         '{"every": "week", "min": 2, "max": 12, "pay": "all"}', sc.service_id)
    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    first = sc.slots(**{"from": day, "days": 1, "repeat": "week", "count": SERIES_COUNT})[0]["start"]
    a_week_later = (bs.utc(first) + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bodies = [{"link": sc.slug, "service": sc.service_id, "professional": sc.professional_id,
               "start": (first, a_week_later)[i % 2], "repeat": "week", "count": SERIES_COUNT}
              for i in range(200)]
    statuses, secs = fire(stack, bodies, 200)
    got = summary(statuses)
    held = psql("SELECT count(*) || ' in ' || count(DISTINCT series_id) || ' series' FROM reservations"
                " WHERE service_id = :'p1' AND status = 'held'", sc.service_id)
    ok = got == {201: 1, 409: 199} and held == "%d in 1 series" % SERIES_COUNT
    print("overlapping weekly series of %d, 200 concurrent clients: %s in %.2f s, held %s  -> %s"
          % (SERIES_COUNT, got, secs, held, "OK" if ok else "WRONG"))
    RESULTS["same_series_one_winner"] = ok


HOLD_CLIENTS = 200


def holds_rate(stack, api, port=None, around=None):
    """holds_run's holds per second (bench/ab.py)."""
    return holds_run(stack, api, port, around)["rate"]


def holds_run(stack, api, port=None, around=None, clients=HOLD_CLIENTS, rate=None, label=None):
    """wrk, `clients` connections, each request a distinct slot (60 professionals, 40 days of
    09:00-17:00 every day, 30-minute slots: 38,400, more than a run takes); the rate is the
    holds the database has at the end, over the run's duration. `port`: another httpd of the
    stack (bench/ab.py), `around(when)` called with "start" and "end" just around wrk. `rate`:
    open loop at that many requests a second (bench/paced.lua) instead of each connection
    sending as soon as it has its answer. Returns {"rate": holds per second, "p99": wrk's p99
    (closed loop), "dropped": socket errors, "paced": paced_figures (open loop)}."""
    import tempfile
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30, "horizon": 45},
                     professionals=[{"name": "Prof %02d" % i, "hours": bs.ALL_WEEK(("09:00", "17:00"))}
                                    for i in range(60)])
    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    rows = []
    for pid in sc.professionals:
        for s in sc.slots(professional=pid, **{"from": day, "days": 40}):
            rows.append({"link": sc.slug, "service": sc.service_id, "professional": pid,
                         "start": s["start"]})
    # interleave professionals, as customers of many professionals would arrive
    rows.sort(key=lambda b: (b["start"], b["professional"]))
    import json
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for b in rows:
            f.write(json.dumps(b) + "\n")
        bodies = f.name
    # one wrk per server, each with its share of the slots (every n-th line) and of the clients;
    # the first WARMUP_HOLDS lines are the warm-up's (200 connections make the MPM start children
    # that open and prepare their database connections: not what a running server measures)
    ports = [port] if port else PORTS
    warm = WARMUP_HOLDS if WARMUP > 0 else 0
    shares, warm_shares = [], []
    for k in range(len(ports)):
        share, warm_share = bodies + ".%d" % k, bodies + ".warm.%d" % k
        with open(bodies) as f, open(share, "w") as out_f, open(warm_share, "w") as warm_f:
            for i, line in enumerate(f):
                if i % len(ports) == k:
                    (warm_f if i < warm else out_f).write(line)
        shares.append(share)
        warm_shares.append(warm_share)

    def run_wrk(files, seconds, paced=None):
        threads = 2 // len(ports) or 1
        env = dict(os.environ, THREADS=str(threads))
        script = os.path.join(HERE, "holds.lua")
        if paced:
            env.update(RATE="%d" % max(1, paced // len(ports)), BODY_SCRIPT=script)
            script = os.path.join(HERE, "paced.lua")
        runs = [subprocess.Popen(["wrk", "-t%d" % threads, "-c%d" % (clients // len(ports)),
                                  "-d%ds" % seconds, "--latency",
                                  "-H", "Host: " + stack["KF_BASE_DOMAIN"], "-s", script,
                                  "http://127.0.0.1:%s/api/public/holds" % p],
                                 env=dict(env, BODIES=share),
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for p, share in zip(ports, files)]
        return [r.communicate()[0] for r in runs]

    def held_now():
        return int(psql("SELECT count(*) FROM reservations WHERE service_id = :'p1' AND status = 'held'",
                        sc.service_id))
    try:
        held_before = 0
        if warm:
            run_wrk(warm_shares, WARMUP)
            held_before = held_now()
        if around:
            around("start")
        try:
            outs = run_wrk(shares, DURATION, rate)
        finally:
            if around:
                around("end")
    finally:
        for f in [bodies] + shares + warm_shares:
            os.unlink(f)
    p99 = max(p99_ms(o) for o in outs)
    held = held_now() - held_before
    rows = rows[warm:]
    overlaps = psql("""SELECT count(*) FROM reservations a JOIN reservations b
                       ON a.professional_id = b.professional_id AND a.id < b.id
                      AND a.blocked && b.blocked
                       WHERE a.service_id = :'p1' AND b.service_id = :'p1'
                         AND a.status = 'held' AND b.status = 'held'""", sc.service_id)
    ok = overlaps == "0" and held > 0 and held < len(rows)
    dropped = sum(int(n) for o in outs for m in [re.search(r"Socket errors:(.*)", o)] if m
                  for n in re.findall(r"\d+", m.group(1)))
    out = {"rate": held / DURATION, "p99": p99, "dropped": dropped, "no_overlap": ok}
    if rate:
        out["paced"] = paced_figures(outs)
        dropped = out["paced"]["socket_errors"]
        out["dropped"] = dropped
    print("%s, %d connections, %d s: %d holds taken of %d slots, %s overlaps, %s, %d dropped"
          " connections = %.0f holds/s; no slot held twice -> %s"
          % (label or "distinct slots", clients, DURATION, held, len(rows), overlaps,
             paced_text(out["paced"]) if rate else "p99 %.1f ms" % p99, dropped, held / DURATION,
             "OK" if ok else "WRONG"))
    if held >= len(rows):
        print("  every slot was taken before the end: the rate is a lower bound")
    forget_business(sc.tenant_id)
    return out


def forget_business(tenant_id):
    """A load's business goes away once its figures are read (webhook_ingest.sh does the same
    with its own), and autovacuum's pass over what it left is made now: the tens of thousands
    of holds a load takes would otherwise expire ten minutes later, in the middle of another
    load's measured seconds, and the expiry job's work would be counted as that load's."""
    psql("DELETE FROM tenants WHERE id = :'p1'", tenant_id)
    psql("VACUUM ANALYZE reservations, reservation_history, funnel_events, availability_changes")


def paced_figures(outs):
    """bench/paced.lua's figures from the outputs of the wrk runs of one load (one per server):
    rates summed, the worse of each percentile."""
    fig = {"answered_per_s": 0.0, "not_2xx": 0, "owed": 0, "socket_errors": 0,
           "p50_ms": 0.0, "p99_ms": 0.0, "p999_ms": 0.0, "max_ms": 0.0, "asked_per_s": 0.0}
    for o in outs:
        m = re.search(r"paced: rate (\d+)/s asked, ([\d.]+)/s answered, \d+ answers, (\d+) not 2xx,"
                      r" (\d+) owed", o)
        if not m:
            sys.exit("bench: the paced run gave no figures:\n%s" % o)
        fig["asked_per_s"] += float(m.group(1))
        fig["answered_per_s"] += float(m.group(2))
        fig["not_2xx"] += int(m.group(3))
        fig["owed"] += int(m.group(4))
        m = re.search(r"p50 ([\d.]+) ms, p99 ([\d.]+) ms, p99.9 ([\d.]+) ms, max ([\d.]+) ms", o)
        for key, value in zip(("p50_ms", "p99_ms", "p999_ms", "max_ms"), m.groups()):
            fig[key] = max(fig[key], float(value))
        m = re.search(r"paced socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", o)
        fig["socket_errors"] += sum(int(x) for x in m.groups())
    return fig


def paced_text(fig):
    return ("%.0f/s asked, %.0f/s answered, from the due time p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms"
            % (fig["asked_per_s"], fig["answered_per_s"], fig["p50_ms"], fig["p99_ms"], fig["p999_ms"]))


def busy_pct(before, after):
    """The share of the machine's cores busy between two machine_busy_seconds()."""
    return 100.0 * (after[0] - before[0]) / max(1e-9, after[1] - before[1])


def machine_floor(busy):
    """The machine's own latency at that CPU use (bench/machine_probe.c, as long as a load):
    its p50/p99/p99.9 with no server, no database and no network, the least any server could
    answer in on this machine while it is that busy."""
    import json
    out = subprocess.run([os.environ["BENCH_MACHINE_PROBE"], str(DURATION), "%.1f" % max(1.0, min(busy, 100.0))],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def busy_marks():
    """For a load's `around`: machine_busy_seconds() kept at its "start" and "end" in `marks`.
    Returns (marks, around)."""
    marks = {}
    return marks, lambda when: marks.__setitem__(when, machine_busy_seconds())


def record_machine_floor(prefix, marks):
    """A paced load's CPU use (busy_marks' `marks`) and the machine's own latency at it,
    beside the load's figures."""
    busy = busy_pct(marks["start"], marks["end"])
    floor = machine_floor(busy)
    RESULTS.update({prefix + "busy_pct": busy, prefix + "machine_p50_ms": floor["p50_ms"],
                    prefix + "machine_p99_ms": floor["p99_ms"], prefix + "machine_p999_ms": floor["p999_ms"]})
    print("  the machine alone at that CPU use (%.0f %% busy; bench/machine_probe.c): p50 %.1f ms,"
          " p99 %.1f ms, p99.9 %.1f ms" % (busy, floor["p50_ms"], floor["p99_ms"], floor["p999_ms"]),
          flush=True)


def holds_loads(stack, api):
    """The holds: the 200-connection stress line (closed loop), the sustainable maximum
    (closed loop at HOLD_MAX_CLIENTS connections, with PostgreSQL's CPU per hold), then open
    loop at 50 % and 80 % of the better of the two."""
    import ab
    stress = holds_run(stack, api, label="distinct slots, stress")
    postmaster = ab.postmaster_pid(stack)
    marks = {}

    def around(when):
        marks[when] = ab.cpu_seconds({postmaster})
    best = holds_run(stack, api, around=around, clients=HOLD_MAX_CLIENTS, label="distinct slots, maximum")
    pg_ms = 1000.0 * (marks["end"] - marks["start"]) / max(1.0, best["rate"] * DURATION)
    top = max(stress["rate"], best["rate"])
    RESULTS.update({"holds_per_s": stress["rate"], "holds_p99_ms": stress["p99"],
                    "holds_no_overlap": stress["no_overlap"] and best["no_overlap"],
                    "holds_socket_errors": stress["dropped"] + best["dropped"],
                    "holds_max_per_s": top, "holds_max_clients_per_s": best["rate"],
                    "holds_postgres_cpu_ms": pg_ms})
    print("  sustainable maximum %.0f holds/s; PostgreSQL's CPU %.3f ms per hold" % (top, pg_ms))
    for pct in PACED_SHARES:
        marks, around = busy_marks()
        run = holds_run(stack, api, clients=PACED_CLIENTS, rate=int(top * pct / 100), around=around,
                        label="distinct slots, %d %% of the maximum" % pct)
        for key, value in run["paced"].items():
            RESULTS["holds_paced%d_%s" % (pct, key)] = value
        record_machine_floor("holds_paced%d_" % pct, marks)
        RESULTS["holds_socket_errors"] += run["dropped"]
        RESULTS["holds_no_overlap"] = RESULTS["holds_no_overlap"] and run["no_overlap"]


# Closed loop at this many connections finds the holds' sustainable maximum (a few per core:
# what PostgreSQL serves writes best with; the 200-connection run is the stress line)
HOLD_MAX_CLIENTS = 32
# Open loop: enough connections that a slot never waits for one at these rates
PACED_CLIENTS = 64
PACED_SHARES = (50, 80)


# Providers whose webhooks carry the whole, signed event. Mercado Pago's notice names only
# a payment id that the gateway then asks Mercado Pago about (a merchant-scoped call), so
# its ingest would measure the fake provider's answers too; Cal.com's events are calendar
# changes, measured by the calendar tests, not here.
WEBHOOK_PROVIDERS = ("wompi", "stripe", "airwallex")


def webhook_run(provider, connections=16, rate=None, around=None):
    """bench/webhook_ingest.sh once (BENCH_DURATION seconds): {"rate": verified events applied
    per second, "p99": wrk's (closed loop), "non_2xx", "paced": paced_figures (open loop at
    `rate`)}; `around(when)` called with "start" and "end" just around wrk."""
    import tempfile
    mark = tempfile.mktemp(prefix="kf-bench-")
    env = dict(os.environ, BENCH_MARK=mark)
    if rate:
        env["BENCH_RATE"] = "%d" % rate
    proc = subprocess.Popen([os.path.join(HERE, "webhook_ingest.sh"), str(DURATION), str(connections), provider],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if around:
        for when in ("start", "end"):
            while not os.path.exists(mark + "." + when) and proc.poll() is None:
                time.sleep(0.05)
            around(when)
    out, err = proc.communicate()
    for when in ("start", "end"):
        if os.path.exists(mark + "." + when):
            os.unlink(mark + "." + when)
    if proc.returncode != 0:
        sys.exit("bench: webhook_ingest.sh %s failed:\n%s%s" % (provider, out, err))
    applied = int(re.search(r"applied \(booking paid, callback queued\): (\d+)", out).group(1))
    # closed loop: the load's seconds last until its confirmation mails have left (an approval
    # whose mail is still queued is work the machine still owes); the rate counts them
    drained = re.search(r"mail drained in ([\d.]+) s", out)
    run = {"mail_drain_s": float(drained.group(1)) if drained else 0.0, "applied": applied}
    run.update({"rate": applied / (DURATION + run["mail_drain_s"]), "p99": p99_ms(out),
                "answered_per_s": applied / DURATION,
                "non_2xx": int(re.search(r"non-2xx answers: (\d+)", out).group(1))})
    errors = re.search(r"Socket errors:.*", out)
    run["errors"] = errors.group(0) if errors else ""
    # the load's mails not sent yet when its answers ended (closed loop: before the drain)
    queued = re.search(r"mail_outbox rows still queued: (\d+)", out)
    run["mail_queued"] = int(queued.group(1)) if queued else None
    if rate:
        run["paced"] = paced_figures([out])
    return run


def webhooks():
    """For each provider: bench/webhook_ingest.sh closed loop at each of WEBHOOK_MAX_CLIENTS
    connections; the better rate is the sustainable maximum, its seconds lasting until the
    approvals' confirmation mails have all left, with PostgreSQL's CPU per approval and
    httpd's (their processes' CPU over those seconds: the mail job's work included) from that
    run. Then open loop at 50 % and 80 % of that maximum."""
    import ab
    stack = read_stack_env()
    postmaster = ab.postmaster_pid(stack)
    with open(stack["KF_HTTPD_PIDFILE"]) as f:
        httpd = int(f.read().strip())
    for provider in WEBHOOK_PROVIDERS:
        best = None
        for connections in WEBHOOK_MAX_CLIENTS:
            marks = {}

            def around(when):
                marks[when] = (ab.cpu_seconds({postmaster}), ab.cpu_seconds({httpd}))
            run = webhook_run(provider, connections=connections, around=around)
            approvals = max(1, run["applied"])
            run["pg_ms"] = 1000.0 * (marks["end"][0] - marks["start"][0]) / approvals
            run["httpd_ms"] = 1000.0 * (marks["end"][1] - marks["start"][1]) / approvals
            run["connections"] = connections
            print("webhook ingest %-10s %6.0f events/s with their mails (%.0f/s answered, the mails"
                  " sent %.1f s after the last)   p99 %7.2f ms   non-2xx %d %s (%d connections,"
                  " closed loop); CPU per approval: PostgreSQL %.3f ms, httpd %.3f ms"
                  % (provider, run["rate"], run["answered_per_s"], run["mail_drain_s"], run["p99"],
                     run["non_2xx"], run["errors"], connections, run["pg_ms"], run["httpd_ms"]),
                  flush=True)
            if best is None or run["rate"] > best["rate"]:
                best = run
        print("webhook ingest %-10s the maximum %.0f events/s (%d connections)"
              % (provider, best["rate"], best["connections"]))
        RESULTS.update({"webhook_%s_per_s" % provider: best["rate"],
                        "webhook_%s_p99_ms" % provider: best["p99"],
                        "webhook_%s_non_2xx" % provider: best["non_2xx"],
                        "webhook_%s_clients" % provider: best["connections"],
                        "webhook_%s_postgres_cpu_ms" % provider: best["pg_ms"],
                        "webhook_%s_httpd_cpu_ms" % provider: best["httpd_ms"],
                        "webhook_%s_mail_queued" % provider: best["mail_queued"],
                        "webhook_%s_mail_drain_s" % provider: best["mail_drain_s"],
                        "webhook_%s_answered_per_s" % provider: best["answered_per_s"]})
        for pct in PACED_SHARES:
            marks, around = busy_marks()
            paced = webhook_run(provider, connections=PACED_CLIENTS, rate=int(best["rate"] * pct / 100),
                                around=around)
            print("webhook ingest %-10s %d %% of the maximum: %s, %d not 2xx, %d owed"
                  % (provider, pct, paced_text(paced["paced"]), paced["paced"]["not_2xx"],
                     paced["paced"]["owed"]))
            for key, value in paced["paced"].items():
                RESULTS["webhook_%s_paced%d_%s" % (provider, pct, key)] = value
            record_machine_floor("webhook_%s_paced%d_" % (provider, pct), marks)


# Closed loop at each of these finds the approvals' sustainable maximum, the better of the
# two: a few connections per core is what PostgreSQL serves these transactions best with,
# and on 2 cores either count gave the higher rate, by up to a fifth, from one run to the next
WEBHOOK_MAX_CLIENTS = (8, 16)


def callbacks(stack):
    """bench/callback_delivery.sh: 3,000 booking.paid callbacks queued by signed approvals,
    then delivered by the job to a merchant endpoint that acknowledges at once: the stack's
    in-memory baseline (the fakes' Python receiver answers a few hundred a second, near the
    rate measured)."""
    receiver = "http://127.0.0.1:%s/bench-baseline/" % stack["KF_PORT"]
    run = subprocess.run([os.path.join(HERE, "callback_delivery.sh"), "3000"],
                         capture_output=True, text=True,
                         env=dict(os.environ, BENCH_CALLBACK_RECEIVER=receiver))
    if run.returncode != 0:
        sys.exit("bench: callback_delivery.sh failed:\n%s%s" % (run.stdout, run.stderr))
    out = run.stdout
    m = re.search(r"then (\d+) in ([\d.]+) s = (\d+)/s; failed: (\d+)", out)
    rate, failed = float(m.group(3)), int(m.group(4))
    print("callback delivery: %d signed callbacks in %s s = %.0f/s, failed %d (target >= 500/s)"
          % (int(m.group(1)), m.group(2), rate, failed))
    RESULTS.update({"callbacks_per_s": rate, "callbacks_failed": failed})
    backlog = re.search(r"backlog: (\d+) queued again at once, delivered in ([\d.]+) s = (\d+)/s", out)
    if backlog:
        print("callback delivery, the same queued again at once: %s in %s s = %s/s"
              % backlog.groups())
        RESULTS["callbacks_backlog_per_s"] = float(backlog.group(3))


def hold_insert_limit(stack, api):
    """The hold's insert alone in PostgreSQL, httpd stopped (bench/statement_cost's), at its
    best client count: what PostgreSQL allows the holds whatever httpd does, and its CPU per
    insert."""
    import statement_cost
    import tempfile
    statement_cost.SECONDS, statement_cost.ROUNDS = 4, 2
    with tempfile.TemporaryDirectory() as work:
        runs = statement_cost.hold_insert(stack, api, os.environ["BENCH_PRINT_SQL"], os.environ["BENCH_PGBENCH"],
                                          work, record=False)
    # the rate at its best client count bounds the holds; the cost of an insert is its
    # cheapest, with the fewest backends waiting on each other
    clients, rate, _ = max(((c, r, m) for c, values in runs.items() for r, m in values), key=lambda x: x[1])
    cheapest, cpu = min(((c, m) for c, values in runs.items() for _, m in values), key=lambda x: x[1])
    RESULTS.update({"hold_insert_best_per_s": rate, "hold_insert_best_clients": clients,
                    "hold_insert_cpu_ms": cpu, "hold_insert_cpu_clients": cheapest})
    print("the hold's insert alone: %.0f/s at best (%d clients), %.3f ms of PostgreSQL's CPU at"
          " least (%d clients)" % (rate, clients, cpu, cheapest))


# The hourly jobs' looks, each timed this many times (median)
HOURLY_ROUNDS = 5


def hourly_jobs_reads():
    """The hourly purge's look for hold leftovers and the retention's looks for bookings past
    their business's retention and for abandoned ones, as the module prepares them: each run
    in a transaction rolled back (EXPLAIN ANALYZE's execution time, median of HOURLY_ROUNDS),
    on whatever the database holds (a year of data with --seeded). What they find to clear is
    theirs to write; what they read besides is what an index should spare."""
    import json
    from conftest import statement_with
    printer = os.environ["BENCH_PRINT_SQL"]
    text = lambda kind: subprocess.run([printer, kind], capture_output=True, text=True,  # noqa: E731
                                       check=True).stdout
    now = psql("SELECT now()")
    tomb = ["Persona eliminada", "eliminado@invalid", ""]
    months = [m for m in psql("SELECT DISTINCT data_retention_months FROM tenants ORDER BY 1").split() if m]
    looks = {"purge_hold_leftovers": [text("purge_hold_leftovers")],
             "retention_abandoned": [statement_with(text("abandoned_erase"), [
                 psql("SELECT now() - interval '30 days'")] + tomb)],
             "retention_expired": [statement_with(text("retention_erase"), [
                 m, psql("SELECT :'p1'::timestamptz - make_interval(months => :'p2'::int)", now, m),
                 psql("SELECT :'p1'::timestamptz - make_interval(months => :'p2'::int)", now, m)] + tomb)
                 for m in months]}
    for name, statements in looks.items():
        times = []
        for _ in range(HOURLY_ROUNDS):
            # each statement of the look is one run of the job's (one per retention setting)
            total = 0.0
            for sql in statements:
                out = psql("BEGIN; EXPLAIN (ANALYZE, FORMAT JSON) %s; ROLLBACK;" % sql)
                total += json.loads(out)[0]["Execution Time"]
            times.append(total)
        times.sort()
        RESULTS["hourly_%s_ms" % name] = times[len(times) // 2]
    print("the hourly jobs' looks (median of %d, rolled back): purge of hold leftovers %.2f ms,"
          " retention past the business's months %.2f ms (%d settings), abandoned bookings %.2f ms"
          % (HOURLY_ROUNDS, RESULTS["hourly_purge_hold_leftovers_ms"],
             RESULTS["hourly_retention_expired_ms"], len(months),
             RESULTS["hourly_retention_abandoned_ms"]))


def merchants_figures():
    """The figures job on a busy day (bench/figures.py, httpd stopped): one business's day of
    79,000 bookings computed whole, and the job's refresh of it after a minute's traffic."""
    import figures
    RESULTS.update(figures.measure())


def print_targets():
    """Each target beside its limit measured in this run (bench/targets.py), with its verdict:
    a run of two servers has its own; a run on a year of data is also set beside the newest
    run on an empty database (bench/results/runs.jsonl)."""
    import json
    import targets
    if RESULTS["servers"] == 2:
        rows = targets.two_server_targets(RESULTS)
    else:
        rows = targets.targets(RESULTS, os.cpu_count())
        if int(psql("SELECT count(*) FROM reservations")) >= SEEDED_BOOKINGS:
            with open(os.path.join(HERE, "results", "runs.jsonl")) as f:
                empty = [r for r in map(json.loads, filter(str.strip, f)) if r.get("servers", 1) == 1
                         and r.get("database_bookings", 0) < SEEDED_BOOKINGS]
            if empty:
                rows += targets.seeded_targets(RESULTS, empty[-1]["figures"], os.cpu_count())
    RESULTS["verdicts"] = {r["target"]: r["verdict"] for r in rows}
    print("targets, each against its limit measured in this run:")
    for t in rows:
        print("  %-4s %s: %s%s" % (t["verdict"], t["target"], t["figure"],
                                  "; limit: " + t["limit"] if t["limit"] else ""))


# a run on a database of at least this many bookings is a run "with data" (bench/run --seeded)
SEEDED_BOOKINGS = 500000


def machine():
    """What the figures were measured on: runs are compared only with their own kind."""
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    fs = subprocess.run(["df", "--output=fstype", HERE], capture_output=True, text=True)
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": os.uname().release,
            "filesystem": fs.stdout.split()[-1] if fs.returncode == 0 else "?"}


def commit():
    """The commit measured, "+" when the tree had changes."""
    head = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head + ("+" if dirty else "")


def read_replica(stack, api):
    """--read-replica: availability read on a standby vs the primary, and the standby's lag
    under the holds load."""
    from replica_support import caught_up, on_standby, standby
    import json
    sc, values, start_day, path = availability_scenario(api)
    host = stack["KF_BASE_DOMAIN"]
    uncached = ["KonfirmadoAvailabilityCache Off", "KonfirmadoAvailabilityFactsMemo Off"]
    figures = {}
    with standby() as port:
        caught_up(port)
        on_replica = render_conf(add=uncached + [
            'KonfirmadoReadDatabase "host=127.0.0.1 port=%d dbname=konfirmado user=konfirmado"'
            % port])
        with start_extra_httpd(render_conf(add=uncached)) as primary, \
                start_extra_httpd(on_replica) as replica:
            for name, server in (("primary", primary), ("replica", replica)):
                if WARMUP > 0:
                    wrk(path, host, WARMUP, ports=[server.port])
                rps, p99, non2xx, errors = wrk(path, host, ports=[server.port])
                figures["availability_%s_rps" % name] = rps
                figures["availability_%s_p99_ms" % name] = p99
                print("availability read on the %s: %.0f req/s, p99 %.1f ms%s%s" % (
                    name, rps, p99, ", %d non-2xx" % non2xx if non2xx else "",
                    ", " + errors if errors else ""))
            # the replica's server did read there: its connections are on the standby
            figures["module_connections_on_standby"] = int(on_standby(
                port, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'konfirmado'"
                      " AND backend_type = 'client backend'"))
        figures["availability_replica_vs_primary"] = (figures["availability_replica_rps"] /
                                                      figures["availability_primary_rps"])
        print("replica / primary: %.2f (%d of the module's connections on the standby)" % (
            figures["availability_replica_vs_primary"], figures["module_connections_on_standby"]))
        lags, stop = [], threading.Event()

        def sample():
            while not stop.is_set():
                lags.append(float(psql("SELECT COALESCE(max(EXTRACT(epoch FROM replay_lag)), 0)"
                                       " * 1000 FROM pg_stat_replication") or 0))
                time.sleep(0.1)
        sampler = threading.Thread(target=sample, daemon=True)

        def around(when):
            if when == "start":
                sampler.start()
            else:
                stop.set()
                sampler.join(10)
        figures["holds_per_s_with_standby"] = holds_rate(stack, api, around=around)
    lags.sort()
    figures.update({"replay_lag_median_ms": percentile(lags, 50),
                    "replay_lag_p99_ms": percentile(lags, 99),
                    "replay_lag_max_ms": lags[-1] if lags else 0.0,
                    "replay_lag_samples": len(lags)})
    print("the standby's replay lag under the holds load: median %.1f ms, p99 %.1f ms, at most"
          " %.1f ms (%d samples)" % (figures["replay_lag_median_ms"],
                                      figures["replay_lag_p99_ms"], figures["replay_lag_max_ms"],
                                      len(lags)))
    out = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": commit(),
           "machine": machine(), "duration_s": DURATION, "figures": figures}
    path_out = os.path.join(HERE, "results", "read-replica.json")
    with open(path_out, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("figures written to bench/results/read-replica.json")


def job_intervals():
    """The jobs' intervals the run set (bench/production_intervals.sh), by directive."""
    path = os.path.join(read_stack_env()["KF_RUNDIR"], "vhost.d", "bench-intervals.conf")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {name: int(value) for name, value in (line.split() for line in f if line.strip())}


def record(results):
    """One JSON line in bench/results/runs.jsonl: when, which commit, on what, every figure
    with the baseline of the same run. bench/table makes the README's table from the newest."""
    import json
    line = {"at": results["at"], "commit": commit(), "machine": machine(),
            "servers": results["servers"], "duration_s": DURATION,
            "job_intervals": job_intervals(),
            "database_bookings": int(psql("SELECT count(*) FROM reservations")),
            "figures": {k: v for k, v in sorted(results.items()) if k not in ("at", "servers")}}
    path = os.path.join(HERE, "results", "runs.jsonl")
    with open(path, "a") as f:
        f.write(json.dumps(line, sort_keys=True) + "\n")
    print("figures appended to bench/results/runs.jsonl (bench/table shows the newest)")


def save_and_compare(stack):
    """var/bench/last.json gets this run; the figures of the run before are printed beside."""
    import json
    out_dir = os.path.join(stack["KF_SRCDIR"], "var", "bench")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "last.json")
    previous = None
    if os.path.exists(path):
        with open(path) as f:
            previous = json.load(f)
    RESULTS["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(path + ".tmp", "w") as f:
        json.dump(RESULTS, f, indent=2, sort_keys=True)
    os.replace(path + ".tmp", path)
    record(RESULTS)
    if not previous:
        print("figures written to var/bench/last.json")
        return
    if previous.get("servers", 1) != RESULTS["servers"]:
        print("the run of %s (var/bench/last.json) had %d server(s): not compared"
              % (previous.get("at", "?"), previous.get("servers", 1)))
        return
    print("compared with the run of %s (var/bench/last.json):" % previous.get("at", "?"))
    for key in sorted(RESULTS):
        now, before = RESULTS[key], previous.get(key)
        if isinstance(now, float) and isinstance(before, (int, float)) and before:
            print("  %-26s %10.1f   was %10.1f   %+6.1f %%" % (key, now, before, 100.0 * (now - before) / before))


def main():
    import argparse
    parser = argparse.ArgumentParser(prog="bench/run")
    parser.add_argument("--servers", type=int, choices=(1, 2), default=1,
                        help="httpds of the stack sharing the load (default 1)")
    parser.add_argument("--read-replica", action="store_true",
                        help="availability read on a streaming standby vs the primary, and "
                             "the standby's lag under the holds load")
    args = parser.parse_args()
    stack = read_stack_env()
    api = Api(stack)
    if args.read_replica:
        PORTS.append(stack["KF_PORT"])
        read_replica(stack, api)
        return
    RESULTS["servers"] = args.servers
    PORTS.append(stack["KF_PORT"])
    with contextlib.ExitStack() as servers:
        if args.servers == 2:
            second = servers.enter_context(start_extra_httpd())
            PORTS.append(second.port)
        availability_vs_static(stack, api)
        contention(stack, api)
        if args.servers == 1:
            webhooks()
            callbacks(stack)
        else:
            hold_visibility(stack, api)
            two_servers_scaling(stack, api, second)
    if args.servers == 1:
        hold_insert_limit(stack, api)
        hourly_jobs_reads()
        merchants_figures()
    print_targets()
    save_and_compare(stack)


if __name__ == "__main__":
    main()
