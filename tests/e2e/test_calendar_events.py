"""Bookings written back to the professional's calendar, and a calendar that fails
(API.md "Calendar connection"): a paid booking appears as an event, a reschedule moves it, a
cancel deletes it; a calendar that is down never blocks the booking and catches up; a
refused grant puts the connection in error, mails the business, keeps the last busy times
until they are stale and then offers nothing."""
import datetime as dt


from calendar_support import CalendarShop, age_busy_times, day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql, render_conf, start_extra_httpd
from payments_helpers import wait_for


def event_of(shop, booking_id):
    r = shop.merchant.api.get("/api/admin/bookings/%s" % booking_id)
    assert r.status_code == 200, r.text
    return r.json()["booking"]["calendar_event"]


def written(shop, booking_id):
    ev = event_of(shop, booking_id)
    return ev if ev and ev["status"] == "written" else None


def test_a_paid_booking_is_an_event_that_moves_and_goes(shop):
    account = shop.connect_google()
    date, ten = day_in(3)
    booking = shop.book(z(ten), email="maria@example.com")
    assert booking["status"] == "paid"
    ev = wait_for(lambda: written(shop, booking["id"]), what="the event written")
    assert ev["provider"] == "google"
    events = shop.google_events(account)
    assert len(events) == 1
    assert events[0]["id"] == ev["event_id"]
    assert events[0]["summary"] == "Consulta general \u2014 Juan Pérez"
    assert events[0]["start"]["dateTime"].startswith(z(ten)[:19])
    assert events[0]["start"]["timeZone"] == "America/Bogota"
    assert not events[0].get("attendees")      # the business did not ask for it
    # our own event does not make our own slot look taken twice, nor free
    assert z(ten) not in shop.slots(date)

    # the merchant moves it: same event, new time
    later = ten + dt.timedelta(hours=3)
    r = shop.merchant.api.post("/api/admin/bookings/%s/reschedule" % booking["id"],
                               json={"start": z(later)})
    assert r.status_code == 200, r.text
    wait_for(lambda: (written(shop, booking["id"]) or {}).get("updated_at") != ev["updated_at"]
          and shop.google_events(account)[0]["start"]["dateTime"].startswith(z(later)[:19]),
          what="the event moved")
    assert [e["id"] for e in shop.google_events(account)] == [ev["event_id"]]
    assert z(ten) in shop.slots(date) and z(later) not in shop.slots(date)

    # cancelled: the event is deleted from the calendar
    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                               json={"reason": "La profesional no puede", "refund": "none"})
    assert r.status_code == 200, r.text
    wait_for(lambda: shop.google_events(account)[0]["status"] == "cancelled", what="the event deleted")
    wait_for(lambda: event_of(shop, booking["id"])["status"] == "removed", what="the event removed")
    assert z(later) in shop.slots(date)


def test_the_customer_is_an_attendee_only_when_the_business_wants_it(shop):
    account = shop.connect_google()
    r = shop.merchant.api.patch("/api/admin/tenant", json={"calendar_customer_attendee": True})
    assert r.status_code == 200 and r.json()["tenant"]["calendar_customer_attendee"] is True, r.text
    r = shop.merchant.api.patch("/api/admin/tenant", json={"calendar_customer_attendee": "yes"})
    assert r.status_code == 400
    date, ten = day_in(4)
    booking = shop.book(z(ten), email="lucia@example.com")
    wait_for(lambda: written(shop, booking["id"]), what="the event written")
    assert [a["email"] for a in shop.google_events(account)[0]["attendees"]] == ["lucia@example.com"]


def test_a_calendar_that_is_down_never_blocks_the_booking(shop, fakes, allow_log):
    allow_log(r"calendar event create failed", r"busy times not read", r"channel")
    account = shop.connect_google()
    fakes.config("google", status=503)
    date, ten = day_in(5)
    booking = shop.book(z(ten))
    assert booking["status"] == "paid"
    ev = wait_for(lambda: (event_of(shop, booking["id"]) or {}).get("error"), what="a failed attempt")
    ev = event_of(shop, booking["id"])
    assert ev["status"] == "pending" and "503" in ev["error"]
    fakes.config("google", status=None)
    psql("UPDATE calendar_events SET due_at = now() WHERE reservation_id = :'p1'", booking["id"])
    wait_for(lambda: written(shop, booking["id"]), what="the event written after the outage")
    assert len(shop.google_events(account)) == 1


def test_microsoft_and_calcom_bookings_are_written(shop, fakes, merchant, api, stack):
    account = shop.connect_microsoft()
    date, ten = day_in(3)
    booking = shop.book(z(ten))
    wait_for(lambda: written(shop, booking["id"]), what="the Outlook event")
    events = fakes._call("GET", "/microsoft/_control/events?account=" + account)["events"]
    assert len(events) == 1 and events[0]["subject"] == "Consulta general \u2014 Juan Pérez"
    assert events[0]["start"] == {"dateTime": z(ten)[:19] + ".0000000", "timeZone": "UTC"}
    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                               json={"reason": "Cambio de planes", "refund": "none"})
    assert r.status_code == 200, r.text
    wait_for(lambda: event_of(shop, booking["id"])["status"] == "removed", what="the Outlook event deleted")

    other = CalendarShop(merchant, api, fakes, stack, name="Dr. Cal")
    other.connect_calcom(event_type=1001)
    booking = other.book(z(ten + dt.timedelta(hours=1)), email="pedro@example.com")
    wait_for(lambda: written(other, booking["id"]), what="the Cal.com booking")
    made = fakes._call("GET", "/calcom/_control/bookings")["bookings"]
    ours = [b for b in made if (b.get("metadata") or {}).get("konfirmado_booking") == booking["id"]]
    assert len(ours) == 1 and ours[0]["attendees"][0]["email"] == "pedro@example.com"


