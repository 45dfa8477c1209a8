"""The merchants' figures job adds to each day's sums what changed since its last refresh
(sql/088) instead of computing the day again, and its sums stay exactly what kf_metrics_day
computes: random sequences of a business's facts over a few days (bookings paid, cancelled,
moved to another time or professional, marked then changed or undone, refunds, refunds
flagged, visits' steps, reminders, incidents, latencies), refreshed between batches, one fact
committed late; the dashboard's read adds the changes not yet refreshed. And a refresh
after a few new bookings reads a small part of what computing the day reads."""
import datetime as dt
import random
import secrets
import threading
from zoneinfo import ZoneInfo

import pytest

from admin_bookings_seed import add_professional, add_service
from conftest import _PsqlSession, psql, read_stack_env

EVENTS = ["link_viewed", "slot_held", "details_entered", "payment_started", "payment_approved",
          "assistant_opened", "assistant_answered", "assistant_slot_picked"]
# the facts tables a refresh or a day's computation reads
FACTS = ("reservations", "reservation_history", "payments", "funnel_events", "booking_reminders",
         "payment_events", "callback_attempts", "merchant_callbacks", "metrics_incidents",
         "metrics_parts", "metrics_daily")


def differences(tenant, first, last, rows="metrics_daily"):
    """The rows of `rows` (metrics_daily, or the dashboard's read kf_metrics_live) that are
    not what kf_metrics_day computes for the days from `first` to `last`, and the missing."""
    have = ("SELECT * FROM metrics_daily WHERE tenant_id = :'p1' AND day BETWEEN :'p2' AND :'p3'"
            if rows == "metrics_daily" else "SELECT * FROM kf_metrics_live(:'p1', :'p2', :'p3')")
    # a day's computation a statement of its own, its day a constant (as the job's)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    want = " UNION ALL ".join("SELECT * FROM kf_metrics_day(:'p1', '%s')" % d.isoformat() for d in days)
    return psql("""
        WITH want AS (%s),
             have AS (%s)
        SELECT string_agg(x, E'\\n') FROM (
            SELECT 'extra ' || h::text AS x FROM (SELECT * FROM have EXCEPT ALL SELECT * FROM want) h
            UNION ALL
            SELECT 'missing ' || w::text FROM (SELECT * FROM want EXCEPT ALL SELECT * FROM have) w) q
        """ % (want, have), tenant, first.isoformat(), last.isoformat())


