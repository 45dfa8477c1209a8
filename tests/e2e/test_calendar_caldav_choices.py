"""Which CalDAV calendars count, and the changes made there to our events, against the stack's
Radicale (API.md "Which calendars count, outside changes, meeting rooms"): the account's
collections are listed (the connected one the primary); a ticked one's event removes its
slot, an unticked one's does not; an all-day event blocks the day of its collection's zone;
new events go to the collection chosen and a written one is moved where it is. CalDAV tells
of no change: an event of ours moved or deleted in Radicale flags its booking when the sync
job next reads the calendar (at most KonfirmadoCalendarRefresh late)."""
import datetime as dt
import re
import secrets

import requests

from calendar_support import age_busy_times, connect_caldav, day_in, put_all_day, put_event, z
from calendar_support import radicale, shop  # noqa: F401 (the fixtures)
from conftest import psql
from payments_helpers import wait_for


def calendars_url(shop):
    return "/api/admin/professionals/%s/calendars" % shop.professional_id


def listed(shop):
    r = shop.merchant.api.get(calendars_url(shop))
    assert r.status_code == 200, r.text
    return {c["id"]: c for c in r.json()["calendars"]}


def choose(shop, calendars):
    return shop.merchant.api.put(calendars_url(shop), json={"calendars": calendars})


def connected(shop, stack, url):
    r = connect_caldav(shop, stack, url)
    assert r.status_code == 200, r.text
    wait_for(lambda: shop.row("synced_at") != "", what="first busy read")


def read_by_the_job(shop):
    """The connection's refresh is due: the sync job reads it (busy times, and our events)."""
    synced = shop.row("synced_at")
    age_busy_times(shop, 400, due_later=False)
    wait_for(lambda: shop.row("synced_at") != synced and shop.row("sync_due_at > now()") == "t",
             what="the sync job's read", timeout=30)


def detail(shop, booking_id):
    r = shop.merchant.api.get("/api/admin/bookings/%s" % booking_id)
    assert r.status_code == 200, r.text
    return r.json()["booking"]


def event_at(radicale, url):
    got = radicale.get(url, timeout=10)
    return got.text if got.status_code == 200 else None


def test_the_collections_are_listed_and_a_ticked_one_blocks(shop, stack, radicale):
    personal = radicale.make_collection("Personal")
    sport = radicale.make_collection("Deporte")
    connected(shop, stack, radicale.collection)
    cals = listed(shop)
    assert cals[radicale.collection]["primary"] is True
    assert cals[radicale.collection]["blocks"] and cals[radicale.collection]["receives_events"]
    assert cals[personal] == {"id": personal, "name": "Personal", "primary": False, "writable": True,
                              "blocks": False, "receives_events": False}
    assert cals[sport]["name"] == "Deporte" and not cals[sport]["blocks"]
    # the connection still writes to its own collection
    assert shop.row("calendar_url") == radicale.collection

    date, ten = day_in(3)
    before = shop.slots(date)
    put_event(radicale, "privado-" + secrets.token_hex(3), ten, collection=personal)   # 10-11
    put_event(radicale, "futbol-" + secrets.token_hex(3), ten + dt.timedelta(hours=3),
              collection=sport)                                                        # 13-14
    read_by_the_job(shop)
    assert shop.slots(date) == before              # neither is ticked
    r = choose(shop, [{"id": personal, "blocks": True}])
    assert r.status_code == 200, r.text
    after = shop.slots(date)
    assert z(ten) not in after and z(ten + dt.timedelta(minutes=30)) not in after
    assert z(ten + dt.timedelta(hours=3)) in after  # Deporte: unticked
    assert z(ten - dt.timedelta(minutes=30)) in after
    # unticked again, the hour is free again
    assert choose(shop, [{"id": personal, "blocks": False}]).status_code == 200
    assert shop.slots(date) == before


