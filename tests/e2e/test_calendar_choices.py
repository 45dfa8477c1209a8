"""Which of a professional's calendars count (API.md "Which calendars count"): the merchant
lists the connected account's calendars, ticks the ones that block availability and picks
the one that receives the bookings' events. A busy time in a ticked secondary calendar
removes its slots; one in an unticked calendar, a free or a declined one does not; an
all-day event blocks the day in its calendar's own zone; new events land in the chosen
calendar, and one written before is moved where it is."""
import datetime as dt

import booking_seed as seed
from calendar_support import day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import wait_for

def calendars_url(shop):
    return "/api/admin/professionals/%s/calendars" % shop.professional_id


def add_calendar(shop, account, cal_id, summary, zone=None):
    body = {"account": account, "id": cal_id, "summary": summary}
    if zone:
        body["timeZone"] = zone
    shop.fakes._call("POST", "/google/_control/calendars", json=body)


def event_in(shop, account, calendar, start, minutes=60, **extra):
    body = {"account": account, "calendar": calendar, "start": z(start),
            "end": z(start + dt.timedelta(minutes=minutes)), "summary": "Privado"}
    body.update(extra)
    return shop.fakes._call("POST", "/google/_control/events", json=body)


def listed(shop):
    r = shop.merchant.api.get(calendars_url(shop))
    assert r.status_code == 200, r.text
    return {c["id"]: c for c in r.json()["calendars"]}


def choose(shop, calendars):
    return shop.merchant.api.put(calendars_url(shop), json={"calendars": calendars})


def test_the_account_calendars_are_listed_with_the_primary_chosen(shop):
    account = shop.connect_google()
    add_calendar(shop, account, "personal-x@group.calendar.google.com", "Personal")
    cals = listed(shop)
    assert set(cals) == {account, "personal-x@group.calendar.google.com"}
    assert cals[account] == {"id": account, "name": account, "primary": True, "writable": True,
                             "blocks": True, "receives_events": True}
    assert cals["personal-x@group.calendar.google.com"] == {
        "id": "personal-x@group.calendar.google.com", "name": "Personal", "primary": False,
        "writable": True, "blocks": False, "receives_events": False}


def test_a_ticked_secondary_calendar_blocks_and_an_unticked_one_does_not(shop):
    account = shop.connect_google()
    personal, sport = "personal-b@group.calendar.google.com", "sport-b@group.calendar.google.com"
    add_calendar(shop, account, personal, "Personal")
    add_calendar(shop, account, sport, "Deporte")
    date, ten = day_in(3)
    listed(shop)
    before = shop.slots(date)
    event_in(shop, account, personal, ten)                                 # 10:00-11:00
    event_in(shop, account, sport, ten + dt.timedelta(hours=3))            # 13:00-14:00
    # not ticked yet: neither counts
    assert shop.slots(date) == before
    r = choose(shop, [{"id": personal, "blocks": True}])
    assert r.status_code == 200, r.text
    assert {c["id"]: c["blocks"] for c in r.json()["calendars"]} == {
        account: True, personal: True, sport: False}
    after = shop.slots(date)
    assert z(ten) not in after and z(ten + dt.timedelta(minutes=30)) not in after
    assert z(ten + dt.timedelta(hours=3)) in after                         # Deporte: unticked
    assert z(ten - dt.timedelta(minutes=30)) in after
    # unticking it gives the hour back
    assert choose(shop, [{"id": personal, "blocks": False}]).status_code == 200
    assert shop.slots(date) == before


def test_free_and_declined_events_never_block(shop):
    account = shop.connect_google()
    date, ten = day_in(4)
    before = shop.slots(date)
    event_in(shop, account, account, ten, transparency="transparent")
    event_in(shop, account, account, ten + dt.timedelta(hours=2), declined=True)
    wait_for(lambda: shop.slots(date) == before, what="slots after two events that do not block")
    event_in(shop, account, account, ten + dt.timedelta(hours=4))
    wait_for(lambda: z(ten + dt.timedelta(hours=4)) not in shop.slots(date),
             what="a busy event blocks")
    assert z(ten) in shop.slots(date) and z(ten + dt.timedelta(hours=2)) in shop.slots(date)


