"""Meeting rooms (API.md "Which calendars count, outside changes, meeting rooms"): a video
service whose room the professional's connected calendar makes gives each booking a join URL
of its own, shown in the customer's mail and invite, the booking's page and the callback;
a calendar that makes no room never undoes the booking, and the mail says the link will
follow."""
import datetime as dt
import json

from calendar_support import day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from test_calendar_outside_changes import with_callbacks
from test_booking_mails import invite_of, mails_to, text_of

SERVICES = "/api/admin/services/"


def video_service(shop, provider, url=None):
    place = {"type": "video", "provider": provider}
    if url:
        place["url"] = url
    r = shop.merchant.api.patch(SERVICES + shop.service_id, json={"location": place})
    assert r.status_code == 200, r.text
    assert r.json()["location"] == place


def page_location(shop, booking):
    r = shop.api.get("/api/public/bookings/" + booking["id"], params={"token": booking["token"]})
    assert r.status_code == 200, r.text
    return r.json()["booking"]["location"]


def meeting_url(shop, booking):
    return (page_location(shop, booking) or {}).get("url")


def callback_place(shop, booking):
    """cita.lugar of the booking's callback as it is built now (re-queued by the merchant)."""
    psql("UPDATE tenants SET callback_url = 'https://merchant.example/cb' WHERE id = :'p1'"
         " AND callback_url IS NULL", shop.tenant_id)
    r = shop.merchant.api.post("/api/admin/bookings/%s/callback" % booking["id"])
    assert r.status_code == 202, r.text
    body = psql("SELECT body FROM merchant_callbacks WHERE reservation_id = :'p1'"
                " AND event = 'booking.paid'", booking["id"])
    return json.loads(body)["cita"].get("lugar")


def paid_callback(shop, booking, secret, timeout=15):
    """The booking.paid callback the merchant received (its first delivery), verified."""
    def got():
        for record in callbacks_for(shop.fakes, shop):
            body = check_callback_signatures(record, secret)
            if body["booking_id"] == booking["id"] and body["evento"] == "booking.paid":
                return body
        return None
    return wait_for(got, timeout=timeout, what="booking.paid of " + booking["id"])


def shown_everywhere(shop, maildir, booking, email, secret=None):
    url = wait_for(lambda: meeting_url(shop, booking), what="the booking's join URL")
    if secret:
        # the merchant's first word of the booking already carries its room
        assert paid_callback(shop, booking, secret)["cita"]["lugar"] == {"tipo": "video",
                                                                          "url": url}
    assert page_location(shop, booking)["type"] == "video"
    # the customer's mail with the link: the confirmation again, its invite updated
    mail = wait_for(lambda: [m for m in mails_to(maildir, email, n=1)
                             if url in text_of(m)], what="the mail with the link")[0]
    assert "Videollamada: %s\n" % url in text_of(mail)
    # the invite as a calendar reads it (python3-icalendar)
    event = invite_of(mail)
    assert str(event["LOCATION"]) == url
    assert str(event["URL"]) == url
    assert callback_place(shop, booking) == {"tipo": "video", "url": url}
    return url


def test_google_meet_gives_each_booking_its_own_room(shop, maildir):
    secret = with_callbacks(shop)
    account = shop.connect_google()
    video_service(shop, "google_meet")
    date, ten = day_in(3)
    first = shop.book(z(ten), email="ana-meet@example.com")
    second = shop.book(z(ten + dt.timedelta(hours=2)), email="bea-meet@example.com")
    assert first["status"] == second["status"] == "paid"
    # the first confirmation went before the room existed: the link will follow
    early = mails_to(maildir, "ana-meet@example.com")[0]
    a = shown_everywhere(shop, maildir, first, "ana-meet@example.com", secret)
    b = shown_everywhere(shop, maildir, second, "bea-meet@example.com", secret)
    assert a != b and a.startswith("https://meet.google.com/")
    if a not in text_of(early):
        assert "te enviaremos el enlace" in text_of(early)
    events = shop.google_events(account)
    assert sorted(e["hangoutLink"] for e in events) == sorted([a, b])

    # cancelled: the link is no longer shown
    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % first["id"],
                               json={"reason": "No puede", "refund": "none"})
    assert r.status_code == 200, r.text
    assert page_location(shop, first) is None


