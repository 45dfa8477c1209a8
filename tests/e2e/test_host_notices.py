"""What the professional and the business's front desk (its notification address) read when
a customer books, moves or cancels through the public API (API.md "After booking"): who the
customer is and how to reach them, a link that opens the
booking in the merchant dashboard on the business's own host, the time before and now on a
move, and every time written as the booking pages write it, with its zone, in the business's
language; in the text part and in the HTML part alike."""
import datetime as dt
import html as htmllib
import re
import secrets
from zoneinfo import ZoneInfo

from booking_seed import ALL_WEEK, Scenario, today_plus, utc
from conftest import psql
from mail_times_support import as_read, page_time
from test_booking_mails import mails_to, text_of
from test_booking_reschedule_admin import session_for

PRO_ZONE = "America/Bogota"
CUSTOMER_ZONE = "America/New_York"
PHONE = "+573001234567"


def html_of(msg):
    return as_read(msg.get_body(preferencelist=("html",)).get_content())


def seen_in_html(html):
    """The HTML part as a reader sees its words: tags out, references read."""
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", html))


class Booking:
    """A free booking of María Pérez (in New York) with Dra. Ana Restrepo (in Bogotá), at a
    business with a front desk address, made through the public API."""

    def __init__(self, api, stack, locale="es", day=None):
        self.api = api
        self.sc = Scenario(api, service={"charge": "free", "price": 0, "horizon": 365, "duration": 45},
                           professionals=[{"timezone": PRO_ZONE, "name": "Dra. Ana Restrepo",
                                           "hours": ALL_WEEK(("09:00", "17:00"))}])
        self.pro = "pro-%s@example.com" % secrets.token_hex(5)
        self.desk = "recepcion-%s@example.com" % secrets.token_hex(5)
        self.email = "maria-%s@example.com" % secrets.token_hex(5)
        psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", self.pro, self.sc.professional_id)
        psql("UPDATE tenants SET notification_email = :'p1', locale = :'p2' WHERE id = :'p3'",
             self.desk, locale, self.sc.tenant_id)
        self.start = self.afternoon(day or today_plus(5))
        hold = self.sc.hold(self.start).json()["hold"]
        r = api.post("/api/public/bookings", json={
            "hold_token": hold["token"], "accepted_terms": True, "timezone": CUSTOMER_ZONE,
            "customer": {"name": "María Pérez", "email": self.email, "phone": PHONE}})
        assert r.status_code == 201, r.text
        self.booking = r.json()["booking"]
        self.id = self.booking["id"]
        self.root = "http://%s.%s:%s" % (self.sc.subdomain, stack["KF_BASE_DOMAIN"], stack["KF_PORT"])
        self.dashboard_link = "%s/dashboard/bookings/%s" % (self.root, self.id)

    def afternoon(self, day):
        """The 3 p.m. slot of the professional's day (a time with "p. m." / "PM")."""
        starts = [s["start"] for s in self.sc.slots(**{"from": day, "days": 1})]
        return next(s for s in starts if utc(s).astimezone(ZoneInfo(PRO_ZONE)).hour == 15)

    def move(self, day):
        new_start = self.afternoon(day)
        hold = self.sc.hold(new_start).json()["hold"]
        r = self.api.post("/api/public/bookings/%s/reschedule" % self.id, json={"hold_token": hold["token"]},
                          headers={"Authorization": "Bearer " + self.booking["token"]})
        assert r.status_code == 200, r.text
        return new_start

    def hosts(self):
        return (self.pro, self.desk)


def assert_opens_the_booking(stack, b, link):
    """The link is the dashboard's page of that booking on the business's host: the page
    loads there, and with the owner's session the booking it shows is this one."""
    assert link == b.dashboard_link
    owner = session_for(stack, b.sc.tenant_id)
    page = owner.session.get(link, timeout=30, allow_redirects=False)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    detail = owner.session.get("%s/api/admin/bookings/%s" % (b.root, b.id), timeout=30)
    assert detail.status_code == 200, detail.text
    shown = detail.json()["booking"]
    assert shown["id"] == b.id and shown["customer"]["name"] == "María Pérez"
    assert shown["customer"]["email"] == b.email
    # nobody without the session sees it
    stranger = b.api.session.get("%s/api/admin/bookings/%s" % (b.root, b.id), timeout=30)
    assert stranger.status_code == 401