class Business:
    """A merchant's facts written straight into the database, as the flows would leave them,
    with the ids of what a later fact may change."""

    def __init__(self, merchant, rng):
        self.t, self.rng = merchant.tenant_id, rng
        self.zone = psql("SELECT timezone FROM tenants WHERE id = :'p1'", self.t)
        self.services = [add_service(merchant, currency="USD") for _ in range(2)]
        self.pros = [add_professional(merchant) for _ in range(2)]
        self.slot = 0
        self.paid, self.marked, self.payments, self.visits, self.bookings = [], [], [], [], []
        booking = self.book(None)
        self.callback = psql("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, status)"
                             " VALUES (:'p1', :'p2', '{}', 'failed') RETURNING id", self.t, booking)
        self.attempts = 0

    def today(self):
        return dt.datetime.now(ZoneInfo(self.zone)).date()

    def at(self, moment):
        return moment.isoformat() if moment else ""

    def pick(self, items):
        return self.rng.choice(items) if items else None

    def book(self, moment):
        """A booking paid (its hold, payment and visit's steps before it); `moment`: when,
        None for now."""
        self.slot += 1
        visit = self.pick(self.visits) if self.visits and self.rng.random() < 0.3 else None
        visit = visit or "inc" + secrets.token_hex(8)
        if visit not in self.visits:
            self.visits.append(visit)
        svc, pro = self.pick(self.services), self.pick(self.pros)
        currency, amount = self.pick(["USD", "EUR"]), self.rng.randrange(1000, 9000)
        booking = psql("""
            WITH m AS (SELECT COALESCE(NULLIF(:'p5', '')::timestamptz, now()) AS at),
            r AS (INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                      ends_at, blocked, customer_name, customer_email, accepted_terms_at, charge_type,
                      charge_amount, currency, created_at)
                  SELECT :'p1', :'p2', :'p3', 'paid', s, s + interval '1 hour',
                         tstzrange(s, s + interval '1 hour'), 'Cliente Suma', 'suma@example.com', m.at,
                         'total', :'p6', :'p7', m.at - interval '10 minutes'
                    FROM m, (SELECT now() + interval '2 days' + make_interval(hours => 2 * :'p4'::int) AS s) x
                  RETURNING id),
            h AS (INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason,
                                                   created_at)
                  SELECT r.id, :'p1'::uuid, 'held', 'pending_payment', NULL, m.at - interval '5 minutes' FROM r, m
                  UNION ALL SELECT r.id, :'p1'::uuid, 'pending_payment', 'paid', 'payment_approved', m.at FROM r, m),
            p AS (INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,
                                        currency, status, approved_at, created_at)
                  SELECT :'p1', r.id, 'stripe', 'test', 'inc-' || r.id, :'p6', :'p7', 'approved', m.at,
                         m.at - interval '5 minutes' FROM r, m),
            f AS (INSERT INTO funnel_events (tenant_id, reservation_id, event, visit_id, created_at)
                  SELECT :'p1'::uuid, NULL::uuid, 'link_viewed', :'p8', m.at - interval '20 minutes' FROM m
                  UNION ALL SELECT :'p1'::uuid, r.id, 'slot_held', :'p8', m.at - interval '15 minutes' FROM r, m
                  UNION ALL SELECT :'p1'::uuid, r.id, 'payment_started', NULLIF(:'p9', ''),
                                   m.at - interval '5 minutes' FROM r, m
                  UNION ALL SELECT :'p1'::uuid, r.id, 'payment_approved', :'p8', m.at FROM r, m)
            SELECT id FROM r""", self.t, svc, pro, self.slot, self.at(moment), amount, currency, visit,
                       "" if self.rng.random() < 0.5 else visit)
        self.paid.append(booking)
        self.bookings.append(booking)
        self.payments.append(psql("SELECT id FROM payments WHERE reservation_id = :'p1'", booking))
        return booking

    def move(self, booking, to, reason, moment=None, **sets):
        setting = "".join(", %s = %s" % kv for kv in sets.items())
        psql("""
            WITH r AS (SELECT status FROM reservations WHERE id = :'p1'),
            u AS (UPDATE reservations SET status = :'p2'%s WHERE id = :'p1' RETURNING id)
            INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason, created_at)
            SELECT :'p1', :'p3', r.status, :'p2', NULLIF(:'p4', ''),
                   COALESCE(NULLIF(:'p5', '')::timestamptz, now()) FROM r""" % setting,
             booking, to, self.t, reason, self.at(moment))

    # ---- the facts a batch is made of ----

    def cancel(self):
        b = self.pick(self.paid)
        if b:
            self.paid.remove(b)
            by = self.pick(["'customer'", "'merchant'", "NULL"])
            self.move(b, "cancelled", "cancelled", cancelled_by=by)
            if self.rng.random() < 0.5:
                psql("UPDATE payments SET refund_needed = true, flag_reason = 'cancelled', updated_at = now()"
                     " WHERE reservation_id = :'p1'", b)

    def reschedule(self):
        b = self.pick(self.paid)
        if b:
            self.slot += 1
            pro = self.pick(self.pros)
            psql("UPDATE reservations SET starts_at = now() + interval '2 days' + make_interval(hours => 2 * :'p2'::int),"
                 " ends_at = now() + interval '2 days 1 hour' + make_interval(hours => 2 * :'p2'::int),"
                 " blocked = tstzrange(now() + interval '2 days' + make_interval(hours => 2 * :'p2'::int),"
                 "                     now() + interval '2 days 1 hour' + make_interval(hours => 2 * :'p2'::int)),"
                 " professional_id = :'p3' WHERE id = :'p1'", b, self.slot, pro)
            self.move(b, "paid", "rescheduled")

    def mark(self):
        b = self.pick(self.paid)
        if b:
            self.paid.remove(b)
            self.marked.append(b)
            self.move(b, self.pick(["completed", "no_show"]), "marked")

    def change_mark(self):
        b = self.pick(self.marked)
        if b:
            now = psql("SELECT status FROM reservations WHERE id = :'p1'", b)
            if self.rng.random() < 0.5:
                self.move(b, "no_show" if now == "completed" else "completed", "mark_changed")
            else:
                self.marked.remove(b)
                self.paid.append(b)
                self.move(b, "paid", "mark_undone")

    def remark(self):
        """A mark taken back, then another one: the new one stands, on its own day."""
        b = self.pick(self.marked)
        if b:
            self.move(b, "paid", "mark_undone")
            self.move(b, self.pick(["completed", "no_show"]), "marked")

    def refund(self):
        p = self.pick(self.payments)
        if p:
            psql("UPDATE payments SET refund_status = :'p2', refund_amount = greatest(amount / 2, 1),"
                 " refunded_at = now(), updated_at = now() WHERE id = :'p1' AND refunded_at IS NULL",
                 p, self.pick(["succeeded", "manual", "pending"]))

    def step(self):
        v = self.pick(self.visits)
        if v:
            booking = self.pick(self.bookings) if self.rng.random() < 0.3 else ""
            psql("INSERT INTO funnel_events (tenant_id, reservation_id, event, visit_id)"
                 " VALUES (:'p1', NULLIF(:'p2', '')::uuid, :'p3', :'p4')", self.t, booking,
                 self.pick(EVENTS), v)

    def lone_step(self):
        psql("INSERT INTO funnel_events (tenant_id, event) VALUES (:'p1', :'p2')", self.t, self.pick(EVENTS))

    def reminder(self):
        b = self.pick(self.paid + self.marked)
        if b:
            psql("INSERT INTO booking_reminders (reservation_id, lead_minutes, starts_at)"
                 " SELECT id, :'p2', starts_at FROM reservations WHERE id = :'p1' ON CONFLICT DO NOTHING",
                 b, self.rng.choice([60, 1440, 30]))

    def incident(self):
        psql("INSERT INTO metrics_incidents (tenant_id, professional_id, kind, count)"
             " VALUES (:'p1', NULLIF(:'p2', '')::uuid, :'p3', :'p4')", self.t,
             self.pick(self.pros + [""]), self.pick(["rate_limited", "calendar_failure", "oauth_failure"]),
             self.rng.randrange(1, 4))

    def latency(self):
        self.attempts += 1
        psql("INSERT INTO payment_events (provider, event_key, tenant_id, source, raw_body, result, processing_us)"
             " VALUES ('wompi', :'p1', :'p2', 'webhook', '{}', 'ignored', :'p3')",
             secrets.token_hex(8), self.t, self.rng.randrange(500, 20000))
        psql("INSERT INTO callback_attempts (callback_id, attempt, latency_ms, error)"
             " VALUES (:'p1', :'p2', :'p3', 'timeout')", self.callback, self.attempts, self.rng.randrange(5, 900))

    def batch(self, size):
        facts = [lambda: self.book(None), self.cancel, self.reschedule, self.mark, self.change_mark,
                 self.change_mark, self.remark, self.refund, self.step, self.step, self.lone_step, self.reminder,
                 self.incident, self.latency]
        for _ in range(size):
            self.rng.choice(facts)()

    def refresh(self, slack="0", shared=False):
        """The job's refresh of this business; no margin unless asked: what keeps the sums
        exact is the design, not the margin. `shared`: as the job runs it, with the batch's
        shared read of history, reminders and callback attempts staged first."""
        if not shared:
            return psql("SELECT kf_metrics_refresh(:'p1', now(), :'p2'::interval)", self.t, slack)
        since = psql("SELECT reread_from FROM metrics_daily_marks WHERE tenant_id = :'p1'", self.t)
        run = psql("SELECT kf_metrics_stage_shares(ARRAY[:'p1'::uuid], :'p2')", self.t, since)
        return psql("SELECT kf_metrics_refresh(:'p1', now(), :'p2'::interval, :'p3', :'p4')",
                    self.t, slack, since, run)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sums_stay_what_each_day_computes_whatever_happens(merchant, seed):
    rng = random.Random(seed)
    shop = Business(merchant, rng)
    tz = ZoneInfo(shop.zone)
    today = shop.today()
    first, last = today - dt.timedelta(days=4), today + dt.timedelta(days=1)
    # the days before: bookings paid then, computed from every fact
    for back in (3, 2, 1):
        day = today - dt.timedelta(days=back)
        for hour in (9, 13, 18):
            booking = shop.book(dt.datetime.combine(day, dt.time(hour), tz))
            if hour == 9:   # marked that evening: a change today moves it to today's row
                shop.paid.remove(booking)
                shop.marked.append(booking)
                shop.move(booking, rng.choice(["completed", "no_show"]), "marked",
                          dt.datetime.combine(day, dt.time(20), tz))
    psql("SELECT kf_metrics_recompute(:'p1')", shop.t)
    shop.refresh()
    assert differences(shop.t, first, last) == ""
    for n in range(8):
        shop.batch(12)
        # the dashboard, before the job: the kept sums with what changed since added
        assert differences(shop.t, first, last, rows="live") == "", "batch %d, live" % n
        shop.refresh(shared=n % 2 == 1)
        assert differences(shop.t, first, last) == "", "batch %d" % n
        if n % 3 == 2:
            # nothing new: a refresh changes nothing and reads no row as changed
            assert shop.refresh() == "0"


