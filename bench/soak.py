#!/usr/bin/python3
"""Soak: mixed traffic against the running stack for SOAK_SECONDS (default 600) —
availability reads, holds taken and released, free bookings made and cancelled, signed Wompi
webhooks whose booking.paid callbacks the job delivers (to the stack's own baseline, which
acknowledges a POST at once), and the merchant's dashboard read the while — while every 10 s
the resident memory (VmRSS) of every httpd child, PostgreSQL's
connections of the module's role and the availability answers' p99 of those 10 s are sampled.
After the warm-up (the first fifth of the run) no child may grow by more than 2 MiB (the
largest growth is also told apart into the child's own memory and the pages of the shared
caches it touched, which count in each child's VmRSS and stop at the caches' size), the
connections may never exceed what the pools allow (DBDMax per child, and one listener
connection per server), the error log must gain no error line, no callback may fail, no
dashboard read may fail, and the p99 of the last windows must stay within twice that of the
first ones. The figures go to
bench/results/soak.jsonl.

    tests/stack up && bench/run soak          (the per-IP limits lifted, as for bench/run)
    SOAK_SECONDS=120 bench/run soak           a shorter run
"""
import datetime as dt
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import booking_seed as bs  # noqa: E402
from conftest import Api, psql, read_stack_env  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
SAMPLE = 10


def children(stack):
    with open(stack["KF_RUNDIR"] + "/httpd/httpd.pid") as f:
        parent = f.read().strip()
    out = subprocess.run(["pgrep", "-P", parent], capture_output=True, text=True).stdout.split()
    return [parent] + out


def heap_settings(stack):
    """glibc's heap settings in httpd's environment (MALLOC_*; "" for glibc's defaults):
    they change how much freed memory each child keeps."""
    with open(stack["KF_RUNDIR"] + "/httpd/httpd.pid") as f:
        parent = f.read().strip()
    with open("/proc/%s/environ" % parent, "rb") as f:
        env = f.read().decode(errors="replace").split("\0")
    return " ".join(sorted(v for v in env if v.startswith("MALLOC_")))


def memory_kb(pid):
    """VmRSS, and the parts of it that are the process's own (RssAnon) and pages of the
    shared memory segments it has touched (RssShmem: the caches every child shares, sized by
    the configuration)."""
    sizes = {"VmRSS": 0, "RssAnon": 0, "RssShmem": 0}
    try:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                key = line.split(":")[0]
                if key in sizes:
                    sizes[key] = int(line.split()[1])
    except OSError:
        pass
    return sizes


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.by = {}
        self.window = []        # availability answers' milliseconds since the last sample

    def add(self, what, status):
        with self.lock:
            key = "%s %s" % (what, "ok" if status < 400 else status)
            self.by[key] = self.by.get(key, 0) + 1

    def took(self, ms):
        with self.lock:
            self.window.append(ms)

    def p99_of_window(self):
        with self.lock:
            w, self.window = sorted(self.window), []
        return w[max(0, int(len(w) * 0.99) - 1)] if w else float("nan")


def db_connections():
    return int(psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'konfirmado'"
                    " AND pid <> pg_backend_pid()"))


def pool_bound(stack, processes):
    """What the pools allow: DBDMax per child, one listener connection per server, this
    script's own psql."""
    with open(stack["KF_HTTPD_CONF"]) as f:
        dbd_max = int(re.search(r"^DBDMax (\d+)", f.read(), re.M).group(1))
    return dbd_max * (processes - 1) + 1 + 1


def error_lines(stack, offset):
    with open(stack["KF_ERROR_LOG"], errors="replace") as f:
        f.seek(offset)
        return [line for line in f.read().splitlines()
                if re.search(r"\[[a-z_]+:(error|crit|alert|emerg)\]", line)]


def reader(stop, sc, days, counts):
    api = Api(read_stack_env())
    while not stop.is_set():
        day = random.choice(days)
        t0 = time.perf_counter()
        r = api.get("/api/public/links/%s/availability" % sc.slug, params={
            "service": sc.service_id, "professional": random.choice(sc.professionals),
            "from": day, "days": random.choice((1, 7))})
        counts.took((time.perf_counter() - t0) * 1000)
        counts.add("availability", r.status_code)


