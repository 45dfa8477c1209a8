"""The Airwallex fake itself (tests/fakes/airwallex.py), through HTTP: logins, intents, the
hosted payment page, signed events to a receiver started here, owner-scoped look-ups,
idempotent refunds, the control API and the outage switch."""
import hashlib
import hmac
import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from receiver_support import receiver  # noqa: F401  (fixture)

T = 10
CLIENT, KEY, SECRET = "awx_client_a", "awx_key_a", "whsec_awx_a"
OTHER, OTHER_KEY = "awx_client_b", "awx_key_b"


@pytest.fixture
def awx(fakes, receiver):
    fakes.config("airwallex", accounts={
        CLIENT: {"api_key": KEY, "name": "Clínica Sonrisa", "webhook_secret": SECRET},
        OTHER: {"api_key": OTHER_KEY, "name": "Other Ltd", "webhook_secret": "whsec_other"},
    }, events_url=receiver.url("/api/webhooks/airwallex"), events_host="konfirmado.localhost:8080")
    return Api(fakes.base("airwallex"))


class Api:
    def __init__(self, base):
        self.base = base

    def login(self, client=CLIENT, key=KEY):
        return requests.post(self.base + "/api/v1/authentication/login",
                             headers={"x-client-id": client, "x-api-key": key}, timeout=T)

    def token(self, client=CLIENT, key=KEY):
        r = self.login(client, key)
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def call(self, method, path, token, body=None, raw=None):
        headers = {"Authorization": "Bearer " + token}
        if body is not None or raw is not None:
            headers["Content-Type"] = "application/json"
        return requests.request(method, self.base + "/api/v1" + path, headers=headers,
                                data=raw if raw is not None else
                                (json.dumps(body) if body is not None else None), timeout=T)

    def intent(self, token, ref="KF-AAAAAAAAAAAAAAAAAAAA", amount="75.76", currency="USD"):
        raw = ('{"request_id": "%s", "amount": %s, "currency": "%s", "merchant_order_id": "%s",'
               ' "return_url": "https://k.example/ok", "metadata": {"reference": "%s"},'
               ' "descriptor": "Consulta"}' % (ref, amount, currency, ref, ref))
        return self.call("POST", "/pa/payment_intents/create", token, raw=raw)

    def control(self, path, body=None):
        r = requests.post(self.base + "/_control/" + path, json=body or {}, timeout=T)
        return r

    def pay(self, intent, action, secret=None):
        return requests.post(self.base + "/checkout/pay", data={
            "intent_id": intent["id"], "client_secret": secret or intent["client_secret"],
            "action": action, "successUrl": "https://k.example/ok?b=1",
            "failUrl": "https://k.example/failed"}, allow_redirects=False, timeout=T)


def check_signature(rec, secret=SECRET):
    ts = rec["headers"]["x-timestamp"]
    assert re.fullmatch(r"\d{13}", ts) and abs(int(ts) / 1000 - time.time()) < 60
    want = hmac.new(secret.encode(), ts.encode() + rec["body"], hashlib.sha256).hexdigest()
    assert rec["headers"]["x-signature"] == want
    return json.loads(rec["body"])


