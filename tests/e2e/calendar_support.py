"""Professionals' calendars in e2e tests: a merchant with a bookable service, a professional
and a link; invitations; the ways to connect (Google and Microsoft through their fakes'
consent pages, Cal.com with a key, CalDAV with the stack's Radicale); the fakes' calendars
and Radicale's collections; the connection's row."""
import datetime as dt
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

import booking_seed as seed
from conftest import psql
from payments_helpers import wait_for

DAY_HOURS = seed.ALL_WEEK(("08:00", "18:00"))


def day_in(days=3):
    """A date some days ahead and its 10:00 in Bogotá, as UTC text."""
    d = dt.date.today() + dt.timedelta(days=days)
    ten = dt.datetime(d.year, d.month, d.day, 10, 0, tzinfo=seed.BOG)
    return d.isoformat(), ten


def z(moment):
    return seed.iso(moment)


class CalendarShop:
    """The merchant's tenant with one 30-minute free service, one professional working
    08:00-18:00 every day (Bogotá) and a public link; `api` is a customer's client."""

    def __init__(self, merchant, api, fakes, stack, charge="free", price=0, name="Dra. Calendario"):
        self.merchant, self.api, self.fakes, self.stack = merchant, api, fakes, stack
        self.tenant_id = merchant.tenant_id
        self.subdomain = "c" + secrets.token_hex(5)
        psql("UPDATE tenants SET subdomain = :'p1', timezone = 'America/Bogota', country = 'CO',"
             " currency = 'COP', terms_url = 'https://example.com/terms' WHERE id = :'p2'",
             self.subdomain, self.tenant_id)
        self.service_id = seed.service(self.tenant_id, charge=charge, price=price)
        self.professional_id = seed.professional(self.tenant_id, name=name, hours=DAY_HOURS,
                                                 services=[self.service_id])
        self.slug = seed.link(self.tenant_id)

    # ---- the customer's side
    def slots(self, date, professional=None):
        r = self.api.get("/api/public/links/%s/availability" % self.slug, params={
            "service": self.service_id, "professional": professional or self.professional_id,
            "from": date, "days": 1})
        assert r.status_code == 200, r.text
        return [s["start"] for s in r.json()["slots"]]

    def hold(self, start, professional=None):
        return self.api.post("/api/public/holds", json={
            "link": self.slug, "service": self.service_id,
            "professional": professional or self.professional_id, "start": start})

    def book(self, start, email="cliente@example.com"):
        r = self.hold(start)
        assert r.status_code == 201, r.text
        r = self.api.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": {"name": "Juan Pérez", "email": email, "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    # ---- the merchant's side
    def invite(self, professional=None):
        r = self.merchant.api.post("/api/admin/professionals/%s/invitation"
                                   % (professional or self.professional_id))
        assert r.status_code == 201, r.text
        return r.json()["url"].rsplit("/", 1)[1]

    def calendar(self, professional=None):
        r = self.merchant.api.get("/api/admin/professionals/%s" % (professional or self.professional_id))
        assert r.status_code == 200, r.text
        return r.json()["calendar"]

    def row(self, column, professional=None):
        return psql("SELECT %s FROM calendar_connections WHERE professional_id = :'p1'" % column,
                    professional or self.professional_id)

    # ---- connecting
    def oauth(self, provider, invitation, account, decision="allow"):
        """The professional's browser: start, the fake's consent page, its decision, our
        callback. Returns the final redirect (to the invitation page)."""
        http = self.api.session
        r = self.api.get("/api/oauth/%s/start" % provider, params={"invitation": invitation})
        assert r.status_code == 302, r.text
        page = http.get(r.headers["Location"], timeout=10)
        assert page.status_code == 200, page.text
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        fields = {k: _unescape(v) for k, v in fields.items()}
        fields.update({"email": account, "decision": decision})
        base = "{0.scheme}://{0.netloc}".format(urlsplit(r.headers["Location"]))
        back = http.post(base + action, data=fields, allow_redirects=False, timeout=10)
        assert back.status_code == 302, back.text
        cb = urlsplit(back.headers["Location"])
        done = self.api.get(cb.path + "?" + cb.query)
        return done

    def connect_google(self, account=None, professional=None):
        account = account or "pro-%s@example.com" % secrets.token_hex(4)
        done = self.oauth("google", self.invite(professional), account)
        assert done.status_code == 302 and "result=connected" in done.headers["Location"], \
            done.headers.get("Location", done.text)
        wait_for(lambda: self.row("synced_at", professional) != "", what="first busy read")
        return account

    def add_professional(self, name):
        """Another professional of the service, same hours."""
        return seed.professional(self.tenant_id, name=name, hours=DAY_HOURS, services=[self.service_id])

    def connect_microsoft(self, account=None):
        account = account or "pro-%s@contoso.example" % secrets.token_hex(4)
        done = self.oauth("microsoft", self.invite(), account)
        assert done.status_code == 302 and "result=connected" in done.headers["Location"], \
            done.headers.get("Location", done.text)
        wait_for(lambda: self.row("synced_at") != "", what="first busy read")
        return account

    def connect_calcom(self, key="cal_test_key", event_type=1001):
        body = {"api_key": key}
        if event_type:
            body["event_type_id"] = event_type
        r = self.api.post("/api/public/invitations/%s/calcom" % self.invite(), json=body)
        assert r.status_code == 200, r.text
        return r.json()["calendar"]

    # ---- the fakes' calendars
    def google_event(self, account, start, minutes=60, notify=True, summary="Dentista"):
        return self.fakes._call("POST", "/google/_control/events", json={
            "account": account, "start": z(start), "end": z(start + dt.timedelta(minutes=minutes)),
            "summary": summary, "notify": notify})

    def google_events(self, account):
        return self.fakes._call("GET", "/google/_control/events?account=" + account)["events"]


