"""The Stripe fake itself (tests/fakes/stripe.py), through HTTP: Checkout Sessions, the hosted
page, signed events to a receiver started here, look-ups scoped to the owner, idempotent
refunds, the control API and the outage switch."""
import base64
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

import pytest
import requests

from receiver_support import receiver  # noqa: F401  (fixture)

T = 10
SK = "sk_test_51FakeOwner000000000000abcd"
SK2 = "sk_test_51FakeOther000000000000wxyz"
WHSEC = "whsec_fake_owner_secret"
WHSEC2 = "whsec_fake_other_secret"
REF = "KF-ABCDEFGHIJKLMNOPQRST"


@pytest.fixture
def base(fakes, receiver):
    fakes.config("stripe", accounts={
        SK: {"id": "acct_1Owner", "name": "Clínica Prueba", "webhook_secret": WHSEC},
        SK2: {"id": "acct_1Other", "name": "Otra", "webhook_secret": WHSEC2},
    }, events_url=receiver.url("/api/webhooks/stripe"))
    return fakes.base("stripe")


def api(base, method, path, key=SK, data=None, idem=None):
    headers = {"Authorization": "Bearer " + key} if key else {}
    if idem:
        headers["Idempotency-Key"] = idem
    return requests.request(method, base + "/v1" + path, data=data, headers=headers, timeout=T,
                            allow_redirects=False)


def session_params(ref=REF, amount=5000, **over):
    """What lib/payments/kf_payment_stripe.c sends, as a list of pairs."""
    p = {"mode": "payment",
         "success_url": "http://konfirmado.localhost:8080/book/x/confirmation?booking=b1&s={CHECKOUT_SESSION_ID}",
         "cancel_url": "http://konfirmado.localhost:8080/book/x",
         "client_reference_id": ref, "customer_email": "ana@example.com",
         "line_items[0][price_data][currency]": "usd",
         "line_items[0][price_data][unit_amount]": str(amount),
         "line_items[0][price_data][product_data][name]": "Consulta general",
         "line_items[0][quantity]": "1",
         "metadata[reference]": ref, "payment_intent_data[metadata][reference]": ref,
         "expires_at": str(int(time.time()) + 3600)}
    p.update(over)
    return [(k, v) for k, v in p.items() if v is not None]


def create(base, key=SK, idem=None, **over):
    r = api(base, "POST", "/checkout/sessions", key, session_params(**over), idem or over.get("ref", REF))
    assert r.status_code == 200, r.text
    return r.json()


def verified(rec, secret=WHSEC):
    """The event of a received POST, after checking its Stripe-Signature like Stripe's SDKs."""
    header = rec["headers"]["Stripe-Signature"]
    items = [i.strip().split("=", 1) for i in header.split(",")]
    t = int(next(v for k, v in items if k == "t"))
    v1 = [v for k, v in items if k == "v1"]
    want = hmac.new(secret.encode(), b"%d." % t + rec["body"], hashlib.sha256).hexdigest()
    assert want in v1, "Stripe-Signature does not verify"
    assert abs(time.time() - t) < 60
    return json.loads(rec["body"])


def pay(base, session, decision):
    path = urlsplit(session["url"]).path
    return requests.post(base.rsplit("/stripe", 1)[0] + path, data={"decision": decision},
                         timeout=T, allow_redirects=False)


def control(base, path, **args):
    return requests.post(base + "/_control" + path, json=args, timeout=T)


# ------------------------------------------------------------------ checkout sessions and page

def test_session_created_and_page_served(base):
    s = create(base)
    assert s["id"].startswith("cs_test_") and s["object"] == "checkout.session"
    assert (s["status"], s["payment_status"], s["payment_intent"]) == ("open", "unpaid", None)
    assert s["amount_total"] == 5000 and s["currency"] == "usd" and s["livemode"] is False
    assert s["client_reference_id"] == REF and s["metadata"] == {"reference": REF}
    assert s["customer_email"] == "ana@example.com" and s["mode"] == "payment"
    # the page lives on the host the API was called on
    assert s["url"] == base + "/pay/" + s["id"]
    page = requests.get(s["url"], timeout=T)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<h1 id="merchant">Clínica Prueba</h1>' in page.text
    assert '<span id="amount">50.00</span> <span id="currency">USD</span>' in page.text
    assert "Consulta general" in page.text
    for button in ('id="pay">Pay<', 'id="async">Pay by bank debit (async)<',
                   'id="decline">Card declined<', 'id="cancel">Cancel<'):
        assert button in page.text
    # zero-decimal currencies are shown whole
    cop = create(base, ref="KF-JPY", **{"line_items[0][price_data][currency]": "jpy"})
    assert '<span id="amount">5,000</span> <span id="currency">JPY</span>' in \
        requests.get(cop["url"], timeout=T).text
    assert requests.get(base + "/pay/cs_test_unknown", timeout=T).status_code == 404


