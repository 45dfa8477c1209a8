"""A hold of one professional judged from facts a child kept (KonfirmadoAvailabilityFactsMemo,
mod_kf_availability_facts.c `hold_facts`): the link, service, professional, hours and exceptions of the
start's week read by an earlier judgement, proven current by the catalog's version, and no
other reservation (the exclusion constraint refuses an overlap). What a customer must never
notice: a hold taken against a change. Each test first holds enough slots of the same week,
each from its own address, that every child of the server keeps the facts; every change
below is then asserted on the very next hold, with no wait."""
import datetime as dt
import time

import booking_seed as bs
from conftest import Api, psql, read_stack_env

PRIMING_HOLDS = 8
# slots that do not overlap: each offered start can be held
SERVICE = {"horizon": 30, "duration": 30, "interval": 30}


def offered(sc, day):
    r = sc.availability(**{"from": day, "days": 1})
    assert r.status_code == 200, r.text
    return [s["start"] for s in r.json()["slots"]]


def hold_from_new_customer(sc, start):
    return sc.hold(start, api=Api(read_stack_env()))


def primed(sc, day):
    """The day's offered starts; the first PRIMING_HOLDS of them held, each by its own customer."""
    starts = offered(sc, day)
    assert len(starts) > PRIMING_HOLDS + 4, starts
    for start in starts[:PRIMING_HOLDS]:
        r = hold_from_new_customer(sc, start)
        assert r.status_code == 201, r.text
    return starts


def refused_with(r, status, code):
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text


def test_hours_shortened_by_hand_refuse_the_next_hold():
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    starts = primed(sc, day)
    psql("UPDATE professional_hours SET end_minute = start_minute + 60 WHERE professional_id = :'p1'",
         sc.professional_id)
    refused_with(hold_from_new_customer(sc, starts[-1]), 409, "slot_unavailable")


def test_hours_widened_by_hand_offer_the_next_hold_the_new_slot():
    """Kept facts judge a hold before anything proves them current (its insert does): the
    start they refuse is judged again on the facts as they are, not refused by the old ones."""
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    starts = primed(sc, day)
    psql("UPDATE professional_hours SET end_minute = end_minute + 60 WHERE professional_id = :'p1'",
         sc.professional_id)
    last = dt.datetime.fromisoformat(starts[-1].replace("Z", "+00:00"))
    opened = (last + dt.timedelta(minutes=30)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert opened in offered(sc, day)
    r = hold_from_new_customer(sc, opened)
    assert r.status_code == 201, r.text
    assert r.json()["hold"]["start"] == opened


def test_a_day_off_written_by_hand_refuses_the_next_hold():
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    starts = primed(sc, day)
    psql("INSERT INTO professional_exceptions (professional_id, day, closed) VALUES (:'p1', :'p2', true)",
         sc.professional_id, day)
    refused_with(hold_from_new_customer(sc, starts[-1]), 409, "slot_unavailable")


def test_a_link_switched_off_by_hand_refuses_the_next_hold():
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    starts = primed(sc, day)
    psql("UPDATE booking_links SET active = false WHERE slug = :'p1'", sc.slug)
    refused_with(hold_from_new_customer(sc, starts[-1]), 404, "link_not_found")


def test_a_link_that_expires_refuses_holds_from_its_time_with_no_write():
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    psql("UPDATE booking_links SET expires_at = now() + interval '4 seconds' WHERE slug = :'p1'", sc.slug)
    starts = primed(sc, day)
    expires = psql("SELECT extract(epoch FROM expires_at) FROM booking_links WHERE slug = :'p1'", sc.slug)
    time.sleep(max(0.0, float(expires) - time.time()) + 0.05)
    refused_with(hold_from_new_customer(sc, starts[-1]), 410, "link_expired")


def test_a_calendar_connected_since_is_read_for_the_next_hold():
    """A calendar connected by hand after the facts were kept, its busy time over a slot: that
    slot is refused, the next one still held."""
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(4)
    starts = primed(sc, day)
    busy = bs.utc(starts[-2])
    psql("""INSERT INTO calendar_connections (professional_id, tenant_id, provider, status, account,
              secret_sealed, busy, busy_until, synced_at, sync_due_at)
            VALUES (:'p1', :'p2', 'google', 'connected', 'kept@example.com', 'unused',
                    tstzmultirange(tstzrange(:'p3', :'p4')), now() + interval '40 days', now(),
                    now() + interval '1 day')""",
         sc.professional_id, sc.tenant_id, busy.isoformat(), (busy + dt.timedelta(minutes=10)).isoformat())
    refused_with(hold_from_new_customer(sc, starts[-2]), 409, "slot_unavailable")
    r = hold_from_new_customer(sc, starts[-1])
    assert r.status_code == 201, r.text


def test_a_booking_written_by_hand_is_never_double_booked_and_a_run_out_hold_frees_its_slot():
    """Kept facts read no reservation: the constraint refuses the booked slot; a hold whose
    time ran out (not yet swept) gives way to the next customer."""
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    starts = primed(sc, day)
    bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, starts[-1])
    refused_with(hold_from_new_customer(sc, starts[-1]), 409, "slot_unavailable")
    ran_out = bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, starts[-2],
                             status="held", expires_in=-5)
    r = hold_from_new_customer(sc, starts[-2])
    assert r.status_code == 201, r.text
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", ran_out) == "expired"
    assert psql("SELECT count(*) FROM reservations WHERE professional_id = :'p1' AND starts_at = :'p2'"
                " AND status = 'held'", sc.professional_id, starts[-2]) == "1"


def test_one_address_still_keeps_at_most_ten_live_holds():
    sc = bs.Scenario(Api(read_stack_env()), service=SERVICE)
    day = bs.today_plus(3)
    starts = offered(sc, day)
    customer = Api(read_stack_env())
    for start in starts[:10]:
        r = sc.hold(start, api=customer)
        assert r.status_code == 201, r.text
    r = sc.hold(starts[10], api=customer)
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_requests", r.text
    assert int(r.headers["Retry-After"]) > 0
