"""Time zones and daylight-saving changes: professionals and customers in America/Bogota,
America/Los_Angeles, America/New_York, Europe/London and Australia/Sydney, around the
next real changes of each zone (found with zoneinfo, so the test stays valid whatever
today is). Every answer is compared slot by slot with an independent computation:
each working range lasts the absolute time between its two wall-clock ends."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import booking_seed as bs

ZONES = ["America/Bogota", "America/Los_Angeles", "America/New_York", "Europe/London",
         "Australia/Sydney"]
# a night range that contains the change hours, and a day range (09:00 on both sides)
HOURS = bs.ALL_WEEK(("00:00", "04:00"), ("09:00", "17:00"))
DURATION, INTERVAL = 30, 15


def next_changes(zone, within_days=355, min_days=3):
    """Local dates of the offset changes of `zone` between min_days and within_days ahead."""
    z = ZoneInfo(zone)
    out, today = [], dt.date.today()
    prev = None
    for i in range(min_days, within_days):
        d = today + dt.timedelta(days=i)
        off = dt.datetime(d.year, d.month, d.day, 12, tzinfo=z).utcoffset()
        if prev is not None and off != prev:
            out.append(d)      # changes happen at night: d is the change day
        prev = off
    return out


def expected(prof_zone, cust_zone, start_day, days, now):
    zp, zc = ZoneInfo(prof_zone), ZoneInfo(cust_zone)
    p_from = dt.datetime.combine(start_day, dt.time(0), zc)
    p_to = dt.datetime.combine(start_day + dt.timedelta(days=days), dt.time(0), zc)
    out = []
    for i in range(-2, days + 2):
        d = start_day + dt.timedelta(days=i)
        for sm, em in HOURS[d.isoweekday()]:
            h1, m1 = map(int, sm.split(":"))
            h2, m2 = map(int, em.split(":"))
            ws = dt.datetime(d.year, d.month, d.day, h1, m1, tzinfo=zp).astimezone(dt.timezone.utc)
            we = dt.datetime(d.year, d.month, d.day, h2, m2, tzinfo=zp).astimezone(dt.timezone.utc)
            t = ws
            while t + dt.timedelta(minutes=DURATION) <= we:
                if p_from <= t < p_to and t >= now:
                    out.append((bs.iso(t), t.astimezone(zc).isoformat()))
                t += dt.timedelta(minutes=INTERVAL)
    return sorted(out)


def cases():
    for pz in ZONES:
        for cz in ZONES:
            dates = sorted(set(next_changes(pz) + next_changes(cz)))
            for d in dates or [dt.date.today() + dt.timedelta(days=10)]:
                yield pz, cz, d


@pytest.fixture(scope="module")
def scenarios():
    return {}


@pytest.mark.parametrize("prof_zone,cust_zone,change_day", list(cases()),
                         ids=lambda v: str(v).replace("/", "-"))
def test_zone_matrix(api, scenarios, prof_zone, cust_zone, change_day):
    if prof_zone not in scenarios:
        scenarios[prof_zone] = bs.Scenario(api, tenant={"timezone": prof_zone},
                                           service={"duration": DURATION, "interval": INTERVAL,
                                                    "horizon": 365},
                                           professionals=[{"timezone": prof_zone, "hours": HOURS}])
    sc = scenarios[prof_zone]
    start_day = change_day - dt.timedelta(days=1)
    now = dt.datetime.now(dt.timezone.utc)
    r = sc.availability(tz=cust_zone, **{"from": start_day.isoformat(), "days": 3})
    assert r.status_code == 200, r.text[:300]
    got = [(s["start"], s["local"]) for s in r.json()["slots"]]
    want = expected(prof_zone, cust_zone, start_day, 3, now)
    assert got == want
    assert r.json()["timezone"] == cust_zone


def _first(zone, kind):
    """The next change of `zone` where clocks go forward ('spring') or back ('fall')."""
    z = ZoneInfo(zone)
    for d in next_changes(zone):
        before = dt.datetime.combine(d - dt.timedelta(days=1), dt.time(12), z).utcoffset()
        after = dt.datetime.combine(d, dt.time(12), z).utcoffset()
        if (after > before) == (kind == "spring"):
            return d
    pytest.skip("no %s change of %s within the horizon" % (kind, zone))


@pytest.mark.parametrize("zone", ["America/New_York", "America/Los_Angeles", "Europe/London",
                                  "Australia/Sydney"])
def test_nine_oclock_on_both_sides_and_night_range_lengths(api, zone):
    sc = bs.Scenario(api, tenant={"timezone": zone},
                     service={"duration": DURATION, "interval": INTERVAL, "horizon": 365},
                     professionals=[{"timezone": zone, "hours": HOURS}])
    for kind, night_hours in (("spring", 3), ("fall", 5)):
        d = _first(zone, kind)
        slots = sc.slots(**{"from": (d - dt.timedelta(days=1)).isoformat(), "days": 3})
        for day in (d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)):
            mine = [s for s in slots if s["local"].startswith(day.isoformat())]
            nine = [s for s in mine if s["local"][11:16] == "09:00"]
            assert len(nine) == 1, (kind, day)
            assert bs.utc(nine[0]["start"]).astimezone(ZoneInfo(zone)).hour == 9
            # 09:00-17:00 always gives (480 - 30) / 15 + 1 slots, 13:00 and later included
            day_slots = [s for s in mine if s["local"][11:13] >= "09"]
            assert len(day_slots) == 31, (kind, day)
            assert sum(1 for s in day_slots if s["local"][11:13] >= "13") == 15
        # the change night: 00:00-04:00 lasts 3 hours (spring) or 5 hours (fall)
        night = [s for s in slots if s["local"][11:13] < "09" and
                 bs.utc(s["start"]).astimezone(ZoneInfo(zone)).date() == d]
        assert len(night) == (night_hours * 60 - DURATION) // INTERVAL + 1, (kind, d, len(night))
        starts = [bs.utc(s["start"]) for s in night]
        assert all(b - a == dt.timedelta(minutes=INTERVAL) for a, b in zip(starts, starts[1:]))