def test_session_validation_and_auth(base):
    def err(r, status, code=None, param=None, type_="invalid_request_error"):
        assert r.status_code == status, r.text
        e = r.json()["error"]
        assert e["type"] == type_ and e.get("code") == code and e.get("param") == param
        return e

    post = lambda key=SK, **over: api(base, "POST", "/checkout/sessions", key,  # noqa: E731
                                      session_params(**over))
    err(post(success_url=None), 400, "parameter_missing", "success_url")
    err(post(mode=None), 400, "parameter_missing", "mode")
    err(post(**{"line_items[0][quantity]": None}), 400, "parameter_missing", "line_items[0][quantity]")
    err(post(**{"line_items[0][price_data][currency]": "USD"}), 400, "parameter_invalid",
        "line_items[0][price_data][currency]")
    err(post(**{"line_items[0][price_data][unit_amount]": "50.5"}), 400,
        "parameter_invalid_integer", "line_items[0][price_data][unit_amount]")
    err(post(notify_url="http://x/"), 400, "parameter_unknown", "notify_url")
    err(post(customer_email="not-an-email"), 400, "email_invalid", "customer_email")
    now = int(time.time())
    err(post(expires_at=str(now + 1700)), 400, None, "expires_at")
    err(post(expires_at=str(now + 86400 + 120)), 400, None, "expires_at")
    assert post(expires_at=str(now + 1860)).status_code == 200
    assert post(expires_at=str(now + 86400 - 5)).status_code == 200
    # keys: unknown (masked in the message, as Stripe), missing; Basic auth with the key as user
    e = err(post(key="sk_test_51Unknown00000000000009876"), 401)
    assert e["message"].startswith("Invalid API Key provided: sk_test_****")
    assert e["message"].endswith("9876") and "Unknown" not in e["message"]
    err(api(base, "GET", "/account", key=None), 401)
    basic = requests.get(base + "/v1/account", timeout=T, headers={
        "Authorization": "Basic " + base64.b64encode((SK + ":").encode()).decode()})
    assert basic.status_code == 200 and basic.json()["id"] == "acct_1Owner"
    assert basic.headers["Request-Id"].startswith("req_")
    assert api(base, "GET", "/nothing").status_code == 404


def test_idempotency_keys(base):
    # one set of parameters, sent again as it was (expires_at is read from the clock)
    params = session_params()
    first = api(base, "POST", "/checkout/sessions", SK, params, "KF-IDEM")
    assert first.status_code == 200, first.text
    first = first.json()
    again = api(base, "POST", "/checkout/sessions", SK, params, "KF-IDEM")
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = api(base, "POST", "/checkout/sessions", SK, session_params(amount=6000), "KF-IDEM")
    assert other.status_code == 400 and other.json()["error"]["type"] == "idempotency_error"
    # keys are per account: another account's same key is a request of its own
    mine = api(base, "POST", "/checkout/sessions", SK2, session_params(), "KF-IDEM")
    assert mine.status_code == 200 and mine.json()["id"] != first["id"]
    # an answer refused by validation is not kept: the key can still be used
    bad = api(base, "POST", "/checkout/sessions", SK, session_params(mode=None), "KF-IDEM-2")
    assert bad.status_code == 400
    good = api(base, "POST", "/checkout/sessions", SK, session_params(), "KF-IDEM-2")
    assert good.status_code == 200 and "Idempotent-Replayed" not in good.headers


# ------------------------------------------------------------------ paying and events

