"""GET /api/admin/metrics over a merchant's 120-day history (tests/e2e/metrics_history.py):
what 7, 30 and 90 days and the periods before them say, their trends, the no-show rate with
and without a reminder, cancellations by whom, the filters; that a range is read from the
daily rows the metrics job keeps (one row per day, service and professional), not from the
facts; a day of 25 hours in a zone with summer time; the 429s of the tenant's public pages,
counted in memory and written by the job; calendar failures and OAuth failures."""
import datetime as dt
import json
import secrets
from zoneinfo import ZoneInfo

import pytest

from admin_bookings_seed import add_booking, add_history, add_professional, add_service
from booking_seed import link
from conftest import Api, _PsqlSession, psql, read_stack_env, render_conf, seed_merchant, start_extra_httpd
from metrics_history import History
from payments_helpers import wait_for

JOB_SECONDS = 30   # the metrics job runs every 2 s in the test stack (KonfirmadoMetricsInterval)
ZONE = "Europe/Madrid"


@pytest.fixture(scope="module")
def shop(stack):
    """A merchant with two services, two professionals and 120 days of history, whose days
    the metrics job has computed; meanwhile its public pages were refused 4 times on a
    server that allows 3 reads a minute."""
    merchant = seed_merchant(stack, business="Clínica Historia")
    services = [add_service(merchant, currency="USD", price=10000) for _ in range(2)]
    pros = [add_professional(merchant, zone=ZONE) for _ in range(2)]
    subdomain = "hist" + secrets.token_hex(4)
    psql("UPDATE tenants SET subdomain = :'p1' WHERE id = :'p2'", subdomain, merchant.tenant_id)
    history = History(merchant.tenant_id, ZONE, services, pros)
    history.write()
    slug = link(merchant.tenant_id)
    with start_extra_httpd(render_conf(add=["KonfirmadoPublicReadLimit 3"])) as strict:
        public = strict.api().tenant(subdomain)
        answers = [public.get("/api/public/links/" + slug).status_code for _ in range(7)]
        assert answers.count(429) == 4, answers
        # the three that were answered are views of today, of visits that only looked
        history.lookers += [("", dt.datetime.now(ZoneInfo(ZONE)))] * answers.count(200)
        # the job (of either server) writes the counts and computes every day of the tenant
        wait_for(lambda: psql("SELECT count(*) FROM metrics_daily_marks WHERE tenant_id = :'p1'",
                              merchant.tenant_id) == "1"
                 and psql("SELECT coalesce(sum(count), 0) FROM metrics_incidents WHERE tenant_id = :'p1'"
                          " AND kind = 'rate_limited'", merchant.tenant_id) == "4",
                 timeout=JOB_SECONDS, interval=1, what="the metrics job")
    merchant.history, merchant.services, merchant.pros = history, services, pros
    yield merchant
    merchant.api.session.close()


def day(text):
    return dt.date.fromisoformat(text)


