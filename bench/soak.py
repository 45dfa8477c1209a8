#!/usr/bin/python3
"""Soak: mixed traffic against the running stack for SOAK_SECONDS (default 600) —
availability reads, holds taken and released, free bookings made and cancelled, signed Wompi
webhooks — while the resident memory (VmRSS) of every httpd child is sampled every 10 s.
Memory must not grow after the warm-up (the first fifth of the run): the report compares the
children's total after warm-up with the total at the end.

    tests/stack up && bench/run soak          (the per-IP limits lifted, as for bench/run)
    SOAK_SECONDS=120 bench/run soak           a shorter run
"""
import datetime as dt
import json
import os
import random
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


def rss_kb(pid):
    try:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.by = {}

    def add(self, what, status):
        with self.lock:
            key = "%s %s" % (what, "ok" if status < 400 else status)
            self.by[key] = self.by.get(key, 0) + 1


def reader(stop, sc, days, counts):
    api = Api(read_stack_env())
    while not stop.is_set():
        day = random.choice(days)
        r = api.get("/api/public/links/%s/availability" % sc.slug, params={
            "service": sc.service_id, "professional": random.choice(sc.professionals),
            "from": day, "days": random.choice((1, 7))})
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


def main():
    stack = read_stack_env()
    api = Api(stack)
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30, "horizon": 30, "charge": "free",
                                   "price": 0},
                     professionals=[{"hours": bs.ALL_WEEK(("08:00", "20:00"))} for _ in range(4)])
    days = [(dt.date.today() + dt.timedelta(days=d)).isoformat() for d in range(2, 16)]
    events_file = os.path.join(stack["KF_RUNDIR"], "soak-events.jsonl")
    tenant = subprocess.run([sys.executable, os.path.join(HERE, "webhook_seed.py"), "20000", events_file],
                            capture_output=True, text=True, check=True).stdout.strip()
    with open(events_file) as f:
        events = f.read().splitlines()
    counts, stop = Counts(), threading.Event()
    threads = [threading.Thread(target=reader, args=(stop, sc, days, counts)) for _ in range(3)]
    threads += [threading.Thread(target=booker, args=(stop, sc, days, counts)) for _ in range(2)]
    threads += [threading.Thread(target=webhooks, args=(stop, events, counts))]
    for t in threads:
        t.daemon = True
        t.start()
    samples = []
    start = time.time()
    print("soak: %d s of mixed traffic; VmRSS of httpd's processes every %d s" % (SECONDS, SAMPLE))
    while time.time() - start < SECONDS:
        time.sleep(SAMPLE)
        pids = children(stack)
        sizes = [rss_kb(p) for p in pids]
        samples.append((time.time() - start, sum(sizes[1:]), sizes))
        print("  %5.0f s  children %6.1f MB  %s" % (samples[-1][0], samples[-1][1] / 1024.0,
                                                   " ".join("%s:%d" % (p, s // 1024) for p, s in zip(pids, sizes))))
    stop.set()
    for t in threads:
        t.join(timeout=15)
    warm = [s for s in samples if s[0] >= SECONDS / 5.0]
    first, last = warm[0][1], warm[-1][1]
    peak = max(s[1] for s in warm)
    growth = 100.0 * (last - first) / first if first else 0.0
    print("requests: " + json.dumps(counts.by, sort_keys=True))
    print("children's memory after warm-up %.1f MB, at the end %.1f MB (peak %.1f MB): %+.1f %%"
          % (first / 1024.0, last / 1024.0, peak / 1024.0, growth))
    verdict = "no growth" if growth <= 5.0 else "GROWTH"
    print("verdict: %s (limit +5 %% after warm-up)" % verdict)
    # its bookings' mails would keep the mail job busy for an hour after the run
    psql("DELETE FROM mail_outbox WHERE tenant_id IN (:'p1', :'p2') AND sent_at IS NULL;"
         " DELETE FROM tenants WHERE id IN (:'p1', :'p2')", tenant, sc.tenant_id)
    os.unlink(events_file)
    sys.exit(0 if verdict == "no growth" else 1)


if __name__ == "__main__":
    main()