def test_a_new_booking_tells_the_professional_and_the_front_desk_who_and_where(api, stack, maildir):
    b = Booking(api, stack)
    start = utc(b.start)
    for to in b.hosts():
        [notice] = mails_to(maildir, to)
        assert notice["Subject"] == "Nueva reserva: Consulta general, María Pérez"
        text, html = text_of(notice), html_of(notice)
        # the professional's time first, the customer's beside it: as the pages write them
        assert ("Cuándo: %s\nHora del cliente: %s\n"
                % (page_time(start, PRO_ZONE), page_time(start, CUSTOMER_ZONE))) in text
        assert "3:00 p. m. (hora de Bogota, GMT-5)" in text
        assert "Cliente: María Pérez\nCorreo: %s\nTeléfono: %s\n" % (b.email, PHONE) in text
        assert "Ver la reserva en tu panel:\n%s\n" % b.dashboard_link in text
        seen = seen_in_html(html)
        assert page_time(start, PRO_ZONE) in seen and page_time(start, CUSTOMER_ZONE) in seen
        assert 'href="%s"' % b.dashboard_link in html
        assert 'href="mailto:%s"' % b.email in html and 'href="tel:%s"' % PHONE in html
        assert "María Pérez" in seen and "Teléfono" in seen
    assert_opens_the_booking(stack, b, b.dashboard_link)

    # the customer reads their own zone's time the same way, and no dashboard
    [confirmation] = mails_to(maildir, b.email)
    assert "Cuándo: %s\n" % page_time(start, CUSTOMER_ZONE) in text_of(confirmation)
    assert "/dashboard/" not in text_of(confirmation) and "/dashboard/" not in html_of(confirmation)


def test_a_move_tells_them_the_time_before_and_now(api, stack, maildir):
    b = Booking(api, stack)
    old = utc(b.start)
    new = utc(b.move(today_plus(7)))
    for to in b.hosts():
        _, moved = mails_to(maildir, to, n=2)
        assert moved["Subject"] == "Reserva movida: Consulta general, María Pérez"
        text, html = text_of(moved), html_of(moved)
        assert ("Antes: %s\nHora del cliente: %s\nAhora: %s\nHora del cliente: %s\n"
                % (page_time(old, PRO_ZONE), page_time(old, CUSTOMER_ZONE),
                   page_time(new, PRO_ZONE), page_time(new, CUSTOMER_ZONE))) in text
        # the HTML part: "Antes" with the old time, then "Ahora" with the new one
        seen = seen_in_html(html)
        at = [seen.index(s) for s in ("Antes", page_time(old, PRO_ZONE), "Ahora", page_time(new, PRO_ZONE))]
        assert at == sorted(at), seen
        assert "Cliente: María Pérez\nCorreo: %s\nTeléfono: %s\n" % (b.email, PHONE) in text
        assert 'href="tel:%s"' % PHONE in html
        assert b.dashboard_link in text and 'href="%s"' % b.dashboard_link in html
    assert_opens_the_booking(stack, b, b.dashboard_link)
    _, customers = mails_to(maildir, b.email, n=2)
    assert ("Antes: %s\n" % page_time(old, CUSTOMER_ZONE)) in text_of(customers)
    assert ("Nueva hora: %s\n" % page_time(new, CUSTOMER_ZONE)) in text_of(customers)


