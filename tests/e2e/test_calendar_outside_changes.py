"""Changes made in the professional's own calendar to the events we wrote (API.md "outside
changes"): the booking whose event the professional deleted or moved in Google or Outlook is
flagged at that calendar's notification (`calendar_changed` in admin JSON, an alert for the
business), never cancelled or moved by itself; the merchant moves it to the event's time
(a reschedule with its callback), puts the event back, or cancels it."""
import datetime as dt

from calendar_support import day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from test_booking_mails import mails_to, parts, text_of
from payments_helpers import callbacks_for, check_callback_signatures, wait_for


def detail(shop, booking_id):
    r = shop.merchant.api.get("/api/admin/bookings/%s" % booking_id)
    assert r.status_code == 200, r.text
    return r.json()["booking"]


def written_event(shop, booking_id):
    ev = detail(shop, booking_id)["calendar_event"]
    return ev["event_id"] if ev and ev["status"] == "written" else None


def with_callbacks(shop):
    url = shop.fakes.base("merchant") + "/callback/" + shop.tenant_id
    r = shop.merchant.api.patch("/api/admin/tenant", json={"callback_url": url})
    assert r.status_code == 200, r.text
    r = shop.merchant.api.post("/api/admin/tenant/callback-secret")
    assert r.status_code == 201, r.text
    return r.json()["secret"]