def booker(stop, sc, days, counts):
    api = Api(read_stack_env())
    while not stop.is_set():
        pro = random.choice(sc.professionals)
        r = api.get("/api/public/links/%s/availability" % sc.slug, params={
            "service": sc.service_id, "professional": pro, "from": random.choice(days), "days": 1})
        slots = r.json().get("slots", []) if r.status_code == 200 else []
        if not slots:
            continue
        h = sc.hold(random.choice(slots)["start"], professional=pro, api=api)
        counts.add("hold", h.status_code)
        if h.status_code != 201:
            continue
        hold = h.json()["hold"]
        if random.random() < 0.5:
            counts.add("release", api.delete("/api/public/holds/%s" % hold["id"],
                                             headers={"Authorization": "Bearer " + hold["token"]}).status_code)
            continue
        b = sc.book(hold["token"], api=api)
        counts.add("booking", b.status_code)
        if b.status_code == 201:
            booking = b.json()["booking"]
            c = api.post("/api/public/bookings/%s/cancel" % booking["id"], json={"reason": "soak"},
                         headers={"Authorization": "Bearer " + booking["token"]})
            counts.add("cancel", c.status_code)


def webhooks(stop, events, counts):
    api = Api(read_stack_env())
    for line in events:
        if stop.is_set():
            return
        r = api.post("/api/webhooks/wompi", data=line.encode(), headers={"Content-Type": "application/json"})
        counts.add("webhook", r.status_code)
        time.sleep(0.01)


def dashboard_session(tenant):
    """A session of the tenant's owner (as conftest.seed_merchant writes one): an Api client
    logged in to its dashboard."""
    import hashlib
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    psql("""INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,
                                  absolute_expires_at)
            SELECT :'p1', id, tenant_id, :'p2', now() + interval '1 hour', now() + interval '1 day'
            FROM users WHERE tenant_id = :'p3' LIMIT 1""",
         hashlib.sha256(token.encode()).hexdigest(), csrf, tenant)
    client = Api(read_stack_env())
    client.session.cookies.set("kf_session", token)
    client.session.headers["X-CSRF-Token"] = csrf
    return client


# What a merchant's dashboard reads while its payments come in.
DASHBOARD = ["/api/admin/bookings?per_page=50", "/api/admin/bookings?status=paid",
             "/api/admin/metrics?period=7d", "/api/admin/deliveries?status=failed",
             "/api/admin/customers", "/api/admin/audit"]


def dashboard(stop, client, counts):
    while not stop.is_set():
        for path in DASHBOARD:
            counts.add("dashboard", client.get(path).status_code)
        time.sleep(0.2)


def callbacks_of(tenant):
    return dict(line.split("|") for line in psql(
        "SELECT status, count(*) FROM merchant_callbacks WHERE tenant_id = :'p1' GROUP BY 1",
        tenant).splitlines() if line)


