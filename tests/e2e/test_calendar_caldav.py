"""CalDAV calendars (iCloud, Fastmail, Nextcloud, Zoho...) against a real CalDAV server, the
stack's Radicale (API.md "Calendar connection"): the professional connects through the
invitation with the server's URL, user name and app password (a wrong password is a clear
error and stores nothing); an event put straight into the calendar blocks its slot after a
refresh; a booking is written there as the mails' iCalendar object, moved with its SEQUENCE
bumped, and deleted on cancel."""
import datetime as dt
import re
import secrets

from calendar_support import age_busy_times, day_in, put_event, z
from calendar_support import connect_caldav as connect
from calendar_support import radicale, shop  # noqa: F401 (the fixtures)
from conftest import psql
from payments_helpers import wait_for


def prop(ics, name):
    unfolded = re.sub(r"\r\n[ \t]", "", ics)
    m = re.search(r"^%s[;:]([^\r\n]*)" % name, unfolded, re.M)
    return m.group(1).split(":")[-1] if m else None


def test_a_wrong_password_is_refused_and_nothing_is_stored(shop, stack, radicale):
    invitation = shop.invite()
    r = connect(shop, stack, radicale.collection, password="not-the-password", invitation=invitation)
    assert r.status_code == 400, r.text
    assert "password" in r.json()["error"]["fields"]
    assert psql("SELECT count(*) FROM calendar_connections WHERE professional_id = :'p1'",
                shop.professional_id) == "0"
    assert shop.calendar()["status"] == "pending"
    # a URL where no calendar lives: said of the URL
    r = connect(shop, stack, stack["KF_RADICALE_URL"] + "/nobody/nothing/", invitation=invitation)
    assert r.status_code in (400, 502), r.text
    # the invitation was not spent: the right password connects
    r = connect(shop, stack, radicale.collection, invitation=invitation)
    assert r.status_code == 200, r.text
    assert r.json()["calendar"]["provider"] == "caldav"
    assert r.json()["calendar"]["account"] == stack["KF_RADICALE_USER"]
    # https only, but for servers the operator allows (the stack allows http)
    r = connect(shop, stack, "ftp://example.com/cal/")
    assert r.status_code == 400 and "url" in r.json()["error"]["fields"], r.text


def test_an_event_in_the_calendar_blocks_its_slot_after_a_refresh(shop, stack, radicale):
    r = connect(shop, stack, radicale.collection)
    assert r.status_code == 200, r.text
    wait_for(lambda: shop.row("synced_at") != "", what="first busy read")
    assert shop.row("calendar_url") == radicale.collection
    # the app password is kept sealed, never as given
    assert stack["KF_RADICALE_PASSWORD"] not in shop.row("secret_sealed")
    date, ten = day_in(4)
    assert z(ten) in shop.slots(date)
    put_event(radicale, "dentista-" + secrets.token_hex(3), ten)
    age_busy_times(shop, 400, due_later=False)
    wait_for(lambda: z(ten) not in shop.slots(date), what="the slot blocked by the refresh")
    assert z(ten + dt.timedelta(hours=1)) in shop.slots(date)


def test_the_server_root_finds_the_calendar(shop, stack, radicale):
    r = connect(shop, stack, stack["KF_RADICALE_URL"] + "/")
    assert r.status_code == 200, r.text
    found = shop.row("calendar_url")
    assert found.startswith("%s/%s/" % (stack["KF_RADICALE_URL"], stack["KF_RADICALE_USER"])), found


def test_a_booking_is_written_moved_and_deleted(shop, stack, radicale):
    r = connect(shop, stack, radicale.collection)
    assert r.status_code == 200, r.text
    date, ten = day_in(3)
    booking = shop.book(z(ten), email="maria@example.com")
    url = radicale.collection + booking["id"] + ".ics"

    def stored():
        got = radicale.get(url, timeout=10)
        return got.text if got.status_code == 200 else None

    ics = wait_for(stored, what="the event written to the CalDAV server", timeout=30)
    assert prop(ics, "UID") == booking["id"] + "@konfirmado"
    assert prop(ics, "SUMMARY") == "Consulta general \u2014 Juan Pérez"
    assert prop(ics, "DTSTART") == ten.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert prop(ics, "SEQUENCE") == "0"
    assert "METHOD:" not in ics          # a calendar's own copy (RFC 4791 4.1)
    ev = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"]["calendar_event"]
    assert ev["provider"] == "caldav" and ev["status"] == "written"
    # our own event does not free our own slot
    assert z(ten) not in shop.slots(date)

    later = ten + dt.timedelta(hours=3)
    r = shop.merchant.api.post("/api/admin/bookings/%s/reschedule" % booking["id"],
                               json={"start": z(later)})
    assert r.status_code == 200, r.text
    moved = wait_for(lambda: (lambda t: t if t and prop(t, "SEQUENCE") == "1" else None)(stored()),
                     what="the event moved", timeout=30)
    assert prop(moved, "DTSTART") == later.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert prop(moved, "UID") == booking["id"] + "@konfirmado"

    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                               json={"reason": "La profesional no puede", "refund": "none"})
    assert r.status_code == 200, r.text
    wait_for(lambda: radicale.get(url, timeout=10).status_code == 404, what="the event deleted",
             timeout=30)
    wait_for(lambda: shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()
             ["booking"]["calendar_event"]["status"] == "removed", what="the event removed")


def test_a_caldav_calendar_replaced_by_google_takes_our_event_with_it(shop, stack, radicale):
    r = connect(shop, stack, radicale.collection)
    assert r.status_code == 200, r.text
    date, ten = day_in(5)
    booking = shop.book(z(ten), email="rosa@example.com")
    url = radicale.collection + booking["id"] + ".ics"
    wait_for(lambda: radicale.get(url, timeout=10).status_code == 200, what="the event in CalDAV",
             timeout=30)
    google = shop.connect_google()
    wait_for(lambda: [e for e in shop.google_events(google)
                      if e.get("summary") == "Consulta general \u2014 Juan Pérez"],
             what="the event written in Google", timeout=30)
    # removed from the CalDAV calendar it was left in, with that calendar's own password
    wait_for(lambda: radicale.get(url, timeout=10).status_code == 404,
             what="the event removed from the CalDAV calendar", timeout=30)
    wait_for(lambda: psql("SELECT count(*) FROM calendar_orphans WHERE professional_id = :'p1'",
                          shop.professional_id) == "0", what="nothing left behind")


def test_another_calendar_of_the_same_user_takes_our_event_with_it(shop, stack, radicale):
    r = connect(shop, stack, radicale.collection)
    assert r.status_code == 200, r.text
    date, ten = day_in(6)
    booking = shop.book(z(ten), email="eva@example.com")
    first = radicale.collection + booking["id"] + ".ics"
    wait_for(lambda: radicale.get(first, timeout=10).status_code == 200, what="the event", timeout=30)
    other = radicale.collection.rstrip("/") + "-otra/"
    assert radicale.request("MKCALENDAR", other, timeout=10).status_code == 201
    try:
        r = connect(shop, stack, other)
        assert r.status_code == 200, r.text
        wait_for(lambda: radicale.get(other + booking["id"] + ".ics", timeout=10).status_code == 200,
                 what="the event written in the new calendar", timeout=30)
        wait_for(lambda: radicale.get(first, timeout=10).status_code == 404,
                 what="the event removed from the old one", timeout=30)
    finally:
        radicale.delete(other, timeout=10)