def test_a_fact_committed_after_a_refresh_that_began_before_it_counts_once(merchant):
    """A transaction opened before a refresh writes a booking's cancellation and a visit's
    step dated at its start, and commits after the refresh: the next refresh counts them
    (once), though they are dated before the mark, with no margin at all."""
    shop = Business(merchant, random.Random(7))
    today = shop.today()
    first, last = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    for _ in range(3):
        shop.book(None)
    psql("SELECT kf_metrics_recompute(:'p1')", shop.t)
    shop.refresh()
    booking, visit = shop.paid[0], shop.visits[0]
    late = _PsqlSession(read_stack_env()["KF_PGURL"])
    try:
        late.run("BEGIN; SELECT now()", [])
        late.run("""
            UPDATE reservations SET status = 'cancelled', cancelled_by = 'customer' WHERE id = :'p1';
            INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason)
            VALUES (:'p1', :'p2', 'paid', 'cancelled', 'cancelled_by_customer');
            INSERT INTO funnel_events (tenant_id, event, visit_id) VALUES (:'p2', 'assistant_opened', :'p3')""",
                 [booking, shop.t, visit])
        shop.batch(3)
        shop.refresh()
        assert differences(shop.t, first, last) == ""
        late.run("COMMIT", [])
    finally:
        late.close()
    day = psql("SELECT sum(cancelled_customer) || ',' || sum(assistant_opened) FROM kf_metrics_day(:'p1', :'p2')",
               shop.t, today.isoformat())
    assert day == "1,1"
    assert differences(shop.t, first, last, rows="live") == ""
    shop.refresh()
    assert differences(shop.t, first, last) == ""
    assert psql("SELECT sum(cancelled_customer) || ',' || sum(assistant_opened) FROM metrics_daily"
                " WHERE tenant_id = :'p1' AND day = :'p2'", shop.t, today.isoformat()) == "1,1"
    shop.refresh()
    assert differences(shop.t, first, last) == ""