def test_a_cancellation_tells_them_who_the_customer_was(api, stack, maildir):
    b = Booking(api, stack)
    start = utc(b.start)
    r = api.post("/api/public/bookings/%s/cancel" % b.id, json={"reason": "No puedo ir"},
                 headers={"Authorization": "Bearer " + b.booking["token"]})
    assert r.status_code == 200, r.text
    for to in b.hosts():
        _, cancelled = mails_to(maildir, to, n=2)
        assert cancelled["Subject"] == "Reserva cancelada: Consulta general, María Pérez"
        text, html = text_of(cancelled), html_of(cancelled)
        assert "Era: %s\nHora del cliente: %s\n" % (page_time(start, PRO_ZONE),
                                                   page_time(start, CUSTOMER_ZONE)) in text
        assert "Cancelada por: el cliente\nMotivo: No puedo ir\n" in text
        assert "Cliente: María Pérez\nCorreo: %s\nTeléfono: %s\n\nVer la reserva en tu panel:\n%s\n" % (
            b.email, PHONE, b.dashboard_link) in text
        assert 'href="%s"' % b.dashboard_link in html and 'href="mailto:%s"' % b.email in html
        assert page_time(start, PRO_ZONE) in seen_in_html(html)
        # the link to book again is the customer's
        assert "Reserva de nuevo" not in text
    assert_opens_the_booking(stack, b, b.dashboard_link)
    _, customers = mails_to(maildir, b.email, n=2)
    assert "Era: %s\n" % page_time(start, CUSTOMER_ZONE) in text_of(customers)
    assert "/dashboard/" not in text_of(customers) and "/dashboard/" not in html_of(customers)


def next_day_of(month, day):
    """The next such date at least 3 days ahead (within the service's 365-day horizon)."""
    soon = dt.date.today() + dt.timedelta(days=3)
    d = dt.date(soon.year, month, day)
    return (d if d >= soon else dt.date(soon.year + 1, month, day)).isoformat()


def test_in_english_times_are_12_hours_with_the_zone_of_that_day(api, stack, maildir):
    # booked in New York's summer, moved to its winter: the customer's offset changes
    b = Booking(api, stack, locale="en", day=next_day_of(7, 15))
    old = utc(b.start)
    new = utc(b.move(next_day_of(1, 15)))
    for to in b.hosts():
        notice, moved = mails_to(maildir, to, n=2)
        assert notice["Subject"] == "New booking: Consulta general, María Pérez"
        assert ("When: %s\nCustomer's time: %s\n"
                % (page_time(old, PRO_ZONE, "en"), page_time(old, CUSTOMER_ZONE, "en"))) in text_of(notice)
        assert "3:00 PM (Bogota time, GMT-5)" in text_of(notice)
        assert "Customer: María Pérez\nEmail: %s\nPhone: %s\n" % (b.email, PHONE) in text_of(notice)
        assert "See the booking in your dashboard:\n%s\n" % b.dashboard_link in text_of(notice)
        assert moved["Subject"] == "Booking moved: Consulta general, María Pérez"
        text, html = text_of(moved), html_of(moved)
        assert ("Was: %s\nCustomer's time: %s\nNow: %s\nCustomer's time: %s\n"
                % (page_time(old, PRO_ZONE, "en"), page_time(old, CUSTOMER_ZONE, "en"),
                   page_time(new, PRO_ZONE, "en"), page_time(new, CUSTOMER_ZONE, "en"))) in text
        assert "(New York time, GMT-4)" in text and "(New York time, GMT-5)" in text
        seen = seen_in_html(html)
        at = [seen.index(s) for s in ("Was", page_time(old, PRO_ZONE, "en"), "Now",
                                      page_time(new, PRO_ZONE, "en"))]
        assert at == sorted(at), seen
        assert 'href="%s"' % b.dashboard_link in html and 'href="tel:%s"' % PHONE in html
    confirmation, moved = mails_to(maildir, b.email, n=2)
    assert "When: %s\n" % page_time(old, CUSTOMER_ZONE, "en") in text_of(confirmation)
    assert "New time: %s\n" % page_time(new, CUSTOMER_ZONE, "en") in text_of(moved)
    assert page_time(new, CUSTOMER_ZONE, "en") in seen_in_html(html_of(moved))
