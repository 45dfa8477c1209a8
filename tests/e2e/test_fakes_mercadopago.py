"""The Mercado Pago fake itself (tests/fakes/mercadopago.py), through HTTP: preferences, the
hosted checkout page, signed notifications to a receiver started here, payments scoped to the
account whose token asks, idempotent refunds, the control API and the outage switch."""
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from receiver_support import receiver  # noqa: F401  (fixture)

T = 10
TOKEN = "TEST-5081235371930441-010203-aa11bb22cc33dd44ee55ff6677889900-202809963"
OTHER = "TEST-5081235371930441-010203-99887766554433221100ffeeddccbbaa-303909074"
SECRET = "mp-webhook-secret-202809963"
ACCOUNTS = {
    TOKEN: {"user_id": 202809963, "nickname": "CLINICA_SONRISA", "webhook_secret": SECRET},
    OTHER: {"user_id": 303909074, "nickname": "OTRO_VENDEDOR", "webhook_secret": "other-secret"},
}


@pytest.fixture
def mp(fakes):
    fakes.config("mercadopago", accounts=ACCOUNTS)
    return fakes


def api(fakes, method, path, token=TOKEN, **kw):
    headers = kw.pop("headers", {})
    if token:
        headers["Authorization"] = "Bearer " + token
    return requests.request(method, fakes.base("mercadopago") + path, headers=headers,
                            timeout=T, **kw)


def control(fakes, path, **body):
    r = requests.post(fakes.base("mercadopago") + "/_control" + path, json=body, timeout=T)
    assert r.status_code == 200, r.text
    return r.json()


def new_reference():
    return "KF-" + uuid.uuid4().hex[:20].upper()


def preference(fakes, receiver, reference, key=None, token=TOKEN, **extra):
    body = {
        "items": [{"id": reference, "title": "Limpieza dental", "quantity": 1,
                   "currency_id": "COP", "unit_price": 75.76}],
        "payer": {"email": "ana@example.com", "name": "Ana"},
        "external_reference": reference,
        "back_urls": {"success": "https://clinica.example/ok?booking=b1",
                      "failure": "https://clinica.example/ko",
                      "pending": "https://clinica.example/ok?booking=b1"},
        "auto_return": "approved",
        "notification_url": receiver.url("/api/webhooks/mercadopago?reference=%s"
                                         "&source_news=webhooks" % reference),
    }
    body.update(extra)
    r = api(fakes, "POST", "/checkout/preferences", token=token, json=body,
            headers={"X-Idempotency-Key": key or reference})
    assert r.status_code == 201, r.text
    return r.json()


def signed(notice, secret=SECRET):
    """The notice's x-signature verifies with secret (PROVIDERS.md's manifest)."""
    query = parse_qs(urlsplit(notice["path"]).query)
    sig = dict(part.strip().split("=", 1) for part in notice["headers"]["x-signature"].split(","))
    manifest = "id:%s;request-id:%s;ts:%s;" % (query["data.id"][0].lower(),
                                              notice["headers"]["x-request-id"], sig["ts"])
    want = hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, sig["v1"])


def pay(fakes, pref, decision):
    r = requests.post(fakes.base("mercadopago") + "/checkout/pay",
                      data={"pref_id": pref["id"], "decision": decision},
                      allow_redirects=False, timeout=T)
    assert r.status_code == 302, r.text
    loc = urlsplit(r.headers["Location"])
    return loc, {k: v[0] for k, v in parse_qs(loc.query).items()}


def test_signature_vector_of_providers_md():
    manifest = "id:123456;request-id:bb56a2f1-6aae-46ac-982e-9dcd3581d08e;ts:1742505638683;"
    assert hmac.new(b"mp_secret", manifest.encode(), hashlib.sha256).hexdigest() == \
        "feacb3b594880035653849a0541efc1d33eb558f7405975f9fbff8574c019b48"


