"""Helpers of the packages e2e tests (tests/e2e/test_packages*.py): a merchant with fake
Wompi keys and a callback endpoint (payments_helpers.PayTenant), a bookable service, a
package of it offered on a link, and shortcuts to buy it, pay it on the fake Wompi and
book its sessions through the public API."""
import json
import uuid

import booking_seed as seed
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for

PACKAGES = "/api/admin/packages"
CUSTOMER = {"name": "Ana María Gómez", "email": "ana@example.com", "phone": "+573001234567"}


def package_body(service, **changes):
    body = {"name": "4 sesiones", "description": "Cuatro masajes de una hora.",
            "service_id": service, "sessions": 4,
            "price": {"amount": 40000000, "currency": "COP"}, "valid_days": 90}
    body.update(changes)
    return body


class PackShop:
    """One merchant selling one package of 4 sessions of one service, through one link."""

    def __init__(self, merchant, fakes, stack, api, sessions=4, price=40000000):
        self.pay = PayTenant(merchant, fakes, stack)
        self.merchant, self.fakes, self.stack, self.api = merchant, fakes, stack, api
        tid = merchant.tenant_id
        self.service = seed.service(tid, name="Masaje relajante", duration=60, price=12000000)
        self.other_service = seed.service(tid, name="Limpieza facial", price=9000000)
        self.professional = seed.professional(tid, services=[self.service, self.other_service])
        self.price = price
        # an address of its own: mails of an earlier test to a shared one may still arrive
        self.customer = dict(CUSTOMER, email="ana.%s@example.com" % uuid.uuid4().hex[:12])
        r = merchant.api.post(PACKAGES, json=package_body(
            self.service, sessions=sessions, price={"amount": price, "currency": "COP"}))
        assert r.status_code == 201, r.text
        self.package = r.json()
        r = merchant.api.post("/api/admin/links", json={"name": "Paquetes",
                                                        "package_ids": [self.package["id"]]})
        assert r.status_code == 201, r.text
        self.link = r.json()
        self.slug = self.link["slug"]

    # ------------------------------------------------------------ buying

    def buy(self, **changes):
        body = {"link": self.slug, "package": self.package["id"], "customer": dict(self.customer),
                "accepted_terms": True}
        body.update(changes)
        return self.api.post("/api/public/purchases", json=body)

    def bought(self):
        r = self.buy()
        assert r.status_code == 201, r.text
        return r.json()["purchase"]

    def approve(self, purchase, status="APPROVED"):
        """The customer pays on the fake Wompi: its signed event reaches our webhook."""
        return self.pay.fire(purchase["payment"]["reference"], amount=self.price, status=status)

    def paid(self):
        purchase = self.bought()
        self.approve(purchase)
        wait_for(lambda: self.status(purchase)["status"] == "paid", what="the purchase paid")
        return purchase

    def status(self, purchase, token=None, **params):
        params["token"] = token or purchase["token"]
        r = self.api.get("/api/public/purchases/%s" % purchase["id"], params=params)
        assert r.status_code == 200, r.text
        return r.json()["purchase"]

    # ------------------------------------------------------------ sessions

    def slots(self, service=None, days_ahead=2):
        r = self.api.get("/api/public/links/%s/availability" % self.slug,
                         params={"service": service or self.service,
                                 "professional": self.professional,
                                 "from": seed.today_plus(days_ahead), "days": 7})
        assert r.status_code == 200, r.text
        return r.json()["slots"]

    def starts(self, n, service=None):
        """n starts of the package's service that do not overlap each other (1 h apart)."""
        out = []
        for slot in self.slots(service):
            if not out or slot["start"] >= _plus_hour(out[-1]):
                out.append(slot["start"])
            if len(out) == n:
                return out
        raise AssertionError("not enough slots")

    def hold(self, start, service=None):
        r = self.api.post("/api/public/holds", json={
            "link": self.slug, "service": service or self.service,
            "professional": self.professional, "start": start})
        assert r.status_code == 201, r.text
        return r.json()["hold"]

    def book_session(self, purchase, start=None, service=None, api=None):
        """A hold, then POST /api/public/bookings with the purchase's token (no payment)."""
        if start is None:
            start = self.slots(service)[0]["start"]
        hold = self.hold(start, service)
        return (api or self.api).post("/api/public/bookings", json={
            "hold_token": hold["token"], "purchase_token": purchase["token"],
            "customer": dict(self.customer), "timezone": "America/Bogota"})

    # ------------------------------------------------------------ the merchant's side

    def callbacks(self, event):
        return [c for c in callbacks_for(self.fakes, self.pay)
                if c["headers"].get("X-Konfirmado-Event") == event]

    def wait_callbacks(self, event, n=1):
        got = wait_for(lambda: (lambda c: len(c) >= n and c)(self.callbacks(event)),
                       what="%d %s callback(s)" % (n, event))
        return [check_callback_signatures(c, self.pay.callback_secret) for c in got]


def _plus_hour(ts):
    import datetime as _dt
    t = _dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ") + _dt.timedelta(hours=1)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def purchase_row(purchase_id):
    out = psql("SELECT json_build_object('status', status, 'used', sessions_used,"
               " 'reason', status_reason, 'paid_at', paid_at, 'expires_at', expires_at)"
               " FROM purchases WHERE id = :'p1'", purchase_id)
    return json.loads(out)