def test_login_and_tokens(awx, fakes):
    r = awx.login()
    assert r.status_code == 201
    body = r.json()
    assert body["token"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", body["expires_at"])
    bad = awx.login(key="wrong")
    assert bad.status_code == 401 and bad.json()["code"] == "credentials_invalid"
    assert awx.login(client="nobody").status_code == 401
    logins = awx.control("logins").json()
    assert logins["count"] == 3
    assert [(x["client_id"], x["ok"]) for x in logins["logins"]] == [
        (CLIENT, True), (CLIENT, False), ("nobody", False)]
    # an unknown or expired token
    r = awx.call("GET", "/account", "nope")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    fakes.config("airwallex", token_ttl=1)
    tok = awx.token()
    assert awx.call("GET", "/account", tok).status_code == 200
    time.sleep(1.2)
    assert awx.call("GET", "/account", tok).status_code == 401


def test_account(awx):
    r = awx.call("GET", "/account", awx.token())
    assert r.status_code == 200
    assert r.json()["account_details"]["business_details"]["business_name"] == "Clínica Sonrisa"


def test_intent_created_idempotent_and_validated(awx, fakes):
    tok = awx.token()
    r = awx.intent(tok)
    assert r.status_code == 201, r.text
    intent = r.json()
    assert intent["id"].startswith("int_") and intent["client_secret"]
    assert intent["status"] == "REQUIRES_PAYMENT_METHOD"
    assert intent["amount"] == 75.76 and intent["currency"] == "USD"
    assert intent["merchant_order_id"] == "KF-AAAAAAAAAAAAAAAAAAAA"
    assert intent["metadata"] == {"reference": "KF-AAAAAAAAAAAAAAAAAAAA"}
    # the same request_id: the same intent (or Airwallex's duplicate_request when configured)
    again = awx.intent(tok)
    assert again.status_code == 201 and again.json()["id"] == intent["id"]
    fakes.config("airwallex", duplicate_request=True)
    dup = awx.intent(tok)
    assert dup.status_code == 400 and dup.json()["code"] == "duplicate_request"
    # listed by merchant_order_id, for its owner only
    items = awx.call("GET", "/pa/payment_intents?merchant_order_id=KF-AAAAAAAAAAAAAAAAAAAA",
                     tok).json()["items"]
    assert [i["id"] for i in items] == [intent["id"]]
    assert awx.call("GET", "/pa/payment_intents?merchant_order_id=KF-AAAAAAAAAAAAAAAAAAAA",
                    awx.token(OTHER, OTHER_KEY)).json()["items"] == []
    # amounts exactly in the currency's decimals; required fields
    for amount, currency in (("75.765", "USD"), ("0", "USD"), ("10.5", "JPY"), ('"1.00"', "USD")):
        r = awx.intent(tok, ref="KF-B-" + currency + amount.strip('"'), amount=amount,
                       currency=currency)
        assert r.status_code == 400 and r.json()["source"] == "amount", (amount, r.text)
    assert awx.intent(tok, ref="KF-JPY", amount="1500", currency="JPY").json()["amount"] == 1500
    assert awx.intent(tok, ref="KF-KWD", amount="1.234", currency="KWD").status_code == 201
    r = awx.call("POST", "/pa/payment_intents/create", tok,
                 body={"request_id": "x", "amount": 1, "currency": "USD"})
    assert r.status_code == 400 and r.json() == {
        "code": "validation_error", "message": "merchant_order_id must be provided",
        "source": "merchant_order_id"}


def test_lookup_is_owner_scoped(awx):
    tok = awx.token()
    intent = awx.intent(tok).json()
    r = awx.call("GET", "/pa/payment_intents/" + intent["id"], tok)
    assert r.status_code == 200 and r.json()["client_secret"] == intent["client_secret"]
    r = awx.call("GET", "/pa/payment_intents/" + intent["id"], awx.token(OTHER, OTHER_KEY))
    assert r.status_code == 404 and r.json()["code"] == "resource_not_found"
    assert awx.call("GET", "/pa/payment_intents/int_nope", tok).status_code == 404


def test_hosted_page_pay_sends_signed_event(awx, receiver, fakes):
    intent = awx.intent(awx.token()).json()
    page = requests.get(awx.base + "/checkout/", timeout=T)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert 'value="pay"' in page.text and 'value="decline"' in page.text
    assert "location.hash" in page.text
    moved = requests.get(awx.base + "/checkout", allow_redirects=False, timeout=T)
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/airwallex/checkout/")
    shown = requests.get(awx.base + "/checkout/intent", params={
        "intent_id": intent["id"], "client_secret": intent["client_secret"]}, timeout=T)
    assert shown.status_code == 200
    assert shown.json() == {"id": intent["id"], "amount": 75.76, "currency": "USD",
                            "status": "REQUIRES_PAYMENT_METHOD",
                            "merchant_order_id": "KF-AAAAAAAAAAAAAAAAAAAA",
                            "merchant_name": "Clínica Sonrisa"}
    wrong = requests.get(awx.base + "/checkout/intent", params={
        "intent_id": intent["id"], "client_secret": "guess"}, timeout=T)
    assert wrong.status_code == 404 and wrong.json()["code"] == "resource_not_found"
    assert awx.pay(intent, "pay", secret="guess").status_code == 400

    r = awx.pay(intent, "pay")
    assert r.status_code == 303 and r.headers["Location"] == "https://k.example/ok?b=1"
    rec = receiver.wait(1)[0]
    assert rec["path"] == "/api/webhooks/airwallex"
    assert rec["headers"]["Host"] == "konfirmado.localhost:8080"
    event = check_signature(rec)
    assert event["name"] == "payment_intent.succeeded" and event["id"].startswith("evt_")
    assert event["account_id"] and event["version"]
    obj = event["data"]["object"]
    assert obj["id"] == intent["id"] and obj["status"] == "SUCCEEDED"
    assert obj["merchant_order_id"] == "KF-AAAAAAAAAAAAAAAAAAAA"
    assert obj["amount"] == 75.76 and obj["captured_amount"] == 75.76
    assert "_owner" not in obj
    assert awx.call("GET", "/pa/payment_intents/" + intent["id"],
                    awx.token()).json()["status"] == "SUCCEEDED"
    # paid already: the page refuses a second decision
    assert awx.pay(intent, "decline").status_code == 400
    # the same event sent again, signed anew
    again = awx.control("events/%s/send" % event["id"]).json()
    assert again["delivery"]["status"] == 200
    rec2 = receiver.wait(2)[1]
    assert json.loads(rec2["body"])["id"] == event["id"]
    check_signature(rec2)


def test_hosted_page_decline(awx, receiver):
    intent = awx.intent(awx.token()).json()
    r = awx.pay(intent, "decline")
    assert r.status_code == 303 and r.headers["Location"] == "https://k.example/failed"
    event = check_signature(receiver.wait(1)[0])
    assert event["name"] == "payment_intent.cancelled"
    assert event["data"]["object"]["status"] == "CANCELLED"


def test_control_moves_intents_with_signing_overrides(awx, receiver):
    tok = awx.token()
    intent = awx.intent(tok).json()
    quiet = awx.control("intents/%s/succeed" % intent["id"], {"send": False}).json()
    assert quiet["intent"]["status"] == "SUCCEEDED" and "event" not in quiet
    assert awx.control("intents/%s/cancel" % intent["id"]).status_code == 400
    other = awx.intent(tok, ref="KF-CCCCCCCCCCCCCCCCCCCC").json()
    out = awx.control("intents/%s/cancel" % other["id"],
                      {"secret": "not-the-secret", "timestamp": "1357872222592"}).json()
    assert out["intent"]["status"] == "CANCELLED" and out["delivery"]["status"] == 200
    rec = receiver.wait(1)[0]
    assert rec["headers"]["x-timestamp"] == "1357872222592"
    want = hmac.new(b"not-the-secret", b"1357872222592" + rec["body"], hashlib.sha256).hexdigest()
    assert rec["headers"]["x-signature"] == want
    forged = awx.control("events/%s/send" % out["event"]["id"], {"signature": "00"}).json()
    assert forged["delivery"]["status"] == 200
    assert receiver.wait(2)[1]["headers"]["x-signature"] == "00"
    # an intent made directly for an account
    made = awx.control("intents", {"client_id": CLIENT, "amount": "12.5", "currency": "EUR",
                                   "merchant_order_id": "KF-D", "status": "SUCCEEDED"}).json()
    assert made["intent"]["captured_amount"] == 12.5
    # the API's own cancel: sent after the answer
    third = awx.intent(tok, ref="KF-EEEEEEEEEEEEEEEEEEEE").json()
    r = awx.call("POST", "/pa/payment_intents/%s/cancel" % third["id"], tok, body={})
    assert r.status_code == 200 and r.json()["status"] == "CANCELLED"
    assert json.loads(receiver.wait(3)[2]["body"])["data"]["object"]["id"] == third["id"]


def test_refunds_partial_idempotent_and_signed(awx, receiver, fakes):
    tok = awx.token()
    intent = awx.intent(tok).json()
    unpaid = awx.call("POST", "/pa/refunds/create", tok, raw=(
        '{"request_id": "rf-0", "payment_intent_id": "%s", "amount": 1.00}' % intent["id"]))
    assert unpaid.status_code == 400 and unpaid.json()["code"] == "invalid_status_for_operation"
    awx.control("intents/%s/succeed" % intent["id"], {"send": False})

    def refund(rid, amount, token=tok):
        return awx.call("POST", "/pa/refunds/create", token, raw=(
            '{"request_id": "%s", "payment_intent_id": "%s", "amount": %s,'
            ' "reason": "Booking cancelled", "metadata": {"reference": "KF-AAAAAAAAAAAAAAAAAAAA"}}'
            % (rid, intent["id"], amount)))

    first = refund("rf-1", "30.50")
    assert first.status_code == 201, first.text
    r1 = first.json()
    assert r1["id"].startswith("rfd_") and r1["status"] == "RECEIVED"
    assert r1["amount"] == 30.5 and r1["currency"] == "USD"
    assert r1["payment_intent_id"] == intent["id"] and r1["request_id"] == "rf-1"
    # events after the answer: received, then settled
    got = receiver.wait(2)
    names = [check_signature(g)["name"] for g in got]
    assert names == ["refund.received", "refund.settled"]
    settled = json.loads(got[1]["body"])["data"]["object"]
    assert settled["status"] == "SETTLED" and settled["id"] == r1["id"]
    assert settled["metadata"] == {"reference": "KF-AAAAAAAAAAAAAAAAAAAA"}
    assert settled["payment_intent_id"] == intent["id"] and settled["amount"] == 30.5
    # the same request_id: the same refund, no new money
    again = refund("rf-1", "30.50")
    assert again.status_code == 201 and again.json()["id"] == r1["id"]
    # more than what is left of 75.76
    over = refund("rf-2", "45.27")
    assert over.status_code == 400 and over.json()["source"] == "amount"
    rest = refund("rf-3", "45.26")
    assert rest.status_code == 201
    assert refund("rf-4", "0.01").status_code == 400
    # another account cannot refund it; listed for the owner by intent
    assert refund("rf-5", "1", token=awx.token(OTHER, OTHER_KEY)).status_code == 404
    items = awx.call("GET", "/pa/refunds?payment_intent_id=" + intent["id"], tok).json()["items"]
    assert sorted(i["request_id"] for i in items) == ["rf-1", "rf-3"]
    assert awx.call("GET", "/pa/refunds/" + r1["id"], tok).json()["request_id"] == "rf-1"
    # Airwallex's duplicate_request, when configured
    fakes.config("airwallex", duplicate_request=True)
    dup = refund("rf-1", "30.50")
    assert dup.status_code == 400 and dup.json()["code"] == "duplicate_request"
    recorded = awx.control("refunds").json()["refunds"]
    assert [(x["body"]["request_id"], x["status"]) for x in recorded] == [
        ("rf-0", 400), ("rf-1", 201), ("rf-1", 201), ("rf-2", 400), ("rf-3", 201), ("rf-4", 400),
        ("rf-5", 404), ("rf-1", 400)]
    assert recorded[1]["client_id"] == CLIENT and recorded[1]["body"]["amount"] == 30.5


def test_outage_switch(awx, fakes):
    fakes.config("airwallex", status=503)
    r = awx.login()
    assert r.status_code == 503 and r.json()["code"] == "internal_error"
    assert requests.get(awx.base + "/checkout/", timeout=T).status_code == 503
    # the control API still answers
    assert awx.control("logins").status_code == 200
    fakes.config("airwallex", status=None)
    assert awx.login().status_code == 201