def test_an_all_day_event_blocks_the_day_of_its_collections_zone(shop, stack, radicale):
    """Tokyo's day D runs from 10:00 Bogotá the day before to 10:00 on D; read as a UTC date
    it would cover the whole Bogotá working day of D instead."""
    tokyo = radicale.make_collection("Clínica Tokio", zone="Asia/Tokyo")
    connected(shop, stack, radicale.collection)
    date, ten = day_in(5)
    put_all_day(radicale, "congreso-" + secrets.token_hex(3), date, collection=tokyo)
    assert listed(shop)[tokyo]["name"] == "Clínica Tokio"
    assert psql("SELECT time_zone FROM calendar_choices WHERE professional_id = :'p1'"
                " AND calendar_id = :'p2'", shop.professional_id, tokyo) == "Asia/Tokyo"
    before = shop.slots(date)
    assert choose(shop, [{"id": tokyo, "blocks": True}]).status_code == 200
    slots = shop.slots(date)
    assert slots == [s for s in before if s >= z(ten)], slots
    assert z(ten - dt.timedelta(hours=2)) not in slots and z(ten) in slots


def test_events_go_to_the_chosen_collection_and_stay_where_they_are(shop, stack, radicale):
    clinic = radicale.make_collection("Clínica")
    connected(shop, stack, radicale.collection)
    listed(shop)
    r = choose(shop, [{"id": clinic, "receives_events": True},
                      {"id": radicale.collection, "receives_events": False}])
    assert r.status_code == 200, r.text
    assert shop.row("calendar_url") == clinic
    date, ten = day_in(6)
    booking = shop.book(z(ten))
    there = clinic + booking["id"] + ".ics"
    wait_for(lambda: event_at(radicale, there), what="the event in the chosen collection",
             timeout=30)
    assert radicale.get(radicale.collection + booking["id"] + ".ics", timeout=10).status_code == 404
    assert psql("SELECT calendar_id FROM calendar_events WHERE reservation_id = :'p1'",
                booking["id"]) == clinic
    # new events go to the connection's own collection again: it is named, never left empty
    assert choose(shop, [{"id": radicale.collection, "receives_events": True},
                         {"id": clinic, "receives_events": False}]).status_code == 200
    assert shop.row("calendar_url") == radicale.collection
    # the written one is moved where it is, then deleted there
    later = ten + dt.timedelta(hours=2)
    r = shop.merchant.api.post("/api/admin/bookings/%s/reschedule" % booking["id"],
                               json={"start": z(later)})
    assert r.status_code == 200, r.text
    wait_for(lambda: "SEQUENCE:1" in (event_at(radicale, there) or ""),
             what="the event moved in the clinic's collection", timeout=30)
    assert "DTSTART:" + later.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") \
        in event_at(radicale, there)
    assert radicale.get(radicale.collection + booking["id"] + ".ics", timeout=10).status_code == 404
    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                               json={"reason": "La profesional no puede", "refund": "none"})
    assert r.status_code == 200, r.text
    wait_for(lambda: radicale.get(there, timeout=10).status_code == 404,
             what="the event deleted from the clinic's collection", timeout=30)