def test_an_all_day_event_blocks_the_day_in_its_calendars_zone(shop):
    """Tokyo's day D is 10:00 Bogotá the day before to 10:00 on D: read as UTC dates it would
    cover the whole Bogotá working day instead."""
    account = shop.connect_google()
    tokyo = "tokyo-c@group.calendar.google.com"
    add_calendar(shop, account, tokyo, "Clínica Tokio", zone="Asia/Tokyo")
    date, ten = day_in(5)
    after_date = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()
    shop.fakes._call("POST", "/google/_control/events", json={
        "account": account, "calendar": tokyo, "date": date, "end_date": after_date,
        "summary": "Congreso"})
    listed(shop)
    before = shop.slots(date)
    assert choose(shop, [{"id": tokyo, "blocks": True}]).status_code == 200
    slots = shop.slots(date)
    assert slots == [s for s in before if s >= z(ten)], slots
    assert z(ten - dt.timedelta(hours=2)) not in slots and z(ten) in slots


def test_a_change_is_refused_with_its_reason_and_changes_nothing(shop):
    account = shop.connect_google()
    listed(shop)
    for body, field in [
        ({"calendars": [{"id": "not-mine@group.calendar.google.com", "blocks": True}]},
         "calendars[0].id"),
        ({"calendars": [{"id": account, "receives_events": False}]}, "calendars"),
        ({"calendars": [{"id": account, "blocks": "yes"}]}, "calendars[0].blocks"),
        ({"calendars": "all"}, "calendars"),
    ]:
        r = choose(shop, body["calendars"]) if isinstance(body["calendars"], list) else \
            shop.merchant.api.put(calendars_url(shop), json=body)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"] == "validation_failed"
        assert field in r.json()["error"]["fields"], r.json()
    assert listed(shop)[account]["blocks"] is True
    # another tenant's professional, and a professional without a calendar
    other = seed.professional(shop.tenant_id, name="Sin calendario", hours=seed.ALL_WEEK(("08:00", "18:00")))
    r = shop.merchant.api.get("/api/admin/professionals/%s/calendars" % other)
    assert r.status_code == 409 and r.json()["error"]["code"] == "calendar_not_connected"
    r = shop.merchant.api.get("/api/admin/professionals/00000000-0000-4000-8000-000000000000/calendars")
    assert r.status_code == 404 and r.json()["error"]["code"] == "professional_not_found"


def test_events_go_to_the_chosen_calendar_and_move_where_they_are(shop):
    account = shop.connect_google()
    clinic = "clinic-e@group.calendar.google.com"
    add_calendar(shop, account, clinic, "Clínica")
    listed(shop)
    r = choose(shop, [{"id": clinic, "receives_events": True}, {"id": account, "receives_events": False}])
    assert r.status_code == 200, r.text
    assert {c["id"] for c in r.json()["calendars"] if c["receives_events"]} == {clinic}
    date, ten = day_in(6)
    booking = shop.book(z(ten))

    def written():
        events = [e for e in shop.google_events(account) if e.get("status") != "cancelled"
                  and "Juan" in e.get("summary", "")]
        return events[0] if events else None

    wait_for(lambda: written() is not None, what="the booking's event")
    ev = written()
    got = shop.fakes._call("GET", "/google/_control/events?account=" + account)["events"]
    assert psql("SELECT calendar_id FROM calendar_events WHERE reservation_id = :'p1'",
                booking["id"]) == clinic
    assert ev["id"] in {e["id"] for e in got}
    # the merchant sends new events to the primary again: the written one stays in the clinic
    assert choose(shop, [{"id": account, "receives_events": True},
                         {"id": clinic, "receives_events": False}]).status_code == 200
    assert psql("SELECT calendar_id FROM calendar_events WHERE reservation_id = :'p1'",
                booking["id"]) == clinic


