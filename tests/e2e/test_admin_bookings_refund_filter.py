"""GET /api/admin/bookings?refund=needed (and the CSV with it): the bookings whose money
must go back, which the dashboard's home page points the merchant to."""
import csv
import io

import pytest

from payments_helpers import PayTenant, payment_row


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def test_refund_needed_lists_only_the_flagged_bookings(shop, merchant):
    flagged, flagged_ref = shop.pending_booking()
    shop.fire(flagged_ref, amount=shop.price - 100)        # wrong amount: flagged for refund
    assert payment_row(flagged_ref)["refund_needed"]
    fine, fine_ref = shop.pending_booking()
    shop.fire(fine_ref)
    assert not payment_row(fine_ref)["refund_needed"]

    r = merchant.api.get("/api/admin/bookings", params={"refund": "needed"})
    assert r.status_code == 200, r.text
    assert [b["id"] for b in r.json()["items"]] == [flagged] and r.json()["total"] == 1
    everything = merchant.api.get("/api/admin/bookings").json()
    assert {flagged, fine} <= {b["id"] for b in everything["items"]}

    r = merchant.api.get("/api/admin/bookings.csv", params={"refund": "needed"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == [flagged]


def test_refund_filter_refuses_other_values_by_name(merchant):
    r = merchant.api.get("/api/admin/bookings", params={"refund": "yes"})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_parameter" and err["parameter"] == "refund"
    assert "needed" in err["fields"]["refund"]
