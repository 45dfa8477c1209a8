"""Every calendar that blocks is watched (API.md "Calendar connection": busy times refreshed
when the provider notifies a change): ticking a secondary calendar opens a Google channel /
Graph subscription on it, a busy event added there and its notice take the slot away at once
(the sync job is not due: nothing else reads the calendar), and unticking it closes that
channel. The connection's own channel follows the calendar that receives the events."""
import datetime as dt

from calendar_support import day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql

from test_calendar_choices import add_calendar, choose, event_in, listed


def no_sync_due(shop):
    """The sync job leaves the connection alone for a day: only a notice reads it now."""
    psql("UPDATE calendar_connections SET sync_due_at = now() + interval '1 day'"
         " WHERE professional_id = :'p1'", shop.professional_id)


def google_channels(shop, account):
    return [c for c in shop.fakes._call("GET", "/google/_control/channels")["channels"]
            if c["account"] == account]


def live_on(channels, *calendar):
    """The live channels on a calendar (the primary: its id or the alias "primary")."""
    return [c for c in channels if c["calendarId"] in calendar and not c["stopped"]]


def test_a_ticked_google_calendar_is_watched_and_its_notice_takes_the_slot(shop):
    account = shop.connect_google()
    personal = "personal-w@group.calendar.google.com"
    add_calendar(shop, account, personal, "Personal")
    listed(shop)
    assert live_on(google_channels(shop, account), personal) == []
    r = choose(shop, [{"id": personal, "blocks": True}])
    assert r.status_code == 200, r.text
    watching = live_on(google_channels(shop, account), personal)
    assert len(watching) == 1 and watching[0]["address"].endswith("/api/webhooks/google")
    assert len(live_on(google_channels(shop, account), "primary", account)) == 1   # the receiver's

    no_sync_due(shop)
    date, ten = day_in(3)
    before = shop.slots(date)
    # an appointment the calendar tells nobody about is not seen: nothing polls meanwhile
    event_in(shop, account, personal, ten + dt.timedelta(hours=3), notify=False)
    assert shop.slots(date) == before
    # one it notifies is seen at once, through the personal calendar's own channel
    out = event_in(shop, account, personal, ten)
    assert [n["channel"] for n in out["notified"]] == [watching[0]["id"]]
    assert [n["status"] for n in out["notified"]] == [200]
    after = shop.slots(date)
    assert z(ten) not in after and z(ten + dt.timedelta(minutes=30)) not in after
    assert z(ten + dt.timedelta(hours=3)) not in after   # read with it
    assert z(ten - dt.timedelta(minutes=30)) in after

    # unticked: its channel is stopped at Google
    assert choose(shop, [{"id": personal, "blocks": False}]).status_code == 200
    channels = google_channels(shop, account)
    assert [c["stopped"] for c in channels if c["id"] == watching[0]["id"]] == [True]
    assert live_on(channels, personal) == []
    assert psql("SELECT count(*) FROM calendar_choices WHERE professional_id = :'p1'"
                " AND channel_id IS NOT NULL", shop.professional_id) == "0"


def test_the_connections_channel_follows_the_calendar_that_receives(shop):
    account = shop.connect_google()
    clinic = "clinica-w@group.calendar.google.com"
    add_calendar(shop, account, clinic, "Clínica")
    listed(shop)
    [own] = live_on(google_channels(shop, account), "primary", account)
    r = choose(shop, [{"id": clinic, "blocks": True, "receives_events": True},
                      {"id": account, "receives_events": False}])
    assert r.status_code == 200, r.text
    channels = google_channels(shop, account)
    # the clinic is watched by the connection's own channel now, the primary (still
    # blocking) by one of its own; the old one is stopped
    assert [c["stopped"] for c in channels if c["id"] == own["id"]] == [True]
    [on_clinic] = live_on(channels, clinic)
    [on_primary] = live_on(channels, "primary", account)
    assert shop.row("channel_id") == on_clinic["id"]
    assert shop.row("channel_calendar") == clinic
    assert psql("SELECT channel_id FROM calendar_choices WHERE professional_id = :'p1'"
                " AND calendar_id = :'p2'", shop.professional_id, account) == on_primary["id"]