def metrics(merchant, **params):
    r = merchant.api.get("/api/admin/metrics", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def trend(current, previous):
    return None if previous == 0 else round((current - previous) / previous * 100, 1)


def assert_figures(m, want):
    assert sum(d["count"] for d in m["bookings_per_day"]) == want["bookings"]
    assert m["revenue"] == ([{"amount": want["revenue"], "currency": "USD"}] if want["revenue"] else [])
    assert m["funnel"]["link_viewed"] == want["link_viewed"]
    assert m["funnel"]["slot_held"] == want["slot_held"]
    assert (m["completed"], m["no_shows"]) == (want["completed"], want["no_shows"])
    marked = want["completed"] + want["no_shows"]
    assert m["no_show_rate"] == (pytest.approx(want["no_shows"] / marked) if marked else None)
    assert m["cancellations_by"] == want["cancellations_by"]
    assert m["cancellations"] == sum(want["cancellations_by"].values())
    assert m["reschedules"] == want["reschedules"]
    assert m["reminders"]["sent"] == want["reminders"]
    reminded = want["completed_reminded"] + want["no_shows_reminded"]
    assert m["reminders"]["no_show_rate_reminded"] == (
        pytest.approx(want["no_shows_reminded"] / reminded) if reminded else None)
    alone = marked - reminded
    assert m["reminders"]["no_show_rate_not_reminded"] == (
        pytest.approx((want["no_shows"] - want["no_shows_reminded"]) / alone) if alone else None)
    if want["bookings"]:
        assert m["lead_time_hours_p50"] == 26.0 and m["lead_time_hours_avg"] == 26.0
    per_day = {d["date"]: d["count"] for d in m["bookings_per_day"]}
    assert {k: v for k, v in per_day.items() if v} == {d.isoformat(): n for d, n in want["per_day"].items() if n}


@pytest.mark.parametrize("period,days", [("7d", 7), ("30d", 30), ("90d", 90)])
def test_periods_their_previous_period_and_trends(shop, period, days):
    m = metrics(shop, period=period)
    to = day(m["to"])
    first = to - dt.timedelta(days=days - 1)
    assert (day(m["from"]), len(m["bookings_per_day"])) == (first, days)
    now = shop.history.expected(first, to)
    before = shop.history.expected(first - dt.timedelta(days=days), first - dt.timedelta(days=1))
    assert now["bookings"] > 0 and before["bookings"] > 0
    assert_figures(m, now)
    assert_figures(m["previous"], before)
    assert m["trend"]["bookings"] == trend(now["bookings"], before["bookings"])
    assert m["trend"]["revenue"] == trend(now["revenue"], before["revenue"])
    assert m["trend"]["no_shows"] == trend(now["no_shows"], before["no_shows"])
    assert m["trend"]["cancellations"] == trend(sum(now["cancellations_by"].values()),
                                                sum(before["cancellations_by"].values()))


def test_the_no_show_rate_with_and_without_a_reminder(shop):
    m = metrics(shop, period="90d")
    rem = m["reminders"]
    # the history has both: appointments reminded and not, missed and not
    assert rem["no_show_rate_reminded"] is not None and rem["no_show_rate_not_reminded"] is not None
    assert m["no_shows"] > 0 and m["completed"] > m["no_shows"]


@pytest.mark.parametrize("which", ["service", "professional"])
def test_a_filter_keeps_its_bookings_visits_and_money(shop, which):
    m_all = metrics(shop, period="90d")
    first, to = day(m_all["from"]), day(m_all["to"])
    parts = shop.services if which == "service" else shop.pros
    seen = []
    for part in parts:
        m = metrics(shop, period="90d", **{which: part})
        want = shop.history.expected(first, to, **{which: part})
        assert_figures(m, want)
        seen.append(sum(d["count"] for d in m["bookings_per_day"]))
    # the parts make the whole; the visits that only looked belong to neither
    assert sum(seen) == sum(d["count"] for d in m_all["bookings_per_day"])
    other = metrics(shop, period="90d", **{which: "6f1c2a9e-1b2c-4d3e-8f90-0a1b2c3d4e5f"})
    assert sum(d["count"] for d in other["bookings_per_day"]) == 0 and other["revenue"] == []


def test_a_range_is_read_from_the_daily_rows(shop):
    """At most one row per day for each service and professional; what the endpoint shows of
    a past day is that row (changed here behind the job's back), not the facts."""
    per_series = psql("""SELECT max(n) FROM (SELECT count(*) AS n FROM metrics_daily
                         WHERE tenant_id = :'p1' AND day > current_date - 90
                         GROUP BY service_id, professional_id) x""", shop.tenant_id)
    assert 0 < int(per_series) <= 90
    m = metrics(shop, period="90d")
    busy = next(d for d in m["bookings_per_day"] if d["count"] > 0 and d["date"] != m["to"])
    psql("UPDATE metrics_daily SET bookings = bookings + 1000 WHERE ctid = (SELECT ctid FROM metrics_daily"
         " WHERE tenant_id = :'p1' AND day = :'p2' AND bookings > 0 LIMIT 1)", shop.tenant_id, busy["date"])
    try:
        again = {d["date"]: d["count"] for d in metrics(shop, period="90d")["bookings_per_day"]}
        assert again[busy["date"]] == busy["count"] + 1000
    finally:
        psql("UPDATE metrics_daily SET bookings = bookings - 1000 WHERE tenant_id = :'p1' AND bookings >= 1000",
             shop.tenant_id)


def test_refused_requests_count_for_their_day(shop):
    m = metrics(shop, period="7d")
    assert m["rate_limited"] == 4
    assert m["previous"]["rate_limited"] == 0 and m["trend"]["rate_limited"] is None
    # the tenant's figure whatever the filter
    assert metrics(shop, period="7d", service=shop.services[0])["rate_limited"] == 4


def last_day_of(zone, hours, before):
    """The last day before `before` that is `hours` hours long in `zone`."""
    tz = ZoneInfo(zone)
    d = before
    while True:
        d -= dt.timedelta(days=1)
        start = dt.datetime.combine(d, dt.time(0), tz)
        end = dt.datetime.combine(d + dt.timedelta(days=1), dt.time(0), tz)
        if (end.astimezone(dt.timezone.utc) - start.astimezone(dt.timezone.utc)).total_seconds() == hours * 3600:
            return d


@pytest.mark.parametrize("zone,hours", [("America/New_York", 25), ("America/New_York", 23),
                                        ("Europe/Madrid", 25), ("Europe/Madrid", 23)])
def test_a_day_of_23_or_25_hours_is_one_day_of_the_tenant(stack, zone, hours):
    """Bookings paid at 00:30 and 23:30 of the day the clocks change count on it, one at
    00:30 the next day on the next; the daily rows say the same."""
    merchant = seed_merchant(stack, business="Clínica Horario")
    psql("UPDATE tenants SET timezone = :'p1', currency = 'USD' WHERE id = :'p2'", zone, merchant.tenant_id)
    service, pro = add_service(merchant, currency="USD", price=5000), add_professional(merchant, zone=zone)
    change = last_day_of(zone, hours, dt.datetime.now(ZoneInfo(zone)).date())
    tz = ZoneInfo(zone)
    paid_times = [dt.datetime.combine(change, dt.time(0, 30), tz),
                  dt.datetime.combine(change, dt.time(23, 30), tz),
                  dt.datetime.combine(change + dt.timedelta(days=1), dt.time(0, 30), tz)]
    for paid in paid_times:
        booking = add_booking(merchant, service, pro, (paid + dt.timedelta(days=2)).isoformat(),
                              status="paid", created_at=paid.isoformat())
        add_history(booking, "pending_payment", "paid", "payment_approved", at=paid.isoformat())
    params = {"from": change.isoformat(), "to": (change + dt.timedelta(days=1)).isoformat()}
    # what the job runs for a tenant whose days were never computed (rows written with past
    # times are not "since the last run")
    psql("SELECT kf_metrics_recompute(:'p1')", merchant.tenant_id)
    psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", merchant.tenant_id)
    rows = psql("SELECT string_agg(day || ':' || bookings, ',' ORDER BY day) FROM metrics_daily"
                " WHERE tenant_id = :'p1'", merchant.tenant_id)
    assert rows == "%s:2,%s:1" % (change.isoformat(), (change + dt.timedelta(days=1)).isoformat())
    m = metrics(merchant, **params)
    assert [(d["date"], d["count"]) for d in m["bookings_per_day"]] == [
        (change.isoformat(), 2), ((change + dt.timedelta(days=1)).isoformat(), 1)]


def test_calendar_and_oauth_failures_count_per_professional(merchant):
    a, b = add_professional(merchant), add_professional(merchant)
    psql("""INSERT INTO metrics_incidents (tenant_id, professional_id, kind)
            VALUES (:'p1', :'p2', 'calendar_failure'), (:'p1', :'p2', 'calendar_failure'),
                   (:'p1', :'p3', 'oauth_failure')""", merchant.tenant_id, a, b)
    m = metrics(merchant, period="7d")
    assert (m["calendar_failures"], m["oauth_failures"]) == (2, 1)
    m = metrics(merchant, period="7d", professional=a)
    assert (m["calendar_failures"], m["oauth_failures"]) == (2, 0)
    assert m["assistant"] == {"opened": 0, "answered": 0, "slot_picked": 0}


def test_the_job_computes_again_only_the_days_a_new_fact_touches(merchant):
    """A visit looked two days ago and holds a time of a service today: the day it looked is
    computed again (its view now belongs to that service); a day nothing touched keeps its
    row as it was (here changed behind the job's back, so that it shows)."""
    service, pro = add_service(merchant), add_professional(merchant)
    zone = psql("SELECT timezone FROM tenants WHERE id = :'p1'", merchant.tenant_id)
    today = dt.datetime.now(ZoneInfo(zone)).date()
    looked, quiet = today - dt.timedelta(days=2), today - dt.timedelta(days=5)
    visit = "incr" + secrets.token_hex(8)
    at = lambda d: dt.datetime.combine(d, dt.time(12), ZoneInfo(zone)).isoformat()  # noqa: E731
    psql("INSERT INTO funnel_events (tenant_id, event, visit_id, created_at)"
         " VALUES (:'p1', 'link_viewed', :'p2', :'p3'), (:'p1', 'link_viewed', NULL, :'p4')",
         merchant.tenant_id, visit, at(looked), at(quiet))
    psql("SELECT kf_metrics_recompute(:'p1')", merchant.tenant_id)
    psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", merchant.tenant_id)
    psql("UPDATE metrics_daily SET link_viewed = 40 WHERE tenant_id = :'p1' AND day = :'p2'",
         merchant.tenant_id, quiet.isoformat())
    params = {"from": quiet.isoformat(), "to": today.isoformat()}
    assert metrics(merchant, service=service, **params)["funnel"]["link_viewed"] == 0
    # today the visit holds a time of the service
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    booking = add_booking(merchant, service, pro, start.isoformat(), status="held")
    psql("INSERT INTO funnel_events (tenant_id, reservation_id, event, visit_id)"
         " VALUES (:'p1', :'p2', 'slot_held', :'p3')", merchant.tenant_id, booking, visit)
    # since the mark: today, and the day of the visit's view; not the quiet day
    days = psql("SELECT string_agg(d::text, ',' ORDER BY d) FROM kf_metrics_touched(:'p1',"
                " (SELECT through - interval '10 minutes' FROM metrics_daily_marks WHERE tenant_id = :'p1')) d",
                merchant.tenant_id)
    assert days == "%s,%s" % (looked.isoformat(), today.isoformat())
    psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", merchant.tenant_id)
    mine = metrics(merchant, service=service, **params)
    assert (mine["funnel"]["link_viewed"], mine["funnel"]["slot_held"]) == (1, 1)
    every = metrics(merchant, **params)
    assert every["funnel"]["link_viewed"] == 41   # the quiet day's row, untouched, still says 40


def test_a_new_zone_has_every_day_computed_again(merchant):
    """Paid at 23:30 in Bogotá is 06:30 the next day in Madrid: once the business moves
    there, the job's rows say the next day, and nothing is left on the old one."""
    psql("UPDATE tenants SET timezone = 'America/Bogota' WHERE id = :'p1'", merchant.tenant_id)
    service, pro = add_service(merchant), add_professional(merchant)
    day = dt.datetime.now(ZoneInfo("America/Bogota")).date() - dt.timedelta(days=10)
    paid = dt.datetime.combine(day, dt.time(23, 30), ZoneInfo("America/Bogota"))
    booking = add_booking(merchant, service, pro, (paid + dt.timedelta(days=2)).isoformat(), created_at=paid.isoformat())
    add_history(booking, "pending_payment", "paid", "payment_approved", at=paid.isoformat())
    psql("SELECT kf_metrics_recompute(:'p1')", merchant.tenant_id)
    rows = lambda: psql("SELECT string_agg(day || ':' || bookings, ',' ORDER BY day) FROM metrics_daily"  # noqa: E731
                        " WHERE tenant_id = :'p1'", merchant.tenant_id)
    psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", merchant.tenant_id)
    assert rows() == "%s:1" % day.isoformat()
    psql("UPDATE tenants SET timezone = 'Europe/Madrid' WHERE id = :'p1'", merchant.tenant_id)
    psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", merchant.tenant_id)
    assert rows() == "%s:1" % (day + dt.timedelta(days=1)).isoformat()


def test_a_business_being_deleted_is_left_to_its_deletion(merchant):
    """The job meets a business whose deletion is under way: it leaves it at once (no wait
    for the deletion, no deadlock with its cascade), and a deletion undone leaves the
    business's figures to the next run as they were."""
    service, pro = add_service(merchant), add_professional(merchant)
    start = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)).replace(microsecond=0)
    booking = add_booking(merchant, service, pro, start.isoformat(), created_at=start.isoformat())
    add_history(booking, "pending_payment", "paid", "payment_approved", at=start.isoformat())
    refresh = ("BEGIN; SET LOCAL statement_timeout = '5s';"
               " SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes'); COMMIT")
    figures = lambda: psql("SELECT coalesce(sum(bookings), 0) FROM metrics_daily"  # noqa: E731
                           " WHERE tenant_id = :'p1'", merchant.tenant_id)
    psql("SELECT kf_metrics_recompute(:'p1')", merchant.tenant_id)
    assert int(psql(refresh, merchant.tenant_id)) >= 1
    assert figures() == "1"
    deleting = _PsqlSession(read_stack_env()["KF_PGURL"])
    try:
        deleting.run("BEGIN; DELETE FROM tenants WHERE id = :'p1'", [merchant.tenant_id])
        assert psql(refresh, merchant.tenant_id) == "0"
        deleting.run("ROLLBACK", [])
    finally:
        deleting.close()
    assert figures() == "1"
    psql("SELECT kf_metrics_recompute(:'p1')", merchant.tenant_id)
    assert int(psql(refresh, merchant.tenant_id)) >= 1
    assert figures() == "1"