def main():
    stack = read_stack_env()
    api = Api(stack)
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30, "horizon": 30, "charge": "free",
                                   "price": 0},
                     professionals=[{"hours": bs.ALL_WEEK(("08:00", "20:00"))} for _ in range(4)])
    days = [(dt.date.today() + dt.timedelta(days=d)).isoformat() for d in range(2, 16)]
    events_file = os.path.join(stack["KF_RUNDIR"], "soak-events.jsonl")
    receiver = "http://127.0.0.1:%s/bench-baseline/" % stack["KF_PORT"]
    tenant = subprocess.run([sys.executable, os.path.join(HERE, "webhook_seed.py"), "20000", events_file],
                            capture_output=True, text=True, check=True,
                            env=dict(os.environ, BENCH_CALLBACK_URL=receiver)).stdout.strip()
    with open(events_file) as f:
        events = f.read().splitlines()
    counts, stop = Counts(), threading.Event()
    threads = [threading.Thread(target=reader, args=(stop, sc, days, counts)) for _ in range(3)]
    threads += [threading.Thread(target=booker, args=(stop, sc, days, counts)) for _ in range(2)]
    threads += [threading.Thread(target=webhooks, args=(stop, events, counts))]
    threads += [threading.Thread(target=dashboard, args=(stop, dashboard_session(tenant), counts))]
    for t in threads:
        t.daemon = True
        t.start()
    samples = []
    log_offset = os.path.getsize(stack["KF_ERROR_LOG"])
    start = time.time()
    print("soak: %d s of mixed traffic; every %d s: VmRSS of httpd's processes, PostgreSQL"
          " connections, availability p99" % (SECONDS, SAMPLE))
    while time.time() - start < SECONDS:
        time.sleep(SAMPLE)
        pids = children(stack)
        memory = {p: memory_kb(p) for p in pids}
        sizes = {p: m["VmRSS"] for p, m in memory.items()}
        conns, p99 = db_connections(), counts.p99_of_window()
        samples.append({"at": time.time() - start, "rss_kb": sizes, "memory_kb": memory,
                        "connections": conns, "bound": pool_bound(stack, len(pids)),
                        "p99_ms": p99})
        print("  %5.0f s  children %6.1f MB  connections %3d  p99 %6.1f ms  %s"
              % (samples[-1]["at"], sum(list(sizes.values())[1:]) / 1024.0, conns, p99,
                 " ".join("%s:%d" % (p, v // 1024) for p, v in sizes.items())))
    stop.set()
    for t in threads:
        t.join(timeout=15)
    warm = [s for s in samples if s["at"] >= SECONDS / 5.0]
    first, last = warm[0], warm[-1]
    # per child present at both ends of the warm run (the parent included)
    growth_kb = {p: last["rss_kb"][p] - first["rss_kb"][p]
                 for p in first["rss_kb"] if p in last["rss_kb"]}
    worst = max(growth_kb.values()) if growth_kb else 0
    # what the growth was made of, the largest of each part over the same children
    part_kb = {part: max([last["memory_kb"][p][part] - first["memory_kb"][p][part]
                          for p in growth_kb] or [0]) for part in ("RssAnon", "RssShmem")}
    over = [s for s in samples if s["connections"] > s["bound"]]
    errors = error_lines(stack, log_offset)
    k = max(1, len(warm) // 4)
    p99_first = sorted(s["p99_ms"] for s in warm[:k])[k // 2]
    p99_last = sorted(s["p99_ms"] for s in warm[-k:])[k // 2]
    print("requests: " + json.dumps(counts.by, sort_keys=True))
    print("largest growth of a process after warm-up: %+.1f MB (limit +2 MiB); of a process's"
          " own memory at most %+.1f MB, of the shared caches' pages it touched at most %+.1f MB"
          % (worst / 1024.0, part_kb["RssAnon"] / 1024.0, part_kb["RssShmem"] / 1024.0))
    print("PostgreSQL connections: at most %d, the pools allow %d"
          % (max(s["connections"] for s in samples), min(s["bound"] for s in samples)))
    print("error lines in the error log: %d%s" % (len(errors), "".join("\n  " + e for e in errors[:5])))
    print("availability p99: %.1f ms after warm-up, %.1f ms at the end (limit twice)" % (p99_first, p99_last))
    # the callbacks of the last events get a few seconds to arrive
    for _ in range(30):
        cbs = callbacks_of(tenant)
        if not int(cbs.get("pending", 0)):
            break
        time.sleep(1)
    cb_failed = int(cbs.get("failed", 0)) + int(cbs.get("pending", 0))
    dash_failed = sum(n for k, n in counts.by.items() if k.startswith("dashboard ") and k != "dashboard ok")
    print("callbacks: %s (none may fail or stay pending)" % json.dumps(cbs, sort_keys=True))
    failed = (worst > 2048) + bool(over) + bool(errors) + (p99_last > 2 * p99_first) + \
        bool(cb_failed) + bool(dash_failed)
    verdict = "steady" if not failed else "NOT STEADY"
    print("verdict: %s" % verdict)
    with open(os.path.join(HERE, "results", "soak.jsonl"), "a") as f:
        f.write(json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                            "seconds": SECONDS, "httpd_malloc": heap_settings(stack),
                            "largest_growth_kb": worst,
                            "largest_private_growth_kb": part_kb["RssAnon"],
                            "largest_shared_growth_kb": part_kb["RssShmem"],
                            "max_connections": max(s["connections"] for s in samples),
                            "pool_bound": min(s["bound"] for s in samples),
                            "error_lines": len(errors), "p99_first_ms": p99_first,
                            "p99_last_ms": p99_last, "requests": counts.by, "callbacks": cbs,
                            "verdict": verdict},
                           sort_keys=True) + "\n")
    # its bookings' mails would keep the mail job busy for an hour after the run
    psql("DELETE FROM mail_outbox WHERE tenant_id IN (:'p1', :'p2') AND sent_at IS NULL;"
         " DELETE FROM tenants WHERE id IN (:'p1', :'p2')", tenant, sc.tenant_id)
    os.unlink(events_file)
    sys.exit(0 if verdict == "steady" else 1)


if __name__ == "__main__":
    main()
