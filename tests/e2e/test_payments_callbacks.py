"""Merchant callbacks (API.md "Merchant callback"): retries with the same delivery id,
delivery surviving an httpd restart, failed deliveries in the admin list and detail, the
manual re-send, and the README's reference verifier run against a real delivery."""
import os
import re
import subprocess
import tempfile
import time

import pytest

from conftest import SRCDIR, psql, stack_cmd
from payments_helpers import (PayTenant, booking_row, callbacks_for, check_callback_signatures,
                              count, wait_for)


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def attempts_of(booking):
    out = psql("""SELECT a.status_code FROM callback_attempts a
                  JOIN merchant_callbacks c ON c.id = a.callback_id
                  WHERE c.reservation_id = :'p1' ORDER BY a.id""", booking)
    return [int(x) if x else None for x in out.split("\n") if out]


def test_500_twice_then_200_is_delivered_on_the_third_attempt(shop, fakes):
    fakes.config("merchant", statuses=[500, 500], scope="/callback/" + shop.tenant_id)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    got = wait_for(lambda: len(callbacks_for(fakes, shop)) >= 3 and callbacks_for(fakes, shop),
                   timeout=30, what="three deliveries")
    wait_for(lambda: booking_row(booking)[0] == "confirmed", what="confirmed")
    deliveries = {r["headers"]["X-Konfirmado-Delivery"] for r in got}
    assert len(deliveries) == 1, "the delivery id must be the same on every retry"
    assert [r["body"] for r in got] == [got[0]["body"]] * 3, "the same body every time"
    for r in got:
        check_callback_signatures(r, shop.callback_secret)
    # the waits grow (2 s, 4 s ... divided by the stack's KonfirmadoCallbackRetryDivisor 4)
    assert got[1]["time"] - got[0]["time"] >= 0.45
    assert got[2]["time"] - got[1]["time"] >= 0.95
    assert attempts_of(booking) == [500, 500, 200]
    time.sleep(1.5)
    assert len(callbacks_for(fakes, shop)) == 3, "nothing is sent after the acknowledgement"
    detail = shop.api.get("/api/admin/bookings/%s" % booking).json()["booking"]
    assert detail["callback"]["status"] == "delivered"
    assert detail["callback"]["delivery_id"] in deliveries
    assert [a["status_code"] for a in detail["callback_attempts"]] == [500, 500, 200]
    assert all(a["latency_ms"] >= 0 for a in detail["callback_attempts"])
    assert detail["callback_attempts"][2]["response"] == '{"ok": true}'


def test_delivery_survives_an_httpd_restart(shop, fakes):
    fakes.config("merchant", status=500, scope="/callback/" + shop.tenant_id)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    wait_for(lambda: callbacks_for(fakes, shop), what="a first (failed) attempt")
    stack_cmd("httpd", "stop")
    try:
        fakes.config("merchant", status=200)
        seen = len(callbacks_for(fakes, shop))
        time.sleep(2.5)
        assert len(callbacks_for(fakes, shop)) == seen, "httpd is down: nothing is delivered"
        assert booking_row(booking)[0] == "paid"
    finally:
        stack_cmd("httpd", "start")
    got = wait_for(lambda: [r for r in callbacks_for(fakes, shop)][-1:] and
                   booking_row(booking)[0] == "confirmed" and callbacks_for(fakes, shop),
                   timeout=30, what="delivery after the restart")
    assert len({r["headers"]["X-Konfirmado-Delivery"] for r in got}) == 1
    check_callback_signatures(got[-1], shop.callback_secret)


