"""Availability computed every time (answer cache Off) from facts a child keeps
(KonfirmadoAvailabilityFactsMemo, migrations 031 and 058, mod_kf_availability_memo.h): proven
current by one read of their versions, then trusted with no read while the change notices
are heard. What a customer must never notice: an answer that misses a change for longer than
a cached answer would. A write made straight in the database (no module told) or on another
server is heard through the change notices (the listener's next take, tens of milliseconds;
HEARD_WITHIN at most here); one made on the same server, and the ones the clock alone makes
(a hold's deadline, the link's expiry) with no write at all, show on the very next request."""
import contextlib
import datetime as dt
import time

import pytest

import booking_seed as bs
from conftest import Api, psql, render_conf, start_extra_httpd

UNCACHED = {"KonfirmadoAvailabilityCache": "KonfirmadoAvailabilityCache Off"}
# seconds a change made elsewhere may take to be heard here: the listener's next take (20 ms)
# and its notice, with room for a busy machine (a cached answer's test allows the same)
HEARD_WITHIN = 2


@contextlib.contextmanager
def uncached_servers(n=1, memo=True):
    overrides = dict(UNCACHED)
    if not memo:
        overrides["KonfirmadoAvailabilityFactsMemo"] = "KonfirmadoAvailabilityFactsMemo Off"
    conf = render_conf(overrides)
    with contextlib.ExitStack() as stack:
        yield [Api(stack.enter_context(start_extra_httpd(conf)).stack) for _ in range(n)]


def starts(sc, api, day, **kw):
    r = sc.availability(api=api, **{"from": day, "days": 1}, **kw)
    assert r.status_code == 200, r.text
    return [s["start"] for s in r.json()["slots"]]


def soon(sc, api, day, want, **kw):
    """The day's starts once `want(starts)` holds, or as they are after HEARD_WITHIN."""
    t0 = time.time()
    while True:
        got = starts(sc, api, day, **kw)
        if want(got) or time.time() - t0 > HEARD_WITHIN:
            print("heard after %.1f ms" % ((time.time() - t0) * 1000))
            return got
        time.sleep(0.005)


def asked_twice(sc, api, day, **kw):
    """The day's starts, asked enough times that every child of the server keeps the facts."""
    first = starts(sc, api, day, **kw)
    for _ in range(8):
        assert starts(sc, api, day, **kw) == first
    return first


def connect_calendar(sc, read_hours_ago):
    """A connected calendar of the scenario's professional, no busy times, read so long ago."""
    psql("""INSERT INTO calendar_connections (professional_id, tenant_id, provider, status, account,
              secret_sealed, busy, busy_until, synced_at, sync_due_at)
            VALUES (:'p1', :'p2', 'google', 'connected', 'memo@example.com', 'unused', '{}',
                    now() + interval '40 days', now() - make_interval(hours => :'p3'::int),
                    now() + interval '1 day')""",
         sc.professional_id, sc.tenant_id, read_hours_ago)


def test_database_edits_show_on_the_next_answer():
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(3)
        before = asked_twice(sc, api, day)
        assert len(before) > 4
        # a booking written by hand: its slot goes at once
        bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, before[4])
        after = soon(sc, api, day, lambda s: before[4] not in s)
        assert before[4] not in after and before[0] in after
        # the professional's hours shortened by hand (the catalog's version)
        psql("UPDATE professional_hours SET end_minute = start_minute + 60 WHERE professional_id = :'p1'",
             sc.professional_id)
        shorter = soon(sc, api, day, lambda s: len(s) < len(after))
        assert 0 < len(shorter) < len(after) and shorter[-1] < after[-1]
        # a day off written by hand
        psql("INSERT INTO professional_exceptions (professional_id, day, closed) VALUES (:'p1', :'p2', true)",
             sc.professional_id, day)
        assert soon(sc, api, day, lambda s: s == []) == []
        # the link switched off by hand: gone as soon as heard
        psql("UPDATE booking_links SET active = false WHERE slug = :'p1'", sc.slug)
        t0 = time.time()
        while sc.availability(api=api, **{"from": day, "days": 1}).status_code == 200:
            assert time.time() - t0 < HEARD_WITHIN, "a link switched off still answers"
            time.sleep(0.005)
        r = sc.availability(api=api, **{"from": day, "days": 1})
        assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found", r.text


