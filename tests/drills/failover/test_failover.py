"""The failover drill (docs/high-availability.md): under mixed load (availability reads, holds
and free bookings from customers, signed Wompi events the fake provider sends again until it
is answered 200, as Wompi does) the primary PostgreSQL dies at once (its node's keeper and
server, SIGKILL); pg_auto_failover promotes the synchronous standby, and the module's
connections find it through their multi-host string. Then the dead node comes back (it
rejoins as a standby) and the new primary is killed in turn: the second failover, back.

What a user would notice is checked on the survivor, each time: meanwhile only 503s with
Retry-After (no other error), writes again within seconds, every write answered 2xx still
there (synchronous commit), no slot booked twice, every payment event applied exactly once,
every merchant callback delivered under one delivery id, every mail sent. Its figures are
printed and written to $KF_VARDIR/failover-drill.json (the docs quote them)."""
import json
import os
import random
import subprocess
import threading
import time

from conftest import Api, VARDIR, psql, read_stack_env, render_conf, stack_cmd, start_extra_httpd
from payments_helpers import PayTenant, callbacks_for, count, wait_for
from test_payments_flow import Flow

# seconds of load before the kill, and after the first write the new primary took
BEFORE_KILL = 4
AFTER_FIRST_WRITE = 4
# the most a failover may take here before the drill fails (its target is 15 s: reported)
FAILOVER_LIMIT = 60
PAYMENTS_PER_FAILOVER = 40
WRITES = {"hold", "booking", "webhook"}


class Ledger:
    """Every answer the load got: (time answered, what, status, error code, time asked)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, what, status, code=None, asked=None):
        with self.lock:
            now = time.time()
            self.rows.append((now, what, status, code, asked or now))

    def since(self, t):
        with self.lock:
            return [r for r in self.rows if r[0] >= t]


def error_code(r):
    try:
        return r.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def unexpected(row):
    """An answer no client should get, failover or not: anything but a 2xx, a 503 with
    Retry-After's service_unavailable, or a slot another customer took first."""
    _, what, status, code, _ = row
    if 200 <= status < 300:
        return False
    if status == 503 and code in ("service_unavailable", None):
        return False
    return not (status == 409 and code in ("slot_unavailable", "hold_expired"))


class Load:
    """Customers and a payment provider at once, until stopped."""

    def __init__(self, free, shop, ledger, payments):
        self.free, self.shop, self.ledger = free, shop, ledger
        self.payments = list(payments)          # (booking, reference, transaction id)
        self.applied = []                       # transaction ids answered 200
        self.booked = []                        # (booking id, start) answered 201
        self.held = []                          # hold ids answered 201
        self.stop = threading.Event()
        self.slots = [s["start"] for s in free.slots()]
        self.rng = random.Random(20261127)
        self.threads = [threading.Thread(target=f, daemon=True) for f in
                        (self.reader, self.customer, self.customer, self.provider)]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)

    def answer(self, what, call):
        asked = time.time()
        try:
            r = call()
        except Exception as e:   # the server itself must keep answering through a failover
            self.ledger.add(what, 0, type(e).__name__, asked)
            return None
        code = error_code(r)
        if r.status_code == 503 and not r.headers.get("Retry-After"):
            code = "503 without Retry-After"
        self.ledger.add(what, r.status_code, code, asked)
        return r

    def reader(self):
        served = 0
        while not self.stop.is_set():
            if served % 50 == 0:      # many customers, each within the per-address limit
                api = Api(read_stack_env())
            served += 1
            self.answer("availability", lambda: api.get(
                "/api/public/links/%s/availability" % self.free.slug,
                params={"service": self.free.service, "professional": self.free.professional,
                        "from": self.free_from(), "days": 7}, timeout=10))
            time.sleep(0.05)

    def free_from(self):
        return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))

    def customer(self):
        while not self.stop.is_set():
            api = Api(read_stack_env())       # one customer (one address) a booking
            start = self.rng.choice(self.slots)
            r = self.answer("hold", lambda: api.post("/api/public/holds", json={
                "link": self.free.slug, "service": self.free.service,
                "professional": self.free.professional, "start": start}, timeout=10))
            if r is None or r.status_code != 201:
                time.sleep(0.1)
                continue
            hold = r.json()["hold"]
            self.held.append(hold["id"])
            for _ in range(60):       # the customer tries again while the page says 503
                r = self.answer("booking", lambda: api.post("/api/public/bookings", json={
                    "hold_token": hold["token"], "accepted_terms": True,
                    "customer": {"name": "Ana María Gómez", "email": "ana@example.com",
                                 "phone": "+573001234567"}}, timeout=10))
                if r is None or r.status_code != 503:
                    break
                time.sleep(1)
            if r is not None and r.status_code == 201:
                self.booked.append((r.json()["booking"]["id"], start))

    def provider(self):
        """Wompi: each event sent until it is answered 200, a quarter of a second apart."""
        for booking, reference, tx in self.payments:
            while True:
                asked = time.time()
                try:
                    out = self.shop.resend(tx)
                    status = out["delivery"]["status"]
                    self.ledger.add("webhook", status, None, asked)
                except Exception as e:
                    self.ledger.add("webhook", 0, type(e).__name__, asked)
                    status = 0
                if status == 200:
                    self.applied.append(tx)
                    break
                time.sleep(0.25)
            time.sleep(0.2)
            if self.stop.is_set() and len(self.applied) >= len(self.payments):
                break