def test_a_business_deleted_has_nothing_to_compute(stack):
    """A business gone between the job's list and its turn: nothing computed, no error."""
    gone = psql("SELECT gen_random_uuid()")
    assert psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", gone) == "0"
    assert psql("SELECT count(*) FROM metrics_daily_marks WHERE tenant_id = :'p1'", gone) == "0"


def test_a_failing_endpoints_attempts_reach_the_job_as_the_days_they_touch(merchant):
    """A merchant whose endpoint fails gets an attempt per callback and retry: the job's shared
    read hands it one per day of the business (the latest), not every attempt, and the days
    computed from them are the same."""
    zone = psql("SELECT timezone FROM tenants WHERE id = :'p1'", merchant.tenant_id)
    today = dt.datetime.now(ZoneInfo(zone)).date()
    days = [today - dt.timedelta(days=n) for n in (2, 1)]
    at = lambda d, h: dt.datetime.combine(d, dt.time(h), ZoneInfo(zone)).isoformat()  # noqa: E731
    start = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(10), ZoneInfo(zone))
    booking = add_booking(merchant, add_service(merchant), add_professional(merchant), start.isoformat())
    # failed already: the delivery job makes no attempt of its own meanwhile
    callback = psql("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, status)"
                    " VALUES (:'p1', :'p2', '{}', 'failed') RETURNING id", merchant.tenant_id, booking)
    moments = [at(d, h) for d in days for h in (1, 9, 23)]
    for n, moment in enumerate(moments, 1):
        psql("INSERT INTO callback_attempts (callback_id, attempt, latency_ms, error, at)"
             " VALUES (:'p1', :'p2', 3, 'timeout', :'p3')", callback, n, moment)
    since = at(days[0], 0)
    shared = psql("SELECT string_agg(m::text, ',' ORDER BY m) FROM kf_metrics_shared_touches("
                  "ARRAY[:'p1'::uuid], :'p2') s, unnest(s.moments) m", merchant.tenant_id, since)
    latest = psql("SELECT string_agg(m::timestamptz::text, ',' ORDER BY m::timestamptz)"
                  " FROM unnest(ARRAY[:'p1', :'p2']) m", moments[2], moments[5])
    assert shared == latest
    touched = psql("SELECT string_agg(d::text, ',' ORDER BY d) FROM kf_metrics_touched(:'p1', :'p2',"
                   " '{}', (SELECT moments FROM kf_metrics_shared_touches(ARRAY[:'p1'::uuid], :'p2')))"
                   " d WHERE d < :'p3'", merchant.tenant_id, since, today.isoformat())
    assert touched == ",".join(d.isoformat() for d in days)


