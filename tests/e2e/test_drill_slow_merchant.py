"""Drill: a merchant whose endpoint answers every callback after 9 s (just inside
an attempt's 10 s timeout) while 200 callbacks are queued for it, delivered by two servers at
once. Every callback arrives exactly once (one request per delivery id: an attempt that timed
out would have been sent again), signed, every booking ends confirmed, and another tenant's
callback is not held up behind the backlog.

The 200 paid bookings are written to the database (the booking flow is tested elsewhere); their
callbacks are queued the way a merchant re-sends them, through the admin API, so each body is
the module's own. The stack's server delivers `KonfirmadoCallbackConcurrency` (default 8) of one
tenant at a time; the second server is set to 32, so the backlog drains 40 at a time.

And a business deleted while its slow merchant still answers: the deletion and the job's
record of the answers do not deadlock."""
import os
import time

from conftest import Api, _PsqlSession, psql, read_stack_env, render_conf, start_extra_httpd
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for
from test_payments_flow import Flow

CALLBACKS = 200
ANSWER_AFTER = 9


def paid_bookings(shop, n):
    """n paid bookings of the shop's service, 30 minutes apart from 30 days out."""
    out = psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, customer_name, customer_email, customer_phone, accepted_terms_at,
            charge_type, charge_amount, currency)
        SELECT :'p1', :'p2', :'p3', 'paid', s, s + interval '30 minutes',
               tstzrange(s, s + interval '30 minutes'), 'Cliente ' || i, 'cliente' || i || '@example.com',
               '+573001234567', now(), 'free', 0, 'COP'
        FROM generate_series(1, :'p4'::int) i,
             LATERAL (SELECT date_trunc('day', now()) + interval '30 days'
                             + (i * interval '30 minutes') AS s) x
        RETURNING id""", shop.tenant_id, shop.service, shop.professional, n)
    return out.split()


def test_200_callbacks_to_a_9_second_merchant_arrive_once_each(merchant, other_merchant, fakes,
                                                                 stack, api, allow_log):
    allow_log(r"callback .* attempt")
    shop = PayTenant(merchant, fakes, stack, price=0, charge_type="free")
    fakes.config("merchant", delay=ANSWER_AFTER, scope="/callback/" + shop.tenant_id)
    ids = paid_bookings(shop, CALLBACKS)
    assert len(ids) == CALLBACKS
    conf = render_conf(add=["KonfirmadoCallbackConcurrency 32"])
    with start_extra_httpd(conf) as second:
        started = time.time()
        for booking in ids:
            r = shop.api.post("/api/admin/bookings/%s/callback" % booking)
            assert r.status_code == 202, r.text
        # meanwhile another tenant's booking is confirmed by its own (fast) merchant
        fast = Flow(other_merchant, fakes, stack, api, charge="free", price=0)
        start = fast.slots()[0]["start"]
        queued = time.time()
        other = fast.book(start)
        got = wait_for(lambda: callbacks_for(fakes, fast.shop), timeout=30,
                       what="the other tenant's callback")
        assert other["id"] in got[0]["body"]
        # not behind the backlog: from its queueing to its arrival, at most what was in flight
        # then and one round more of the slow merchant's callbacks arrived (told by the order
        # of arrival, not by a clock a busy machine stretches); behind the backlog it would
        # wait for all that were still queued
        in_flight = 8 + 32
        sent_between = sum(1 for r in callbacks_for(fakes, shop)
                           if queued < r["time"] < got[0]["time"])
        assert sent_between <= 2 * in_flight, \
            "the other tenant waited behind %d of the slow merchant's callbacks" % sent_between

        wait_for(lambda: int(psql(
            "SELECT count(*) FROM reservations WHERE id = ANY(string_to_array(:'p1', ',')::uuid[])"
            " AND status = 'confirmed'", ",".join(ids))) == CALLBACKS,
            timeout=CALLBACKS * ANSWER_AFTER / 40 * 3 + 60, interval=1,
            what="every booking confirmed by its callback")
        took = time.time() - started
        # both servers took their share of the backlog
        by_second = sum(1 for l in second.error_lines() if "delivered (" in l)
        assert 0 < by_second < CALLBACKS, by_second

    got = callbacks_for(fakes, shop)
    deliveries = [r["headers"]["X-Konfirmado-Delivery"] for r in got]
    assert len(deliveries) == CALLBACKS, "%d requests for %d callbacks" % (len(deliveries), CALLBACKS)
    assert len(set(deliveries)) == CALLBACKS            # none twice
    bookings = set()
    for record in got:
        body = check_callback_signatures(record, shop.callback_secret)
        bookings.add(body["booking_id"])
    assert bookings == set(ids)
    # one attempt each, all answered 200; nothing failed, nothing waits for a retry
    rows = psql("""SELECT count(*), count(*) FILTER (WHERE a.status_code = 200)
                   FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id
                   WHERE c.tenant_id = :'p1'""", shop.tenant_id)
    assert rows == "%d|%d" % (CALLBACKS, CALLBACKS), rows
    assert psql("SELECT count(*) FROM merchant_callbacks WHERE tenant_id = :'p1'"
                " AND status <> 'delivered'", shop.tenant_id) == "0"
    print("drill: %d callbacks answered after %d s each, delivered in %.0f s" % (
        CALLBACKS, ANSWER_AFTER, took))


def test_a_business_deleted_while_its_callbacks_are_in_flight_leaves_nothing_behind(
        merchant, fakes, stack, allow_log):
    """An operator deletes a business while its merchant is still answering callbacks: the
    deletion goes through, and the job, recording the answers after it, waits for the
    deletion instead of deadlocking with it, records nothing of the business and logs no
    error."""
    allow_log(r"callback .* attempt")
    log_from = os.path.getsize(stack["KF_ERROR_LOG"])
    shop = PayTenant(merchant, fakes, stack, price=0, charge_type="free")
    fakes.config("merchant", delay=3, scope="/callback/" + shop.tenant_id)
    ids = paid_bookings(shop, 10)
    for booking in ids:
        assert shop.api.post("/api/admin/bookings/%s/callback" % booking).status_code == 202
    wait_for(lambda: int(psql("SELECT count(*) FROM merchant_callbacks WHERE tenant_id = :'p1'"
                              " AND attempts > 0", shop.tenant_id)) > 0,
             timeout=20, what="deliveries in flight")
    deleting = _PsqlSession(read_stack_env()["KF_PGURL"])
    try:
        deleting.run("BEGIN; DELETE FROM tenants WHERE id = :'p1'", [shop.tenant_id])
        time.sleep(4)   # the merchant answers meanwhile: the job records behind the deletion
        deleting.run("COMMIT", [])
    finally:
        deleting.close()
    assert psql("SELECT count(*) FROM tenants WHERE id = :'p1'", shop.tenant_id) == "0"
    # the merchant's answers came meanwhile; recording them after the deletion found nothing
    # to record, and no statement of the job was refused (a record logged after the
    # deletion's rows would be, by the attempts' foreign key)
    wait_for(lambda: len(callbacks_for(fakes, shop)) >= 1, timeout=20, what="the merchant's answers")
    time.sleep(1)
    with open(stack["KF_ERROR_LOG"], encoding="utf-8", errors="replace") as f:
        f.seek(log_from)
        refused = [line for line in f if "kf_cb_" in line]
    assert not refused, refused