def test_a_recompute_asked_during_a_refresh_waits_for_it_and_still_stands(merchant):
    """The job computes a new business's days (its mark not yet committed) when an operator,
    who wrote rows with past times, asks for its days computed again: the request waits for
    the run and then takes its mark away, so the next refresh reads every fact; it does not
    add only what changed since the run, which read the facts before those rows."""
    shop = Business(merchant, random.Random(13))
    psql("SELECT kf_metrics_recompute(:'p1')", shop.t)
    job = _PsqlSession(read_stack_env()["KF_PGURL"])
    asked = []
    try:
        job.run("BEGIN; SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", [shop.t])
        yesterday = shop.today() - dt.timedelta(days=1)
        shop.book(dt.datetime.combine(yesterday, dt.time(12), ZoneInfo(shop.zone)))
        operator = threading.Thread(target=lambda: asked.append(
            psql("SELECT kf_metrics_recompute(:'p1')", shop.t)))
        operator.start()
        operator.join(1.0)
        assert operator.is_alive(), "the recompute did not wait for the refresh under way"
        job.run("COMMIT", [])
        operator.join(30)
    finally:
        job.close()
    assert asked == [""]
    shop.refresh()
    assert differences(shop.t, yesterday, shop.today()) == ""
    assert psql("SELECT sum(bookings) FROM metrics_daily WHERE tenant_id = :'p1' AND day = :'p2'",
                shop.t, yesterday.isoformat()) == "1"