def test_a_calendar_busy_time_read_in_shows_on_the_next_answer():
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(4)
        connect_calendar(sc, read_hours_ago=0)
        before = asked_twice(sc, api, day)
        start = bs.utc(before[2])
        # the calendar's next read brings an appointment over the third slot
        psql("UPDATE calendar_connections SET busy = tstzmultirange(tstzrange(:'p2', :'p3')),"
             " synced_at = now() WHERE professional_id = :'p1'",
             sc.professional_id, start.isoformat(), (start + dt.timedelta(minutes=10)).isoformat())
        after = soon(sc, api, day, lambda s: before[2] not in s)
        assert before[2] not in after and before[0] in after


def test_a_calendar_read_again_shows_on_the_next_answer():
    """A calendar last read 7 hours ago (past KonfirmadoCalendarStale, 6 h) offers nothing; a
    read that changes only when it happened (same busy times) brings the slots back as soon
    as it is heard (migration 058: a calendar's read is a change notice too)."""
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(4)
        connect_calendar(sc, read_hours_ago=7)
        assert asked_twice(sc, api, day) == []
        psql("UPDATE calendar_connections SET synced_at = now() WHERE professional_id = :'p1'",
             sc.professional_id)
        assert len(soon(sc, api, day, lambda s: len(s) > 4)) > 4


def test_another_servers_hold_and_release_show_at_once():
    """Two servers without a cache: the other server's hold and release are heard through the
    change notices; the server that took them shows them on its very next answer."""
    with uncached_servers(2) as (on_a, on_b):
        sc = bs.Scenario(on_a, service={"horizon": 30})
        day = bs.today_plus(3)
        before = asked_twice(sc, on_b, day)
        asked_twice(sc, on_a, day)
        r = sc.hold(before[0], api=on_a)
        assert r.status_code == 201, r.text
        assert before[0] not in starts(sc, on_a, day)
        assert before[0] not in soon(sc, on_b, day, lambda s: before[0] not in s)
        hold = r.json()["hold"]
        r = on_a.delete("/api/public/holds/%s" % hold["id"],
                        headers={"Authorization": "Bearer " + hold["token"]})
        assert r.status_code in (200, 204), r.text
        assert starts(sc, on_a, day) == before
        assert soon(sc, on_b, day, lambda s: s == before) == before


def test_a_hold_whose_deadline_passes_frees_its_slot_with_no_write():
    """Nothing writes when a hold's time runs out (the expiry job comes every 15 s): the kept
    facts know the deadline and are read again past it."""
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(3)
        offered = starts(sc, api, day)
        for start in offered[:3]:
            hold = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, start,
                                  status="held", expires_in=3)
            assert start not in asked_twice(sc, api, day)
            deadline = psql("SELECT extract(epoch FROM expires_at) FROM reservations WHERE id = :'p1'", hold)
            time.sleep(max(0.0, float(deadline) - time.time()) + 0.05)
            assert start in starts(sc, api, day)
            # nobody wrote before that answer: the hold is still stored as held. Should the
            # expiry job have come in between (a slow machine), the answer proves nothing:
            # another slot is tried
            if psql("SELECT status FROM reservations WHERE id = :'p1'", hold) == "held":
                return
        pytest.fail("the expiry job wrote each hold before its slot was asked for")


def test_a_booking_paid_keeps_its_slot_past_the_deadline_it_had():
    """An approval clears the deadline without telling the kept facts (no version bump: one
    professional's approvals do not wait for each other); they are read again when the old
    deadline passes, and the slot stays taken."""
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(3)
        offered = starts(sc, api, day)
        booking = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, offered[1],
                                 status="pending_payment", expires_in=3)
        assert offered[1] not in asked_twice(sc, api, day)
        deadline = psql("SELECT extract(epoch FROM expires_at) FROM reservations WHERE id = :'p1'", booking)
        assert psql("SELECT kf_reservation_move(:'p1', 'pending_payment', 'paid', 'payment_approved',"
                    " NULL, NULL)", booking) == "t"
        assert offered[1] not in starts(sc, api, day)
        time.sleep(max(0.0, float(deadline) - time.time()) + 0.05)
        assert offered[1] not in starts(sc, api, day)
        assert offered[-1] in starts(sc, api, day)


