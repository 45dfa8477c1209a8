"""Bookings made for "any professional" are shared by the link's rule (API.md "Series, seats
and teams": the link's `assign`): least booked this week, or the merchant's weights; two
customers at once for one slot both get a professional, never the same one; the merchant
sets the rule through /api/admin/links, and a bad rule or weight changes nothing."""
import collections
import datetime as dt
import json
import threading
from zoneinfo import ZoneInfo

import pytest

import booking_seed as bs
from catalog_support import (LINKS, assert_field_error, create_link, create_professional,
                             create_service, random_id, snapshot)
from conftest import Api, psql
from payments_helpers import wait_for

D = (dt.date.today() + dt.timedelta(days=2)).isoformat()
DAY_AND_NIGHT = bs.ALL_WEEK(("00:00", "24:00"))


def quiet_zone():
    """A zone whose week does not turn over while a test runs: its wall clock now is more
    than two hours away from Monday 00:00 (the bookings are counted from then)."""
    now = dt.datetime.now(dt.timezone.utc)
    for name in ("America/Bogota", "Asia/Tokyo", "Europe/London"):
        local = now.astimezone(ZoneInfo(name))
        since_monday = local - (local - dt.timedelta(days=local.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0)
        if dt.timedelta(hours=2) < since_monday < dt.timedelta(days=7, hours=-2):
            return name
    raise AssertionError("no quiet zone")


def scenario(api, names, assign="least_booked", weights=None):
    """A free 15-minute service offered day and night by `names`, and a link with the rule."""
    sc = bs.Scenario(api, tenant={"timezone": quiet_zone()},
                     service={"charge": "free", "price": 0, "duration": 15, "interval": 15},
                     professionals=[{"name": n, "hours": DAY_AND_NIGHT} for n in names])
    ids = dict(zip(names, sc.professionals))
    psql("UPDATE booking_links SET assign = :'p1', assign_weights = NULLIF(:'p2', '')::jsonb"
         " WHERE slug = :'p3'", assign,
         "" if weights is None else json.dumps({ids[n]: w for n, w in weights.items()}), sc.slug)
    return sc, ids


def book_any(sc, start):
    """A new customer (own address: the per-client limits count each one apart) books
    `start` with whoever is free; the professional who got it."""
    client = Api(sc.api.stack)
    try:
        r = sc.hold(start, professional="any", api=client)
        assert r.status_code == 201, r.text
        hold = r.json()["hold"]
        b = sc.book(hold["token"], api=client)
        assert b.status_code == 201, b.text
        assert b.json()["booking"]["status"] == "paid"
        return hold["professional"]
    finally:
        client.session.close()


def mails_gone(sc):
    """Waits until the scenario's mails have left: 200 bookings queue 400 mails, which the
    next test's own confirmations would otherwise wait behind on this stack."""
    wait_for(lambda: psql("SELECT count(*) FROM mail_outbox WHERE tenant_id = :'p1'"
                          " AND sent_at IS NULL AND failed_at IS NULL", sc.tenant_id) == "0",
             timeout=300, interval=1, what="the bookings' mails sent")


def starts(sc, n):
    slots = sc.slots(professional="any", **{"from": D, "days": 3})
    assert len(slots) >= n
    return [s["start"] for s in slots[:n]]


def test_weights_share_200_bookings_within_five_percent(api):
    weights = {"Ana": 20, "Beto": 30, "Carla": 50}
    sc, ids = scenario(api, list(weights), assign="weights", weights=weights)
    got = collections.Counter(book_any(sc, s) for s in starts(sc, 200))
    mails_gone(sc)
    assert sum(got.values()) == 200
    for name, w in weights.items():
        share = got[ids[name]] / 200
        assert abs(share - w / 100) <= 0.05, (name, got[ids[name]], dict(got))


def test_least_booked_shares_200_bookings_evenly(api):
    names = ["Ana", "Beto", "Carla", "Diego"]
    sc, ids = scenario(api, names)
    got = collections.Counter(book_any(sc, s) for s in starts(sc, 200))
    mails_gone(sc)
    assert sorted(got.values()) == [50, 50, 50, 50], dict(got)


def test_least_booked_counts_the_whole_week_and_ties_go_by_name(api):
    sc, ids = scenario(api, ["Beto", "Ana"])
    first, second, third = starts(sc, 3)
    # Ana and Beto both free with no booking: Ana, by name
    assert book_any(sc, first) == ids["Ana"]
    # Ana has one this week: Beto
    assert book_any(sc, second) == ids["Beto"]
    # Beto got two more this week through other ways (made today, for any day): Ana
    later = bs.utc(third) + dt.timedelta(days=5)
    for k in range(2):
        bs.reservation(sc.tenant_id, sc.service_id, ids["Beto"], later + dt.timedelta(hours=k),
                       minutes=15)
    assert book_any(sc, third) == ids["Ana"]
    # bookings made before this week's Monday, cancelled or expired ones do not count
    for status in ("cancelled", "expired"):
        for k in range(3):
            bs.reservation(sc.tenant_id, sc.service_id, ids["Ana"],
                           later + dt.timedelta(days=1, hours=k), minutes=15, status=status)
    old = bs.reservation(sc.tenant_id, sc.service_id, ids["Ana"],
                         later + dt.timedelta(days=2), minutes=15)
    psql("UPDATE reservations SET created_at = now() - interval '8 days' WHERE id = :'p1'", old)
    # Ana 2 this week, Beto 3: Ana
    fourth = starts(sc, 4)[3]
    assert book_any(sc, fourth) == ids["Ana"]


def test_a_professional_without_weight_takes_what_the_weighted_ones_cannot(api):
    sc, ids = scenario(api, ["Ana", "Beto"], assign="weights", weights={"Beto": 1})
    a, b = starts(sc, 2)
    assert book_any(sc, a) == ids["Beto"]
    assert book_any(sc, b) == ids["Beto"]
    # Beto is taken at `a`: Ana, unweighted, still takes the slot rather than nobody
    assert book_any(sc, a) == ids["Ana"]


def test_two_customers_at_once_for_one_slot_both_get_one_never_the_same(api):
    sc, ids = scenario(api, ["Ana", "Beto", "Carla"])
    for start in starts(sc, 4)[::2]:          # 30 minutes apart: they do not overlap
        got, barrier = [], threading.Barrier(8)

        def go():
            client = Api(sc.api.stack)
            try:
                barrier.wait()
                r = sc.hold(start, professional="any", api=client)
                got.append((r.status_code, r.json()["hold"]["professional"]
                            if r.status_code == 201 else r.json()["error"]["code"]))
            finally:
                client.session.close()
        threads = [threading.Thread(target=go) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        won = sorted(p for code, p in got if code == 201)
        assert won == sorted(ids.values()), got
        assert sorted(p for code, p in got if code != 201) == ["slot_unavailable"] * 5, got
    assert psql("""SELECT count(*) FROM reservations a JOIN reservations b
                   ON a.professional_id = b.professional_id AND a.id < b.id AND a.blocked && b.blocked
                   WHERE a.tenant_id = :'p1'
                     AND a.status IN ('held','pending_payment','paid','confirmed')
                     AND b.status IN ('held','pending_payment','paid','confirmed')""",
                sc.tenant_id) == "0"


# ---- the merchant's setting (/api/admin/links) ----


def team(merchant, n=2):
    pros = [create_professional(merchant, name="Profesional %d" % i) for i in range(n)]
    service = create_service(merchant, professional_ids=[p["id"] for p in pros])
    return service, pros


def test_the_merchant_sets_weights_and_goes_back_to_least_booked(merchant):
    api = merchant.api
    service, (ana, beto) = team(merchant)
    link = create_link(merchant)
    assert link["assign"] == "least_booked" and link["weights"] is None
    r = api.patch(LINKS + "/" + link["id"], json={
        "assign": "weights", "weights": {ana["id"].upper(): 1, beto["id"]: 3}})
    assert r.status_code == 200, r.text
    assert r.json()["assign"] == "weights"
    assert r.json()["weights"] == {ana["id"]: 1, beto["id"]: 3}
    assert api.get(LINKS + "/" + link["id"]).json()["weights"] == {ana["id"]: 1, beto["id"]: 3}
    # back to least booked: the weights are kept for a later return
    r = api.patch(LINKS + "/" + link["id"], json={"assign": "least_booked"})
    assert r.status_code == 200 and r.json()["assign"] == "least_booked"
    assert r.json()["weights"] == {ana["id"]: 1, beto["id"]: 3}
    # a new link with the rule at once, for a service its professionals offer
    made = create_link(merchant, service_id=service["id"], assign="weights",
                       weights={beto["id"]: 100})
    assert made["assign"] == "weights" and made["weights"] == {beto["id"]: 100}
    assert psql("SELECT assign || ' ' || assign_weights::text FROM booking_links WHERE id = :'p1'",
                made["id"]) == 'weights {"%s": 100}' % beto["id"]


def weight_cases():
    """(body, field) of bad settings; PRO stands for a professional of the link's service,
    OTHER for one who does not offer it."""
    return [
        ({"assign": "round_robin"}, "assign"),
        ({"assign": 1}, "assign"),
        ({"assign": "weights"}, "weights"),
        ({"assign": "weights", "weights": {}}, "weights"),
        ({"weights": [1, 2]}, "weights"),
        ({"weights": {"PRO": -1}}, "weights.PRO"),
        ({"weights": {"PRO": 0}}, "weights.PRO"),
        ({"weights": {"PRO": 101}}, "weights.PRO"),
        ({"weights": {"PRO": 2.5}}, "weights.PRO"),
        ({"weights": {"PRO": "3"}}, "weights.PRO"),
        ({"weights": {"UNKNOWN": 3}}, "weights.UNKNOWN"),
        ({"weights": {"luis": 3}}, "weights.luis"),
        ({"weights": {"FOREIGN": 3}}, "weights.FOREIGN"),
        ({"weights": {"OTHER": 3}}, "weights.OTHER"),
    ]


@pytest.mark.parametrize("body,key", weight_cases(),
                         ids=[k + ":" + repr(b)[:30] for b, k in weight_cases()])
@pytest.mark.parametrize("write", ["create", "patch"])
def test_bad_rules_and_weights_are_refused_and_change_nothing(merchant, other_merchant, body,
                                                              key, write):
    api = merchant.api
    service, (pro, _) = team(merchant)
    other = create_professional(merchant, name="Sin el servicio")
    foreign = create_professional(other_merchant, name="De otro negocio")
    names = {"PRO": pro["id"], "OTHER": other["id"], "UNKNOWN": random_id(),
             "FOREIGN": foreign["id"]}

    def real(text):
        for k, v in names.items():
            text = text.replace(k, v)
        return text
    sent = {k: ({real(wk): wv for wk, wv in v.items()} if isinstance(v, dict) else v)
            for k, v in body.items()}
    link = create_link(merchant, service_id=service["id"], assign="weights",
                       weights={pro["id"]: 7})
    before = snapshot(merchant.tenant_id)
    stored = api.get(LINKS + "/" + link["id"]).json()
    if write == "create":
        r = api.post(LINKS, json=dict(sent, name="Nuevo", service_id=service["id"]))
    else:
        r = api.patch(LINKS + "/" + link["id"], json=sent)
    if write == "patch" and body == {"assign": "weights"}:
        assert r.status_code == 200     # the stored weights serve the rule
        return
    fields = assert_field_error(r, real(key))
    assert len(fields) == 1, fields
    assert snapshot(merchant.tenant_id) == before
    assert api.get(LINKS + "/" + link["id"]).json() == stored
