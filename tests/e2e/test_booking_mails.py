"""The mails of a booking that becomes paid (API.md "After booking"): the customer's
confirmation and the professional's notice, each multipart with a calendar invite that a
real parser reads (python3-icalendar), times in the reader's zone and in the other party's
when they differ (a zone matrix across a daylight-saving change), the amount paid, and a
link back to the booking that works. Times read as the booking pages write them."""
import datetime as dt
import time
import re
import secrets
from zoneinfo import ZoneInfo

import pytest
import requests

from booking_seed import ALL_WEEK, Scenario, utc
from conftest import psql
from mail_times_support import as_read, page_time
from payments_helpers import PayTenant, wait_for

icalendar = pytest.importorskip("icalendar", reason="apt-get install python3-icalendar")


def spanish(instant, zone):
    """The oracle: the time as the booking pages write it (mail_times_support)."""
    return page_time(instant, zone, "es")


def after_next_madrid_change():
    """The Monday after Madrid's next daylight-saving change (last Sunday of March or of
    October), as YYYY-MM-DD: the week where a fixed offset would be wrong."""
    madrid = ZoneInfo("Europe/Madrid")
    day = dt.date.today() + dt.timedelta(days=2)
    while True:
        noon = lambda d: dt.datetime(d.year, d.month, d.day, 12, tzinfo=madrid)
        if noon(day).utcoffset() != noon(day - dt.timedelta(days=1)).utcoffset():
            return (day + dt.timedelta(days=1)).isoformat()
        day += dt.timedelta(days=1)


def mails_to(maildir, address, n=1, timeout=30):
    return maildir.wait(n, timeout=timeout, to=address)


def parts(msg):
    """{content type: part} of a message, and its attachments."""
    out = {}
    for part in msg.walk():
        if part.get_content_maintype() != "multipart":
            out.setdefault(part.get_content_type(), []).append(part)
    return out


def invite_of(msg, method="REQUEST"):
    """The text/calendar part and the invite.ics attachment: the same event, parsed."""
    p = parts(msg)
    [cal] = p["text/calendar"]
    assert cal.get_param("method") == method
    [att] = p["application/ics"]
    assert att.get_filename() == "invite.ics"
    attached = att.get_content()
    assert cal.get_content() == (attached.decode() if isinstance(attached, bytes) else attached)
    raw = cal.get_content()
    assert "\r\n" in raw and all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    parsed = icalendar.Calendar.from_ical(raw)
    assert str(parsed["METHOD"]) == method and str(parsed["VERSION"]) == "2.0"
    [event] = [c for c in parsed.walk() if c.name == "VEVENT"]
    return event


def text_of(msg):
    """The text part, as read (no-break spaces as spaces: mail_times_support.as_read)."""
    return as_read(msg.get_body(preferencelist=("plain",)).get_content())


