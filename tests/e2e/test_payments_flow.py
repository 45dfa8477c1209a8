"""The whole paid booking through the public API and the fake Wompi checkout:
hold -> booking -> checkout URL accepted -> Approve -> webhook -> paid -> callback with both
signatures valid -> confirmed -> status shows return_url ?status=ok&ref=...,
and the decline, the return-from-checkout fetch and the checkout refusals."""
import hashlib
import html
import re
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

import booking_seed as seed
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for


class Flow:
    def __init__(self, merchant, fakes, stack, api, charge="partial", price=12000000, deposit=30):
        self.shop = PayTenant(merchant, fakes, stack)
        self.fakes, self.stack, self.api = fakes, stack, api
        tid = merchant.tenant_id
        self.service = seed.service(tid, name="Limpieza facial", price=price, charge=charge,
                                    deposit=deposit)
        self.professional = seed.professional(tid, services=[self.service])
        self.slug = seed.link(tid)

    def slots(self):
        r = self.api.get("/api/public/links/%s/availability" % self.slug,
                         params={"service": self.service, "professional": self.professional,
                                 "from": seed.today_plus(1), "days": 7})
        assert r.status_code == 200, r.text
        return r.json()["slots"]

    def book(self, start):
        r = self.api.post("/api/public/holds", json={"link": self.slug, "service": self.service,
                                                     "professional": self.professional,
                                                     "start": start})
        assert r.status_code == 201, r.text
        r = self.api.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": {"name": "Ana María Gómez", "email": "ana@example.com",
                         "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    def checkout(self, booking):
        """The customer's browser opens the checkout URL (served by the fake Wompi)."""
        url = booking["payment"]["checkout_url"]
        assert url.startswith(self.stack["KF_FAKES_URL"] + "/wompi/checkout/p/?")
        return requests.get(url, timeout=10)

    def pay(self, page, decision):
        """Submits the checkout page's form with one of its buttons."""
        fields = dict(re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page.text))
        fields = {html.unescape(k): html.unescape(v) for k, v in fields.items()}
        fields["decision"] = decision
        action = page.url.split("?", 1)[0] + "pay"
        return requests.post(action, data=fields, allow_redirects=False, timeout=20)

    def status(self, booking, **params):
        params["token"] = booking["token"]
        r = self.api.get("/api/public/bookings/%s" % booking["id"], params=params)
        assert r.status_code == 200, r.text
        return r.json()["booking"]


@pytest.fixture
def flow(merchant, fakes, stack, api):
    return Flow(merchant, fakes, stack, api)


def test_full_paid_flow(flow, fakes):
    slot = flow.slots()[0]
    booking = flow.book(slot["start"])
    assert booking["status"] == "pending_payment"
    # partial: 30 % of 120.000,00 COP
    assert booking["charge"] == {"amount": 3600000, "currency": "COP"}
    payment = booking["payment"]
    assert payment["provider"] == "wompi" and payment["reference"].startswith("KF-")
    q = parse_qs(urlsplit(payment["checkout_url"]).query)
    assert q["amount-in-cents"] == ["3600000"] and q["currency"] == ["COP"]
    assert q["public-key"] == [flow.shop.keys["public_key"]]
    assert q["reference"] == [payment["reference"]]
    assert q["customer-data:email"] == ["ana@example.com"]
    assert q["customer-data:phone-number"] == ["3001234567"]
    assert q["customer-data:phone-number-prefix"] == ["+57"]
    # expiration-time = end of the payment window (the stack's 1800 s)
    expires = datetime.strptime(q["expiration-time"][0], "%Y-%m-%dT%H:%M:%S.%fZ")
    window = expires.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)
    assert timedelta(seconds=1700) < window <= timedelta(seconds=1802)
    assert payment["expires_at"] == expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    redirect = q["redirect-url"][0]
    assert redirect == "%s/book/%s/confirmation?booking=%s&token=%s" % (
        flow.stack["KF_URL"], flow.slug, booking["id"], booking["token"])

    page = flow.checkout(booking)
    assert page.status_code == 200, page.text
    assert "36.000,00" in page.text and "Approve" in page.text and "Decline" in page.text

    paid = flow.pay(page, "APPROVED")
    assert paid.status_code == 302
    back = urlsplit(paid.headers["Location"])
    back_q = parse_qs(back.query)
    assert paid.headers["Location"].startswith(redirect + "&id=")
    assert back_q["env"] == ["test"]
    transaction = back_q["id"][0]

    # the webhook came before the redirect: the booking is paid (or already confirmed)
    st = flow.status(booking, id=transaction)
    assert st["status"] in ("paid", "confirmed")
    assert st["payment"] == {"provider": "wompi", "status": "approved",
                             "reference": payment["reference"], "amount": 3600000,
                             "currency": "COP"}

    got = wait_for(lambda: callbacks_for(fakes, flow.shop), what="the merchant callback")
    body = check_callback_signatures(got[0], flow.shop.callback_secret)
    assert body["booking_id"] == booking["id"]
    assert body["servicio"]["pago"] == "partial"
    assert body["servicio"]["precio"] == 12000000 and body["servicio"]["monto_cobrado"] == 3600000
    assert body["cita"]["inicio"] == slot["start"]
    assert body["cita"]["timezone"] == "America/Bogota"
    assert body["pago"]["referencia"] == payment["reference"]
    assert list(body) == ["evento", "tenant_id", "booking_id", "servicio", "profesional", "cita",
                          "usuario", "pago", "seguridad"]

    st = wait_for(lambda: (lambda s: s["status"] == "confirmed" and s)(flow.status(booking)),
                  what="confirmed")
    assert st["return_url"] == "%s?status=ok&ref=%s" % (flow.shop.return_url, booking["id"])


