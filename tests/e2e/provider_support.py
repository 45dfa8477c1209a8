"""A merchant taking payments with Stripe, Mercado Pago or Airwallex (through the real settings
endpoints and the tenant's payment_provider), the booking flow in front of it, and for each
provider what its fake does when the customer pays, declines or the provider repeats itself.

The fakes (tests/fakes/stripe.py, mercadopago.py, airwallex.py) sign like the real providers;
the tests also sign events themselves with the secret the merchant saved, to send authentic
events the fake would not (another amount, another currency)."""
import hashlib
import hmac
import html
import json
import re
import secrets
import time
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

import booking_seed as seed
from conftest import psql

PROVIDERS = ["stripe", "mercadopago", "airwallex"]


def rand(n=24):
    return secrets.token_hex(n // 2)


class Stripe:
    name = "stripe"

    def keys(self):
        return {"mode": "test", "secret_key": "sk_test_" + rand(), "webhook_secret": "whsec_" + rand()}

    def register(self, fakes, keys, shop):
        accounts = dict(fakes._call("GET", "/_fakes/stripe/config")["accounts"])
        accounts[keys["secret_key"]] = {"id": "acct_" + rand(16), "name": shop.business,
                                        "webhook_secret": keys["webhook_secret"]}
        fakes.config("stripe", accounts=accounts, events_url=shop.webhook_url(),
                     events_host=shop.webhook_host())

    def approve(self, shop, pay, **kw):
        return shop.fakes._call("POST", "/stripe/_control/sessions/%s/complete" % pay["checkout_id"],
                                json={"payment_status": "paid", **kw})

    def decline(self, shop, pay, **kw):
        # Stripe Checkout has no "declined" session: an abandoned one expires
        return shop.fakes._call("POST", "/stripe/_control/sessions/%s/expire" % pay["checkout_id"],
                                json=kw)

    def resend(self, shop, sent):
        return shop.fakes._call("POST", "/stripe/_control/events/%s/send" % sent["event"]["id"], json={})

    def checkout_status(self, shop, pay):
        r = requests.get(shop.stack["KF_FAKES_URL"] + "/stripe/v1/checkout/sessions/" + pay["checkout_id"],
                         headers={"Authorization": "Bearer " + shop.keys["secret_key"]}, timeout=10)
        return r.json()["status"]

    def pay_control(self, pay):
        return "/stripe/_control/sessions/%s/complete" % pay["checkout_id"]

    def resend_last(self, shop, pay):
        """Stripe sends its newest event again (a retry)."""
        events = shop.fakes._call("POST", "/stripe/_control/events", json={})["events"]
        return shop.fakes._call("POST", "/stripe/_control/events/%s/send" % events[-1]["id"], json={})

    # disputes: each returns the fake's answer; delivery(sent) is what the gateway answered
    def open_dispute(self, shop, pay, **kw):
        return shop.fakes._call("POST", "/stripe/_control/payment_intents/%s/dispute"
                                % pay["transaction_id"], json=dict({"reason": "fraudulent"}, **kw))

    def close_dispute(self, shop, opened, outcome):
        return shop.fakes._call("POST", "/stripe/_control/disputes/%s/close" % opened["dispute"]["id"],
                                json={"status": outcome})

    def resend_dispute(self, shop, sent):
        return self.resend(shop, sent)

    def refund_at_provider(self, shop, pay, amount=None):
        """The merchant refunds in Stripe's dashboard (the API call it makes); all of it, or
        `amount` minor units."""
        data = {"payment_intent": pay["transaction_id"]}
        if amount is not None:
            data["amount"] = amount
        r = requests.post(shop.stack["KF_FAKES_URL"] + "/stripe/v1/refunds",
                          data=data,
                          headers={"Authorization": "Bearer " + shop.keys["secret_key"]}, timeout=10)
        assert r.status_code == 200, r.text

    def signed_event(self, shop, pay, amount, currency):
        """An authentic checkout.session.completed for this payment, for another amount/currency."""
        body = json.dumps({
            "id": "evt_" + rand(), "object": "event", "api_version": "2024-06-20",
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}, "type": "checkout.session.completed",
            "data": {"object": {"id": pay["checkout_id"], "object": "checkout.session",
                                "client_reference_id": pay["reference"],
                                "metadata": {"reference": pay["reference"]},
                                "status": "complete", "payment_status": "paid",
                                "payment_intent": "pi_" + rand(), "amount_total": amount,
                                "currency": currency.lower(), "mode": "payment"}}}).encode()
        t = str(int(time.time()))
        sig = hmac.new(shop.keys["webhook_secret"].encode(), t.encode() + b"." + body,
                       hashlib.sha256).hexdigest()
        return body, {"Stripe-Signature": "t=%s,v1=%s" % (t, sig)}