def book_free(api, customer_zone, pro_zone="Europe/Madrid", day=None, email=None):
    email = email or "cliente-%s@example.com" % secrets.token_hex(5)
    pro_email = "pro-%s@example.com" % secrets.token_hex(5)
    sc = Scenario(api, service={"charge": "free", "price": 0, "horizon": 365, "duration": 45},
                  professionals=[{"timezone": pro_zone, "name": "Dra. Ana Restrepo",
                                  "hours": ALL_WEEK(("09:00", "17:00"))}])
    psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro_email, sc.professional_id)
    slots = sc.slots(**({"from": day, "days": 1} if day else {}))
    start = slots[0]["start"]
    hold = sc.hold(start).json()["hold"]
    r = api.post("/api/public/bookings", json={
        "hold_token": hold["token"], "accepted_terms": True, "timezone": customer_zone,
        "customer": {"name": "María Pérez", "email": email, "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    return sc, r.json()["booking"], email, pro_email, utc(start)


@pytest.mark.parametrize("customer_zone", ["America/Bogota", "Australia/Sydney"])
def test_free_booking_mails_the_customer_and_the_professional_with_an_invite(api, maildir, customer_zone):
    # the week Madrid changes its clock: the first slot is 09:00 in Madrid with the new offset
    day = after_next_madrid_change()
    sc, booking, email, pro_email, start = book_free(api, customer_zone, day=day)
    local = start.astimezone(ZoneInfo("Europe/Madrid"))
    assert (local.date().isoformat(), local.hour, local.minute) == (day, 9, 0)
    [mail] = mails_to(maildir, email)
    assert mail["Subject"] == "Reserva confirmada: Consulta general"
    text = text_of(mail)
    assert "Cuándo: %s" % spanish(start, customer_zone) in text
    assert "Hora del profesional: %s" % spanish(start, "Europe/Madrid") in text
    assert "Pago: Sin costo" in text and "Con: Dra. Ana Restrepo" in text
    event = invite_of(mail)
    assert event["DTSTART"].dt == start and event["DTEND"].dt == start + dt.timedelta(minutes=45)
    assert str(event["UID"]) == booking["id"] + "@konfirmado.localhost"
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == "mailto:" + email
    assert event["ATTENDEE"].params["CN"] == "María Pérez"
    assert "Consulta general" in str(event["SUMMARY"])

    # the professional: their own zone first, the customer's when it differs
    [notice] = mails_to(maildir, pro_email)
    assert notice["Subject"] == "Nueva reserva: Consulta general, María Pérez"
    ptext = text_of(notice)
    assert "Cuándo: %s" % spanish(start, "Europe/Madrid") in ptext
    assert "Cliente: María Pérez" in ptext and "Correo: %s" % email in ptext
    pevent = invite_of(notice)
    assert str(pevent["UID"]) == str(event["UID"]) and pevent["DTSTART"].dt == start


def test_same_zone_says_the_time_once(api, maildir):
    sc, booking, email, _, start = book_free(api, "Europe/Madrid")
    text = text_of(mails_to(maildir, email)[0])
    assert "Cuándo: %s" % spanish(start, "Europe/Madrid") in text
    assert "Hora del profesional" not in text


def test_the_mail_link_opens_the_booking_and_its_token_is_not_the_booking_token(api, maildir, stack):
    sc, booking, email, _, start = book_free(api, "America/Bogota")
    text = text_of(mails_to(maildir, email)[0])
    link = re.search(r"(http\S+/book/manage/%s\?token=([A-Za-z0-9_-]+))" % booking["id"], text)
    assert link, text
    token = link.group(2)
    assert token != booking["token"]
    r = api.get("/api/public/bookings/%s" % booking["id"], params={"token": token})
    assert r.status_code == 200 and r.json()["booking"]["status"] in ("paid", "confirmed")
    # a made-up token still opens nothing
    r = api.get("/api/public/bookings/%s" % booking["id"], params={"token": secrets.token_urlsafe(32)})
    assert r.status_code == 404


def test_a_bad_timezone_is_a_field_error_and_books_nothing(api):
    sc = Scenario(api, service={"charge": "free", "price": 0})
    hold = sc.hold(sc.slots()[0]["start"]).json()["hold"]
    r = api.post("/api/public/bookings", json={
        "hold_token": hold["token"], "accepted_terms": True, "timezone": "Mars/Olympus Mons!",
        "customer": {"name": "María Pérez", "email": "m@example.com", "phone": "+573001234567"}})
    assert r.status_code == 400 and "timezone" in r.json()["error"]["fields"]
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", hold["id"]) == "held"


def test_an_unknown_zone_of_good_shape_falls_back_to_the_business_zone(api, maildir):
    sc, booking, email, _, start = book_free(api, "Atlantis/Capital", pro_zone="America/Bogota")
    text = text_of(mails_to(maildir, email)[0])
    assert "Cuándo: %s" % spanish(start, "America/Bogota") in text


def test_a_paid_booking_mails_when_the_payment_is_approved(merchant, fakes, stack, maildir):
    shop = PayTenant(merchant, fakes, stack)
    email = "pagador-%s@example.com" % secrets.token_hex(5)
    booking, ref = shop.pending_booking()
    psql("UPDATE reservations SET customer_email = :'p1' WHERE id = :'p2'", email, booking)
    assert maildir.new(to=email) == []
    shop.fire(ref)
    [mail] = mails_to(maildir, email)
    text = text_of(mail)
    assert "Pago: COP 120.000" in text
    assert invite_of(mail)["UID"] == booking + "@konfirmado.localhost"
    # a repeated approval (Wompi retries) mails nothing more
    shop.fire(ref)
    time.sleep(2)
    assert len(maildir.new(to=email)) == 1


def test_calendar_ics_is_the_same_event_with_either_token(api, maildir):
    sc, booking, email, _, start = book_free(api, "America/Bogota")
    mail_event = invite_of(mails_to(maildir, email)[0])
    text = text_of(mails_to(maildir, email)[0])
    manage = re.search(r"token=([A-Za-z0-9_-]+)", text).group(1)
    for token in (booking["token"], manage):
        r = api.get("/api/public/bookings/%s/calendar.ics" % booking["id"], params={"token": token})
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("text/calendar")
        assert r.content.count(b"\r\n") == r.content.count(b"\n")       # CRLF only
        cal = icalendar.Calendar.from_ical(r.content)
        [event] = [c for c in cal.walk() if c.name == "VEVENT"]
        assert str(event["UID"]) == str(mail_event["UID"])
        assert event["DTSTART"].dt == start and event["SEQUENCE"] == mail_event["SEQUENCE"]
        assert str(cal["METHOD"]) == "PUBLISH"
    # a wrong token, another booking's id, or a booking not paid: nothing
    r = api.get("/api/public/bookings/%s/calendar.ics" % booking["id"], params={"token": secrets.token_urlsafe(32)})
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    hold = sc.hold(sc.slots()[1]["start"]).json()["hold"]
    r = api.get("/api/public/bookings/%s/calendar.ics" % hold["id"], params={"token": hold["token"]})
    assert r.status_code == 404


def test_the_business_notification_address_gets_the_notice_too(merchant, fakes, stack, maildir):
    r = merchant.api.patch("/api/admin/tenant", json={"notification_email": "agenda@negocio.example"})
    assert r.status_code == 200 and r.json()["tenant"]["notification_email"] == "agenda@negocio.example"
    assert merchant.api.get("/api/admin/tenant").json()["tenant"]["notification_email"] == "agenda@negocio.example"
    bad = merchant.api.patch("/api/admin/tenant", json={"notification_email": "agenda@"})
    assert bad.status_code == 400 and "notification_email" in bad.json()["error"]["fields"]
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    [notice] = mails_to(maildir, "agenda@negocio.example")
    assert notice["Subject"].startswith("Nueva reserva: Consulta dermatológica")
    assert invite_of(notice)["UID"] == booking + "@konfirmado.localhost"
    # cleared, nothing more is sent there
    assert merchant.api.patch("/api/admin/tenant", json={"notification_email": None}).status_code == 200
    booking2, ref2 = shop.pending_booking()
    shop.fire(ref2)
    wait_for(lambda: psql("SELECT count(*) FROM mail_outbox WHERE recipient = 'ana@example.com' AND sent_at IS NOT NULL "
                          "AND created_at > now() - interval '1 minute'") != "0", what="the customer's mail")
    time.sleep(1.5)
    assert len(maildir.new(to="agenda@negocio.example")) == 1
