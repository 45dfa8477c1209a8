"""Every merchant callback also carries the Standard Webhooks headers (API.md "Merchant
callback"): webhook-id (the delivery id), webhook-timestamp (the t of X-Konfirmado-Signature)
and webhook-signature, keyed with the callback secret's bytes; POST
/api/admin/tenant/callback-secret gives that key as whsec_..., and the official npm
standardwebhooks library verifies real deliveries with it, unchanged, and refuses tampered
ones."""
import base64
import json
import secrets

import pytest

from payments_helpers import PayTenant, callbacks_for, wait_for
from snippets_support import signature_parts, verify_with_official_library, write_capture

SECRET = "/api/admin/tenant/callback-secret"


@pytest.fixture
def shop(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    # the secret again, this time keeping the whsec_ form the answer gives beside it
    r = shop.api.post(SECRET)
    assert r.status_code == 201, r.text
    shop.callback_secret, shop.whsec = r.json()["secret"], r.json()["whsec"]
    return shop


def deliveries(fakes, shop, event, n=1):
    return wait_for(lambda: (lambda got: got if len(got) >= n else None)(
        [c for c in callbacks_for(fakes, shop) if c["headers"].get("X-Konfirmado-Event") == event]),
        what="%d %s callback(s)" % (n, event))


def paid_callback(shop, fakes):
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    return deliveries(fakes, shop, "booking.paid")[0]


def library(tmp_path, whsec, record, **change):
    return verify_with_official_library(whsec, *write_capture(tmp_path, record, **change))[1].strip()


def test_the_secret_is_also_given_as_the_libraries_whsec(merchant):
    r = merchant.api.post(SECRET)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["whsec"] == "whsec_" + base64.b64encode(first["secret"].encode("utf-8")).decode()
    second = merchant.api.post(SECRET).json()
    assert second["whsec"] == "whsec_" + base64.b64encode(second["secret"].encode("utf-8")).decode()
    assert second["whsec"] != first["whsec"]
    # shown once: neither form is in the tenant's view
    view = merchant.api.get("/api/admin/tenant").text
    assert second["secret"] not in view and second["whsec"] not in view


def test_a_paid_booking_s_callback_verifies_with_the_official_library(shop, fakes, tmp_path):
    got = paid_callback(shop, fakes)
    h = got["headers"]
    assert h["webhook-id"] == h["X-Konfirmado-Delivery"]
    assert h["webhook-timestamp"] == signature_parts(got)["t"]
    assert h["webhook-signature"].startswith("v1,")
    assert library(tmp_path / "genuine", shop.whsec, got) == "valid"

    # what a man in the middle could change is refused
    body = got["body"].encode("utf-8")
    tampered = body.replace(b'"monto":%d' % shop.price, b'"monto":%d' % (shop.price - 100))
    assert tampered != body
    assert library(tmp_path / "body", shop.whsec, got, body=tampered) == \
        "invalid: No matching signature found"
    older = dict(h, **{"webhook-timestamp": str(int(h["webhook-timestamp"]) - 1)})
    assert library(tmp_path / "timestamp", shop.whsec, got, headers=older) == \
        "invalid: No matching signature found"
    other_id = dict(h, **{"webhook-id": "another-delivery"})
    assert library(tmp_path / "id", shop.whsec, got, headers=other_id) == \
        "invalid: No matching signature found"
    # another secret (the one this secret replaced is another secret too)
    stranger = "whsec_" + base64.b64encode(secrets.token_urlsafe(32).encode()).decode()
    assert library(tmp_path / "secret", stranger, got) == "invalid: No matching signature found"


def test_a_retry_keeps_its_webhook_id_and_is_signed_again(shop, fakes, tmp_path):
    fakes.config("merchant", statuses=[500], scope="/callback/" + shop.tenant_id)
    paid_callback(shop, fakes)           # the first attempt, answered 500
    first, second = deliveries(fakes, shop, "booking.paid", n=2)[:2]
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == \
        first["headers"]["X-Konfirmado-Delivery"]
    for i, got in enumerate((first, second)):
        assert got["headers"]["webhook-timestamp"] == signature_parts(got)["t"]
        assert library(tmp_path / str(i), shop.whsec, got) == "valid"


def test_the_test_ping_carries_them_too(shop, fakes, tmp_path):
    r = shop.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 200, r.text
    [got] = deliveries(fakes, shop, "ping")
    assert got["headers"]["webhook-id"] == got["headers"]["X-Konfirmado-Delivery"]
    assert got["headers"]["webhook-timestamp"] == signature_parts(got)["t"]
    assert json.loads(got["body"])["evento"] == "ping"
    assert library(tmp_path, shop.whsec, got) == "valid"
