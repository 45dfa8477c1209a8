"""Drills: faults in the middle of a payment lose nothing.

kill -9 of httpd children at random points while Wompi webhooks are being applied, 50 times:
Wompi retries an event until it gets a 200 (simulated by sending it again), and in the end
every approved payment has made exactly one paid booking, one recorded event and one merchant
callback row, delivered (maybe more than once, always with the same delivery id: merchants
deduplicate by X-Konfirmado-Delivery)."""
import os
import random
import signal
import subprocess
import threading
import time

from conftest import psql
from payments_helpers import PayTenant, callbacks_for, count, wait_for

ROUNDS = 50


def children(stack):
    with open(stack["KF_HTTPD_PIDFILE"]) as f:
        parent = f.read().strip()
    out = subprocess.run(["pgrep", "-P", parent], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def test_kill_9_while_webhooks_apply_loses_nothing(merchant, fakes, stack, allow_log):
    allow_log(r"answered 50[23]|could not be applied|database")
    shop = PayTenant(merchant, fakes, stack)
    rng = random.Random(20261122)
    bookings = []
    for i in range(ROUNDS):
        booking, ref = shop.pending_booking(start_in_days=3 + i)
        tx = shop.fire(ref, send=False)["transaction"]
        bookings.append((booking, ref, tx["id"]))

    killed = 0
    for booking, ref, tx_id in bookings:
        # the event goes out; a child dies somewhere between 0 and 40 ms into it
        sender = threading.Thread(target=shop.resend, args=(tx_id,))
        sender.start()
        time.sleep(rng.uniform(0, 0.04))
        pids = children(stack)
        if pids:
            try:
                os.kill(rng.choice(pids), signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        sender.join(30)
        # Wompi retries until it is answered 200
        for _ in range(40):
            out = shop.resend(tx_id)
            if out["delivery"]["status"] == 200:
                break
            time.sleep(0.25)
        else:
            raise AssertionError("event of %s never answered 200" % ref)
    assert killed >= ROUNDS // 2

    ids = [b for b, _, _ in bookings]
    for booking, ref, tx_id in bookings:
        assert psql("SELECT status FROM payments WHERE reference = :'p1'", ref) == "approved"
        assert count("SELECT count(*) FROM payment_events WHERE event_key = :'p1'",
                     tx_id + ":APPROVED") == 1
        assert count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'"
                     " AND to_status = 'paid'", booking) == 1
        assert count("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                     booking) == 1
    # every callback delivered (a killed attempt is retried once its lease ends)
    wait_for(lambda: count("SELECT count(*) FROM merchant_callbacks WHERE status = 'delivered'"
                           " AND reservation_id = ANY(string_to_array(:'p1', ',')::uuid[])",
                           ",".join(ids)) == ROUNDS, timeout=120, interval=1,
             what="every callback delivered")
    got = callbacks_for(fakes, shop)
    by_booking = {}
    for record in got:
        body = record["json"] or {}
        by_booking.setdefault(body.get("booking_id"), set()).add(
            record["headers"]["X-Konfirmado-Delivery"])
    for booking in ids:
        assert len(by_booking.get(booking, ())) == 1, booking   # one delivery id each


def test_a_database_outage_of_20_s_loses_nothing(merchant, other_merchant, fakes, stack,
                                                 maildir, allow_log):
    """PostgreSQL stops for 20 s while webhooks, holds, bookings, callbacks and mail are in
    flight: clear 503s during the outage, and after it every approved payment is applied once,
    every callback and the queued mail delivered once."""
    from conftest import Api, pg_down, stack_cmd
    from test_payments_flow import Flow
    allow_log(r"DBD", r"dbd", r"Failed to acquire", r"answered 503", r"database", r"smtp",
              r"not delivered",
              r"connection lost", r"unreachable", r"could not be applied", r"kf_")
    shop = PayTenant(merchant, fakes, stack)
    pending = []
    for i in range(5):
        booking, ref = shop.pending_booking(start_in_days=70 + i)
        pending.append((booking, ref, shop.fire(ref, send=False)["transaction"]["id"]))
    free = Flow(other_merchant, fakes, stack, Api(stack), charge="free", price=0)
    start = free.slots()[0]["start"]
    customer = Api(stack)
    fakes.config("merchant", delay=1)      # callbacks are in flight when the lights go out
    for booking, ref, tx_id in pending[:2]:
        assert shop.resend(tx_id)["delivery"]["status"] == 200
    # a mail queued while the mail server is away (it cannot leave before the outage), the
    # mail server back while the database is down: it must go out once, after the outage
    stack_cmd("mail", "stop")
    try:
        queued = customer.post("/api/auth/forgot-password", json={"email": merchant.email})
        assert queued.status_code == 202
        # its first attempt recorded, so that the outage meets a mail that has failed once
        # (one leased just as the database went away is given back when it returns). While the mail
        # server is away a run tries one mail, the one due longest, and mails other tests
        # left on this stack, each backing off, would take their turns first: this one is
        # made the longest due (unless a run already leased it); a run after the mail server
        # went away may still wait out its back-off first
        psql("UPDATE mail_outbox SET next_attempt_at = now() - interval '1 day'"
             " WHERE recipient = :'p1' AND sent_at IS NULL AND next_attempt_at <= now()",
             merchant.email)
        wait_for(lambda: psql("SELECT count(*) FROM mail_outbox WHERE recipient = :'p1'"
                              " AND attempts >= 1 AND sent_at IS NULL", merchant.email) == "1",
                 timeout=300, interval=0.5, what="the mail's first attempt")
    except BaseException:
        stack_cmd("mail", "start")
        raise
    with pg_down():
        stack_cmd("mail", "start")
        t0 = time.time()
        for booking, ref, tx_id in pending[2:]:
            out = shop.resend(tx_id)
            assert out["delivery"]["status"] == 503, out   # Wompi will retry
        r = customer.post("/api/public/holds", json={
            "link": free.slug, "service": free.service, "professional": free.professional,
            "start": start})
        assert r.status_code == 503 and r.json()["error"]["code"] == "service_unavailable"
        assert r.headers.get("Retry-After")
        r = customer.post("/api/auth/forgot-password", json={"email": merchant.email})
        assert r.status_code == 503
        time.sleep(max(0, 20 - (time.time() - t0)))
    fakes.config("merchant", delay=0)
    # Wompi's retries after the outage
    for booking, ref, tx_id in pending[2:]:
        wait_for(lambda: shop.resend(tx_id)["delivery"]["status"] == 200, timeout=30,
                 interval=1, what="the event accepted again")
    # the booking flow works again: a free booking, its callback delivered
    booked = free.book(start)
    ids = [b for b, _, _ in pending]
    for booking, ref, tx_id in pending:
        assert psql("SELECT status FROM payments WHERE reference = :'p1'", ref) == "approved"
        assert count("SELECT count(*) FROM payment_events WHERE event_key = :'p1'",
                     tx_id + ":APPROVED") == 1
        assert count("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                     booking) == 1
    # nothing half-written: every paid booking has its history line and its callback row
    assert count("SELECT count(*) FROM reservations r WHERE r.tenant_id = :'p1'"
                 " AND r.status IN ('paid', 'confirmed') AND NOT EXISTS (SELECT 1 FROM"
                 " reservation_history h WHERE h.reservation_id = r.id AND h.to_status = 'paid')",
                 merchant.tenant_id) == 0
    wait_for(lambda: count("SELECT count(*) FROM merchant_callbacks WHERE status = 'delivered'"
                           " AND reservation_id = ANY(string_to_array(:'p1', ',')::uuid[])",
                           ",".join(ids + [booked["id"]])) == len(ids) + 1,
             timeout=90, interval=1, what="every callback delivered after the outage")
    by_booking = {}
    for record in callbacks_for(fakes, shop) + callbacks_for(fakes, free.shop):
        body = record["json"] or {}
        by_booking.setdefault(body.get("booking_id"), set()).add(
            record["headers"]["X-Konfirmado-Delivery"])
    for booking in ids + [booked["id"]]:
        assert len(by_booking.get(booking, ())) == 1, booking
    # the mail queued before the outage: delivered, once
    wait_for(lambda: [m for m in maildir.new() if merchant.email in str(m["To"])], timeout=60,
             interval=0.5, what="the queued mail")
    time.sleep(3)
    mails = [m for m in maildir.new() if merchant.email in str(m["To"])]
    assert len(mails) == 1, [m["Subject"] for m in mails]
