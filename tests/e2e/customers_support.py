"""The customer's side of the portal (API.md "Customer portal"): a booking of a free service
with a customer's address, the sign-in link mailed for it and the session cookie it gives.
The session cookie is Secure: requests keeps such a cookie for https only, so the tests hand
it back by hand, as a browser on the tenant's https host would."""
import re
import secrets
from urllib.parse import urlsplit, parse_qs

from booking_seed import ALL_WEEK, Scenario, today_plus
from test_booking_mails import mails_to, text_of


def free_scenario(api):
    return Scenario(api, service={"charge": "free", "price": 0, "horizon": 60, "duration": 45},
                    professionals=[{"name": "Dra. Ana Restrepo", "timezone": "America/Bogota",
                                    "hours": ALL_WEEK(("09:00", "17:00"))}])


def book(sc, email, day=5, slot=0, phone="+573001234567"):
    slots = sc.slots(**{"from": today_plus(day), "days": 1})
    hold = sc.hold(slots[slot]["start"]).json()["hold"]
    r = sc.book(hold["token"], email=email, name="María Pérez", phone=phone)
    assert r.status_code == 201, r.text
    return r.json()["booking"]


def new_email():
    return "cliente-%s@example.com" % secrets.token_hex(5)


def sign_in_link(maildir, email, n=1):
    """The newest sign-in mail's link, and its token."""
    mails = [m for m in mails_to(maildir, email, n=n) if "/book/me?token=" in text_of(m)]
    link = re.search(r"http\S+/book/me\?token=\S+", text_of(mails[-1])).group(0)
    return link, parse_qs(urlsplit(link).query)["token"][0]


def session_cookie(response):
    """The kf_customer cookie's value and attributes from a Set-Cookie header."""
    header = response.headers["Set-Cookie"]
    name_value, *attrs = [a.strip() for a in header.split(";")]
    name, value = name_value.split("=", 1)
    assert name == "kf_customer"
    return value, attrs


class Customer:
    """A client of a tenant's host that signs in by the mailed link."""

    def __init__(self, api, subdomain, email):
        self.api = api.tenant(subdomain)
        self.email = email
        self.cookie = None

    def login(self):
        return self.api.post("/api/public/me/login", json={"email": self.email})

    def session(self, token):
        r = self.api.post("/api/public/me/session", json={"token": token})
        if r.status_code == 200:
            self.cookie = session_cookie(r)[0]
        return r

    def sign_in(self, maildir, n=1):
        assert self.login().status_code == 202
        _, token = sign_in_link(maildir, self.email, n=n)
        assert self.session(token).status_code == 200
        return self

    def _headers(self, kw):
        headers = dict(kw.pop("headers", {}))
        if self.cookie:
            headers["Cookie"] = "kf_customer=" + self.cookie
        return headers

    def get(self, path, **kw):
        return self.api.get(path, headers=self._headers(kw), **kw)

    def post(self, path, **kw):
        return self.api.post(path, headers=self._headers(kw), **kw)

    def patch(self, path, **kw):
        return self.api.patch(path, headers=self._headers(kw), **kw)

    def bookings(self, scope=None):
        r = self.get("/api/public/me/bookings" + ("?scope=" + scope if scope else ""))
        assert r.status_code == 200, r.text
        return r.json()["items"]