def test_each_business_takes_its_share_from_the_database_and_left_shares_are_cleared(merchant):
    """The job's shared read stays in the database: each business's refresh takes its own
    share there (what crosses the wire is the run's id), and a share a failed refresh left
    behind is cleared by a later run."""
    service, pro = add_service(merchant), add_professional(merchant)
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    booking = add_booking(merchant, service, pro, start.isoformat())
    add_history(booking, "pending_payment", "paid", "payment_approved")
    left = psql("INSERT INTO metrics_shared_shares (run, tenant_id, bookings, moments, staged_at)"
                " VALUES (gen_random_uuid(), :'p1', '{}', '{}', now() - interval '2 hours')"
                " RETURNING run", merchant.tenant_id)
    since = psql("SELECT now() - interval '1 hour'")
    run = psql("SELECT kf_metrics_stage_shares(ARRAY[:'p1'::uuid], :'p2')", merchant.tenant_id, since)
    assert psql("SELECT count(*) FROM metrics_shared_shares WHERE run = :'p1'", left) == "0"
    assert psql("SELECT :'p1' = ANY (bookings) FROM metrics_shared_shares"
                " WHERE run = :'p2' AND tenant_id = :'p3'", booking, run, merchant.tenant_id) == "t"
    psql("SELECT kf_metrics_recompute(:'p1')", merchant.tenant_id)
    assert int(psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes', :'p2', :'p3')",
                    merchant.tenant_id, since, run)) >= 1
    assert psql("SELECT count(*) FROM metrics_shared_shares WHERE run = :'p1'", run) == "0"
    booked = psql("SELECT coalesce(sum(bookings), 0) FROM metrics_daily WHERE tenant_id = :'p1'",
                  merchant.tenant_id)
    assert booked == "1"