def primary_facts():
    """On the primary: whether commits wait for the standby, and the standby's state."""
    out = psql("SELECT current_setting('synchronous_commit'),"
               " current_setting('synchronous_standby_names'),"
               " (SELECT string_agg(sync_state, ',') FROM pg_stat_replication)")
    commit, names, states = out.split("|")
    return {"synchronous_commit": commit, "synchronous_standby_names": names,
            "standby_sync_state": states}


def failover(free, shop, extra_api, report, label):
    """One failover under load; its figures added to report[label]."""
    ledger = Ledger()
    payments = []
    for i in range(PAYMENTS_PER_FAILOVER):
        booking, ref = shop.pending_booking(start_in_days=40 + len(report) * 60 + i)
        payments.append((booking, ref, shop.fire(ref, send=False)["transaction"]["id"]))
    sync = primary_facts()
    assert sync["synchronous_commit"] == "on" and sync["synchronous_standby_names"], sync
    assert sync["standby_sync_state"] in ("sync", "quorum"), sync
    load = Load(free, shop, ledger, payments)
    load.start()
    time.sleep(BEFORE_KILL)
    killed = stack_cmd("ha", "kill-primary").strip().splitlines()[-1]
    killed_at = time.time()      # (the kill itself is one signal, sent before this)
    first_write = None
    while time.time() - killed_at < FAILOVER_LIMIT:
        # a write asked after the kill and answered 2xx: the new primary took it
        writes = [r for r in ledger.since(killed_at)
                  if r[1] in WRITES and 200 <= r[2] < 300 and r[4] >= killed_at]
        if writes:
            first_write = min(r[0] for r in writes)
            break
        time.sleep(0.1)
    assert first_write, "no write succeeded within %d s of the kill" % FAILOVER_LIMIT
    time.sleep(AFTER_FIRST_WRITE)
    load.finish()
    assert len(load.applied) == len(payments), "the provider's events were not all applied"
    rows = ledger.since(0)
    after_kill = [r for r in rows if r[0] >= killed_at]
    bad = [r for r in rows if unexpected(r)]
    figures = {
        "killed": killed,
        "promoted": stack_cmd("ha", "primary").strip(),
        "seconds_to_first_write": round(first_write - killed_at, 1),
        "answers": len(rows),
        "answers_503": sum(1 for r in rows if r[2] == 503),
        "other_errors": len(bad),
        "writes_2xx_after_kill": sum(1 for r in after_kill if r[1] in WRITES and 200 <= r[2] < 300),
        "last_503_after_kill_s": round(max([r[0] for r in after_kill if r[2] == 503],
                                           default=killed_at) - killed_at, 1),
        "synchronous_before": sync,
    }
    report[label] = figures
    print("\n%s: %s" % (label, json.dumps(figures)))
    assert not bad, bad[:10]

    # synchronous commit: every write answered 2xx survived the primary's death
    booked_ids = [b for b, _ in load.booked]
    if booked_ids:
        assert count("SELECT count(*) FROM reservations WHERE id = ANY(string_to_array(:'p1',"
                     " ',')::uuid[])", ",".join(booked_ids)) == len(booked_ids)
    if load.held:
        assert count("SELECT count(*) FROM reservations WHERE id = ANY(string_to_array(:'p1',"
                     " ',')::uuid[])", ",".join(load.held)) == len(load.held)
    # every event applied exactly once: one event row, one move to paid, one callback row
    for booking, ref, tx in payments:
        assert psql("SELECT status FROM payments WHERE reference = :'p1'", ref) == "approved"
        assert count("SELECT count(*) FROM payment_events WHERE event_key = :'p1'",
                     tx + ":APPROVED") == 1
        assert count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'"
                     " AND to_status = 'paid'", booking) == 1
        assert count("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                     booking) == 1
    # the change notices follow the new primary: a slot booked in its database is gone from
    # the extra server's cached answer (TTL 10 s) at once
    notice_seconds = notice_heard(free, extra_api)
    figures["change_notice_heard_s"] = notice_seconds
    return load, payments, killed


def notice_heard(free, api):
    params = {"service": free.service, "professional": free.professional,
              "from": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400 * 10)),
              "days": 1}
    path = "/api/public/links/%s/availability" % free.slug

    def offered():
        r = api.get(path, params=params)
        assert r.status_code == 200, r.text
        return [s["start"] for s in r.json()["slots"]]

    deadline = time.time() + 30
    while True:       # the listener connects again within a second or two of the promotion
        first = offered()
        if first and first == offered():
            break
        assert time.time() < deadline
        time.sleep(0.5)
    start = first[0]
    psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                ends_at, blocked, customer_name, customer_email, customer_phone,
                accepted_terms_at, charge_type, charge_amount, currency)
            SELECT tenant_id, :'p1', :'p2', 'confirmed', :'p3', :'p3'::timestamptz + interval
                   '30 minutes', tstzrange(:'p3', :'p3'::timestamptz + interval '30 minutes'),
                   'Drill', 'drill@example.com', '+573001234567', now(), 'free', 0, 'COP'
            FROM services WHERE id = :'p1'""", free.service, free.professional, start)
    written = time.time()
    while start in offered():
        assert time.time() - written < 5, "the change notice was not heard after the failover"
        time.sleep(0.02)
    return round(time.time() - written, 2)


def rejoin(node, report, label):
    started = time.time()
    stack_cmd("ha", "start", node)
    stack_cmd("ha", "wait-replicated", "180")
    state = stack_cmd("ha", "state")
    assert any(line.startswith(node) and line.rstrip().endswith("secondary")
               for line in state.splitlines()), state
    report[label] = {"node": node, "seconds_to_streaming_standby": round(time.time() - started, 1)}
    print("\n%s: %s" % (label, json.dumps(report[label])))


def test_the_primary_dies_twice_under_load_and_nothing_is_lost_or_doubled(
        merchant, other_merchant, fakes, stack, maildir, allow_log):
    assert stack.get("KF_PG_HA") == "1", "the drill needs a --ha stack (tests/drills/failover/run)"
    allow_log(r"answered 503", r"database", r"connection lost", r"DBD", r"dbd", r"kf_",
              r"read-only", r"Failed to acquire", r"unreachable", r"could not be applied",
              r"not delivered", r"availability notifications", r"callback", r"smtp")
    report = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    shop = PayTenant(merchant, fakes, stack)
    free = Flow(other_merchant, fakes, stack, Api(stack), charge="free", price=0)
    # tools connect with the same multi-host string: migrations land on the primary
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate")
    with start_extra_httpd(render_conf(add=["KonfirmadoAvailabilityCacheTTL 10"])) as extra:
        extra_api = Api(extra.stack)
        all_loads, all_payments = [], []
        load, payments, killed = failover(free, shop, extra_api, report, "first_failover")
        all_loads.append(load)
        all_payments += payments
        subprocess.run([tool, stack["KF_PGURL"]], check=True, stdout=subprocess.PIPE, timeout=60)
        rejoin(killed, report, "first_rejoin")
        load, payments, killed = failover(free, shop, extra_api, report, "second_failover")
        all_loads.append(load)
        all_payments += payments
        rejoin(killed, report, "second_rejoin")
        for line in extra.error_lines():
            assert "answered 500" not in line and "Segmentation" not in line, line

    # no slot is booked twice: the exclusion constraint held on every primary
    doubles = count("""SELECT count(*) FROM reservations a JOIN reservations b
                       ON a.professional_id = b.professional_id AND a.id < b.id
                      AND a.blocked && b.blocked
                      WHERE a.status IN ('held', 'pending_payment', 'paid', 'confirmed')
                        AND b.status IN ('held', 'pending_payment', 'paid', 'confirmed')
                        AND a.tenant_id IN (:'p1', :'p2')""",
                    merchant.tenant_id, other_merchant.tenant_id)
    report["double_bookings"] = doubles
    assert doubles == 0
    # every callback delivered, each booking's under one delivery id
    booked = [b for load in all_loads for b, _ in load.booked]
    ids = [b for b, _, _ in all_payments] + booked
    wait_for(lambda: count("SELECT count(*) FROM merchant_callbacks WHERE status = 'delivered'"
                           " AND reservation_id = ANY(string_to_array(:'p1', ',')::uuid[])",
                           ",".join(ids)) == len(ids), timeout=180, interval=1,
             what="every callback delivered")
    by_booking = {}
    for record in callbacks_for(fakes, shop) + callbacks_for(fakes, free.shop):
        body = record["json"] or {}
        by_booking.setdefault(body.get("booking_id"), set()).add(
            record["headers"]["X-Konfirmado-Delivery"])
    assert all(len(by_booking.get(b, ())) == 1 for b in ids), \
        [b for b in ids if len(by_booking.get(b, ())) != 1]
    report["payments_applied_once"] = len(all_payments)
    report["bookings_confirmed"] = len(booked)
    report["callbacks_delivered"] = len(ids)
    # every mail queued for these tenants sent; copies beyond one (at-least-once delivery,
    # one Message-ID) counted
    wait_for(lambda: count("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND"
                           " tenant_id IN (:'p1', :'p2')", merchant.tenant_id,
                           other_merchant.tenant_id) == 0,
             timeout=180, interval=1, what="every mail sent")
    report["mails_sent"] = count("SELECT count(*) FROM mail_outbox WHERE tenant_id IN"
                                 " (:'p1', :'p2')", merchant.tenant_id, other_merchant.tenant_id)
    ids_seen = [m["Message-ID"] for m in maildir.new()]
    report["mail_copies_beyond_one"] = len(ids_seen) - len(set(ids_seen))
    print("\nfailover drill: %s" % json.dumps(report))
    with open(os.path.join(VARDIR, "failover-drill.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
