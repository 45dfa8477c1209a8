"""The merchant's customers (API.md "Admin API", Customers): one row per address that booked,
its newest name and phone, how many bookings and the last one, which reminders it turned off;
searched by a part of the address, name or phone, 25 a page; only the tenant's own."""
import secrets

from conftest import psql
from customers_support import Customer, book, free_scenario, new_email
from test_booking_reschedule_admin import session_for


def test_customers_are_listed_with_their_bookings_and_opt_outs(api, stack, maildir):
    sc = free_scenario(api)
    admin = session_for(stack, sc.tenant_id)
    ana, luis = new_email(), new_email()
    book(sc, ana, day=5)
    book(sc, ana.upper(), day=6)            # the same customer, typed otherwise
    book(sc, luis, day=7, phone="+573005550000")
    me = Customer(api, sc.subdomain, ana).sign_in(maildir, n=2)   # the upper-case one aside
    me.patch("/api/public/me/preferences", json={"reminders_email": False})

    r = admin.get("/api/admin/customers")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 25
    rows = {c["email"]: c for c in body["items"]}
    assert rows[ana]["bookings"] == 2 and rows[luis]["bookings"] == 1
    assert rows[ana]["name"] == "María Pérez" and rows[ana]["phone"] == "+573001234567"
    assert rows[ana]["reminders_opt_out"] == {"email": True, "text": False}
    assert rows[luis]["reminders_opt_out"] == {"email": False, "text": False}
    # the most recent booking first
    assert [c["email"] for c in body["items"]] == [luis, ana]
    assert rows[luis]["last_booking_at"] > rows[ana]["last_booking_at"]

    assert [c["email"] for c in admin.get("/api/admin/customers", params={"q": luis[:12].upper()}).json()["items"]] == [luis]
    assert [c["email"] for c in admin.get("/api/admin/customers", params={"q": "5550000"}).json()["items"]] == [luis]
    assert admin.get("/api/admin/customers", params={"q": "%"}).json()["items"] == []
    assert admin.get("/api/admin/customers", params={"page": 2}).json()["items"] == []

    # another tenant sees none of them
    other = free_scenario(api)
    assert session_for(stack, other.tenant_id).get("/api/admin/customers").json()["items"] == []


def test_bad_parameters_and_no_session(api, stack):
    sc = free_scenario(api)
    admin = session_for(stack, sc.tenant_id)
    for params in ({"page": "0"}, {"page": "x"}, {"q": "a" * 101}):
        r = admin.get("/api/admin/customers", params=params)
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"
    r = api.get("/api/admin/customers")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
