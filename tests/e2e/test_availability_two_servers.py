"""Two httpd servers on one database (DESIGN.md "Scaling out"): a hold taken on one
is seen at once by the other's cached availability, through PostgreSQL's LISTEN/NOTIFY
(migration 022's triggers, mod_kf_availability_notify.c), not after the cache's TTL (10 s,
the longest allowed)."""
import contextlib
import time

import booking_seed as bs
from conftest import Api, psql, render_conf, start_extra_httpd

TTL = 10


@contextlib.contextmanager
def two_servers():
    """Two httpds of the stack with a long cache TTL: (scenario, api of A, api of B, slots(api))."""
    conf = render_conf(add=["KonfirmadoAvailabilityCacheTTL %d" % TTL])
    with start_extra_httpd(conf) as a, start_extra_httpd(conf) as b:
        sc = bs.Scenario(Api(a.stack), service={"horizon": 30})
        day = bs.today_plus(3)

        def slots(api):
            return [s["start"] for s in sc.availability(api=api, **{"from": day, "days": 1}).json()["slots"]]
        yield sc, Api(a.stack), Api(b.stack), slots


def test_a_hold_on_one_server_is_seen_by_the_other_at_once(stack):
    with two_servers() as (sc, on_a, on_b, slots):
        before = slots(on_b)
        assert before == slots(on_b)               # the second answer comes from B's cache
        start = before[0]
        r = sc.hold(start, api=on_a)
        assert r.status_code == 201, r.text
        held_at = time.time()
        while start in slots(on_b):
            assert time.time() - held_at < 2, "server B still offers a slot held on server A"
            time.sleep(0.005)
        seen = time.time() - held_at
        print("server B stopped offering the slot %.1f ms after server A's hold" % (seen * 1000))
        # and the other way round: released on B, offered again by A
        r = on_b.delete("/api/public/holds/%s" % r.json()["hold"]["id"],
                        headers={"Authorization": "Bearer " + r.json()["hold"]["token"]})
        assert r.status_code in (200, 204), r.text
        released_at = time.time()
        while start not in slots(on_a):
            assert time.time() - released_at < 2, "server A does not offer the released slot"
            time.sleep(0.005)


def test_an_edit_made_in_the_database_is_heard_by_both_servers(stack):
    """No module on the writing side: the reservation trigger records the professional
    (migration 025) and a server's listener tells every server."""
    with two_servers() as (sc, on_a, on_b, slots):
        assert slots(on_a) == slots(on_b)          # both answers cached now
        start = slots(on_a)[1]
        bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, start)
        written_at = time.time()
        for api in (on_a, on_b):
            while start in slots(api):
                assert time.time() - written_at < 2, "a server still offers a slot booked in the database"
                time.sleep(0.005)
        print("both servers stopped offering the slot %.1f ms after the database edit"
              % ((time.time() - written_at) * 1000))
        assert psql("SELECT count(*) FROM availability_changes") in ("0", "1", "2")


def test_payment_moves_keep_cached_answers_but_a_late_payment_is_seen_at_once(stack):
    """Migration 027: an update tells the servers only when what availability reads changed.
    A hold becoming paid, or paid becoming confirmed, blocks its slot the same: every cached
    answer stays right and is kept. A hold whose deadline passed no longer blocks (its slot is
    offered again); paid late, it blocks again, and both servers stop offering it at once."""
    with two_servers() as (sc, on_a, on_b, slots):
        offered = slots(on_a)                      # first and last of the day: apart
        held = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, offered[0],
                              status="held", expires_in=600)
        lapsed = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, offered[-1],
                                status="held", expires_in=-1)
        held_at = time.time()
        for api in (on_a, on_b):
            while offered[0] in slots(api):        # the new hold heard by both
                assert time.time() - held_at < 2, "a server still offers a slot held in the database"
                time.sleep(0.005)
        assert offered[-1] in slots(on_a) and offered[-1] in slots(on_b), \
            "a hold past its deadline does not block"

        # what the trigger records, seen from inside the writing transaction
        recorded = psql("""BEGIN;
            UPDATE reservations SET status = 'paid', expires_at = NULL WHERE id = :'p1';
            UPDATE reservations SET status = 'confirmed' WHERE id = :'p1';
            SELECT count(*) FROM availability_changes WHERE professional_id = :'p2';
            COMMIT""", held, sc.professional_id)
        assert recorded == "0", "held -> paid -> confirmed told the servers to drop their answers"

        psql("UPDATE reservations SET status = 'paid', expires_at = NULL WHERE id = :'p1'", lapsed)
        paid_at = time.time()
        for api in (on_a, on_b):
            while offered[-1] in slots(api):
                assert time.time() - paid_at < 2, "a server still offers the slot paid late"
                time.sleep(0.005)
        assert offered[0] not in slots(on_a) and offered[0] not in slots(on_b)