class MercadoPago:
    name = "mercadopago"

    def keys(self):
        return {"mode": "test", "access_token": "TEST-" + rand(), "webhook_secret": rand(32)}

    def register(self, fakes, keys, shop):
        accounts = dict(fakes._call("GET", "/_fakes/mercadopago/config")["accounts"])
        accounts[keys["access_token"]] = {"user_id": int(time.time() * 1000) % 10**9,
                                          "nickname": shop.business,
                                          "webhook_secret": keys["webhook_secret"]}
        # chargebacks come on the application's webhook (events_url), not on a checkout's
        fakes.config("mercadopago", accounts=accounts, events_url=shop.webhook_url(),
                     events_host=shop.webhook_host())

    def approve(self, shop, pay, **kw):
        body = {"access_token": shop.keys["access_token"], "preference_id": pay["checkout_id"],
                "status": "approved", "status_detail": "accredited"}
        body.update(kw)
        return shop.fakes._call("POST", "/mercadopago/_control/payments", json=body)

    def decline(self, shop, pay, **kw):
        return self.approve(shop, pay, status="rejected", status_detail="cc_rejected_other_reason", **kw)

    def resend(self, shop, sent):
        return shop.fakes._call("POST", "/mercadopago/_control/payments/%s/send" % sent["payment"]["id"],
                                json={})

    def resend_last(self, shop, pay):
        """Mercado Pago notifies the payment again (it carries no state: fetched anew)."""
        return shop.fakes._call("POST", "/mercadopago/_control/payments/%s/send" % pay["transaction_id"],
                                json={})

    def open_dispute(self, shop, pay, **kw):
        return shop.fakes._call("POST", "/mercadopago/_control/chargebacks",
                                json=dict({"payment_id": pay["transaction_id"]}, **kw))

    def close_dispute(self, shop, opened, outcome):
        return shop.fakes._call("POST", "/mercadopago/_control/chargebacks/%s/send"
                                % opened["chargeback"]["id"],
                                json={"coverage_applied": outcome == "won"})

    def resend_dispute(self, shop, sent):
        return shop.fakes._call("POST", "/mercadopago/_control/chargebacks/%s/send"
                                % sent["chargeback"]["id"], json={})

    def refund_at_provider(self, shop, pay, amount=None):
        r = requests.post(shop.stack["KF_FAKES_URL"] + "/mercadopago/v1/payments/%s/refunds"
                          % pay["transaction_id"],
                          json={} if amount is None else {"amount": amount / 100},
                          headers={"Authorization": "Bearer " + shop.keys["access_token"],
                                   "X-Idempotency-Key": new_request_id()}, timeout=10)
        assert r.status_code in (200, 201), r.text


