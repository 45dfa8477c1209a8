"""The expiry rule is one rule: the database decides when a hold or an unpaid booking is due
(kf_reservation_due), the booking's state machine what expiring does to it (its expire
transition, handed to kf_expire_due). What a reader is told of a due booking is what the
expiry job then records, for every state; and kf_expire_due refuses to run when the two
halves disagree, rather than leave a slot blocked by a row nothing expires."""
import datetime as dt
import hashlib
import secrets
import time

import pytest

import booking_seed as bs
from conftest import psql, render_conf, start_extra_httpd
from contract_support import load_spec

STATES = load_spec()["components"]["schemas"]["BookingStatus"]["enum"]
# what the expire transition makes of a state whose deadline passed (API.md: a hold runs out,
# an unpaid booking's payment window passes); every other state stays as it is
EXPIRES = {"held": "hold_expired", "pending_payment": "payment_window_passed"}


def seeded(sc, state, start):
    """A reservation in `state` whose expires_at passed 30 s ago, and the token that reads it."""
    rid = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, start, status=state,
                         expires_in=-30)
    token = secrets.token_urlsafe(32)
    psql("UPDATE reservations SET booking_token_hash = :'p1' WHERE id = :'p2'",
         hashlib.sha256(token.encode()).hexdigest(), rid)
    return rid, token


def test_what_a_reader_is_told_of_a_due_booking_is_what_the_expiry_job_records(api):
    sc = bs.Scenario(api)
    first = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=5)
    rows = {state: seeded(sc, state, first + dt.timedelta(hours=i))
            for i, state in enumerate(STATES)}
    told = {}
    for state, (rid, token) in rows.items():
        r = api.get("/api/public/bookings/%s" % rid, params={"token": token})
        assert r.status_code == 200, r.text
        told[state] = r.json()["booking"]["status"]
    assert told == {s: "expired" if s in EXPIRES else s for s in STATES}

    conf = render_conf(add=["KonfirmadoExpiryInterval 1"])
    with start_extra_httpd(conf) as extra:
        deadline = time.time() + 15
        while time.time() < deadline and psql(
                "SELECT count(*) FROM reservations WHERE tenant_id = :'p1'"
                " AND kf_reservation_due(status, expires_at)", sc.tenant_id) != "0":
            time.sleep(0.3)
        bad = [line for line in extra.error_lines() if "[error]" in line or "[crit]" in line]
        assert not bad, bad
    for state, (rid, _) in rows.items():
        stored = psql("SELECT status || ':' || coalesce(status_reason, '') FROM reservations"
                      " WHERE id = :'p1'", rid)
        assert stored == "%s:%s" % (told[state], EXPIRES.get(state, "")), state
        history = psql("SELECT string_agg(from_status || '>' || to_status || ':' || reason, ',')"
                       " FROM reservation_history WHERE reservation_id = :'p1'", rid)
        assert history == ("%s>expired:%s" % (state, EXPIRES[state]) if state in EXPIRES else "")


def test_expiry_refuses_moves_that_disagree_with_the_deadlines(api):
    sc = bs.Scenario(api)
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=5)
    rid, _ = seeded(sc, "held", start)
    # the hold runs out only inside each call's own transaction: the stack's expiry job, which
    # sweeps every due row, never sees it due (nor can take it: the row is locked meanwhile)
    psql("UPDATE reservations SET expires_at = now() + interval '1 hour' WHERE id = :'p1'", rid)
    expire = ("BEGIN; UPDATE reservations SET expires_at = now() - interval '30 seconds'"
              " WHERE id = :'p4';"
              " SELECT kf_expire_due(:'p1', tstzrange(:'p2'::timestamptz - interval '1 hour',"
              " :'p2'::timestamptz + interval '1 hour'), NULL, :'p3'::jsonb); COMMIT")
    # a state the machine would expire that never runs out in the database
    with pytest.raises(RuntimeError, match="expires paid, which has no deadline"):
        psql(expire, sc.professional_id, start.isoformat(),
             '{"held": ["expired", "hold_expired", "hold_expired"],'
             ' "paid": ["expired", "x", "x"]}', rid)
    # a due row whose state the machine does not expire
    with pytest.raises(RuntimeError, match="a held reservation is due, but the state machine"):
        psql(expire, sc.professional_id, start.isoformat(),
             '{"pending_payment": ["expired", "payment_window_passed", "payment_window_passed"]}',
             rid)
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", rid) == "held"
    # the machine's own moves expire it
    assert psql(expire, sc.professional_id, start.isoformat(),
                '{"held": ["expired", "hold_expired", "hold_expired"],'
                ' "pending_payment": ["expired", "payment_window_passed", "payment_window_passed"]}',
                rid) == "1"
    assert psql("SELECT status || ':' || status_reason FROM reservations WHERE id = :'p1'",
                rid) == "expired:hold_expired"
