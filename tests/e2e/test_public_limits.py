"""Public rate limits per client IP (API.md "Hosts and tenants"): 300 reads a
minute, 60 holds and 20 bookings per 10 minutes, at most 10 active holds per address, 600
bad webhook signatures a minute; 429 too_many_requests with Retry-After; other addresses are
not affected; a valid webhook signature is never limited. Counters are shared by every child
(socache). Each test talks from addresses of its own (conftest's Api)."""
import hashlib
import json
import time

import pytest
import requests

import booking_seed as seed
from conftest import Api
from payments_helpers import PayTenant, booking_row


def assert_429(r, max_wait):
    assert r.status_code == 429, r.text
    assert r.json()["error"]["code"] == "too_many_requests"
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= max_wait


@pytest.fixture
def link(merchant):
    service = seed.service(merchant.tenant_id)
    professional = seed.professional(merchant.tenant_id, services=[service])
    return seed.link(merchant.tenant_id), service, professional


def test_300_reads_a_minute_per_address(stack, link):
    slug = link[0]
    client = Api(stack)
    statuses = [client.get("/api/public/links/%s" % slug).status_code for _ in range(300)]
    assert statuses == [200] * 300
    assert_429(client.get("/api/public/links/%s/availability" % slug), 60)
    assert_429(client.get("/api/public/bookings/00000000-0000-0000-0000-000000000000?token=x"), 60)
    # another customer is not affected
    assert Api(stack).get("/api/public/links/%s" % slug).status_code == 200


def _slots(client, link, n):
    slug, service, professional = link
    r = client.get("/api/public/links/%s/availability" % slug,
                   params={"service": service, "professional": professional,
                           "from": seed.today_plus(1), "days": 7})
    assert r.status_code == 200, r.text
    return [s["start"] for s in r.json()["slots"]][:n]


def _hold(client, link, start):
    slug, service, professional = link
    return client.post("/api/public/holds", json={"link": slug, "service": service,
                                                  "professional": professional, "start": start})


def test_at_most_10_active_holds_per_address(stack, link):
    client = Api(stack)
    starts = _slots(client, link, 24)[::2]      # 30-minute service on a 15-minute grid
    holds = []
    for start in starts[:10]:
        r = _hold(client, link, start)
        assert r.status_code == 201, r.text
        holds.append(r.json()["hold"])
    r = _hold(client, link, starts[10])
    assert_429(r, 600)
    assert int(r.headers["Retry-After"]) > 500          # the first hold lives ~600 s more
    assert Api(stack).post("/api/public/holds", json={     # another address holds it
        "link": link[0], "service": link[1], "professional": link[2],
        "start": starts[10]}).status_code == 201
    # releasing one gives room again
    first = holds[0]
    r = client.delete("/api/public/holds/%s" % first["id"],
                      headers={"Authorization": "Bearer " + first["token"]})
    assert r.status_code == 204
    assert _hold(client, link, starts[11]).status_code == 201


def test_60_holds_per_10_minutes_per_address(stack, link):
    client = Api(stack)
    start = _slots(client, link, 1)[0]
    for i in range(60):
        r = _hold(client, link, start)
        assert r.status_code == 201, (i, r.text)
        hold = r.json()["hold"]
        assert client.delete("/api/public/holds/%s" % hold["id"],
                             headers={"Authorization": "Bearer " + hold["token"]}).status_code == 204
    assert_429(_hold(client, link, start), 600)


def test_20_bookings_per_10_minutes_per_address(stack):
    client = Api(stack)
    for i in range(20):
        r = client.post("/api/public/bookings", json={"hold_token": "x" * 43})
        assert r.status_code in (400, 409), (i, r.text)
    assert_429(client.post("/api/public/bookings", json={"hold_token": "x" * 43}), 600)


def test_bad_webhook_signatures_are_limited_but_valid_ones_never(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    sender = Api(stack)
    url = "/api/webhooks/wompi"

    def event(status, secret):
        tx = {"id": "77-%d" % time.time_ns(), "status": status, "amount_in_cents": shop.price,
              "reference": ref, "currency": "COP"}
        ts = int(time.time())
        checksum = hashlib.sha256(("%s%s%d%d%s" % (tx["id"], status, shop.price, ts, secret))
                                  .encode()).hexdigest()
        return {"event": "transaction.updated", "data": {"transaction": tx},
                "environment": "test", "timestamp": ts,
                "signature": {"properties": ["transaction.id", "transaction.status",
                                             "transaction.amount_in_cents"],
                              "checksum": checksum}}

    bad = event("APPROVED", "test_events_not_the_secret")
    for i in range(600):
        r = sender.post(url, json=bad)
        assert r.status_code == 401, (i, r.text)
    assert_429(sender.post(url, json=bad), 60)
    assert booking_row(booking)[0] == "pending_payment"
    # the merchant's real Wompi, even from that address, is never turned away
    good = sender.post(url, data=json.dumps(event("APPROVED", shop.keys["events_secret"])),
                       headers={"Content-Type": "application/json"})
    assert good.status_code == 200, good.text
    assert booking_row(booking)[0] in ("paid", "confirmed")