class Airwallex:
    name = "airwallex"

    def keys(self):
        return {"mode": "test", "client_id": "C" + rand(20), "api_key": rand(40),
                "webhook_secret": "whsec" + rand(24)}

    def register(self, fakes, keys, shop):
        accounts = dict(fakes._call("GET", "/_fakes/airwallex/config")["accounts"])
        accounts[keys["client_id"]] = {"api_key": keys["api_key"], "name": shop.business,
                                       "webhook_secret": keys["webhook_secret"]}
        fakes.config("airwallex", accounts=accounts, events_url=shop.webhook_url(),
                     events_host=shop.webhook_host())

    def approve(self, shop, pay, **kw):
        return shop.fakes._call("POST", "/airwallex/_control/intents/%s/succeed" % pay["checkout_id"],
                                json=kw)

    def decline(self, shop, pay, **kw):
        return shop.fakes._call("POST", "/airwallex/_control/intents/%s/cancel" % pay["checkout_id"],
                                json=kw)

    def resend(self, shop, sent):
        return shop.fakes._call("POST", "/airwallex/_control/events/%s/send" % sent["event"]["id"],
                                json={})

    def checkout_status(self, shop, pay):
        base = shop.stack["KF_FAKES_URL"] + "/airwallex/api/v1"
        login = requests.post(base + "/authentication/login", timeout=10, headers={
            "x-client-id": shop.keys["client_id"], "x-api-key": shop.keys["api_key"]})
        r = requests.get(base + "/pa/payment_intents/" + pay["checkout_id"], timeout=10,
                         headers={"Authorization": "Bearer " + login.json()["token"]})
        return r.json()["status"]

    def pay_control(self, pay):
        return "/airwallex/_control/intents/%s/succeed" % pay["checkout_id"]

    def resend_last(self, shop, pay):
        """Airwallex sends its newest event again."""
        events = shop.fakes._call("POST", "/airwallex/_control/events", json={})["events"]
        return shop.fakes._call("POST", "/airwallex/_control/events/%s/send" % events[-1]["event"]["id"],
                                json={})

    def open_dispute(self, shop, pay, **kw):
        return shop.fakes._call("POST", "/airwallex/_control/intents/%s/dispute"
                                % pay["checkout_id"], json=kw)

    def close_dispute(self, shop, opened, outcome):
        return shop.fakes._call("POST", "/airwallex/_control/disputes/%s/resolve"
                                % opened["dispute"]["id"], json={"status": outcome.upper()})

    def resend_dispute(self, shop, sent):
        return self.resend(shop, sent)

    def refund_at_provider(self, shop, pay, amount=None):
        base = shop.stack["KF_FAKES_URL"] + "/airwallex/api/v1"
        login = requests.post(base + "/authentication/login", timeout=10, headers={
            "x-client-id": shop.keys["client_id"], "x-api-key": shop.keys["api_key"]})
        assert login.status_code == 201, login.text
        r = requests.post(base + "/pa/refunds/create", timeout=10,
                          headers={"Authorization": "Bearer " + login.json()["token"]},
                          json={"request_id": new_request_id(), "payment_intent_id": pay["transaction_id"],
                                "amount": (shop.price if amount is None else amount) / 100})
        assert r.status_code in (200, 201), r.text

    def signed_event(self, shop, pay, amount, currency):
        exponent = 0 if currency in ("CLP", "JPY") else 2
        body = json.dumps({
            "id": "evt_" + rand(), "name": "payment_intent.succeeded", "account_id": "acct_x",
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
            "version": "2024-02-22",
            "data": {"object": {"id": pay["checkout_id"], "merchant_order_id": pay["reference"],
                                "request_id": pay["reference"], "status": "SUCCEEDED",
                                "amount": amount / 10**exponent, "currency": currency,
                                "captured_amount": amount / 10**exponent}}}).encode()
        ts = str(int(time.time() * 1000))
        sig = hmac.new(shop.keys["webhook_secret"].encode(), ts.encode() + body,
                       hashlib.sha256).hexdigest()
        return body, {"x-timestamp": ts, "x-signature": sig}


ADAPTERS = {"stripe": Stripe(), "mercadopago": MercadoPago(), "airwallex": Airwallex()}