def rows_read(tenant, statement, *params):
    """The rows `statement` reads from the facts and the figures' tables (sequential scans'
    and index fetches'), counted by PostgreSQL for its transaction."""
    # a session of its own: a backend's counts of earlier transactions may not be flushed yet
    session = _PsqlSession(read_stack_env()["KF_PGURL"])
    try:
        out = session.run("""
            BEGIN;
            %s;
            SELECT sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)) FROM pg_stat_xact_user_tables
             WHERE relname IN (%s);
            COMMIT""" % (statement, ",".join("'%s'" % t for t in FACTS)), [tenant, *params])
    finally:
        session.close()
    return int(out.splitlines()[-1])


def busy_zone():
    """A zone where it is between 09:00 and 21:00 now, so that today has hours behind it."""
    for zone in ("America/Bogota", "Europe/Madrid", "Asia/Kolkata", "Asia/Tokyo", "Pacific/Kiritimati",
                 "Pacific/Honolulu", "America/Los_Angeles"):
        if 9 <= dt.datetime.now(ZoneInfo(zone)).hour < 21:
            return zone
    raise AssertionError("no zone in daytime")


def test_a_refresh_after_a_few_bookings_reads_a_small_part_of_the_day(merchant):
    """A business with 3,000 bookings today (paid over the hours before, with their history,
    payments and visits' steps): after five more, the job's refresh of it reads a small part
    of what computing the day reads, and the dashboard's read of today says what it says.
    The refresh is measured as the job runs it: the batch's shared read of reminders and
    callback attempts staged before it."""
    zone = busy_zone()
    psql("UPDATE tenants SET timezone = :'p1' WHERE id = :'p2'", zone, merchant.tenant_id)
    shop = Business(merchant, random.Random(11))
    tz = ZoneInfo(zone)
    now = dt.datetime.now(tz)
    midnight = dt.datetime.combine(now.date(), dt.time(0), tz)
    psql("""
        WITH r AS (
            INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at, ends_at,
                                      blocked, customer_name, customer_email, charge_type, charge_amount,
                                      currency, created_at)
            SELECT :'p1', :'p2', :'p3', 'paid', s, s + interval '1 hour', tstzrange(s, s + interval '1 hour'),
                   'Cliente Día', 'dia@example.com', 'total', 5000, 'USD', at - interval '10 minutes'
              FROM generate_series(1, 3000) i,
                   LATERAL (SELECT now() + interval '30 days' + make_interval(hours => i) AS s,
                                   :'p4'::timestamptz + (:'p5'::timestamptz - :'p4'::timestamptz) * i / 3001 AS at) x
            RETURNING id, created_at + interval '10 minutes' AS at),
        h AS (INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason, created_at)
              SELECT id, :'p1', 'pending_payment', 'paid', 'payment_approved', at FROM r),
        p AS (INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount, currency,
                                    status, approved_at)
              SELECT :'p1', id, 'stripe', 'test', 'day-' || id, 5000, 'USD', 'approved', at FROM r)
        INSERT INTO funnel_events (tenant_id, reservation_id, event, visit_id, created_at)
        SELECT :'p1', id, e, 'day' || replace(id::text, '-', ''), at - interval '1 minute'
          FROM r, unnest(ARRAY['link_viewed', 'slot_held', 'payment_approved']) e""",
         shop.t, shop.services[0], shop.pros[0], midnight.isoformat(),
         (now - dt.timedelta(minutes=30)).isoformat())
    # every table the refresh reads, not only the ones written here: a table that grew since
    # autovacuum's last look (the suite's webhooks, incidents) would be planned as one
    # business's and read whole
    psql("ANALYZE " + ", ".join(FACTS))
    psql("SELECT kf_metrics_recompute(:'p1')", shop.t)
    shop.refresh(slack="10 minutes")
    today = now.date().isoformat()
    whole = rows_read(shop.t, "SELECT count(*) FROM kf_metrics_day(:'p1', :'p2')", today)
    assert whole > 3000
    for _ in range(5):
        shop.book(None)
    assert differences(shop.t, now.date(), now.date(), rows="live") == ""
    since = psql("SELECT reread_from FROM metrics_daily_marks WHERE tenant_id = :'p1'", shop.t)
    run = psql("SELECT kf_metrics_stage_shares(ARRAY[:'p1'::uuid], :'p2')", shop.t, since)
    refresh = rows_read(shop.t, "SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes', :'p2', :'p3')",
                        since, run)
    assert refresh < whole / 20, (refresh, whole)
    assert differences(shop.t, now.date(), now.date()) == ""
    assert psql("SELECT sum(bookings) FROM metrics_daily WHERE tenant_id = :'p1' AND day = :'p2'",
                shop.t, today) == "3006"