def test_given_up_delivery_is_listed_and_can_be_sent_again(shop, fakes, other_merchant):
    fakes.config("merchant", status=503, body={"error": "mantenimiento"}, scope="/callback/" + shop.tenant_id)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    wait_for(lambda: callbacks_for(fakes, shop), what="a first attempt")
    # skip the hours of the schedule: this is the last attempt allowed
    psql("UPDATE merchant_callbacks SET attempts = 10, next_attempt_at = now() "
         "WHERE reservation_id = :'p1'", booking)
    wait_for(lambda: psql("SELECT status FROM merchant_callbacks WHERE reservation_id = :'p1'",
                          booking) == "failed", timeout=20, what="failed")
    assert booking_row(booking)[0] == "paid"
    listed = shop.api.get("/api/admin/bookings", params={"callback": "failed"}).json()
    assert [b["id"] for b in listed["items"]] == [booking]
    assert shop.api.get("/api/admin/bookings", params={"callback": "delivered"}).json()["total"] == 0
    r = shop.api.get("/api/admin/bookings", params={"callback": "lost"})
    assert r.status_code == 400 and r.json()["error"]["parameter"] == "callback"
    detail = shop.api.get("/api/admin/bookings/%s" % booking).json()["booking"]
    assert detail["callback"]["status"] == "failed"
    assert detail["callback"]["last_status_code"] == 503
    assert "mantenimiento" in detail["callback_attempts"][-1]["response"]
    delivery = detail["callback"]["delivery_id"]

    # another tenant cannot re-send it; without CSRF it is refused
    r = other_merchant.api.post("/api/admin/bookings/%s/callback" % booking)
    assert r.status_code == 404
    r = shop.api.post("/api/admin/bookings/%s/callback" % booking,
                      headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    fakes.config("merchant", status=200)
    r = shop.api.post("/api/admin/bookings/%s/callback" % booking)
    assert r.status_code == 202, r.text
    assert r.json()["callback"] == {"delivery_id": delivery, "status": "pending"}
    wait_for(lambda: booking_row(booking)[0] == "confirmed", timeout=15, what="confirmed")
    last = callbacks_for(fakes, shop)[-1]
    assert last["headers"]["X-Konfirmado-Delivery"] == delivery
    check_callback_signatures(last, shop.callback_secret)
    assert count("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1' AND action = "
                 "'booking.callback_resend'", shop.tenant_id) == 1


def test_resend_refuses_unpaid_and_unknown_bookings(shop):
    booking, _ = shop.pending_booking()
    r = shop.api.post("/api/admin/bookings/%s/callback" % booking)
    assert r.status_code == 409 and r.json()["error"]["code"] == "booking_not_paid"
    r = shop.api.post("/api/admin/bookings/not-a-uuid/callback")
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"


def test_a_business_with_no_callback_url_gets_no_delivery_to_fail(shop, fakes):
    """No system to tell: a paid booking queues nothing, so nothing is attempted, retried,
    listed as failed or alerted on; a re-send says why until a URL is set, then delivers."""
    assert shop.api.patch("/api/admin/tenant", json={"callback_url": None}).status_code == 200
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    wait_for(lambda: booking_row(booking)[0] == "paid", what="paid")
    assert count("SELECT count(*) FROM merchant_callbacks WHERE tenant_id = :'p1'", shop.tenant_id) == 0
    detail = shop.api.get("/api/admin/bookings/%s" % booking).json()["booking"]
    assert detail["callback_attempts"] == []
    r = shop.api.post("/api/admin/bookings/%s/callback" % booking)
    assert r.status_code == 409 and r.json()["error"]["code"] == "callback_url_missing"
    assert count("SELECT count(*) FROM merchant_callbacks WHERE tenant_id = :'p1'", shop.tenant_id) == 0
    # with a URL, the re-send delivers it and the booking is confirmed
    assert shop.api.patch("/api/admin/tenant", json={"callback_url": shop.callback_url}).status_code == 200
    r = shop.api.post("/api/admin/bookings/%s/callback" % booking)
    assert r.status_code == 202, r.text
    wait_for(lambda: booking_row(booking)[0] == "confirmed", timeout=15, what="confirmed")
    check_callback_signatures(callbacks_for(fakes, shop)[-1], shop.callback_secret)


def readme_verifier():
    """The merchant's reference verifier, exactly as docs/payments-and-callbacks.md prints it."""
    with open(os.path.join(SRCDIR, "docs", "payments-and-callbacks.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"```sh verify-konfirmado-signature\n(.*?)```", text, re.S)
    assert m, "docs/payments-and-callbacks.md lacks the ```sh verify-konfirmado-signature block"
    return m.group(1)


def test_readme_verifier_accepts_a_real_delivery_and_refuses_tampering(shop, fakes):
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the callback")[0]
    d = tempfile.mkdtemp()
    script = os.path.join(d, "verify.sh")
    with open(script, "w") as f:
        f.write(readme_verifier())
    body = os.path.join(d, "body.json")
    with open(body, "wb") as f:
        f.write(got["body"].encode("utf-8"))

    def run(secret, header, path):
        # the secret in the environment, as the block asks: never on a command line
        return subprocess.run(["sh", script, header, path], stdout=subprocess.PIPE,
                              env=dict(os.environ, KONFIRMADO_CALLBACK_SECRET=secret),
                              stderr=subprocess.STDOUT, text=True, timeout=30)

    header = got["headers"]["X-Konfirmado-Signature"]
    ok = run(shop.callback_secret, header, body)
    assert ok.returncode == 0, ok.stdout
    assert run("otro-secreto", header, body).returncode != 0
    tampered = os.path.join(d, "tampered.json")
    with open(tampered, "wb") as f:
        f.write(got["body"].replace(ref, ref + "X").encode("utf-8"))
    assert run(shop.callback_secret, header, tampered).returncode != 0
    old = re.sub(r"t=(\d+)", lambda m: "t=%d" % (int(m.group(1)) - 3600), header)
    assert run(shop.callback_secret, old, body).returncode != 0