class ProviderShop:
    """A merchant whose bookings pay with `provider`: keys saved through PUT, the provider
    chosen with PATCH, a callback URL at the merchant fake, a paid service, a professional and
    a link."""

    def __init__(self, merchant, fakes, stack, api, provider, price=9000000, currency=None,
                 charge="total"):
        # the tenant prices in a currency its provider charges in (Airwallex takes no COP)
        currency = currency or ("USD" if provider == "airwallex" else "COP")
        self.merchant, self.fakes, self.stack, self.api = merchant, fakes, stack, api
        self.provider = ADAPTERS[provider]
        self.tenant_id = merchant.tenant_id
        self.business = "Estudio %s %s" % (provider, rand(6))
        self.keys = self.provider.keys()
        self.provider.register(fakes, self.keys, self)
        admin = merchant.api
        r = admin.put("/api/admin/tenant/payments/" + provider, json=self.keys)
        assert r.status_code == 200, r.text
        r = admin.patch("/api/admin/tenant", json={
            "payment_provider": provider, "currency": currency,
            "callback_url": fakes.base("merchant") + "/callback/" + self.tenant_id,
            "return_url": "https://comercio.example/gracias"})
        assert r.status_code == 200, r.text
        r = admin.post("/api/admin/tenant/callback-secret")
        assert r.status_code == 201, r.text
        self.callback_secret = r.json()["secret"]
        self.price, self.currency = price, currency
        self.service = seed.service(self.tenant_id, name="Sesión de fotos", price=price,
                                    charge=charge)
        psql("UPDATE services SET currency = :'p1' WHERE id = :'p2'", currency, self.service)
        self.professional = seed.professional(self.tenant_id, services=[self.service])
        self.slug = seed.link(self.tenant_id)

    def webhook_host(self):
        return "%s:%s" % (self.stack["KF_BASE_DOMAIN"], self.stack["KF_PORT"])

    def webhook_url(self):
        return "http://127.0.0.1:%s/api/webhooks/%s" % (self.stack["KF_PORT"], self.provider.name)

    def post_webhook(self, body, headers, query=""):
        return requests.post(self.webhook_url() + (("?" + query) if query else ""), data=body,
                             headers={"Host": self.webhook_host(),
                                      "Content-Type": "application/json", **headers}, timeout=10)

    def slots(self, days=7, start_in=1):
        r = self.api.get("/api/public/links/%s/availability" % self.slug,
                         params={"service": self.service, "professional": self.professional,
                                 "from": seed.today_plus(start_in), "days": days})
        assert r.status_code == 200, r.text
        return r.json()["slots"]

    def book(self, start=None):
        start = start or self.slots()[0]["start"]
        r = self.api.post("/api/public/holds", json={"link": self.slug, "service": self.service,
                                                     "professional": self.professional,
                                                     "start": start})
        assert r.status_code == 201, r.text
        r = self.api.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": {"name": "Lucía Fernández", "email": "lucia@example.com",
                         "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    def payment(self, booking):
        """The booking's payment as the gateway stored it (the provider's checkout id too)."""
        out = psql("""SELECT reference, provider_checkout_id, status, refund_needed, mismatch,
                             coalesce(flag_reason, ''), coalesce(provider_transaction_id, ''),
                             coalesce(refund_status, '')
                      FROM payments WHERE reservation_id = :'p1'
                      ORDER BY created_at DESC LIMIT 1""", booking["id"])
        ref, checkout, status, refund, mismatch, reason, tx, refund_status = out.split("|")
        return {"reference": ref, "checkout_id": checkout, "status": status,
                "refund_needed": refund == "t", "mismatch": mismatch == "t", "flag_reason": reason,
                "transaction_id": tx, "refund_status": refund_status}

    def status(self, booking, **params):
        params["token"] = booking["token"]
        r = self.api.get("/api/public/bookings/%s" % booking["id"], params=params)
        assert r.status_code == 200, r.text
        return r.json()["booking"]

    def state(self, booking):
        return psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"])

    def events(self, booking):
        return int(psql("""SELECT count(*) FROM payment_events e JOIN payments p ON p.id = e.payment_id
                           WHERE p.reservation_id = :'p1'""", booking["id"]))


def delivery(sent):
    """What the gateway answered a fake's event or notice."""
    return (sent.get("delivery") or sent.get("notification", {}).get("delivery") or {}).get("status")


def submit_form(page, choose):
    """Submits the first form of an HTML page with the submit button whose value or text
    contains `choose`; returns the answer (redirects not followed)."""
    form = re.search(r"<form[^>]*>(.*?)</form>", page.text, re.S | re.I)
    assert form, "no form on the page"
    tag = re.match(r"<form[^>]*>", form.group(0), re.I).group(0)
    action = (re.search(r'action="([^"]*)"', tag) or [None, ""])[1]
    fields = {html.unescape(n): html.unescape(v) for n, v in
              re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"', form.group(1))}
    pressed = None
    for m in re.finditer(r"<button([^>]*)>(.*?)</button>", form.group(1), re.S | re.I):
        attrs, text = m.group(1), re.sub("<[^>]+>", "", m.group(2))
        name = re.search(r'name="([^"]*)"', attrs)
        value = re.search(r'value="([^"]*)"', attrs)
        if choose.lower() in (text + " " + (value.group(1) if value else "")).lower():
            pressed = (name.group(1) if name else None, value.group(1) if value else "")
            break
    assert pressed, "no button %r on the page" % choose
    if pressed[0]:
        fields[pressed[0]] = pressed[1]
    target = requests.compat.urljoin(page.url, html.unescape(action) or page.url)
    return requests.post(target, data=fields, allow_redirects=False, timeout=20)


def hash_params(url):
    """The query inside a URL's fragment (Airwallex's #/standalone/checkout?...)."""
    fragment = urlsplit(url).fragment
    return dict(parse_qsl(fragment.split("?", 1)[1])) if "?" in fragment else {}


def new_request_id():
    return str(uuid.uuid4())