def test_pay_sends_signed_completed_event(fakes, base, receiver):
    fakes.config("stripe", events_host="konfirmado.localhost:8080")
    s = create(base)
    r = pay(base, s, "pay")
    assert r.status_code == 303
    assert r.headers["Location"] == ("http://konfirmado.localhost:8080/book/x/confirmation"
                                     "?booking=b1&s=" + s["id"])
    rec = receiver.wait(1)[0]
    assert rec["path"] == "/api/webhooks/stripe"
    assert rec["headers"]["Host"] == "konfirmado.localhost:8080"
    assert rec["headers"]["Content-Type"].startswith("application/json")
    ev = verified(rec)
    assert ev["id"].startswith("evt_") and ev["object"] == "event" and ev["livemode"] is False
    assert ev["type"] == "checkout.session.completed" and ev["api_version"]
    assert isinstance(ev["created"], int) and isinstance(ev["pending_webhooks"], int)
    assert set(ev["request"]) == {"id", "idempotency_key"}
    obj = ev["data"]["object"]
    assert (obj["id"], obj["status"], obj["payment_status"]) == (s["id"], "complete", "paid")
    assert obj["payment_intent"].startswith("pi_") and obj["client_reference_id"] == REF
    assert obj["amount_total"] == 5000 and obj["currency"] == "usd"
    # the owner reads the same state back; the page says it is paid
    got = api(base, "GET", "/checkout/sessions/" + s["id"]).json()
    assert (got["status"], got["payment_status"], got["payment_intent"]) == \
        ("complete", "paid", obj["payment_intent"])
    assert "already been paid" in requests.get(s["url"], timeout=T).text
    assert pay(base, s, "pay").status_code == 200      # a second click pays nothing
    time.sleep(0.3)
    assert len(receiver.got) == 1


def test_async_payment_settles_through_control(base, receiver):
    s = create(base)
    assert pay(base, s, "async").status_code == 303
    ev = verified(receiver.wait(1)[0])
    assert ev["type"] == "checkout.session.completed"
    assert (ev["data"]["object"]["status"], ev["data"]["object"]["payment_status"]) == ("complete", "unpaid")
    assert "processing" in requests.get(s["url"], timeout=T).text
    r = control(base, "/sessions/%s/async_succeeded" % s["id"])
    assert r.status_code == 200 and r.json()["delivery"]["status"] == 200
    ev = verified(receiver.wait(2)[1])
    assert ev["type"] == "checkout.session.async_payment_succeeded"
    assert ev["data"]["object"]["payment_status"] == "paid"
    assert control(base, "/sessions/%s/async_failed" % s["id"]).status_code == 409
    # another one fails
    s2 = create(base, ref="KF-ASYNC2")
    assert control(base, "/sessions/%s/complete" % s2["id"], payment_status="unpaid").status_code == 200
    r = control(base, "/sessions/%s/async_failed" % s2["id"])
    assert r.status_code == 200 and r.json()["event"]["type"] == "checkout.session.async_payment_failed"
    ev = verified(receiver.wait(4)[3])
    assert ev["type"] == "checkout.session.async_payment_failed"
    assert ev["data"]["object"]["payment_status"] == "unpaid"
    # a failed debit cannot be refunded
    refund = api(base, "POST", "/refunds", SK, {"payment_intent": ev["data"]["object"]["payment_intent"]},
                 "kf-refund-async")
    assert refund.status_code == 400


def test_decline_and_cancel_send_nothing(base, receiver):
    s = create(base)
    r = pay(base, s, "decline")
    assert r.status_code == 200 and "Your card was declined." in r.text and 'id="pay"' in r.text
    r = pay(base, s, "cancel")
    assert r.status_code == 303 and r.headers["Location"] == "http://konfirmado.localhost:8080/book/x"
    time.sleep(0.3)
    assert receiver.got == []
    assert api(base, "GET", "/checkout/sessions/" + s["id"]).json()["status"] == "open"