def graph_subscriptions(shop, account):
    return [s for s in shop.fakes._call("GET", "/microsoft/_control/subscriptions")["subscriptions"]
            if s["account"] == account]


def test_a_ticked_outlook_calendar_is_watched_and_its_notice_takes_the_slot(shop):
    account = shop.connect_microsoft()
    clinic = "AAMkClinicW" + account.split("@")[0].replace("-", "")
    shop.fakes._call("POST", "/microsoft/_control/calendars",
                     json={"account": account, "id": clinic, "name": "Clínica"})
    listed(shop)
    r = choose(shop, [{"id": clinic, "blocks": True}])
    assert r.status_code == 200, r.text
    subs = graph_subscriptions(shop, account)
    [watching] = [s for s in subs if s["resource"] == "me/calendars/%s/events" % clinic]
    assert not watching["deleted"]
    assert [s["resource"] for s in subs if not s["deleted"] and s["id"] != watching["id"]] == [
        "me/events"]

    no_sync_due(shop)
    date, ten = day_in(3)
    before = shop.slots(date)

    def event(start, **extra):
        body = {"account": account, "calendar": clinic, "start": z(start),
                "end": z(start + dt.timedelta(hours=1)), "subject": "Privado"}
        body.update(extra)
        return shop.fakes._call("POST", "/microsoft/_control/events", json=body)

    event(ten + dt.timedelta(hours=3), notify=False)
    assert shop.slots(date) == before
    out = event(ten)
    assert [(n["subscription"], n["status"]) for n in out["notified"]] == [(watching["id"], 202)]
    after = shop.slots(date)
    assert z(ten) not in after and z(ten + dt.timedelta(hours=3)) not in after
    assert z(ten - dt.timedelta(minutes=30)) in after

    assert choose(shop, [{"id": clinic, "blocks": False}]).status_code == 200
    assert [s["deleted"] for s in graph_subscriptions(shop, account)
            if s["id"] == watching["id"]] == [True]


def test_a_notice_on_a_blocking_only_calendar_reads_busy_times_not_our_events(shop):
    """Our events live in the calendar that receives them: a change noticed in another
    calendar re-reads busy times only; the receiver's own notice finds the moved event."""
    from test_calendar_outside_changes import detail, written_event
    from payments_helpers import wait_for

    account = shop.connect_google()
    personal = "personal-n@group.calendar.google.com"
    add_calendar(shop, account, personal, "Personal")
    listed(shop)
    assert choose(shop, [{"id": personal, "blocks": True}]).status_code == 200
    date, ten = day_in(4)
    booking = shop.book(z(ten))
    event_id = wait_for(lambda: written_event(shop, booking["id"]), what="the event written")
    later = ten + dt.timedelta(hours=4)
    # moved in the professional's primary calendar, told to nobody yet
    shop.fakes._call("PATCH", "/google/_control/events/" + event_id, json={
        "start": z(later), "end": z(later + dt.timedelta(minutes=30)), "notify": False})
    out = event_in(shop, account, personal, ten + dt.timedelta(hours=6))
    assert [n["status"] for n in out["notified"]] == [200]
    assert z(ten + dt.timedelta(hours=6)) not in shop.slots(date)   # its busy time counts
    assert detail(shop, booking["id"])["calendar_changed"] is None   # our event not looked at
    # the primary's own notice looks at it
    [own] = live_on(google_channels(shop, account), "primary", account)
    assert shop.fakes._call("POST", "/google/_control/notify",
                            json={"channel": own["id"]})["status"] == 200
    assert detail(shop, booking["id"])["calendar_changed"]["kind"] == "moved"
