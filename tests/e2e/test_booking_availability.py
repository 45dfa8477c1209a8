"""GET /api/public/links/{link}/availability: the rules of the slot engine as a customer
sees them (grid, ranges, exceptions, buffers, busy statuses, notice, horizon, 'any', tz)
and every error of the endpoint. Dates are relative to today (Bogota has no DST)."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import booking_seed as bs

BOG = ZoneInfo("America/Bogota")


def day(offset):
    return dt.date.today() + dt.timedelta(days=offset)


def local_starts(slots, date=None):
    """'HH:MM' of each slot (in the answer's own local time), optionally of one date."""
    out = []
    for s in slots:
        if date is None or s["local"].startswith(date.isoformat()):
            out.append(s["local"][11:16])
    return out


def at(date, hhmm, zone=BOG):
    h, m = map(int, hhmm.split(":"))
    return dt.datetime(date.year, date.month, date.day, h, m, tzinfo=zone)


def test_grid_ranges_and_exceptions(api):
    d = day(3)
    sc = bs.Scenario(api, service={"duration": 30, "interval": 20}, professionals=[{
        "hours": bs.ALL_WEEK(("09:00", "12:00"), ("14:10", "16:00")),
        "exceptions": [(d + dt.timedelta(days=1), None),
                       (d + dt.timedelta(days=2), [("10:00", "11:00")])]}])
    r = sc.availability(**{"from": d.isoformat(), "days": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["timezone"] == "America/Bogota" and body["from"] == d.isoformat()
    assert body["days"] == 3
    slots = body["slots"]
    assert local_starts(slots, d) == ["09:00", "09:20", "09:40", "10:00", "10:20", "10:40",
                                      "11:00", "11:20", "14:10", "14:30", "14:50", "15:10",
                                      "15:30"]
    assert local_starts(slots, d + dt.timedelta(days=1)) == []               # closed
    assert local_starts(slots, d + dt.timedelta(days=2)) == ["10:00", "10:20"]  # other hours
    first = slots[0]
    assert first["start"] == bs.iso(at(d, "09:00"))
    assert first["end"] == bs.iso(at(d, "09:30"))
    assert first["local"] == "%sT09:00:00-05:00" % d.isoformat()
    assert first["professional"] == sc.professional_id
    assert [s["start"] for s in slots] == sorted(s["start"] for s in slots)


def test_busy_statuses_and_buffers(api):
    d = day(3)
    statuses = [("paid", None, True), ("confirmed", None, True), ("held", 600, True),
                ("held", -5, False), ("pending_payment", 600, True),
                ("pending_payment", -5, False), ("cancelled", None, False),
                ("failed", None, False), ("expired", None, False)]
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30, "before": 10, "after": 5},
                     professionals=[{"hours": bs.ALL_WEEK(("09:00", "12:00"))}
                                    for _ in statuses])
    for pid, (status, expires_in, _) in zip(sc.professionals, statuses):
        bs.reservation(sc.tenant_id, sc.service_id, pid, at(d, "10:00"), minutes=30,
                       status=status, expires_in=expires_in)
    for pid, (status, expires_in, busy) in zip(sc.professionals, statuses):
        got = local_starts(sc.slots(professional=pid, **{"from": d.isoformat(), "days": 1}))
        if busy:
            # 09:30 would need 10:00-10:05 free (buffer after), 10:30 would need 10:20-10:30
            assert got == ["09:00", "11:00", "11:30"], (status, expires_in)
        else:
            assert got == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"], (status, expires_in)


def test_minimum_notice_and_horizon(api):
    # the notice puts the earliest start at 23:35 Bogota three days ahead whatever the hour
    # the suite runs: the first slot is the 23:45 one, which ends past midnight
    now = dt.datetime.now(BOG)
    target = dt.datetime.combine(now.date() + dt.timedelta(days=3), dt.time(23, 35), tzinfo=BOG)
    notice = int((target - now).total_seconds() // 60)
    sc = bs.Scenario(api, service={"notice": notice, "horizon": 5},
                     professionals=[{"hours": bs.ALL_WEEK(("00:00", "24:00"))}])
    before = dt.datetime.now(dt.timezone.utc)
    slots = sc.slots(**{"from": day(-1).isoformat(), "days": 10})
    after = dt.datetime.now(dt.timezone.utc)
    starts = [bs.utc(s["start"]) for s in slots]
    assert slots[0]["local"] == "%sT23:45:00-05:00" % target.date().isoformat()
    assert slots[0]["end"] == bs.iso(at(target.date() + dt.timedelta(days=1), "00:15"))
    # the horizon ends at now + 5 days, at any hour (a start before it may end after midnight)
    assert max(starts) < after + dt.timedelta(days=5)
    assert max(starts) >= before + dt.timedelta(days=5, minutes=-15)
    # every 15 minutes in between, midnight included
    assert all(b - a == dt.timedelta(minutes=15) for a, b in zip(starts, starts[1:]))


def test_night_hours_offer_slots_across_midnight(api):
    d = day(3)
    nxt = d + dt.timedelta(days=1)
    hours = {d.isoweekday(): [("20:00", "24:00")], nxt.isoweekday(): [("00:00", "02:00")]}
    sc = bs.Scenario(api, service={"duration": 60, "interval": 30},
                     professionals=[{"hours": hours}])
    slots = sc.slots(**{"from": d.isoformat(), "days": 2})
    assert local_starts(slots, d) == ["20:00", "20:30", "21:00", "21:30", "22:00", "22:30",
                                      "23:00", "23:30"]
    assert local_starts(slots, nxt) == ["00:00", "00:30", "01:00"]
    late = [s for s in slots if s["local"] == "%sT23:30:00-05:00" % d.isoformat()][0]
    assert late["end"] == bs.iso(at(nxt, "00:30"))
    # the next date closed: the night ends at midnight
    closed = bs.Scenario(api, service={"duration": 60, "interval": 30},
                         professionals=[{"hours": hours, "exceptions": [(nxt, None)]}])
    assert local_starts(closed.slots(**{"from": d.isoformat(), "days": 2}))[-1] == "23:00"


def test_any_gives_one_free_professional_per_start(api):
    d = day(4)
    sc = bs.Scenario(api, service={"duration": 30, "interval": 30},
                     professionals=[{"name": "Ana", "hours": bs.ALL_WEEK(("09:00", "10:30"))},
                                    {"name": "Bob", "hours": bs.ALL_WEEK(("09:00", "10:00"))}])
    ana, bob = sc.professionals
    bs.reservation(sc.tenant_id, sc.service_id, ana, at(d, "09:00"))
    slots = sc.slots(professional="any", **{"from": d.isoformat(), "days": 2})
    today = [(s["local"][11:16], s["professional"]) for s in slots
             if s["local"].startswith(d.isoformat())]
    # 09:00: only Bob; 09:30: both free, Ana has a booking that day -> Bob; 10:00: only Ana
    assert today == [("09:00", bob), ("09:30", bob), ("10:00", ana)]
    tomorrow = [(s["local"][11:16], s["professional"]) for s in slots
                if s["local"].startswith((d + dt.timedelta(days=1)).isoformat())]
    # nobody booked: the lowest id, and each start once
    low = min(ana, bob)
    assert tomorrow == [("09:00", low), ("09:30", low), ("10:00", ana)]
    # no professional given is 'any' as well
    r = api.get("/api/public/links/%s/availability" % sc.slug,
                params={"service": sc.service_id, "from": d.isoformat(), "days": 2})
    assert r.json()["slots"] == slots


def test_tz_changes_only_local(api):
    d = day(3)
    sc = bs.Scenario(api)
    base = sc.slots(**{"from": d.isoformat(), "days": 1})
    assert base[0]["local"] == "%sT09:00:00-05:00" % d.isoformat()
    tokyo = sc.availability(tz="Asia/Tokyo", **{"from": d.isoformat(), "days": 1}).json()
    assert tokyo["timezone"] == "Asia/Tokyo"
    # the period is the Tokyo day: 09:00 Bogota = 23:00 Tokyo, so only the first slots
    in_both = {s["start"] for s in base} & {s["start"] for s in tokyo["slots"]}
    assert in_both
    for s in tokyo["slots"]:
        want = bs.utc(s["start"]).astimezone(ZoneInfo("Asia/Tokyo")).isoformat()
        assert s["local"] == want
    # a Tokyo period covering the Bogota day gives exactly the same instants
    wide = sc.availability(tz="Asia/Tokyo", **{"from": d.isoformat(), "days": 2}).json()
    assert [s["start"] for s in base] == [s["start"] for s in wide["slots"]
                                          if s["start"] in {x["start"] for x in base}]
    assert {s["start"] for s in base} <= {s["start"] for s in wide["slots"]}


def test_defaults_days_14_tenant_zone_and_max_62(api):
    sc = bs.Scenario(api, tenant={"timezone": "America/Los_Angeles"},
                     service={"horizon": 90})
    body = sc.availability().json()
    assert body["days"] == 14 and body["timezone"] == "America/Los_Angeles"
    la_today = dt.datetime.now(ZoneInfo("America/Los_Angeles")).date()
    assert body["from"] == la_today.isoformat()
    dates = {s["start"][:10] for s in body["slots"]}
    assert len(dates) >= 13
    r = sc.availability(days=62, **{"from": day(1).isoformat()})
    assert r.status_code == 200 and r.json()["days"] == 62
    assert len({s["local"][:10] for s in r.json()["slots"]}) == 62


@pytest.mark.parametrize("params,code", [
    ({"days": "0"}, "invalid_parameter"),
    ({"days": "63"}, "invalid_parameter"),
    ({"days": "abc"}, "invalid_parameter"),
    ({"days": "-1"}, "invalid_parameter"),
    ({"days": ""}, "invalid_parameter"),
    ({"from": "2027-02-30"}, "invalid_parameter"),
    ({"from": "tomorrow"}, "invalid_parameter"),
    ({"service": ""}, "invalid_parameter"),
    ({"tz": "Nowhere/Zone"}, "invalid_timezone"),
    ({"tz": "+05:00"}, "invalid_timezone"),
    ({"tz": ""}, "invalid_timezone"),
    ({"tz": "America/Bogota'; --"}, "invalid_timezone"),
    ({"tz": "Ámerica/Bogotá"}, "invalid_timezone"),
])
def test_bad_parameters_are_400(api, params, code):
    sc = bs.Scenario(api)
    r = sc.availability(**params)
    assert r.status_code == 400, r.text[:300]
    assert r.json()["error"]["code"] == code


def test_missing_service_or_empty_professional_is_400(api):
    sc = bs.Scenario(api)
    path = "/api/public/links/%s/availability" % sc.slug
    r = api.get(path)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"
    r = api.get(path, params={"service": sc.service_id, "professional": ""})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"


def test_not_found_and_expired(api):
    sc = bs.Scenario(api)
    other_tid, _ = bs.tenant()
    other_service = bs.service(other_tid)
    other_prof = bs.professional(other_tid, services=[other_service])
    archived = bs.service(sc.tenant_id, archived=True)
    idle = bs.professional(sc.tenant_id)            # offers nothing
    cases = [
        (dict(service="not-a-uuid"), "service_not_found"),
        (dict(service=bs.new_uuid()), "service_not_found"),
        (dict(service=other_service), "service_not_found"),
        (dict(service=archived), "service_not_found"),
        (dict(professional="not-a-uuid"), "professional_not_found"),
        (dict(professional=bs.new_uuid()), "professional_not_found"),
        (dict(professional=other_prof), "professional_not_found"),
        (dict(professional=idle), "professional_not_found"),
    ]
    for params, code in cases:
        r = sc.availability(**params)
        assert r.status_code == 404 and r.json()["error"]["code"] == code, (params, r.text)
    r = api.get("/api/public/links/%s/availability" % "unknown-link-0123456789",
                params={"service": sc.service_id})
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
    past = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)).isoformat()
    expired = bs.link(sc.tenant_id, expires_at=past)
    r = api.get("/api/public/links/%s/availability" % expired, params={"service": sc.service_id})
    assert r.status_code == 410 and r.json()["error"]["code"] == "link_expired"
    # a link preselecting another service or professional refuses these
    s2 = bs.service(sc.tenant_id, name="Otro servicio")
    p2 = bs.professional(sc.tenant_id, services=[sc.service_id, s2])
    pre = bs.link(sc.tenant_id, service_id=s2, professional_id=p2)
    r = api.get("/api/public/links/%s/availability" % pre, params={"service": sc.service_id})
    assert r.status_code == 404 and r.json()["error"]["code"] == "service_not_found"
    r = api.get("/api/public/links/%s/availability" % pre,
                params={"service": s2, "professional": sc.professional_id})
    assert r.status_code == 404 and r.json()["error"]["code"] == "professional_not_found"
    r = api.get("/api/public/links/%s/availability" % pre, params={"service": s2})
    assert r.status_code == 200
    assert {s["professional"] for s in r.json()["slots"]} == {p2}
