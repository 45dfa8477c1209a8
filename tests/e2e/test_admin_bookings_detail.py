"""GET /api/admin/bookings/{id}: the item plus notes, terms, status history, and the
payment / callback placeholders; 404 for anything not the session tenant's."""
import pytest

from admin_bookings_seed import Catalog, add_history


@pytest.fixture
def shop(merchant):
    return Catalog(merchant)


def test_detail_adds_notes_history_and_placeholders(merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z", status="confirmed", notes="Llego 5 min tarde,\nok",
                        charge=("free", 0, "COP"))
    # inserted out of order on purpose: the answer is ordered by time, oldest first
    add_history(booking, "paid", "confirmed", "callback_acknowledged", at="2031-04-20T10:02:00Z")
    add_history(booking, None, "held", at="2031-04-20T10:00:00Z")
    add_history(booking, "held", "paid", "free_service", at="2031-04-20T10:01:00Z")
    r = merchant.api.get("/api/admin/bookings/" + booking)
    assert r.status_code == 200, r.text
    b = r.json()["booking"]
    assert b["id"] == booking and b["status"] == "confirmed"
    assert b["start"] == "2031-05-01T15:00:00Z" and b["local_start"] == "2031-05-01T10:00:00-05:00"
    assert b["charge"] == {"type": "free", "amount": 0, "currency": "COP"}
    assert b["notes"] == "Llego 5 min tarde,\nok"
    assert b["accepted_terms_at"].endswith("Z")
    assert b["history"] == [
        {"from": None, "to": "held", "reason": None, "at": "2031-04-20T10:00:00Z"},
        {"from": "held", "to": "paid", "reason": "free_service", "at": "2031-04-20T10:01:00Z"},
        {"from": "paid", "to": "confirmed", "reason": "callback_acknowledged",
         "at": "2031-04-20T10:02:00Z"},
    ]
    assert b["payment"] is None
    assert b["callback_attempts"] == []


def test_detail_of_a_booking_without_history_or_notes(merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z", accepted_terms=False)
    b = merchant.api.get("/api/admin/bookings/" + booking).json()["booking"]
    assert b["history"] == [] and b["notes"] is None and b["accepted_terms_at"] is None


def test_a_hold_has_a_detail_too(merchant, shop):
    hold = shop.book("2031-05-01T15:00:00Z", status="held", charge=None, name="", email="",
                     phone="", accepted_terms=False)
    b = merchant.api.get("/api/admin/bookings/" + hold).json()["booking"]
    assert b["status"] == "held" and b["charge"] is None


@pytest.mark.parametrize("bad_id", [
    "00000000-0000-4000-8000-000000000000",     # well formed, unknown
    "not-a-uuid",
    "00000000-0000-4000-8000-00000000000",      # one digit short
    "%27%20OR%201=1--",
])
def test_unknown_or_malformed_ids_are_404(merchant, bad_id):
    r = merchant.api.get("/api/admin/bookings/" + bad_id)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "booking_not_found"


def test_another_tenants_booking_is_404(merchant, other_merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z", name="Secreto Cliente")
    add_history(booking, None, "paid")
    r = other_merchant.api.get("/api/admin/bookings/" + booking)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "booking_not_found"
    assert "Secreto" not in r.text
    assert merchant.api.get("/api/admin/bookings/" + booking).status_code == 200


def test_detail_needs_a_session(api, shop):
    booking = shop.book("2031-05-01T15:00:00Z")
    r = api.get("/api/admin/bookings/" + booking)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


def test_detail_is_read_only(merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z")
    r = merchant.api.delete("/api/admin/bookings/" + booking)
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]
