"""Calendar hygiene (API.md "Calendar connection"): a professional whose calendar is replaced
by another (Google -> Outlook) has the events written in the old one removed from it and
written anew in the new one; an event whose delete the calendar refuses for good is left
behind, retried and listed for the merchant, who can remove it or drop it from the list."""
from calendar_support import day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import wait_for


def event_of(shop, booking_id):
    r = shop.merchant.api.get("/api/admin/bookings/%s" % booking_id)
    assert r.status_code == 200, r.text
    return r.json()["booking"]["calendar_event"]


def orphans(shop, **params):
    r = shop.merchant.api.get("/api/admin/calendar/orphans", params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def ms_events(fakes, account):
    return fakes._call("GET", "/microsoft/_control/events?account=" + account)["events"]


def test_a_calendar_replaced_by_another_takes_our_events_with_it(shop, fakes):
    google = shop.connect_google()
    date, ten = day_in(3)
    booking = shop.book(z(ten), email="rosa@example.com")
    first = wait_for(lambda: (lambda e: e if e and e["status"] == "written" else None)(
        event_of(shop, booking["id"])), what="the Google event")
    assert first["provider"] == "google"
    # the professional connects Outlook instead
    outlook = shop.connect_microsoft()
    moved = wait_for(lambda: (lambda e: e if e and e["status"] == "written"
                              and e["provider"] == "microsoft" else None)(event_of(shop, booking["id"])),
                     what="the event written in Outlook")
    assert [e["subject"] for e in ms_events(fakes, outlook)] == ["Consulta general \u2014 Juan Pérez"]
    assert moved["event_id"] != first["event_id"]
    # and the one in Google is gone from there: nothing is left behind
    wait_for(lambda: [e for e in shop.google_events(google) if e["id"] == first["event_id"]
                      and e["status"] == "cancelled"], what="the Google event removed")
    wait_for(lambda: orphans(shop) == [], what="nothing left behind")

    # the same calendar connected again keeps its events where they are
    before = ms_events(fakes, outlook)
    done = shop.oauth("microsoft", shop.invite(), outlook)
    assert "result=connected" in done.headers["Location"]
    assert psql("SELECT count(*) FROM calendar_orphans WHERE professional_id = :'p1'",
                shop.professional_id) == "0"
    assert event_of(shop, booking["id"])["event_id"] == moved["event_id"]
    assert [e["id"] for e in ms_events(fakes, outlook)] == [e["id"] for e in before]


def test_a_refused_delete_is_listed_and_removable(shop, fakes, other_merchant, allow_log):
    allow_log(r"left behind", r"calendar event delete failed", r"busy times not read",
              r"answered 502 provider_error")
    account = shop.connect_google()
    date, ten = day_in(4)
    booking = shop.book(z(ten), email="luis@example.com")
    ev = wait_for(lambda: (lambda e: e if e and e["status"] == "written" else None)(
        event_of(shop, booking["id"])), what="the event written")
    # Google refuses the delete (a 4xx: not worth retrying as it is)
    fakes.config("google", status=400)
    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                               json={"reason": "Cerrado", "refund": "none"})
    assert r.status_code == 200, r.text
    listed = wait_for(lambda: orphans(shop), what="the event listed")
    assert len(listed) == 1
    o = listed[0]
    assert (o["provider"], o["event_id"], o["booking_id"], o["account"]) == \
        ("google", ev["event_id"], booking["id"], account)
    assert o["status"] == "retrying" and "400" in o["error"]
    assert o["professional"] == {"id": shop.professional_id, "name": "Dra. Calendario"}
    wait_for(lambda: event_of(shop, booking["id"])["status"] == "removed", what="the event handed over")
    assert orphans(shop, professional=shop.professional_id) == listed
    r = shop.merchant.api.get("/api/admin/calendar/orphans", params={"professional": "x"})
    assert r.status_code == 400
    # the merchant asks while Google still refuses: the reason, and it stays listed
    r = shop.merchant.api.post("/api/admin/calendar/orphans/%s/remove" % o["id"])
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error"
    assert orphans(shop)[0]["attempts"] == 2
    # another tenant cannot see or touch it
    assert other_merchant.api.get("/api/admin/calendar/orphans").json()["items"] == []
    for method, path in (("POST", "/api/admin/calendar/orphans/%s/remove"),
                         ("DELETE", "/api/admin/calendar/orphans/%s")):
        r = other_merchant.api.request(method, path % o["id"])
        assert r.status_code == 404
    # every attempt failed: it waits for the merchant
    psql("UPDATE calendar_orphans SET attempts = 8, due_at = now() WHERE id = :'p1'", o["id"])
    wait_for(lambda: orphans(shop)[0]["status"] == "failed", what="given up")
    fakes.config("google", status=None)
    r = shop.merchant.api.post("/api/admin/calendar/orphans/%s/remove" % o["id"])
    assert r.status_code == 200 and r.json() == {"removed": True}, r.text
    assert [e["status"] for e in shop.google_events(account) if e["id"] == ev["event_id"]] == ["cancelled"]
    assert orphans(shop) == []
    r = shop.merchant.api.post("/api/admin/calendar/orphans/%s/remove" % o["id"])
    assert r.status_code == 404


def test_one_removed_by_hand_is_dropped_from_the_list(shop, fakes, allow_log):
    allow_log(r"left behind", r"calendar event delete failed", r"busy times not read")
    shop.connect_google()
    date, ten = day_in(5)
    booking = shop.book(z(ten))
    wait_for(lambda: (event_of(shop, booking["id"]) or {}).get("status") == "written", what="written")
    fakes.config("google", status=400)
    shop.merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                           json={"reason": "Cerrado", "refund": "none"})
    o = wait_for(lambda: orphans(shop), what="listed")[0]
    r = shop.merchant.api.delete("/api/admin/calendar/orphans/%s" % o["id"])
    assert r.status_code == 204
    assert orphans(shop) == []
    audit = shop.merchant.api.get("/api/admin/audit",
                                  params={"action": "professional.calendar.orphan_forgotten"}).json()["items"]
    assert audit and audit[0]["changes"]["event_id"] == o["event_id"]
    fakes.config("google", status=None)
