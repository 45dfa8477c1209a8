"""The merchants' figures job refreshes only the businesses with something to compute
(sql/functions/kf_metrics_due.sql): a business nothing touched since the job's last run is
left alone (most are, at most runs), one touched is refreshed at the next run, and a window
left alone for long moves on by itself, its late facts (dated before the last run) counted
first. The check of "touched" (kf_metrics_facts_since) sees every kind of fact the refresh
reads (kf_metrics_keys)."""
import datetime as dt
import random
from zoneinfo import ZoneInfo

from conftest import psql
from payments_helpers import wait_for
from test_admin_metrics_incremental import Business, differences

# each kind of fact a business's figures are made of, in an order where each finds what it
# changes (a paid booking to cancel, a payment to refund)
KINDS = ["book", "step", "lone_step", "reminder", "incident", "latency", "reschedule", "mark",
         "refund", "cancel"]


def touched(tenant, since):
    """(kf_metrics_facts_since, whether kf_metrics_keys finds a key) for facts since `since`."""
    return psql("""
        SELECT kf_metrics_facts_since(:'p1', :'p2') || ','
               || (cardinality(k.bookings) + cardinality(k.visits) + cardinality(k.payments)
                   + cardinality(k.events) + cardinality(k.webhooks) + cardinality(k.attempts)
                   + cardinality(k.incidents) > 0)
          FROM kf_metrics_keys(:'p1', :'p2', NULL, NULL) k""", tenant, since)


def mark(tenant):
    return psql("SELECT through || ' ' || reread_from FROM metrics_daily_marks WHERE tenant_id = :'p1'",
                tenant)


def test_every_kind_of_fact_the_refresh_reads_counts_as_touched(merchant):
    shop = Business(merchant, random.Random(11))
    for kind in KINDS:
        since = psql("SELECT clock_timestamp()")
        assert touched(shop.t, since) == "false,false", kind
        if kind == "book":
            shop.book(None)
        else:
            getattr(shop, kind)()
        assert touched(shop.t, since) == "true,true", kind


def test_a_run_refreshes_the_business_touched_and_leaves_the_one_nothing_touched(merchant, other_merchant):
    busy = Business(merchant, random.Random(12))
    idle = Business(other_merchant, random.Random(13))
    # a business never computed is computed whole at the next run
    wait_for(lambda: mark(busy.t) and mark(idle.t), 30, what="the job to compute new businesses")
    before = mark(idle.t)
    start = psql("SELECT now()")
    busy.book(None)
    # the run that refreshed the business touched since `start` read the other one too
    wait_for(lambda: psql("SELECT through > :'p2' FROM metrics_daily_marks WHERE tenant_id = :'p1'",
                          busy.t, start) == "t", 30, what="the job to refresh the business touched")
    assert mark(idle.t) == before
    today = busy.today()
    assert differences(busy.t, today - dt.timedelta(days=1), today + dt.timedelta(days=3)) == ""


def test_a_window_left_alone_for_long_moves_on_after_its_late_facts_are_counted(merchant, other_merchant):
    quiet, late = merchant.tenant_id, other_merchant.tenant_id
    wait_for(lambda: mark(quiet) and mark(late), 30, what="the job to compute new businesses")
    # both windows started an hour ago, and a step of `late` dated 55 minutes ago is written
    # now (by hand, or by another role): before where its last run began less the job's
    # 10-minute margin, but in its window
    psql("""
        WITH step AS (INSERT INTO funnel_events (tenant_id, event, created_at)
                      VALUES (:'p2', 'link_viewed', now() - interval '55 minutes'))
        UPDATE metrics_daily_marks SET through = now() - interval '50 minutes',
                                       reread_from = now() - interval '1 hour'
         WHERE tenant_id IN (:'p1', :'p2')""", quiet, late)
    moved = "SELECT reread_from > now() - interval '15 minutes' FROM metrics_daily_marks WHERE tenant_id = :'p1'"
    wait_for(lambda: psql(moved, quiet) == "t" and psql(moved, late) == "t", 30,
             what="the job to move the windows on")
    zone = psql("SELECT timezone FROM tenants WHERE id = :'p1'", late)
    today = dt.datetime.now(ZoneInfo(zone)).date()
    assert psql("SELECT coalesce(sum(link_viewed), 0) FROM metrics_daily WHERE tenant_id = :'p1'", late) == "1"
    assert differences(late, today - dt.timedelta(days=1), today) == ""
    assert psql("SELECT count(*) FROM metrics_daily WHERE tenant_id = :'p1'", quiet) == "0"