def test_teams_gives_each_booking_its_own_meeting(shop, maildir):
    secret = with_callbacks(shop)
    shop.connect_microsoft()
    video_service(shop, "teams")
    date, ten = day_in(4)
    first = shop.book(z(ten), email="ana-teams@example.com")
    second = shop.book(z(ten + dt.timedelta(hours=2)), email="bea-teams@example.com")
    a = shown_everywhere(shop, maildir, first, "ana-teams@example.com", secret)
    b = shown_everywhere(shop, maildir, second, "bea-teams@example.com", secret)
    assert a != b and a.startswith("https://teams.microsoft.com/")


def test_a_calendar_that_makes_no_room_still_confirms_and_says_the_link_will_follow(
        shop, fakes, maildir, allow_log):
    allow_log(r"calendar event (create|move) failed")
    shop.connect_google()
    fakes.config("google", conference_fail=True)
    video_service(shop, "google_meet")
    date, ten = day_in(5)
    booking = shop.book(z(ten), email="carla-meet@example.com")
    assert booking["status"] == "paid"
    mail = mails_to(maildir, "carla-meet@example.com")[0]
    assert "Videollamada: te enviaremos el enlace en cuanto esté listo." in text_of(mail)
    assert page_location(shop, booking) == {"type": "video", "provider": "google_meet"}

    def failed():
        r = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"])
        ev = r.json()["booking"]["calendar_event"]
        return ev if ev and ev.get("error") else None
    ev = wait_for(failed, what="the failure shown on the booking")
    assert "meeting room" in ev["error"]
    assert callback_place(shop, booking) == {"tipo": "video"}


def test_a_fixed_fallback_url_is_used_until_the_room_exists(shop, fakes, maildir, allow_log):
    allow_log(r"calendar event (create|move) failed")
    shop.connect_google()
    fakes.config("google", conference_fail=True)
    video_service(shop, "google_meet", url="https://meet.example.com/sala-de-espera")
    date, ten = day_in(6)
    booking = shop.book(z(ten), email="dora-meet@example.com")
    mail = mails_to(maildir, "dora-meet@example.com")[0]
    assert "Videollamada: https://meet.example.com/sala-de-espera\n" in text_of(mail)
    assert page_location(shop, booking) == {"type": "video", "provider": "google_meet",
                                            "url": "https://meet.example.com/sala-de-espera"}


def test_a_room_the_connected_calendar_cannot_make_is_shown_and_the_merchant_is_told_at_once(
        shop, maildir, allow_log):
    """A Google Meet place and an Outlook calendar: the booking confirms, the merchant's
    booking says why no room came, and the callback does not wait for a room that will not
    come."""
    allow_log(r"calendar event (create|move) failed")
    secret = with_callbacks(shop)
    shop.connect_microsoft()
    video_service(shop, "google_meet")
    date, ten = day_in(7)
    booking = shop.book(z(ten), email="elena-meet@example.com")
    assert booking["status"] == "paid"

    def failed():
        r = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"])
        ev = r.json()["booking"]["calendar_event"]
        return ev if ev and ev.get("error") else None
    ev = wait_for(failed, what="the failure shown on the booking")
    assert "only a Google calendar makes" in ev["error"], ev
    assert "calendar is Microsoft" in ev["error"], ev
    assert ev["status"] == "failed"
    # well before the wait for a room would end (30 s), without a link
    assert paid_callback(shop, booking, secret, timeout=10)["cita"]["lugar"] == {"tipo": "video"}