def test_expire_by_api_and_control(base, receiver):
    s = create(base)
    r = api(base, "POST", "/checkout/sessions/%s/expire" % s["id"])
    assert r.status_code == 200 and r.json()["status"] == "expired" and r.json()["url"] is None
    again = api(base, "POST", "/checkout/sessions/%s/expire" % s["id"])
    assert again.status_code == 400 and again.json()["error"]["type"] == "invalid_request_error"
    ev = verified(receiver.wait(1)[0])
    assert ev["type"] == "checkout.session.expired" and ev["data"]["object"]["status"] == "expired"
    page = requests.get(s["url"], timeout=T)
    assert page.status_code == 200 and 'id="expired"' in page.text
    assert pay(base, s, "pay").status_code == 200 and len(receiver.got) == 1
    assert control(base, "/sessions/%s/expire" % s["id"]).status_code == 409
    s2 = create(base, ref="KF-EXP2")
    r = control(base, "/sessions/%s/expire" % s2["id"])
    assert r.status_code == 200 and r.json()["session"]["status"] == "expired"
    assert verified(receiver.wait(2)[1])["data"]["object"]["id"] == s2["id"]


def test_lookup_is_scoped_to_the_owner(base):
    s = create(base)
    assert api(base, "GET", "/checkout/sessions/" + s["id"]).status_code == 200
    other = api(base, "GET", "/checkout/sessions/" + s["id"], key=SK2)
    assert other.status_code == 404
    e = other.json()["error"]
    assert (e["type"], e["code"]) == ("invalid_request_error", "resource_missing")
    assert s["id"] in e["message"]
    assert api(base, "POST", "/checkout/sessions/%s/expire" % s["id"], key=SK2).status_code == 404
    assert api(base, "GET", "/checkout/sessions/cs_test_nothing").status_code == 404


def test_account(base):
    a = api(base, "GET", "/account").json()
    assert a["id"] == "acct_1Owner" and a["object"] == "account"
    assert a["settings"]["dashboard"]["display_name"] == "Clínica Prueba"
    assert a["business_profile"]["name"] == "Clínica Prueba"


# ------------------------------------------------------------------ refunds

