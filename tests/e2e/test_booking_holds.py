"""POST /api/public/holds and DELETE /api/public/holds/{id}: only slots offered right now,
one winner per slot, stale holds cleared in the same transaction, release by token."""
import datetime as dt
import hashlib

import pytest

import booking_seed as bs
from conftest import psql

D = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def first_slots(sc, n=3, **kw):
    return sc.slots(**{"from": D, "days": 1}, **kw)[:n]


def test_hold_a_free_slot(api):
    sc = bs.Scenario(api)
    slot = first_slots(sc)[0]
    before = dt.datetime.now(dt.timezone.utc)
    r = sc.hold(slot["start"])
    assert r.status_code == 201, r.text
    hold = r.json()["hold"]
    assert set(hold) == {"id", "token", "professional", "start", "end", "expires_at"}
    assert hold["professional"] == sc.professional_id
    assert (hold["start"], hold["end"]) == (slot["start"], slot["end"])
    expires = bs.utc(hold["expires_at"])
    assert before + dt.timedelta(seconds=590) <= expires <= before + dt.timedelta(seconds=610)
    assert len(hold["token"]) >= 22
    row = psql("SELECT status, hold_token_hash, lower(blocked) = starts_at FROM reservations "
               "WHERE id = :'p1'", hold["id"]).split("|")
    assert row[0] == "held"
    assert row[1] == hashlib.sha256(hold["token"].encode()).hexdigest()   # only the hash
    assert psql("SELECT count(*) FROM funnel_events WHERE reservation_id = :'p1' "
                "AND event = 'slot_held'", hold["id"]) == "1"
    assert psql("SELECT from_status IS NULL, to_status FROM reservation_history "
                "WHERE reservation_id = :'p1'", hold["id"]) == "t|held"
    # the slot is gone for everybody, and a second hold for it is refused
    assert slot["start"] not in [s["start"] for s in sc.slots(**{"from": D, "days": 1})]
    r = sc.hold(slot["start"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable"


def test_overlapping_start_with_buffers_is_refused(api):
    sc = bs.Scenario(api, service={"duration": 30, "interval": 15, "after": 15})
    a, b, c = first_slots(sc)[:3]      # 09:00, 09:15, 09:30
    assert sc.hold(a["start"]).status_code == 201
    for s in (b, c):                   # 09:15 overlaps; 09:30 falls in the 15-min buffer
        r = sc.hold(s["start"])
        assert r.status_code == 409, s


@pytest.mark.parametrize("start", [
    "%sT14:05:00Z" % D,          # off the 15-minute grid (09:05 Bogota)
    "%sT14:00:30Z" % D,          # off by seconds
    "%sT14:00:00.250Z" % D,      # a fraction of a second
    "%sT03:00:00Z" % D,          # outside working hours (22:00 the day before)
    "%sT21:45:00Z" % D,          # 16:45: would end after 17:00
    "2020-01-06T14:00:00Z",      # past: minimum notice
    "2099-01-05T14:00:00Z",      # beyond the horizon
])
def test_starts_not_offered_now_are_409(api, start):
    sc = bs.Scenario(api)
    r = sc.hold(start)
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable"
    assert psql("SELECT count(*) FROM reservations WHERE service_id = :'p1'", sc.service_id) == "0"


def test_same_instant_written_with_an_offset_is_the_same_slot(api):
    sc = bs.Scenario(api)
    slot = first_slots(sc)[0]
    r = sc.hold(slot["local"])                     # 2026-..T09:00:00-05:00
    assert r.status_code == 201 and r.json()["hold"]["start"] == slot["start"]


def test_any_takes_a_free_professional_and_then_the_next(api):
    sc = bs.Scenario(api, professionals=[{}, {}])
    slot = first_slots(sc, professional="any")[0]
    got = []
    for _ in range(2):
        r = sc.hold(slot["start"], professional="any")
        assert r.status_code == 201
        got.append(r.json()["hold"]["professional"])
    assert sorted(got) == sorted(sc.professionals)
    r = sc.hold(slot["start"], professional="any")
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable"


def test_stale_holds_are_expired_in_the_same_transaction(api):
    sc = bs.Scenario(api, service={"duration": 60})
    slot = first_slots(sc)[0]
    stale = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, slot["start"],
                           status="held", expires_in=-30)
    stale_pay = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id,
                               bs.iso(bs.utc(slot["start"]) + dt.timedelta(minutes=30)),
                               status="pending_payment", expires_in=-30)
    r = sc.hold(slot["start"])
    assert r.status_code == 201, r.text
    assert psql("SELECT status || ':' || status_reason FROM reservations WHERE id = :'p1'",
                stale) == "expired:hold_expired"
    assert psql("SELECT status || ':' || status_reason FROM reservations WHERE id = :'p1'",
                stale_pay) == "expired:payment_window_passed"
    assert psql("SELECT from_status || '>' || to_status FROM reservation_history "
                "WHERE reservation_id = :'p1'", stale_pay) == "pending_payment>expired"