def test_a_refused_grant_keeps_the_last_busy_times_until_stale(shop, fakes, maildir, allow_log):
    allow_log(r"refused our access", r"token refresh failed", r"busy times not read")
    account = shop.connect_google()
    date, ten = day_in(3)
    shop.google_event(account, ten, minutes=60)
    offered = shop.slots(date)
    assert z(ten) not in offered and offered
    # the professional revokes our access in Google; the access token runs out
    fakes._call("POST", "/google/_control/revoke", json={"account": account})
    psql("UPDATE calendar_connections SET access_expires_at = now() - interval '1 minute',"
         " sync_due_at = now() WHERE professional_id = :'p1'", shop.professional_id)
    wait_for(lambda: shop.calendar()["status"] == "error", what="status error")
    cal = shop.calendar()
    assert "invalid_grant" in cal["error"]
    # the merchant's metrics count the refused grant of the day
    figures = shop.merchant.api.get("/api/admin/metrics", params={"period": "7d",
                                                                  "professional": shop.professional_id}).json()
    assert figures["oauth_failures"] == 1
    mail = maildir.wait(1, to=shop.merchant.email)[0]
    assert "Dra. Calendario" in mail["Subject"]
    # still the last busy times: the same slots, the appointment still blocked
    assert shop.slots(date) == offered
    # a new invitation is what the dashboard offers
    assert shop.merchant.api.post("/api/admin/professionals/%s/invitation" % shop.professional_id).status_code == 201
    # past the stale limit (KonfirmadoCalendarStale, shortened here): nothing is offered
    age_busy_times(shop, 30)
    with start_extra_httpd(render_conf(add=["KonfirmadoCalendarStale 20"])) as extra:
        r = extra.api().get("/api/public/links/%s/availability" % shop.slug, params={
            "service": shop.service_id, "professional": shop.professional_id, "from": date, "days": 1})
        assert r.status_code == 200 and r.json()["slots"] == []
    assert shop.slots(date) == offered       # the stack believes them for 6 hours


def test_reconnecting_after_an_error_clears_it(shop, fakes, allow_log):
    allow_log(r"refused our access", r"token refresh failed")
    account = shop.connect_google()
    fakes._call("POST", "/google/_control/revoke", json={"account": account})
    psql("UPDATE calendar_connections SET access_expires_at = now() - interval '1 minute',"
         " sync_due_at = now() WHERE professional_id = :'p1'", shop.professional_id)
    wait_for(lambda: shop.calendar()["status"] == "error", what="status error")
    shop.connect_google(account)
    cal = shop.calendar()
    assert cal["status"] == "connected" and cal["error"] is None
    wait_for(lambda: shop.row("channel_id") != "", what="a new channel")


def test_connecting_writes_the_upcoming_bookings(shop):
    date, ten = day_in(3)
    booking = shop.book(z(ten), email="antes@example.com")     # before any calendar
    account = shop.connect_google()
    wait_for(lambda: written(shop, booking["id"]), what="the earlier booking written")
    assert [e["summary"] for e in shop.google_events(account)] == ["Consulta general \u2014 Juan Pérez"]


def test_a_calendar_that_is_down_does_not_slow_every_hold(shop, fakes, allow_log):
    allow_log(r"busy times not read")
    shop.connect_google()
    date, ten = day_in(4)
    age_busy_times(shop, 90)
    fakes.config("google", status=503)
    reads = lambda: len([r for r in fakes.requests("google") if r["path"].endswith("/freeBusy")])  # noqa: E731
    before = reads()
    assert shop.hold(z(ten)).status_code == 201          # the stored times decide
    assert reads() == before + 1                         # one attempt to read them
    assert "503" in shop.calendar()["error"]
    assert shop.hold(z(ten + dt.timedelta(hours=1))).status_code == 201
    assert reads() == before + 1                         # the retry waits for the job
    # each failed read is one of the merchant's calendar failures of the day
    figures = shop.merchant.api.get("/api/admin/metrics", params={"period": "7d"}).json()
    assert figures["calendar_failures"] >= 1


def test_a_booking_moved_to_another_professional_moves_calendars(shop, merchant):
    first = shop.connect_google()
    other_pro = shop.add_professional("Dr. Segundo")
    second = shop.connect_google(professional=other_pro)
    date, ten = day_in(3)
    booking = shop.book(z(ten))
    ev = wait_for(lambda: written(shop, booking["id"]), what="the event at the first professional")
    r = merchant.api.post("/api/admin/bookings/%s/reschedule" % booking["id"],
                          json={"start": z(ten), "professional": other_pro})
    assert r.status_code == 200, r.text
    wait_for(lambda: (written(shop, booking["id"]) or {}).get("event_id") not in (None, ev["event_id"]),
             what="the event at the second professional")
    assert [e["status"] for e in shop.google_events(first)] == ["cancelled"]
    assert [e["status"] for e in shop.google_events(second)] == ["confirmed"]