def test_refunds_idempotent_partial_and_full(base, receiver):
    s = create(base)
    done = control(base, "/sessions/%s/complete" % s["id"]).json()
    pi = done["session"]["payment_intent"]
    receiver.wait(1)

    r = api(base, "POST", "/refunds", SK, {"payment_intent": pi, "amount": "1500",
                                           "metadata[reference]": REF}, "kf-refund-1")
    assert r.status_code == 200, r.text
    re1 = r.json()
    assert re1["id"].startswith("re_") and re1["object"] == "refund" and re1["status"] == "succeeded"
    assert (re1["amount"], re1["currency"], re1["payment_intent"]) == (1500, "usd", pi)
    assert re1["charge"].startswith("ch_") and re1["metadata"] == {"reference": REF}
    ev = verified(receiver.wait(2)[1])
    assert ev["type"] == "charge.refunded"
    assert ev["request"]["idempotency_key"] == "kf-refund-1"
    ch = ev["data"]["object"]
    assert (ch["id"], ch["payment_intent"], ch["amount"]) == (re1["charge"], pi, 5000)
    assert (ch["amount_refunded"], ch["refunded"]) == (1500, False)
    assert ch["metadata"] == {"reference": REF}        # copied from the PaymentIntent
    assert [x["id"] for x in ch["refunds"]["data"]] == [re1["id"]]

    # the same key again: the same refund, nothing more given back, no new event
    again = api(base, "POST", "/refunds", SK, {"payment_intent": pi, "amount": "1500",
                                               "metadata[reference]": REF}, "kf-refund-1")
    assert again.status_code == 200 and again.json()["id"] == re1["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    clash = api(base, "POST", "/refunds", SK, {"payment_intent": pi, "amount": "100"}, "kf-refund-1")
    assert clash.status_code == 400 and clash.json()["error"]["type"] == "idempotency_error"
    # more than is left
    big = api(base, "POST", "/refunds", SK, {"payment_intent": pi, "amount": "4000"}, "kf-refund-2")
    assert big.status_code == 400 and big.json()["error"]["param"] == "amount"
    # the rest (no amount: everything not refunded yet)
    rest = api(base, "POST", "/refunds", SK, {"payment_intent": pi}, "kf-refund-3")
    assert rest.status_code == 200 and rest.json()["amount"] == 3500
    ev = verified(receiver.wait(3)[2])
    ch = ev["data"]["object"]
    assert (ch["amount_refunded"], ch["refunded"]) == (5000, True)
    assert [x["id"] for x in ch["refunds"]["data"]] == [rest.json()["id"], re1["id"]]
    # nothing left
    full = api(base, "POST", "/refunds", SK, {"payment_intent": pi}, "kf-refund-4")
    assert full.status_code == 400 and full.json()["error"]["code"] == "charge_already_refunded"
    # another account's PaymentIntent does not exist for it
    theirs = api(base, "POST", "/refunds", SK2, {"payment_intent": pi}, "kf-refund-5")
    assert theirs.status_code == 404 and theirs.json()["error"]["code"] == "resource_missing"
    time.sleep(0.3)
    assert len(receiver.got) == 3

    calls = control(base, "/refunds").json()["refunds"]
    assert [(c["idempotency_key"], c["status"], c["replayed"]) for c in calls] == [
        ("kf-refund-1", 200, False), ("kf-refund-1", 200, True), ("kf-refund-1", 400, False),
        ("kf-refund-2", 400, False), ("kf-refund-3", 200, False), ("kf-refund-4", 400, False),
        ("kf-refund-5", 404, False)]
    assert calls[0]["params"] == {"payment_intent": pi, "amount": "1500", "metadata[reference]": REF}
    assert calls[0]["account"] == "acct_1Owner" and calls[0]["refund_id"] == re1["id"]


# ------------------------------------------------------------------ control and outage

def test_control_signing_overrides_and_resend(base, receiver):
    s = create(base)
    r = control(base, "/sessions/%s/complete" % s["id"], send=False)
    assert r.status_code == 200 and r.json()["delivery"]["status"] is None
    event = r.json()["event"]
    time.sleep(0.2)
    assert receiver.got == []
    # Stripe's retry: the same event, as it was, signed now
    sent = control(base, "/events/%s/send" % event["id"])
    assert sent.status_code == 200 and sent.json()["delivery"]["status"] == 200
    first = receiver.wait(1)[0]
    assert verified(first) == event
    control(base, "/events/%s/send" % event["id"])
    second = receiver.wait(2)[1]
    assert second["body"] == first["body"]
    # negative tests: another secret, a stale timestamp, a header of one's own, none
    control(base, "/events/%s/send" % event["id"], secret="whsec_wrong")
    with pytest.raises(AssertionError):
        verified(receiver.wait(3)[2])
    control(base, "/events/%s/send" % event["id"], timestamp=int(time.time()) - 600)
    rec = receiver.wait(4)[3]
    t = int(rec["headers"]["Stripe-Signature"].split(",")[0][2:])
    assert 595 <= time.time() - t <= 620
    with pytest.raises(AssertionError):
        verified(rec)
    control(base, "/events/%s/send" % event["id"], signature="t=1,v1=00")
    assert receiver.wait(5)[4]["headers"]["Stripe-Signature"] == "t=1,v1=00"
    control(base, "/events/%s/send" % event["id"], signature="")
    assert "Stripe-Signature" not in receiver.wait(6)[5]["headers"]
    listed = control(base, "/events").json()["events"]
    assert [(e["id"], e["type"], len(e["deliveries"])) for e in listed] == [
        (event["id"], "checkout.session.completed", 6)]
    assert control(base, "/events/evt_unknown/send").status_code == 404
    assert control(base, "/sessions/cs_test_unknown/complete").status_code == 404


def test_outage_switch(fakes, base):
    s = create(base)
    fakes.config("stripe", status=503)
    r = api(base, "GET", "/checkout/sessions/" + s["id"])
    assert r.status_code == 503 and r.json()["error"]["type"] == "api_error"
    assert api(base, "POST", "/checkout/sessions", SK, session_params(), "KF-OUT").status_code == 503
    assert api(base, "POST", "/refunds", SK, {"payment_intent": "pi_x"}, "kf-out").status_code == 503
    assert requests.get(s["url"], timeout=T).status_code == 503
    # the control API still answers
    assert control(base, "/refunds").status_code == 200
    fakes.config("stripe", status=None)
    assert api(base, "GET", "/checkout/sessions/" + s["id"]).status_code == 200
    # the key used during the outage is still free
    assert api(base, "POST", "/checkout/sessions", SK, session_params(), "KF-OUT").status_code == 200