def test_release_frees_the_slot(api):
    sc = bs.Scenario(api)
    slot = first_slots(sc)[0]
    hold = sc.hold(slot["start"]).json()["hold"]
    path = "/api/public/holds/%s" % hold["id"]
    for headers in ({}, {"Authorization": "Bearer " + "x" * 43}, {"Authorization": hold["token"]},
                    {"Authorization": "Basic " + hold["token"]}):
        r = api.delete(path, headers=headers)
        assert r.status_code == 404, headers
    r = api.delete("/api/public/holds/not-a-uuid", headers={"Authorization": "Bearer " + hold["token"]})
    assert r.status_code == 404
    r = api.delete(path, headers={"Authorization": "Bearer " + hold["token"]})
    assert r.status_code == 204 and r.content == b""
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", hold["id"]) == "cancelled"
    assert psql("SELECT string_agg(to_status, ',' ORDER BY id) FROM reservation_history "
                "WHERE reservation_id = :'p1'", hold["id"]) == "held,cancelled"
    assert slot["start"] in [s["start"] for s in sc.slots(**{"from": D, "days": 1})]
    assert api.delete(path, headers={"Authorization": "Bearer " + hold["token"]}).status_code == 404
    assert sc.hold(slot["start"]).status_code == 201


@pytest.mark.parametrize("body,field", [
    ({"link": None}, "link"), ({"service": 5}, "service"), ({"professional": ["x"]}, "professional"),
    ({"start": "tomorrow 9am"}, "start"), ({"start": 1796133600}, "start"),
])
def test_field_errors_are_400(api, body, field):
    sc = bs.Scenario(api)
    payload = {"link": sc.slug, "service": sc.service_id, "professional": sc.professional_id,
               "start": "%sT14:00:00Z" % D}
    payload.update(body)
    r = api.post("/api/public/holds", json=payload)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "validation_failed" and field in err["fields"]


def test_missing_fields_malformed_json_and_unknown_ids(api):
    sc = bs.Scenario(api)
    r = api.post("/api/public/holds", json={})
    assert r.status_code == 400
    assert set(r.json()["error"]["fields"]) == {"link", "service", "professional", "start"}
    r = api.post("/api/public/holds", data="{nope", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    start = first_slots(sc)[0]["start"]
    cases = [({"link": "unknown-link-123456789"}, 404, "link_not_found"),
             ({"service": bs.new_uuid()}, 404, "service_not_found"),
             ({"service": "garbage"}, 404, "service_not_found"),
             ({"professional": bs.new_uuid()}, 404, "professional_not_found"),
             ({"professional": "nobody"}, 404, "professional_not_found")]
    for extra, status, code in cases:
        r = sc.hold(start, **extra) if "professional" not in extra else \
            sc.hold(start, professional=extra["professional"])
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), extra
    past = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)).isoformat()
    expired = bs.link(sc.tenant_id, expires_at=past)
    r = sc.hold(start, link=expired)
    assert r.status_code == 410 and r.json()["error"]["code"] == "link_expired"
    # another tenant's host does not see this link
    _, other_sub = bs.tenant()
    r = sc.hold(start, api=api.tenant(other_sub))
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
    assert psql("SELECT count(*) FROM reservations WHERE service_id = :'p1'", sc.service_id) == "0"


def night_scenario(api):
    """20:00-24:00 on D's weekday and 00:00-02:00 the next: one night, 60-min slots."""
    d = dt.date.fromisoformat(D)
    nxt = d + dt.timedelta(days=1)
    return bs.Scenario(api, service={"duration": 60, "interval": 30}, professionals=[{
        "hours": {d.isoweekday(): [("20:00", "24:00")], nxt.isoweekday(): [("00:00", "02:00")]}}])


def test_hold_across_midnight(api):
    sc = night_scenario(api)
    # 23:30 Bogota on D is 04:30 UTC the next day; it ends at 00:30 local
    nxt = (dt.date.fromisoformat(D) + dt.timedelta(days=1)).isoformat()
    r = sc.hold("%sT04:30:00Z" % nxt)
    assert r.status_code == 201, r.text
    assert r.json()["hold"]["end"] == "%sT05:30:00Z" % nxt
    # 00:00 overlaps it across midnight; 00:30 starts when it ends
    r = sc.hold("%sT05:00:00Z" % nxt)
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable"
    assert sc.hold("%sT05:30:00Z" % nxt).status_code == 201


def test_overlapping_holds_across_midnight_never_both_win(api):
    from concurrent.futures import ThreadPoolExecutor
    nxt = (dt.date.fromisoformat(D) + dt.timedelta(days=1)).isoformat()
    for _ in range(3):
        sc = night_scenario(api)
        starts = ["%sT04:30:00Z" % nxt, "%sT05:00:00Z" % nxt]   # 23:30 and 00:00 Bogota
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(sc.hold, starts))
        assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
        # the loser lost only to the winner: once that is released, its start can be held
        won = [r.json()["hold"] for r in results if r.status_code == 201][0]
        lost = [s for s, r in zip(starts, results) if r.status_code == 409][0]
        r = api.delete("/api/public/holds/%s" % won["id"],
                       headers={"Authorization": "Bearer " + won["token"]})
        assert r.status_code in (200, 204), r.text
        assert sc.hold(lost).status_code == 201
