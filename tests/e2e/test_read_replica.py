"""Reads from a replica (KonfirmadoReadDatabase, docs/high-availability.md): availability is
read on a streaming standby of the stack's database while it lags less than
KonfirmadoReadMaxLag; past that, on the primary. Holds are judged on the primary whatever a
replica showed: a slot a lagging replica still offers is refused 409 slot_unavailable.

The standby is made here (replica_support.py), its replay paused on purpose
(pg_wal_replay_pause) to make it lag."""
import hashlib
import re
import secrets
import time

import booking_seed as bs
from conftest import Api, psql, render_conf, start_extra_httpd
from replica_support import caught_up, on_standby, standby

def merchant_session(tenant_id, *clients):
    """The tenant's owner, logged in on every client (its session written on the primary)."""
    token = secrets.token_urlsafe(32)
    psql("""WITH u AS (INSERT INTO users (tenant_id, email, password_hash, email_verified_at)
                       VALUES (:'p1', :'p2', 'never-used', now()) RETURNING id)
            INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,
                                  absolute_expires_at)
            SELECT :'p3', id, :'p1', :'p4', now() + interval '1 hour', now() + interval '1 day'
            FROM u""", tenant_id, "owner-%s@example.com" % secrets.token_hex(6),
         hashlib.sha256(token.encode()).hexdigest(), secrets.token_urlsafe(32))
    for c in clients:
        c.session.cookies.set("kf_session", token)


def listed(api):
    r = api.get("/api/admin/bookings")
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_availability_reads_a_replica_within_its_lag_and_the_primary_judges_holds(stack):
    sc = bs.Scenario(Api(stack))
    day = bs.today_plus(3)
    params = {"service": sc.service_id, "professional": sc.professional_id, "from": day,
              "days": 1}
    path = "/api/public/links/%s/availability" % sc.slug
    with standby() as port:
        # every answer read from the database (no cache, no kept facts): what shows is where
        # it was read
        read_there = ['KonfirmadoReadDatabase "host=127.0.0.1 port=%d dbname=konfirmado '
                      'user=konfirmado connect_timeout=2"' % port,
                      "KonfirmadoAvailabilityCache Off", "KonfirmadoAvailabilityFactsMemo Off"]
        patient = render_conf(add=read_there + ["KonfirmadoReadMaxLag 300"])
        strict = render_conf(add=read_there)                    # KonfirmadoReadMaxLag 1
        with start_extra_httpd(patient) as p, start_extra_httpd(strict) as s:
            on_patient, on_strict = Api(p.stack), Api(s.stack)
            owner_patient, owner_strict = Api(p.stack), Api(s.stack)
            merchant_session(sc.tenant_id, owner_patient, owner_strict)

            def offered(api):
                r = api.get(path, params=params)
                assert r.status_code == 200, r.text
                return [x["start"] for x in r.json()["slots"]]

            caught_up(port)
            before = offered(on_patient)
            assert before == offered(on_strict) and len(before) > 2
            assert listed(owner_patient) == listed(owner_strict) == 0
            taken = before[2]

            # the replica stops replaying; the slot is booked on the primary meanwhile
            on_standby(port, "SELECT pg_wal_replay_pause()")
            try:
                bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, taken)
                # the patient server still reads the replica, which has not seen the booking:
                # neither its availability nor the dashboard's list
                assert taken in offered(on_patient)
                assert listed(owner_patient) == 0
                # ... and the primary judges the hold: the slot is taken
                r = sc.hold(taken, api=on_patient)
                assert r.status_code == 409, r.text
                assert r.json()["error"]["code"] == "slot_unavailable"
                # the strict server leaves the replica once it lags more than 1 s: the
                # primary's answer, without the booked slot
                deadline = time.time() + 15
                while taken in offered(on_strict):
                    assert time.time() < deadline, "the lagging replica is still read"
                    time.sleep(0.1)
                assert listed(owner_strict) == 1
                lines = "\n".join(s.error_lines())
                assert re.search(r"the read replica lags \d+ ms \(more than "
                                 r"KonfirmadoReadMaxLag\): its reads go to the primary", lines), lines
            finally:
                on_standby(port, "SELECT pg_wal_replay_resume()")
            # replayed again: the replica has the booking, and the strict server reads it again
            caught_up(port)
            assert taken not in offered(on_patient)
            deadline = time.time() + 15
            while "the read replica caught up" not in "\n".join(s.error_lines()):
                assert time.time() < deadline, "the strict server never read the replica again"
                offered(on_strict)
                time.sleep(0.1)
            for extra in (p, s):
                assert not [line for line in extra.error_lines()
                            if re.search(r"\[(?:[\w.-]+:)?(?:error|crit|alert|emerg)\]", line)]