def test_an_event_moved_in_radicale_flags_the_booking_at_the_next_read(shop, stack, radicale):
    connected(shop, stack, radicale.collection)
    date, ten = day_in(4)
    booking = shop.book(z(ten))
    url = radicale.collection + booking["id"] + ".ics"
    ics = wait_for(lambda: event_at(radicale, url), what="the event written", timeout=30)
    wait_for(lambda: detail(shop, booking["id"])["calendar_event"]["status"] == "written",
             what="the event recorded as written")
    read_by_the_job(shop)
    assert detail(shop, booking["id"])["calendar_changed"] is None   # as we wrote it
    # the professional moves it two hours later, straight in Radicale
    later = ten + dt.timedelta(hours=2)
    moved = re.sub(r"DTSTART:\d{8}T\d{6}Z", "DTSTART:" + later.astimezone(dt.timezone.utc)
                   .strftime("%Y%m%dT%H%M%SZ"), ics)
    moved = re.sub(r"DTEND:\d{8}T\d{6}Z", "DTEND:" + (later + dt.timedelta(minutes=30))
                   .astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ"), moved)
    r = radicale.put(url, data=moved.encode(), headers={"Content-Type": "text/calendar"},
                     timeout=10)
    assert r.status_code in (201, 204), r.text
    assert detail(shop, booking["id"])["calendar_changed"] is None   # not read yet
    read_by_the_job(shop)
    changed = wait_for(lambda: detail(shop, booking["id"])["calendar_changed"],
                       what="the booking flagged")
    assert changed["kind"] == "moved"
    assert changed["start"] == z(later) and changed["end"] == z(later + dt.timedelta(minutes=30))
    b = detail(shop, booking["id"])
    assert b["start"] == z(ten) and b["status"] in ("paid", "confirmed")   # never moved by itself


def test_an_event_deleted_in_radicale_is_flagged_and_put_back(shop, stack, radicale):
    connected(shop, stack, radicale.collection)
    date, ten = day_in(5)
    booking = shop.book(z(ten))
    url = radicale.collection + booking["id"] + ".ics"
    wait_for(lambda: event_at(radicale, url), what="the event written", timeout=30)
    wait_for(lambda: detail(shop, booking["id"])["calendar_event"]["status"] == "written",
             what="the event recorded as written")
    assert radicale.delete(url, timeout=10).status_code in (200, 204)
    read_by_the_job(shop)
    changed = wait_for(lambda: detail(shop, booking["id"])["calendar_changed"],
                       what="the booking flagged")
    assert changed["kind"] == "deleted" and "start" not in changed
    assert detail(shop, booking["id"])["status"] in ("paid", "confirmed")
    # put back: written again at the booking's time, and the flag gone
    r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/restore" % booking["id"])
    assert r.status_code == 200, r.text
    back = wait_for(lambda: event_at(radicale, url), what="the event written again", timeout=30)
    assert "DTSTART:" + ten.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") in back
    assert detail(shop, booking["id"])["calendar_changed"] is None


def test_a_collection_the_user_may_only_read_never_receives(shop, stack, radicale):
    """The stack's Radicale lets another user make a calendar named ro-* in the user's home,
    which the user may only read (as one shared with them to read): its
    current-user-privilege-set names no write."""
    from calendar_support import _mkcalendar_body
    shared = "%s/%s/ro-%s/" % (stack["KF_RADICALE_URL"], stack["KF_RADICALE_USER"],
                               secrets.token_hex(4))
    sharer = requests.Session()
    sharer.auth = (stack["KF_RADICALE_SHARER"], stack["KF_RADICALE_SHARER_PASSWORD"])
    made = sharer.request("MKCALENDAR", shared, data=_mkcalendar_body("Festivos", None),
                          timeout=10)
    assert made.status_code == 201, made.text
    # Radicale refuses to write there: what a booking's event would meet
    put = radicale.put(shared + "x.ics", data="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", timeout=10)
    assert put.status_code == 403
    connected(shop, stack, radicale.collection)
    cals = listed(shop)
    assert cals[radicale.collection]["writable"] is True
    assert cals[shared]["writable"] is False and cals[shared]["name"] == "Festivos"
    r = choose(shop, [{"id": radicale.collection, "receives_events": False},
                      {"id": shared, "blocks": True, "receives_events": True}])
    assert r.status_code == 400, r.text
    assert set(r.json()["error"]["fields"]) == {"calendars[1].receives_events"}
    assert shop.row("calendar_url") == radicale.collection
    # it may block
    r = choose(shop, [{"id": shared, "blocks": True}])
    assert r.status_code == 200, r.text
    assert {c["id"]: c["blocks"] for c in r.json()["calendars"]}[shared] is True
    sharer.delete(shared, timeout=10)