def test_decline_fails_and_frees_the_slot(flow):
    slot = flow.slots()[0]
    booking = flow.book(slot["start"])
    assert slot["start"] not in [s["start"] for s in flow.slots()]
    declined = flow.pay(flow.checkout(booking), "DECLINED")
    assert declined.status_code == 302
    st = flow.status(booking)
    assert st["status"] == "failed"
    assert st["payment"]["status"] == "declined"
    assert st["return_url"].endswith("?status=failed&ref=%s" % booking["id"])
    assert slot["start"] in [s["start"] for s in flow.slots()], "the slot is free again"


def test_return_from_checkout_fetches_the_transaction(flow, fakes):
    """The webhook is late (not sent at all here): ?id= asks Wompi and applies its answer."""
    fakes.config("wompi", events_url=None)
    booking = flow.book(flow.slots()[0]["start"])
    paid = flow.pay(flow.checkout(booking), "APPROVED")
    transaction = parse_qs(urlsplit(paid.headers["Location"]).query)["id"][0]
    assert flow.status(booking)["status"] == "pending_payment"
    st = flow.status(booking, id=transaction)
    assert st["status"] in ("paid", "confirmed")
    assert st["payment"]["status"] == "approved"
    wait_for(lambda: callbacks_for(fakes, flow.shop), what="the merchant callback")


def test_return_with_another_bookings_transaction_changes_nothing(flow, fakes, allow_log):
    fakes.config("wompi", events_url=None)
    first = flow.book(flow.slots()[0]["start"])
    second = flow.book(flow.slots()[0]["start"])
    paid = flow.pay(flow.checkout(first), "APPROVED")
    transaction = parse_qs(urlsplit(paid.headers["Location"]).query)["id"][0]
    assert flow.status(second, id=transaction)["status"] == "pending_payment"
    assert flow.status(second, id="no-such-transaction")["status"] == "pending_payment"
    assert flow.status(first)["status"] == "pending_payment"


def test_free_booking_sends_its_callback_too(merchant, fakes, stack, api):
    flow = Flow(merchant, fakes, stack, api, charge="free", price=0)
    booking = flow.book(flow.slots()[0]["start"])
    assert booking["status"] == "paid" and booking["payment"] is None
    got = wait_for(lambda: callbacks_for(fakes, flow.shop), what="the merchant callback")
    body = check_callback_signatures(got[0], flow.shop.callback_secret)
    assert body["pago"] == {"proveedor": "ninguno", "estado": "no_aplica", "referencia": None,
                            "monto": 0, "moneda": "COP", "modo": "test"}
    wait_for(lambda: flow.status(booking)["status"] == "confirmed", what="confirmed")


def test_paid_service_without_wompi_keys_is_502(merchant, api, allow_log):
    allow_log(r"answered 502 provider_error")
    tid = merchant.tenant_id
    service = seed.service(tid, price=5000000)
    professional = seed.professional(tid, services=[service])
    slug = seed.link(tid)
    r = api.get("/api/public/links/%s/availability" % slug,
                params={"service": service, "professional": professional,
                        "from": seed.today_plus(1), "days": 7})
    start = r.json()["slots"][0]["start"]
    hold = api.post("/api/public/holds", json={"link": slug, "service": service,
                                               "professional": professional, "start": start})
    r = api.post("/api/public/bookings", json={
        "hold_token": hold.json()["hold"]["token"], "accepted_terms": True,
        "customer": {"name": "Ana", "email": "ana@example.com", "phone": "+573001234567"}})
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error"


def test_fake_checkout_refuses_a_wrong_signature_and_a_past_expiration(flow):
    booking = flow.book(flow.slots()[0]["start"])
    url = booking["payment"]["checkout_url"]
    tampered = url.replace("amount-in-cents=3600000", "amount-in-cents=100")
    r = requests.get(tampered, timeout=10)
    assert r.status_code == 400 and "signature:integrity does not match" in r.text
    # a correctly signed checkout whose expiration-time has passed
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    q["expiration-time"] = past
    q["signature:integrity"] = hashlib.sha256((q["reference"] + q["amount-in-cents"] + q["currency"]
                                               + past + flow.shop.keys["integrity_secret"])
                                              .encode()).hexdigest()
    r = requests.get(url.split("?")[0] + "?" + urlencode(q), timeout=10)
    assert r.status_code == 400 and "expiration-time has passed" in r.text