def history_rows_read(plan):
    """The rows a plan (EXPLAIN ANALYZE, JSON) read from reservation_history: those it kept
    and those its filters and rechecks threw away, over every loop."""
    read = 0
    if plan.get("Relation Name") == "reservation_history":
        loops = plan.get("Actual Loops", 1)
        read += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
                 + plan.get("Rows Removed by Index Recheck", 0)) * loops
    return read + sum(history_rows_read(p) for p in plan.get("Plans", []))


def test_a_busy_neighbours_day_does_not_weigh_on_a_business_figures(merchant, other_merchant):
    """A business's day of figures reads its own status history, not every business's: a
    neighbour's 3,000 changes today add nothing to what computing this one's day reads (the
    job computes the days of up to 200 businesses a run). This business has 2,000 bookings of
    past months, so finding its day through its bookings looks dear to the planner."""
    zone = psql("SELECT timezone FROM tenants WHERE id = :'p1'", merchant.tenant_id)
    today = dt.datetime.now(ZoneInfo(zone)).date()
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    mine = add_booking(merchant, add_service(merchant), add_professional(merchant), start.isoformat())
    add_history(mine, "pending_payment", "paid", "payment_approved")
    theirs = add_booking(other_merchant, add_service(other_merchant), add_professional(other_merchant),
                         start.isoformat())
    psql("INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status)"
         " SELECT :'p1', :'p2', 'paid', 'paid' FROM generate_series(1, 3000)",
         theirs, other_merchant.tenant_id)
    psql("INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,"
         " ends_at, blocked, created_at)"
         " SELECT r.tenant_id, r.service_id, r.professional_id, 'cancelled', s, s + interval '1 hour',"
         "        tstzrange(s, s + interval '1 hour'), s - interval '1 day'"
         " FROM reservations r, generate_series(1, 2000) n,"
         "      LATERAL (SELECT now() - make_interval(days => 30 + n % 300)) AS t(s)"
         " WHERE r.id = :'p1'", mine)
    psql("ANALYZE reservations, reservation_history")
    plan = json.loads(psql("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM kf_metrics_day(:'p1', :'p2')",
                           merchant.tenant_id, today.isoformat()))[0]["Plan"]
    assert 0 < history_rows_read(plan) < 50
    figures = psql("SELECT sum(bookings) FROM kf_metrics_day(:'p1', :'p2')",
                   merchant.tenant_id, today.isoformat())
    assert figures == "1"


def test_a_status_line_written_without_its_business_counts_for_it(merchant):
    """A module older than the schema writes status history without the business (it keeps
    running until Apache reloads after the migration): the line takes its booking's business
    on the way in, and the booking paid counts in that business's day."""
    zone = psql("SELECT timezone FROM tenants WHERE id = :'p1'", merchant.tenant_id)
    today = dt.datetime.now(ZoneInfo(zone)).date()
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    booking = add_booking(merchant, add_service(merchant), add_professional(merchant), start.isoformat())
    psql("INSERT INTO reservation_history (reservation_id, from_status, to_status, reason)"
         " VALUES (:'p1', 'pending_payment', 'paid', 'payment_approved')", booking)
    assert psql("SELECT DISTINCT tenant_id FROM reservation_history WHERE reservation_id = :'p1'",
                booking) == merchant.tenant_id
    assert psql("SELECT sum(bookings) FROM kf_metrics_day(:'p1', :'p2')",
                merchant.tenant_id, today.isoformat()) == "1"