def test_preference_page_and_approval_notifies_signed(mp, receiver):
    ref = new_reference()
    pref = preference(mp, receiver, ref)
    assert pref["id"].startswith("202809963-")
    assert pref["collector_id"] == 202809963
    assert pref["external_reference"] == ref
    host = urlsplit(mp.base("mercadopago")).netloc
    assert pref["init_point"] == "http://%s/mercadopago/checkout/pay?pref_id=%s" % (host, pref["id"])
    assert pref["sandbox_init_point"] == pref["init_point"]
    # the same idempotency key: the same preference; another key: a new one
    assert preference(mp, receiver, ref)["id"] == pref["id"]
    assert preference(mp, receiver, ref, key=ref + "-2")["id"] != pref["id"]
    # the owner reads it back, nobody else
    assert api(mp, "GET", "/checkout/preferences/" + pref["id"]).json()["id"] == pref["id"]
    assert api(mp, "GET", "/checkout/preferences/" + pref["id"], token=OTHER).status_code == 404

    page = requests.get(pref["init_point"], timeout=T)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    for text in ("CLINICA_SONRISA", "Limpieza dental", "75.76", "COP", ref,
                 'value="approve"', 'value="reject"', 'value="pending"'):
        assert text in page.text

    loc, q = pay(mp, pref, "approve")
    assert loc.netloc == "clinica.example" and loc.path == "/ok"
    assert q["booking"] == "b1"
    assert q["status"] == q["collection_status"] == "approved"
    assert q["external_reference"] == ref and q["preference_id"] == pref["id"]
    assert q["payment_id"] == q["collection_id"]

    notice = receiver.wait(1)[0]
    query = parse_qs(urlsplit(notice["path"]).query)
    assert urlsplit(notice["path"]).path == "/api/webhooks/mercadopago"
    assert query == {"reference": [ref], "source_news": ["webhooks"],
                     "data.id": [q["payment_id"]], "type": ["payment"]}
    assert notice["headers"]["host"] == "receiver.localhost:%d" % receiver.port
    assert signed(notice)
    assert not signed(notice, "another secret")
    uuid.UUID(notice["headers"]["x-request-id"])
    ts = int(dict(p.split("=", 1) for p in notice["headers"]["x-signature"].split(","))["ts"])
    assert abs(ts / 1000 - time.time()) < 60
    body = json.loads(notice["body"])
    assert body["action"] == "payment.created" and body["type"] == "payment"
    assert body["data"] == {"id": q["payment_id"]}
    assert body["api_version"] == "v1" and body["live_mode"] is False
    assert body["user_id"] == 202809963

    got = api(mp, "GET", "/v1/payments/" + q["payment_id"])
    assert got.status_code == 200
    p = got.json()
    assert p["id"] == int(q["payment_id"])
    assert (p["status"], p["status_detail"]) == ("approved", "accredited")
    assert p["transaction_amount"] == 75.76 and '"transaction_amount": 75.76' in got.text
    assert p["currency_id"] == "COP" and p["external_reference"] == ref
    assert p["collector_id"] == 202809963 and p["date_approved"]
    assert p["transaction_amount_refunded"] == 0 and p["refunds"] == []


def test_reject_and_pending_go_to_their_back_urls(mp, receiver):
    ref = new_reference()
    pref = preference(mp, receiver, ref)
    loc, q = pay(mp, pref, "reject")
    assert loc.path == "/ko" and q["status"] == "rejected"
    p = api(mp, "GET", "/v1/payments/" + q["payment_id"]).json()
    assert (p["status"], p["status_detail"]) == ("rejected", "cc_rejected_other_reason")
    loc, q = pay(mp, pref, "pending")
    assert loc.path == "/ok" and q["status"] == "pending"
    p = api(mp, "GET", "/v1/payments/" + q["payment_id"]).json()
    assert (p["status"], p["status_detail"]) == ("pending", "pending_waiting_payment")
    assert p["payment_type_id"] == "ticket"
    assert all(signed(n) for n in receiver.wait(2))
    found = api(mp, "GET", "/v1/payments/search", params={"external_reference": ref}).json()
    assert [r["status"] for r in found["results"]] == ["rejected", "pending"]
    assert found["paging"]["total"] == 2


