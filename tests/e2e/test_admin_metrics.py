"""GET /api/admin/metrics: exact counts for a known set of visits (the wizard's visit id in
X-Konfirmado-Visit), conversions, bookings and revenue per day zero-filled in the tenant's
zone, latency percentiles, the range and its errors, and one tenant never seeing another's."""
import secrets
import time

import pytest

from booking_seed import ALL_WEEK, link, professional
from conftest import Api, psql, seed_merchant
from payments_helpers import PayTenant, wait_for


def visit():
    return "v" + secrets.token_hex(12)


class Shop:
    """A merchant's tenant with Wompi keys, a paid service offered by a professional with
    hours, and a link; public calls come from their own client."""

    def __init__(self, merchant, fakes, stack):
        self.pay = PayTenant(merchant, fakes, stack)
        self.merchant = merchant
        self.pro = professional(merchant.tenant_id, hours=ALL_WEEK(("08:00", "20:00")),
                                services=[self.pay.service])
        self.slug = link(merchant.tenant_id)
        self.public = Api(stack)
        self.starts = iter(self._slots()[::4])   # an hour apart: 30-minute holds never overlap

    def _slots(self):
        r = self.public.get("/api/public/links/%s/availability" % self.slug,
                            params={"service": self.pay.service, "professional": self.pro, "days": 7})
        assert r.status_code == 200, r.text
        return [s["start"] for s in r.json()["slots"]]

    def view(self, v=None):
        headers = {"X-Konfirmado-Visit": v} if v else {}
        assert self.public.get("/api/public/links/" + self.slug, headers=headers).status_code == 200

    def hold(self, v):
        r = self.public.post("/api/public/holds", headers={"X-Konfirmado-Visit": v}, json={
            "link": self.slug, "service": self.pay.service, "professional": self.pro,
            "start": next(self.starts)})
        assert r.status_code == 201, r.text
        return r.json()["hold"]

    def book(self, v, hold):
        r = self.public.post("/api/public/bookings", headers={"X-Konfirmado-Visit": v}, json={
            "hold_token": hold["token"], "accepted_terms": True,
            "customer": {"name": "Cliente Métricas", "email": "metricas@example.com", "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    def metrics(self, **params):
        return self.merchant.api.get("/api/admin/metrics", params=params)


@pytest.fixture
def shop(merchant, fakes, stack):
    s = Shop(merchant, fakes, stack)
    yield s
    s.public.session.close()


def today_of(tenant_id):
    return psql("SELECT to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') FROM tenants WHERE id = :'p1'", tenant_id)


def test_exact_funnel_conversions_days_and_latencies(shop, stack, fakes):
    a, b, c, d = visit(), visit(), visit(), visit()
    shop.view(a)
    shop.view(a)                      # a reload is the same visit
    booking_a = shop.book(a, shop.hold(a))
    shop.view(b)
    shop.book(b, shop.hold(b))        # pays nothing: stays pending
    shop.view(c)
    shop.hold(c)                      # holds and leaves
    shop.view(d)                      # looks and leaves
    shop.view(None)                   # an API client without a visit id: counted once per view
    shop.view("bad visit id!")        # a malformed one is not recorded as such, the view still counts
    ref = psql("SELECT reference FROM payments WHERE reservation_id = :'p1'", booking_a["id"])
    shop.pay.fire(ref)
    wait_for(lambda: psql("SELECT count(*) FROM callback_attempts a JOIN merchant_callbacks m ON m.id = a.callback_id "
                          "WHERE m.reservation_id = :'p1'", booking_a["id"]) != "0", what="the callback attempt")
    tenant = shop.merchant.tenant_id
    # known latencies: three webhook events of 2, 4 and 10 ms, callback attempts of 100 ms
    psql("UPDATE payment_events SET processing_us = 2000 WHERE tenant_id = :'p1'", tenant)
    for ms in (4, 10):
        psql("""INSERT INTO payment_events (provider, event_key, tenant_id, source, raw_body, result, processing_us)
                VALUES ('wompi', :'p1', :'p2', 'webhook', '{}', 'ignored', :'p3')""",
             secrets.token_hex(8), tenant, ms * 1000)
    psql("UPDATE callback_attempts a SET latency_ms = 100 FROM merchant_callbacks m "
         "WHERE m.id = a.callback_id AND m.tenant_id = :'p1'", tenant)

    today = today_of(tenant)
    r = shop.metrics()
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["to"] == today and len(m["bookings_per_day"]) == 30
    assert m["funnel"] == {"link_viewed": 6, "slot_held": 3, "details_entered": 2,
                           "payment_started": 2, "payment_approved": 1}
    assert m["conversion"] == {"view_to_hold": 0.5, "hold_to_details": pytest.approx(2 / 3),
                               "details_to_payment": 1.0, "payment_to_approved": 0.5,
                               "view_to_approved": pytest.approx(1 / 6)}
    days = {x["date"]: x for x in m["bookings_per_day"]}
    assert days[today]["count"] == 1
    assert days[today]["revenue"] == {"amount": shop.pay.price, "currency": "COP"}
    assert sum(x["count"] for x in m["bookings_per_day"]) == 1
    assert [x["date"] for x in m["bookings_per_day"]] == sorted(days)
    assert m["cancellations"] == 0 and m["reschedules"] == 0 and m["no_show_rate"] is None
    start = psql("SELECT extract(epoch FROM starts_at - (SELECT min(created_at) FROM reservation_history "
                 "WHERE reservation_id = r.id AND to_status = 'paid')) / 3600.0 FROM reservations r WHERE id = :'p1'",
                 booking_a["id"])
    assert m["lead_time_hours_p50"] == pytest.approx(float(start), abs=0.06)
    assert m["webhook_latency_ms"] == {"p50": 4.0, "p95": 9.4}
    assert m["callback_latency_ms"] == {"p50": 100.0, "p95": 100.0}


def test_a_range_in_the_past_is_all_zero_and_zero_filled(shop):
    shop.view(visit())
    r = shop.metrics(**{"from": "2020-02-25", "to": "2020-03-02"})
    assert r.status_code == 200, r.text
    m = r.json()
    assert (m["from"], m["to"]) == ("2020-02-25", "2020-03-02")
    assert [x["date"] for x in m["bookings_per_day"]] == [
        "2020-02-25", "2020-02-26", "2020-02-27", "2020-02-28", "2020-02-29", "2020-03-01", "2020-03-02"]
    assert all(x["count"] == 0 and x["revenue"]["amount"] == 0 for x in m["bookings_per_day"])
    assert set(m["funnel"].values()) == {0}
    assert set(m["conversion"].values()) == {None}
    assert m["webhook_latency_ms"] == {"p50": None, "p95": None} and m["lead_time_hours_p50"] is None


def test_another_tenant_never_counts(shop, stack):
    shared = visit()
    shop.view(shared)
    other = seed_merchant(stack, business="Otra clínica")
    other_link = link(other.tenant_id)
    pro = professional(other.tenant_id)
    assert pro
    public = Api(stack)
    for _ in range(3):
        public.get("/api/public/links/" + other_link, headers={"X-Konfirmado-Visit": shared})
    assert shop.metrics().json()["funnel"]["link_viewed"] == 1
    r = other.api.get("/api/admin/metrics")
    assert r.status_code == 200
    # the other tenant's link lists nothing bookable, so its views are not 200s: nothing counted
    assert r.json()["funnel"]["slot_held"] == 0


def days_before(day, n):
    import datetime as dt
    return (dt.date.fromisoformat(day) - dt.timedelta(days=n)).isoformat()


def test_periods_compare_with_the_range_before(shop):
    """?period=7d|30d|90d ends today; "previous" is the range of equal length before it and
    "trend" the change in percent; a filter of another service counts nothing of this one."""
    v = visit()
    shop.view(v)
    booking = shop.book(v, shop.hold(v))
    shop.pay.fire(psql("SELECT reference FROM payments WHERE reservation_id = :'p1'", booking["id"]))
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"])
             in ("paid", "confirmed"), what="the approval")
    today = today_of(shop.merchant.tenant_id)
    for period, days in (("7d", 7), ("30d", 30), ("90d", 90)):
        r = shop.metrics(period=period)
        assert r.status_code == 200, r.text
        m = r.json()
        assert (m["from"], m["to"]) == (days_before(today, days - 1), today)
        assert (m["previous"]["from"], m["previous"]["to"]) == (days_before(today, 2 * days - 1),
                                                                days_before(today, days))
        assert len(m["previous"]["bookings_per_day"]) == days
        assert m["revenue"] == [{"amount": shop.pay.price, "currency": "COP"}] and m["refunds"] == []
        # nothing before this shop existed: no base to compare with
        assert m["trend"]["bookings"] is None and m["previous"]["funnel"]["link_viewed"] == 0
    mine = shop.metrics(period="7d", service=shop.pay.service).json()
    assert mine["funnel"]["slot_held"] == 1 and sum(d["count"] for d in mine["bookings_per_day"]) == 1
    other = shop.metrics(period="7d", service="6f1c2a9e-1b2c-4d3e-8f90-0a1b2c3d4e5f").json()
    assert other["funnel"] == {k: 0 for k in other["funnel"]} and other["revenue"] == []
    assert sum(d["count"] for d in other["bookings_per_day"]) == 0


@pytest.mark.parametrize("params,parameter", [
    ({"period": "14d"}, "period"),
    ({"period": "7d", "from": "2026-03-01"}, "period"),
    ({"professional": "ana"}, "professional"),
    ({"from": "2026-13-01"}, "from"),
    ({"to": "yesterday"}, "to"),
    ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ({"from": "2024-01-01", "to": "2025-06-01"}, "from"),
])
def test_bad_ranges_name_their_parameter(merchant, params, parameter):
    r = merchant.api.get("/api/admin/metrics", params=params)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_parameter" and err["parameter"] == parameter and err["fields"][parameter]


def test_a_repeated_parameter_and_no_session(merchant, stack):
    r = merchant.api.get("/api/admin/metrics?from=2026-01-01&from=2026-01-02")
    assert r.status_code == 400 and r.json()["error"]["parameter"] == "from"
    assert Api(stack).get("/api/admin/metrics").status_code == 401
