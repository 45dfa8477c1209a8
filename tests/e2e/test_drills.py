"""Drills (issue 16): faults in the middle of a payment lose nothing.

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
