"""The merchants' figures job on a busy day (docs/performance.md "The merchants' figures"):
one business with 79,000 bookings paid today (with their status history, approved payments,
webhook events and visits' funnel steps, written in SQL), computed by the job once, then,
with httpd stopped so that
no job runs meanwhile:

  (a) the day computed whole (kf_metrics_day, the definition of the figures), ROUNDS times;
  (b) the job's refresh of the business (kf_metrics_refresh, as the job calls it) after a
      minute's new traffic (60 more bookings of the same kind), ROUNDS times;

medians of each, in milliseconds: figures_full_day_ms and figures_refresh_ms (bench/targets.py:
a refresh ≤ 5 % of the day computed whole); and the dashboard's read of today a minute later,
before the job's next refresh (kf_metrics_live, figures_live_ms). The day is today in a zone where it is past 21:00,
so the bookings are spread over the day behind as a day's traffic is, and the job's window
(its last minute and its 10 minutes' margin) holds what it would. The business is deleted
afterwards. Run through bench/figures, or as a step of bench/run."""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

from conftest import _PsqlSession, psql, read_stack_env  # noqa: E402

DAY_BOOKINGS = int(os.environ.get("BENCH_FIGURES_BOOKINGS", "79000"))
MINUTE_BOOKINGS = 60
ROUNDS = int(os.environ.get("BENCH_FIGURES_ROUNDS", "5"))
FULL_ROUNDS = 3   # the day computed whole takes seconds: three suffice for a median
PROFESSIONALS = 40
SLACK = "10 minutes"   # the job's (mod_kf_metrics_daily.c, METRICS_SLACK)

# `n` bookings of business :'p1' paid from :'p2' to :'p3' (evenly), numbered from :'p4' (their
# appointments an hour each, apart per professional): history, payment, webhook, funnel steps
BOOKINGS_SQL = """
WITH pro AS (SELECT array_agg(id ORDER BY id) AS ids FROM professionals WHERE tenant_id = :'p1'),
svc AS (SELECT array_agg(id ORDER BY id) AS ids FROM services WHERE tenant_id = :'p1'),
plan AS (
    SELECT i, pro.ids[1 + i %% %(pros)d] AS pro, svc.ids[1 + i %% 3] AS svc,
           :'p2'::timestamptz + (:'p3'::timestamptz - :'p2'::timestamptz) * (i - :'p4'::int) / %(n)d AS at,
           now() + interval '2 days' + make_interval(hours => i / %(pros)d) AS starts
      FROM generate_series(:'p4'::int, :'p4'::int + %(n)d - 1) i, pro, svc),
r AS (
    INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at, ends_at, blocked,
                              customer_name, customer_email, accepted_terms_at, charge_type, charge_amount,
                              currency, created_at)
    SELECT :'p1', svc, pro, 'paid', starts, starts + interval '1 hour', tstzrange(starts, starts + interval '1 hour'),
           'Cliente Cifras', 'cifras@example.com', at, 'total', 5000, 'USD', at - interval '10 minutes'
      FROM plan
    RETURNING id, created_at + interval '10 minutes' AS at),
h AS (
    INSERT INTO reservation_history (reservation_id, tenant_id, from_status, to_status, reason, created_at)
    SELECT id, :'p1'::uuid, 'pending_payment', 'paid', 'payment_approved', at FROM r),
p AS (
    INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount, currency, status,
                          approved_at, created_at)
    SELECT :'p1', id, 'wompi', 'test', 'cifras-' || id, 5000, 'USD', 'approved', at, at - interval '5 minutes'
      FROM r RETURNING id, reservation_id, approved_at),
w AS (
    INSERT INTO payment_events (provider, event_key, tenant_id, payment_id, source, raw_body, result,
                                processing_us, received_at)
    SELECT 'wompi', 'cifras-' || p.id, :'p1', p.id, 'webhook', '{}', 'applied',
           1000 + (hashtext(p.id::text) & 4095), p.approved_at FROM p)
INSERT INTO funnel_events (tenant_id, reservation_id, event, visit_id, created_at)
SELECT :'p1'::uuid, NULL::uuid, 'link_viewed', 'cifras' || replace(id::text, '-', ''), at - interval '20 minutes' FROM r
UNION ALL SELECT :'p1'::uuid, id, 'slot_held', 'cifras' || replace(id::text, '-', ''), at - interval '15 minutes' FROM r
UNION ALL SELECT :'p1'::uuid, id, 'payment_approved', 'cifras' || replace(id::text, '-', ''), at FROM r
"""


def late_evening_zone():
    """A zone (a fixed offset) where it is between 21:00 and 22:00 now: most of today is behind."""
    now = time.gmtime()
    offset = (21 - now.tm_hour) % 24
    offset = offset - 24 if offset > 14 else offset
    # Etc/GMT-N is N hours east of Greenwich (POSIX signs)
    return "Etc/GMT%+d" % -offset if offset else "UTC"


def bookings(tenant, n, first, last, number):
    psql(BOOKINGS_SQL % {"n": n, "pros": PROFESSIONALS}, tenant, first, last, number)


def timed(session, sql, params):
    start = time.perf_counter()
    session.run(sql, params)
    return 1000.0 * (time.perf_counter() - start)


def httpd(what):
    subprocess.run([os.path.join(HERE, "..", "tests", "stack"), "httpd", what], check=True,
                   stdout=subprocess.DEVNULL)


