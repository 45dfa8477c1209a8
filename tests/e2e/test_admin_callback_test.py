"""POST /api/admin/tenant/callback-test: a signed X-Konfirmado-Event: ping to the tenant's
callback URL, answered with the merchant server's status, latency and answer, the way the
dashboard's "send test callback" button shows it."""
import json

import pytest

from payments_helpers import PayTenant, callbacks_for, wait_for


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def pings(fakes, shop):
    return [r for r in callbacks_for(fakes, shop) if r["headers"].get("X-Konfirmado-Event") == "ping"]


def test_a_ping_is_signed_and_the_answer_shown(shop, fakes):
    fakes.config("merchant", status=200, body={"recibido": "sí"})
    r = shop.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == 200 and json.loads(out["body"]) == {"recibido": "sí"}
    assert isinstance(out["latency_ms"], int) and 0 <= out["latency_ms"] < 5000
    [got] = wait_for(lambda: pings(fakes, shop), what="the ping")
    body = json.loads(got["body"])
    assert body["evento"] == "ping" and body["tenant_id"] == shop.tenant_id
    # the same signature a booking callback carries, with the tenant's secret
    t, v1 = (dict(p.split("=", 1) for p in got["headers"]["X-Konfirmado-Signature"].split(","))[k] for k in ("t", "v1"))
    import hashlib
    import hmac
    want = hmac.new(shop.callback_secret.encode(), (t + "." + got["body"]).encode(), hashlib.sha256).hexdigest()
    assert hmac.compare_digest(want, v1)
    assert got["headers"]["User-Agent"].startswith("Konfirmado/")
    audit = shop.api.get("/api/admin/audit", params={"action": "tenant.callback_test"}).json()["items"]
    assert audit and audit[0]["changes"] == {"status": 200}


def test_an_error_answer_is_shown_as_it_came(shop, fakes):
    fakes.config("merchant", status=500, body={"error": "boom"})
    r = shop.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == 500 and "boom" in r.json()["body"]
    # nothing was queued: a test is not a delivery
    assert all(c["headers"].get("X-Konfirmado-Event") == "ping" for c in callbacks_for(fakes, shop))


def test_an_unreachable_server_is_a_clear_502(shop, allow_log):
    shop.api.patch("/api/admin/tenant", json={"callback_url": "http://127.0.0.1:9/nothing-listens"})
    r = shop.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 502, r.text
    err = r.json()["error"]
    assert err["code"] == "callback_failed" and err["reason"]


def test_without_url_or_secret_or_csrf(merchant):
    r = merchant.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 409 and r.json()["error"]["code"] == "callback_url_missing"
    assert merchant.api.patch("/api/admin/tenant", json={"callback_url": "https://merchant.example/cb"}).status_code == 200
    r = merchant.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 409 and r.json()["error"]["code"] == "callback_secret_missing"
    del merchant.api.session.headers["X-CSRF-Token"]
    r = merchant.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