def test_a_deadline_brought_forward_frees_the_slot_at_the_new_time():
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(3)
        offered = starts(sc, api, day)
        hold = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, offered[2],
                              status="held", expires_in=600)
        assert offered[2] not in asked_twice(sc, api, day)
        psql("UPDATE reservations SET expires_at = now() + interval '2 seconds' WHERE id = :'p1'", hold)
        deadline = psql("SELECT extract(epoch FROM expires_at) FROM reservations WHERE id = :'p1'", hold)
        assert offered[2] not in starts(sc, api, day)
        # the notice of the new deadline (migration 058) is heard long before it passes
        time.sleep(max(0.0, float(deadline) - time.time()) + 0.05)
        assert offered[2] in starts(sc, api, day)


def test_a_link_that_expires_stops_answering_at_its_time():
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(3)
        psql("UPDATE booking_links SET expires_at = now() + interval '3 seconds' WHERE slug = :'p1'", sc.slug)
        asked_twice(sc, api, day)
        expires = psql("SELECT extract(epoch FROM expires_at) FROM booking_links WHERE slug = :'p1'", sc.slug)
        time.sleep(max(0.0, float(expires) - time.time()) + 0.05)
        r = sc.availability(api=api, **{"from": day, "days": 1})
        assert r.status_code == 410 and r.json()["error"]["code"] == "link_expired", r.text


def test_kept_facts_answer_exactly_what_reading_them_answers():
    """Same requests, one server keeping facts and one reading them every time: the same
    bytes, for one professional and for any of two (busy times, a hold, a display zone)."""
    with uncached_servers(memo=True) as (kept,), uncached_servers(memo=False) as (read,):
        sc = bs.Scenario(kept, service={"horizon": 30},
                         professionals=[{}, {"name": "Dr. Luis", "timezone": "Europe/Madrid"}])
        day = bs.today_plus(5)
        offered = starts(sc, kept, day)
        bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, offered[3])
        bs.reservation(sc.tenant_id, sc.service_id, sc.professionals[1], offered[0],
                       status="held", expires_in=600)
        for params in ({}, {"professional": "any"}, {"timezone": "Asia/Tokyo", "days": 3}):
            def body(api):
                p = {"from": day, "days": 2}
                p.update(params)
                r = sc.availability(api=api, **p)
                assert r.status_code == 200, r.text
                return r.content
            expected = body(read)
            t0 = time.time()
            while body(kept) != expected and time.time() - t0 < HEARD_WITHIN:
                time.sleep(0.005)   # the reservations written by hand: heard through notices
            for _ in range(4):
                assert body(kept) == expected


def test_kept_facts_are_not_trusted_while_the_notices_are_not_heard(allow_log):
    """The listener's connection lost (here with the whole database), a notice could go
    unheard: kept facts must be proven by a read again, so with the database away the answer
    is a clear 503, not facts that may have changed meanwhile; with the database back, the
    answers come back."""
    from conftest import pg_down
    allow_log(r"DBD", r"dbd", r"database", r"connection lost", r"kf_", r"notifications")
    with uncached_servers() as (api,):
        sc = bs.Scenario(api, service={"horizon": 30})
        day = bs.today_plus(3)
        before = asked_twice(sc, api, day)
        with pg_down():
            t0 = time.time()
            while sc.availability(api=api, **{"from": day, "days": 1}).status_code == 200:
                assert time.time() - t0 < 1, "kept facts still trusted with the listener gone"
                time.sleep(0.01)
            r = sc.availability(api=api, **{"from": day, "days": 1})
            assert r.status_code == 503, r.text
            assert r.json()["error"]["code"] == "service_unavailable"
        t0 = time.time()
        while sc.availability(api=api, **{"from": day, "days": 1}).status_code != 200:
            assert time.time() - t0 < 20, "availability still refused after the database came back"
            time.sleep(0.2)
        assert starts(sc, api, day) == before