def measure():
    """Seeds the business, measures (a) and (b), deletes it; returns the figures."""
    zone = late_evening_zone()
    tenant = psql("INSERT INTO tenants (name, timezone) VALUES ('Cifras de un día', :'p1') RETURNING id", zone)
    session = _PsqlSession(read_stack_env()["KF_PGURL"])
    try:
        psql("""INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount, currency,
                                      charge_type)
                SELECT :'p1', 'Servicio ' || n, 'Un servicio.', 60, 5000, 'USD', 'total' FROM generate_series(1, 3) n;
                INSERT INTO professionals (tenant_id, name, timezone)
                SELECT :'p1', 'Profesional ' || n, :'p2' FROM generate_series(1, %d) n""" % PROFESSIONALS,
             tenant, zone)
        today = psql("SELECT (now() AT TIME ZONE :'p1')::date", zone)
        midnight = psql("SELECT (:'p1'::date)::timestamp AT TIME ZONE :'p2'", today, zone)
        start = time.perf_counter()
        # the day's traffic up to a minute ago, then the job's first computation of the business
        bookings(tenant, DAY_BOOKINGS, midnight, psql("SELECT now() - interval '1 minute'"), 1)
        psql("ANALYZE reservations, reservation_history, payments, payment_events, funnel_events")
        seeded_s = time.perf_counter() - start
        httpd("stop")
        try:
            # written with past times: computed from every fact, as the job does a new business
            psql("DELETE FROM metrics_daily_marks WHERE tenant_id = :'p1'", tenant)
            start = time.perf_counter()
            psql("SELECT kf_metrics_refresh(:'p1', now(), interval '%s')" % SLACK, tenant)
            first_s = time.perf_counter() - start
            psql("ANALYZE metrics_parts")
            full = [timed(session, "SELECT count(*) FROM kf_metrics_day(:'p1', :'p2')", [tenant, today])
                    for _ in range(FULL_ROUNDS)]
            refresh = []
            number = DAY_BOOKINGS + 1
            for _ in range(ROUNDS):
                # a minute's new traffic, paid in the minute before the refresh
                bookings(tenant, MINUTE_BOOKINGS, psql("SELECT now() - interval '1 minute'"),
                         psql("SELECT now()"), number)
                number += MINUTE_BOOKINGS
                refresh.append(timed(session, "SELECT kf_metrics_refresh(:'p1', now(), interval '%s')" % SLACK,
                                     [tenant]))
            # the dashboard's read of today after another minute, before the job's refresh
            bookings(tenant, MINUTE_BOOKINGS, psql("SELECT now() - interval '1 minute'"), psql("SELECT now()"),
                     number)
            live = [timed(session, "SELECT count(*) FROM kf_metrics_live(:'p1', :'p2', :'p2')", [tenant, today])
                    for _ in range(FULL_ROUNDS)]
            psql("SELECT kf_metrics_refresh(:'p1', now(), interval '%s')" % SLACK, tenant)
            exact = psql("""SELECT count(*) FROM (SELECT * FROM metrics_daily WHERE tenant_id = :'p1' AND day = :'p2'
                                                  EXCEPT ALL SELECT * FROM kf_metrics_day(:'p1', :'p2')) x""",
                         tenant, today)
            booked = psql("SELECT sum(bookings) FROM metrics_daily WHERE tenant_id = :'p1' AND day = :'p2'",
                          tenant, today)
        finally:
            httpd("start")
    finally:
        session.close()
        psql("DELETE FROM tenants WHERE id = :'p1'", tenant)
    figures = {"figures_full_day_ms": round(statistics.median(full), 1),
               "figures_refresh_ms": round(statistics.median(refresh), 1),
               "figures_live_ms": round(statistics.median(live), 1),
               "figures_day_bookings": int(booked)}
    print("the merchants' figures, one business's day of %s bookings (%s; seeded in %.0f s, its first"
          " computation %.1f s):" % (booked, zone, seeded_s, first_s))
    print("  (a) the day computed whole (kf_metrics_day): median %.1f ms of %s"
          % (figures["figures_full_day_ms"], " ".join("%.0f" % x for x in full)))
    print("  (b) a refresh after %d new bookings (kf_metrics_refresh): median %.1f ms of %s = %.2f %% of (a)"
          % (MINUTE_BOOKINGS, figures["figures_refresh_ms"], " ".join("%.0f" % x for x in refresh),
             100.0 * figures["figures_refresh_ms"] / figures["figures_full_day_ms"]))
    print("  the dashboard's read of today, a minute after the refresh (kf_metrics_live): median %.1f ms"
          % figures["figures_live_ms"])
    if exact != "0":
        sys.exit("bench: the refreshed day is not what kf_metrics_day computes (%s rows differ)" % exact)
    return figures


def main():
    import json
    import targets
    figures = measure()
    rows = [r for r in targets.targets(figures, os.cpu_count()) if r["target"].startswith("the merchants' figures")]
    for t in rows:
        print("  %-4s %s: %s; limit: %s" % (t["verdict"], t["target"], t["figure"], t["limit"]))
    import bench
    line = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": bench.commit(),
            "machine": bench.machine(), "figures": figures}
    with open(os.path.join(HERE, "results", "figures.jsonl"), "a") as f:
        f.write(json.dumps(line, sort_keys=True) + "\n")
    print("appended to bench/results/figures.jsonl")


if __name__ == "__main__":
    main()