def _unescape(v):
    return (v.replace("&quot;", '"').replace("&#x27;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


def age_busy_times(shop, seconds, due_later=True):
    """Pretends the last read was `seconds` ago (and, with due_later, that the next one is
    far away, so the sync job stays out of the way)."""
    psql("UPDATE calendar_connections SET synced_at = now() - make_interval(secs => :'p1'::int),"
         " sync_due_at = CASE WHEN :'p2' = '1' THEN now() + interval '1 hour' ELSE now() END"
         " WHERE professional_id = :'p3'", seconds, "1" if due_later else "0", shop.professional_id)


def query_of(url):
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}



@pytest.fixture
def shop(merchant, api, fakes, stack):
    """A CalendarShop with the three calendar fakes forgotten (import it into a test file);
    its calendars are gone after the test."""
    for name in ("google", "microsoft", "calcom"):
        fakes.reset(name)
    shop = CalendarShop(merchant, api, fakes, stack)
    yield shop
    # the next test resets the fakes, which then forget this test's tokens: a connection left
    # behind would be refused at its next read and mail its business in some later test
    psql("DELETE FROM calendar_connections WHERE tenant_id = :'p1'", shop.tenant_id)


# ---- CalDAV: the stack's Radicale

def _mkcalendar_body(name, zone):
    props = "<D:displayname>%s</D:displayname>" % name
    if zone:
        # a VTIMEZONE as clients send it: its TZID is what names the collection's zone
        props += ("<C:calendar-timezone>BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                  "BEGIN:VTIMEZONE\r\nTZID:%s\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
                  "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
                  "END:VCALENDAR\r\n</C:calendar-timezone>") % zone
    return ('<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>%s</D:prop></D:set>'
            "</C:mkcalendar>" % props).encode()


@pytest.fixture
def radicale(stack):
    """A fresh calendar collection of the stack's Radicale user (`collection`), a client for
    it, and `make_collection(name, zone=None)` for more of that user's collections; all are
    removed after the test."""
    if not stack.get("KF_RADICALE_URL"):
        pytest.fail("the stack runs no Radicale (tests/stack up)")
    http = requests.Session()
    http.auth = (stack["KF_RADICALE_USER"], stack["KF_RADICALE_PASSWORD"])
    made = []

    def make_collection(name=None, zone=None):
        url = "%s/%s/cal-%s/" % (stack["KF_RADICALE_URL"], stack["KF_RADICALE_USER"],
                                 secrets.token_hex(4))
        r = http.request("MKCALENDAR", url, data=_mkcalendar_body(name, zone) if name else None,
                         timeout=10)
        assert r.status_code == 201, r.text
        made.append(url)
        return url

    http.make_collection = make_collection
    http.collection = make_collection()
    yield http
    for url in made:
        http.delete(url, timeout=10)


def connect_caldav(shop, stack, url, password=None, invitation=None):
    return shop.api.post("/api/public/invitations/%s/caldav" % (invitation or shop.invite()), json={
        "url": url, "username": stack["KF_RADICALE_USER"],
        "password": password or stack["KF_RADICALE_PASSWORD"]})


def _utc(moment):
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def put_ics(radicale, collection, name, vevent_lines):
    """Puts an object with one VEVENT (its lines after UID) straight into a collection."""
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//caldav//EN\r\nBEGIN:VEVENT\r\n"
           "UID:%s\r\nDTSTAMP:20260101T000000Z\r\n%sSUMMARY:Dentista\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n") % (name, "".join(line + "\r\n" for line in vevent_lines))
    r = radicale.put(collection + name + ".ics", data=ics.encode(),
                     headers={"Content-Type": "text/calendar"}, timeout=10)
    assert r.status_code in (201, 204), r.text


def put_event(radicale, name, start, minutes=60, collection=None):
    put_ics(radicale, collection or radicale.collection, name,
            ["DTSTART:" + _utc(start), "DTEND:" + _utc(start + dt.timedelta(minutes=minutes))])


def put_all_day(radicale, name, date, collection=None):
    """An all-day event on date (ISO text): DATE values, no zone of their own."""
    day = dt.date.fromisoformat(date)
    put_ics(radicale, collection or radicale.collection, name,
            ["DTSTART;VALUE=DATE:" + day.strftime("%Y%m%d"),
             "DTEND;VALUE=DATE:" + (day + dt.timedelta(days=1)).strftime("%Y%m%d")])