def test_the_dashboard_reads_its_own_reminders_and_attempts_not_a_neighbours(merchant):
    """Another business sent 3,000 reminders and made 3,000 callback attempts in the last
    minutes: this business's dashboard read, and its refresh called alone (no batch's shared
    read), read its own (sql/090), not the neighbour's."""
    shop = Business(merchant, random.Random(5))
    shop.book(None)
    shop.refresh(slack="10 minutes")
    neighbour = psql("""
        WITH t AS (INSERT INTO tenants (name, subdomain, country, timezone, currency)
                   VALUES ('Vecina', :'p1', 'CO', 'America/Bogota', 'COP') RETURNING id),
        s AS (INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount, currency,
                                    charge_type, deposit_percent, slot_interval_minutes, buffer_before_minutes,
                                    buffer_after_minutes, min_notice_minutes, horizon_days)
              SELECT id, 'Consulta', 'Una consulta', 30, 1000, 'COP', 'total', 25, 30, 0, 0, 0, 60 FROM t
              RETURNING id, tenant_id),
        p AS (INSERT INTO professionals (tenant_id, name, description, timezone)
              SELECT id, 'Vecino', 'Profesional vecino', 'America/Bogota' FROM t RETURNING id)
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at, ends_at, blocked)
        SELECT s.tenant_id, s.id, p.id, 'paid', at, at + interval '30 minutes', tstzrange(at, at + interval '30 minutes')
          FROM s, p, generate_series(1, 3000) i,
               LATERAL (SELECT now() + interval '1 day' + i * interval '30 minutes' AS at) x
        RETURNING tenant_id""", "vecina-" + secrets.token_hex(4)).splitlines()[0]
    # each written as an older module writes them: their business filled from their booking
    psql("INSERT INTO booking_reminders (reservation_id, lead_minutes, starts_at)"
         " SELECT id, 1440, starts_at FROM reservations WHERE tenant_id = :'p1'", neighbour)
    psql("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, status, delivered_at)"
         " SELECT tenant_id, id, '{}', 'delivered', now() FROM reservations WHERE tenant_id = :'p1'", neighbour)
    psql("INSERT INTO callback_attempts (callback_id, attempt, status_code, latency_ms)"
         " SELECT id, 1, 200, 40 FROM merchant_callbacks WHERE tenant_id = :'p1'", neighbour)
    assert psql("SELECT (SELECT count(*) FROM booking_reminders WHERE tenant_id = :'p1') || ','"
                " || (SELECT count(*) FROM callback_attempts WHERE tenant_id = :'p1')", neighbour) == "3000,3000"
    psql("ANALYZE booking_reminders, callback_attempts, merchant_callbacks")
    today = shop.today()
    live = rows_read(shop.t, "SELECT count(*) FROM kf_metrics_live(:'p1', :'p2', :'p2')", today.isoformat())
    alone = rows_read(shop.t, "SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')")
    assert live < 1000 and alone < 1000, (live, alone)
    assert differences(shop.t, today, today, rows="live") == ""
    assert differences(shop.t, today, today) == ""
    psql("DELETE FROM tenants WHERE id = :'p1'", neighbour)