def test_outlook_calendars_count_the_same_way(shop):
    """Graph lists the mailbox's calendars; each ticked one's view is read, an all-day event
    is the professional's whole day (Graph gives its dates without a zone of their own), a
    declined invitation leaves the time free, and new events go to the chosen calendar."""
    account = shop.connect_microsoft()
    clinic = "AAMkClinic" + account.split("@")[0].replace("-", "")
    shop.fakes._call("POST", "/microsoft/_control/calendars",
                     json={"account": account, "id": clinic, "name": "Clínica"})
    cals = listed(shop)
    default = [c for c in cals.values() if c["primary"]][0]
    assert default["name"] == "Calendar" and default["blocks"] and default["receives_events"]
    assert cals[clinic] == {"id": clinic, "name": "Clínica", "primary": False, "writable": True,
                            "blocks": False, "receives_events": False}
    date, ten = day_in(3)
    before = shop.slots(date)

    def event(**body):
        body.setdefault("account", account)
        return shop.fakes._call("POST", "/microsoft/_control/events", json=body)

    event(calendar=clinic, start=z(ten), end=z(ten + dt.timedelta(hours=1)), notify=False)
    event(start=z(ten + dt.timedelta(hours=3)), end=z(ten + dt.timedelta(hours=4)),
          declined=True, notify=False)
    next_day = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()
    day_after = (dt.date.fromisoformat(date) + dt.timedelta(days=2)).isoformat()
    event(calendar=clinic, date=next_day, end_date=day_after, notify=False)
    next_before = shop.slots(next_day)
    assert next_before
    r = choose(shop, [{"id": clinic, "blocks": True, "receives_events": True},
                      {"id": default["id"], "receives_events": False}])
    assert r.status_code == 200, r.text
    after = shop.slots(date)
    assert z(ten) not in after and z(ten + dt.timedelta(hours=3)) in after
    assert after == [s for s in before
                     if not z(ten - dt.timedelta(minutes=15)) <= s < z(ten + dt.timedelta(hours=1))]
    assert shop.slots(next_day) == []          # the professional's whole day in Bogotá
    booking = shop.book(z(ten + dt.timedelta(hours=5)))
    wait_for(lambda: psql("SELECT calendar_id FROM calendar_events WHERE reservation_id = :'p1'"
                          " AND event_id IS NOT NULL", booking["id"]) == clinic,
             what="the booking's event in the clinic's calendar")


def test_the_professional_chooses_on_the_invitation_page_once_connected(shop):
    invitation = shop.invite()
    url = "/api/public/invitations/%s/calendars" % invitation
    # nothing connected through it yet
    r = shop.api.get(url)
    assert r.status_code == 404 and r.json()["error"]["code"] == "invitation_not_found"
    account = "pro-inv-%s@example.com" % shop.professional_id[:8]
    done = shop.oauth("google", invitation, account)
    assert "result=connected" in done.headers["Location"]
    add_calendar(shop, account, "clinica-i@group.calendar.google.com", "Clínica")
    r = shop.api.get(url)
    assert r.status_code == 200, r.text
    assert [c["name"] for c in r.json()["calendars"]] == [account, "Clínica"]
    r = shop.api.put(url, json={"calendars": [{"id": "clinica-i@group.calendar.google.com",
                                               "blocks": True}]})
    assert r.status_code == 200, r.text
    assert listed(shop)["clinica-i@group.calendar.google.com"]["blocks"] is True
    # another invitation's token, or none of ours, finds nothing
    assert shop.api.get("/api/public/invitations/%s/calendars" % ("x" * 43)).status_code == 404
    r = shop.api.put(url, json={"calendars": [{"id": "ajeno@group.calendar.google.com", "blocks": True}]})
    assert r.status_code == 400 and "calendars[0].id" in r.json()["error"]["fields"]