def test_expired_preference_makes_nothing(mp, receiver):
    ref = new_reference()
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")
    pref = preference(mp, receiver, ref, expires=True, expiration_date_to=past)
    page = requests.get(pref["init_point"], timeout=T)
    assert 'id="expired"' in page.text and 'value="approve"' not in page.text
    r = requests.post(mp.base("mercadopago") + "/checkout/pay",
                      data={"pref_id": pref["id"], "decision": "approve"},
                      allow_redirects=False, timeout=T)
    assert r.status_code == 400
    assert api(mp, "GET", "/v1/payments/search",
               params={"external_reference": ref}).json()["results"] == []
    assert receiver.got == []
    # a window still open is payable
    future = (datetime.now(timezone.utc) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S.000-04:00")
    pref = preference(mp, receiver, ref, key=ref + "-open", expires=True, expiration_date_to=future)
    assert 'value="approve"' in requests.get(pref["init_point"], timeout=T).text


def test_preferences_refused(mp, receiver):
    ref = new_reference()
    item = {"title": "x", "quantity": 1, "currency_id": "COP", "unit_price": "75.76"}
    r = api(mp, "POST", "/checkout/preferences", json={"items": [item]})
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
    assert r.json()["cause"][0]["code"] == "invalid_unit_price"
    item["unit_price"] = 75.76
    r = api(mp, "POST", "/checkout/preferences", json={"items": [item], "auto_return": "approved"})
    assert r.status_code == 400 and "back_url.success" in r.json()["message"]
    r = api(mp, "POST", "/checkout/preferences", token="TEST-unknown", json={"items": [item]})
    assert r.status_code == 401
    assert r.json() == {"message": "invalid access token", "error": "unauthorized", "status": 401,
                        "cause": []}
    assert api(mp, "POST", "/checkout/preferences", token=None,
               json={"items": [item], "external_reference": ref}).status_code == 401


def test_lookups_are_scoped_to_the_owner(mp, receiver):
    ref = new_reference()
    pref = preference(mp, receiver, ref)
    _, q = pay(mp, pref, "approve")
    mine = api(mp, "GET", "/v1/payments/" + q["payment_id"])
    assert mine.status_code == 200
    theirs = api(mp, "GET", "/v1/payments/" + q["payment_id"], token=OTHER)
    assert theirs.status_code == 404
    err = theirs.json()
    assert (err["message"], err["error"], err["status"]) == ("Payment not found", "not_found", 404)
    assert err["cause"][0]["code"] == 2000
    assert api(mp, "GET", "/v1/payments/999", token=TOKEN).status_code == 404
    assert api(mp, "GET", "/v1/payments/" + q["payment_id"], token=None).status_code == 401
    # the search only shows the caller's payments
    found = api(mp, "GET", "/v1/payments/search", params={"external_reference": ref}).json()
    assert [r["id"] for r in found["results"]] == [int(q["payment_id"])]
    other = api(mp, "GET", "/v1/payments/search", token=OTHER,
                params={"external_reference": ref}).json()
    assert other == {"paging": {"total": 0, "limit": 30, "offset": 0}, "results": []}
    assert api(mp, "GET", "/v1/payments/search", params={"external_reference": "KF-NONE"}
               ).json()["results"] == []
    # users/me names each account
    assert api(mp, "GET", "/users/me").json()["nickname"] == "CLINICA_SONRISA"
    assert api(mp, "GET", "/users/me", token=OTHER).json()["id"] == 303909074
    assert api(mp, "GET", "/users/me", token="APP_USR-unknown").status_code == 401


def test_refunds_idempotent_partial_then_whole(mp, receiver):
    ref = new_reference()
    pref = preference(mp, receiver, ref)
    made = control(mp, "/payments", access_token=TOKEN, preference_id=pref["id"])
    pid = str(made["payment"]["id"])
    assert made["notification"]["delivery"]["status"] == 200
    url = "/v1/payments/%s/refunds" % pid

    # the idempotency key is mandatory
    r = api(mp, "POST", url, json={})
    assert r.status_code == 400
    assert r.json()["cause"][0]["code"] == 4292
    assert r.json()["message"] == "Header-X-Idempotency-Key-can't-be-null"
    # another account's payment is unknown to it
    assert api(mp, "POST", url, token=OTHER, json={}, headers={"X-Idempotency-Key": "x"}
               ).status_code == 404

    part = api(mp, "POST", url, json={"amount": 25.05}, headers={"X-Idempotency-Key": "k1"})
    assert part.status_code == 201, part.text
    refund = part.json()
    assert refund["amount"] == 25.05 and refund["payment_id"] == int(pid)
    assert refund["status"] == "approved" and refund["source"]["type"] == "collector"
    again = api(mp, "POST", url, json={"amount": 25.05}, headers={"X-Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.json()["id"] == refund["id"]
    p = api(mp, "GET", "/v1/payments/" + pid).json()
    assert (p["status"], p["status_detail"]) == ("approved", "partially_refunded")
    assert p["transaction_amount_refunded"] == 25.05 and len(p["refunds"]) == 1

    too_much = api(mp, "POST", url, json={"amount": 60}, headers={"X-Idempotency-Key": "k2"})
    assert too_much.status_code == 400
    rest = api(mp, "POST", url, json={}, headers={"X-Idempotency-Key": "k3"})
    assert rest.status_code == 201 and rest.json()["amount"] == 50.71
    p = api(mp, "GET", "/v1/payments/" + pid).json()
    assert (p["status"], p["status_detail"]) == ("refunded", "refunded")
    assert p["transaction_amount_refunded"] == 75.76 and len(p["refunds"]) == 2
    done = api(mp, "POST", url, json={}, headers={"X-Idempotency-Key": "k4"})
    assert done.status_code == 400
    assert done.json()["message"] == "Payment already refunded"
    assert done.json()["cause"][0]["code"] == 2063
    # a repeat of a refund that went through still answers as it did
    assert api(mp, "POST", url, json={}, headers={"X-Idempotency-Key": "k3"}
               ).json()["id"] == rest.json()["id"]

    calls = control(mp, "/refunds")["refunds"]
    assert [(c["idempotency_key"], c["status"]) for c in calls] == [
        (None, 400), ("x", 404), ("k1", 201), ("k1", 201), ("k2", 400), ("k3", 201),
        ("k4", 400), ("k3", 201)]
    assert calls[2]["body"] == '{"amount": 25.05}'
    # the creation, then one notice per refund made (repeats make none)
    notices = receiver.wait(3)
    assert len(notices) == 3
    assert [json.loads(n["body"])["action"] for n in notices] == [
        "payment.created", "payment.updated", "payment.updated"]
    assert all(signed(n) for n in notices)


def test_control_send_repeats_and_changes(mp, receiver):
    ref = new_reference()
    pref = preference(mp, receiver, ref)
    made = control(mp, "/payments", access_token=TOKEN, preference_id=pref["id"],
                   status="pending", amount=10, currency="USD", external_reference="KF-ELSE",
                   request_id="req-fixed-1")
    p = made["payment"]
    assert (p["status"], p["transaction_amount"], p["currency_id"], p["external_reference"]) == (
        "pending", 10, "USD", "KF-ELSE")
    n = receiver.wait(1)[0]
    assert n["headers"]["x-request-id"] == "req-fixed-1" and signed(n)
    # the notice still goes to the preference's notification_url
    assert parse_qs(urlsplit(n["path"]).query)["reference"] == [ref]

    sent = control(mp, "/payments/%d/send" % p["id"], status="cancelled", status_detail="expired")
    assert sent["payment"]["status"] == "cancelled"
    assert sent["notification"]["body"]["action"] == "payment.updated"
    n = receiver.wait(2)[1]
    assert signed(n)
    assert api(mp, "GET", "/v1/payments/%d" % p["id"]).json()["status_detail"] == "expired"
    # a wrong secret, for negative tests
    control(mp, "/payments/%d/send" % p["id"], secret="wrong")
    n = receiver.wait(3)[2]
    assert not signed(n) and signed(n, "wrong")
    # send false: made, not notified
    control(mp, "/payments", access_token=TOKEN, preference_id=pref["id"], send=False)
    time.sleep(0.2)
    assert len(receiver.got) == 3
    assert len(control(mp, "/notifications")["notifications"]) == 3
    r = requests.post(mp.base("mercadopago") + "/_control/payments/1/send", json={}, timeout=T)
    assert r.status_code == 404


def test_account_level_events_url_with_host(mp, receiver):
    mp.config("mercadopago", events_url="http://127.0.0.1:%d/api/webhooks/mercadopago" % receiver.port,
              events_host="konfirmado.localhost:8080")
    ref = new_reference()
    pref = preference(mp, receiver, ref, notification_url=None)
    _, q = pay(mp, pref, "approve")
    n = receiver.wait(1)[0]
    assert n["headers"]["host"] == "konfirmado.localhost:8080"
    assert n["path"] == "/api/webhooks/mercadopago?data.id=%s&type=payment" % q["payment_id"]
    assert signed(n)


def test_outage_switch(mp, receiver):
    ref = new_reference()
    pref = preference(mp, receiver, ref)
    mp.config("mercadopago", status=503)
    for method, path in (("GET", "/users/me"), ("GET", "/v1/payments/search"),
                         ("POST", "/checkout/preferences")):
        r = api(mp, method, path, json={} if method == "POST" else None)
        assert r.status_code == 503
        assert r.json() == {"message": "fake outage", "error": "internal_error", "status": 503,
                            "cause": []}
    assert requests.get(pref["init_point"], timeout=T).status_code == 503
    # the control API still answers
    assert control(mp, "/refunds") == {"refunds": []}
    mp.config("mercadopago", status=None)
    assert api(mp, "GET", "/users/me").status_code == 200
