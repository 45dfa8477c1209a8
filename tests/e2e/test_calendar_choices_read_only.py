"""A calendar the account may only read (API.md "Which calendars count"): Google lists it with
accessRole reader or freeBusyReader, Graph with canEdit false. It is listed with
"writable": false, may block, but never receives the bookings' events: a change that makes it
receive is refused with the field and changes nothing, and a receiver that becomes read-only
hands over to the primary."""
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql

from test_calendar_choices import calendars_url, choose, listed


def add_google(shop, account, cal_id, summary, role):
    shop.fakes._call("POST", "/google/_control/calendars",
                     json={"account": account, "id": cal_id, "summary": summary,
                           "accessRole": role})


def stored(shop):
    return psql("SELECT string_agg(calendar_id || ':' || blocks || ':' || receives_events || ':'"
                " || writable, ',' ORDER BY calendar_id) FROM calendar_choices"
                " WHERE professional_id = :'p1'", shop.professional_id)


def refused_at(r, field):
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {field}
    return error["fields"][field]


def test_a_google_calendar_shared_to_read_may_block_but_never_receives(shop):
    account = shop.connect_google()
    holidays, team = "festivos-r@group.calendar.google.com", "equipo-r@group.calendar.google.com"
    clinic = "clinica-r@group.calendar.google.com"
    add_google(shop, account, holidays, "Festivos", "reader")
    add_google(shop, account, team, "Equipo", "freeBusyReader")
    add_google(shop, account, clinic, "Clínica", "writer")
    cals = listed(shop)
    assert {i: c["writable"] for i, c in cals.items()} == {
        account: True, holidays: False, team: False, clinic: True}
    before = stored(shop)

    r = choose(shop, [{"id": account, "receives_events": False},
                      {"id": holidays, "blocks": True, "receives_events": True}])
    reason = refused_at(r, "calendars[1].receives_events")
    assert "read-only" in reason.lower() or "solo lectura" in reason.lower()
    assert stored(shop) == before
    assert listed(shop)[account]["receives_events"] is True

    # it blocks like any other; the writable secondary may receive
    r = choose(shop, [{"id": holidays, "blocks": True},
                      {"id": clinic, "receives_events": True},
                      {"id": account, "receives_events": False}])
    assert r.status_code == 200, r.text
    after = {c["id"]: c for c in r.json()["calendars"]}
    assert after[holidays]["blocks"] and not after[holidays]["receives_events"]
    assert after[holidays]["writable"] is False
    assert after[clinic]["receives_events"] and shop.row("calendar_url") == clinic

    # the clinic is shared to read only from now on: the primary receives again
    add_google(shop, account, clinic, "Clínica", "reader")
    psql("UPDATE calendar_connections SET calendars_listed_at = NULL WHERE professional_id = :'p1'",
         shop.professional_id)
    cals = listed(shop)
    assert cals[clinic]["writable"] is False and not cals[clinic]["receives_events"]
    assert cals[account]["receives_events"] is True
    assert shop.row("calendar_url") == ""


def test_an_outlook_calendar_it_cannot_edit_never_receives(shop):
    account = shop.connect_microsoft()
    shared = "AAMkShared" + account.split("@")[0].replace("-", "")
    shop.fakes._call("POST", "/microsoft/_control/calendars",
                     json={"account": account, "id": shared, "name": "Luis", "canEdit": False})
    cals = listed(shop)
    default = [c for c in cals.values() if c["primary"]][0]
    assert default["writable"] is True and cals[shared]["writable"] is False
    before = stored(shop)
    r = shop.merchant.api.put(calendars_url(shop), json={"calendars": [
        {"id": shared, "receives_events": True}, {"id": default["id"], "receives_events": False}]})
    refused_at(r, "calendars[0].receives_events")
    assert stored(shop) == before


def test_the_invitation_page_says_which_calendars_are_read_only(shop):
    invitation = shop.invite()
    account = "pro-ro-%s@example.com" % shop.professional_id[:8]
    assert "result=connected" in shop.oauth("google", invitation, account).headers["Location"]
    add_google(shop, account, "festivos-i@group.calendar.google.com", "Festivos", "reader")
    url = "/api/public/invitations/%s/calendars" % invitation
    r = shop.api.get(url)
    assert r.status_code == 200, r.text
    assert [(c["name"], c["writable"]) for c in r.json()["calendars"]] == [
        (account, True), ("Festivos", False)]
    r = shop.api.put(url, json={"calendars": [
        {"id": account, "receives_events": False},
        {"id": "festivos-i@group.calendar.google.com", "receives_events": True}]})
    refused_at(r, "calendars[1].receives_events")