def test_an_event_moved_in_google_flags_the_booking_and_the_merchant_accepts_the_move(shop):
    secret = with_callbacks(shop)
    account = shop.connect_google()
    date, ten = day_in(3)
    booking = shop.book(z(ten))
    event_id = wait_for(lambda: written_event(shop, booking["id"]), what="the event written")
    assert detail(shop, booking["id"])["calendar_changed"] is None
    later = ten + dt.timedelta(hours=4)
    out = shop.fakes._call("PATCH", "/google/_control/events/" + event_id, json={
        "start": z(later), "end": z(later + dt.timedelta(minutes=30))})
    assert [n["status"] for n in out["notified"]] == [200]
    # flagged at the notification, and nothing else changed
    b = detail(shop, booking["id"])
    assert b["calendar_changed"]["kind"] == "moved"
    assert b["calendar_changed"]["start"] == z(later)
    assert b["calendar_changed"]["end"] == z(later + dt.timedelta(minutes=30))
    assert b["calendar_changed"]["seen_at"]
    assert b["start"] == z(ten) and b["status"] in ("paid", "confirmed")
    # restore is for a deleted event or a move refused; here the merchant accepts the move
    r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/accept" % booking["id"])
    assert r.status_code == 200, r.text
    b = detail(shop, booking["id"])
    assert b["start"] == z(later) and b["calendar_changed"] is None
    assert "rescheduled" in [h["reason"] for h in b["history"]]
    got = wait_for(lambda: [c for c in callbacks_for(shop.fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.rescheduled"],
                   what="booking.rescheduled")
    assert check_callback_signatures(got[0], secret)["booking_id"] == booking["id"]
    # accepting twice is refused with its reason
    r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/accept" % booking["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "calendar_unchanged"


def test_the_professional_is_told_of_the_change_in_their_calendar_and_the_customer_is_not(
        shop, maildir):
    pro = "pro-%s@example.com" % shop.tenant_id[:8]
    psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro, shop.professional_id)
    account = shop.connect_google()
    date, ten = day_in(6)
    booking = shop.book(z(ten), email="cliente-cal@example.com")
    mails_to(maildir, pro)                                    # the booking's own notice
    event_id = wait_for(lambda: written_event(shop, booking["id"]), what="the event written")
    later = ten + dt.timedelta(hours=3)
    shop.fakes._call("PATCH", "/google/_control/events/" + event_id, json={
        "start": z(later), "end": z(later + dt.timedelta(minutes=30))})
    notice = wait_for(lambda: [m for m in maildir.new(to=pro)
                               if m["Subject"].startswith("Cambio en tu calendario")],
                      what="the professional's notice")[0]
    text = text_of(notice)
    # the new time as the professional reads it (Bogotá), the booking unchanged
    assert "se movió en tu calendario a" in text and "(hora de Bogota, GMT-5)" in text
    assert "%d:00" % ((later.hour + 11) % 12 + 1) in text.split("\n")[0]
    assert "no se canceló ni se movió" in text
    assert "puedes mover la reserva a la nueva hora" in text
    assert "/dashboard/bookings/" + booking["id"] in text
    # no invite: one would put the moved event back in the professional's calendar
    assert "text/calendar" not in parts(notice)
    # the customer heard nothing of it
    assert not [m for m in maildir.new(to="cliente-cal@example.com")
                if "calendario" in m["Subject"].lower()]
    # seen again at the next notification (answered once the check is done): told once
    out = shop.fakes._call("PATCH", "/google/_control/events/" + event_id, json={
        "start": z(later), "end": z(later + dt.timedelta(minutes=30))})
    assert [n["status"] for n in out["notified"]] == [200]
    assert psql("SELECT count(*) FROM mail_outbox WHERE recipient = :'p1'"
                " AND subject LIKE 'Cambio en tu calendario%'", pro) == "1"


def test_an_event_deleted_in_google_is_flagged_and_put_back(shop):
    account = shop.connect_google()
    date, ten = day_in(4)
    booking = shop.book(z(ten))
    event_id = wait_for(lambda: written_event(shop, booking["id"]), what="the event written")
    out = shop.fakes._call("DELETE", "/google/_control/events/" + event_id)
    assert [n["status"] for n in out["notified"]] == [200]
    b = detail(shop, booking["id"])
    assert b["calendar_changed"]["kind"] == "deleted" and "start" not in b["calendar_changed"]
    assert b["status"] in ("paid", "confirmed")               # never cancelled by itself
    assert z(ten) not in shop.slots(date)                     # the slot is still the booking's
    # a deleted event has no time to move to
    r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/accept" % booking["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "calendar_change_not_moved"
    # the business is told
    def changed_alert(lang="es"):
        r = shop.merchant.api.get("/api/admin/alerts", headers={"Accept-Language": lang})
        return [a for a in r.json()["items"] if a["kind"] == "calendar_changed"]

    [alert] = wait_for(changed_alert, what="the calendar_changed alert", timeout=30)
    assert alert["detail"] == ("1 reserva borrada en el calendario de Dra. Calendario, "
                               "esperando tu decisión.")
    assert changed_alert("en")[0]["detail"] == (
        "1 booking deleted in the calendar of Dra. Calendario, waiting for you.")
    # put back: a new event at the booking's time
    r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/restore" % booking["id"])
    assert r.status_code == 200, r.text
    assert detail(shop, booking["id"])["calendar_changed"] is None
    new_id = wait_for(lambda: (lambda e: e if e and e != event_id else None)(
        written_event(shop, booking["id"])), what="the event written again")
    live = [e for e in shop.google_events(account) if e["status"] != "cancelled"]
    assert [e["id"] for e in live] == [new_id]
    assert live[0]["start"]["dateTime"].startswith(z(ten)[:19])
    wait_for(lambda: changed_alert() == [], what="the alert resolved", timeout=30)


def test_an_event_moved_in_outlook_is_flagged_and_moved_back_on_restore(shop):
    account = shop.connect_microsoft()
    date, ten = day_in(5)
    booking = shop.book(z(ten))
    event_id = wait_for(lambda: written_event(shop, booking["id"]), what="the event written")
    later = ten + dt.timedelta(hours=2)
    out = shop.fakes._call("PATCH", "/microsoft/_control/events/" + event_id, json={
        "start": z(later)[:19], "end": z(later + dt.timedelta(minutes=30))[:19]})
    assert [n["status"] for n in out["notified"]] == [202]
    b = detail(shop, booking["id"])
    assert b["calendar_changed"] == {"kind": "moved", "start": z(later),
                                     "end": z(later + dt.timedelta(minutes=30)),
                                     "seen_at": b["calendar_changed"]["seen_at"]}
    r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/restore" % booking["id"])
    assert r.status_code == 200, r.text

    def back_in_place():
        events = shop.fakes._call("GET", "/microsoft/_control/events?account=" + account)["events"]
        ours = [e for e in events if e["id"] == event_id]
        return ours and ours[0]["start"]["dateTime"].startswith(z(ten)[:19])

    wait_for(back_in_place, what="the event moved back to the booking's time")
    assert detail(shop, booking["id"])["calendar_changed"] is None
    assert detail(shop, booking["id"])["start"] == z(ten)


def test_the_actions_refuse_what_they_cannot_do(shop):
    date, ten = day_in(3)
    booking = shop.book(z(ten))
    for action in ("accept", "restore"):
        r = shop.merchant.api.post("/api/admin/bookings/%s/calendar-change/%s" % (booking["id"], action))
        assert r.status_code == 409 and r.json()["error"]["code"] == "calendar_unchanged", r.text
        r = shop.merchant.api.post(
            "/api/admin/bookings/00000000-0000-4000-8000-000000000000/calendar-change/" + action)
        assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    assert psql("SELECT count(*) FROM calendar_events WHERE reservation_id = :'p1'"
                " AND outside_change IS NOT NULL", booking["id"]) == "0"
