"""A customer's own data from the portal (API.md "Customer portal"; docs/privacy.md): the
signed-in customer downloads everything the business holds about them, and asks to be
erased; once the merchant confirms, nothing personal is left anywhere, the portal's session
and preferences included, and the money trail stays."""
import secrets
import time

from conftest import psql
from customers_support import Customer, sign_in_link
from test_privacy import customer, paid_booking, shop, where_found  # noqa: F401 (fixture)


def signed_in(api, maildir, merchant, email):
    subdomain = "datos-%s" % secrets.token_hex(4)
    assert merchant.api.patch("/api/admin/tenant", json={"subdomain": subdomain}).status_code == 200
    me = Customer(api, subdomain, email)
    assert me.login().status_code == 202
    deadline = time.time() + 30     # the sign-in mail follows the booking's own mails
    while time.time() < deadline and not [
            m for m in maildir.new(to=email) if "/book/me?token=" in m.as_string()]:
        time.sleep(0.2)
    _, token = sign_in_link(maildir, email, n=1)
    assert me.session(token).status_code == 200
    return me


def test_a_customer_downloads_their_data_and_asks_to_be_erased(api, maildir, shop, merchant):
    who = customer()
    booking, _ = paid_booking(shop, who)
    me = signed_in(api, maildir, merchant, who["email"])
    assert me.patch("/api/public/me/preferences", json={"reminders_email": False}).status_code == 200

    r = me.get("/api/public/me/export")
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["Content-Disposition"]
    data = r.json()
    assert data["email"] == who["email"]
    assert [b["id"] for b in data["bookings"]] == [booking]
    assert data["bookings"][0]["customer"]["phone"] == who["phone"]
    assert [p["status"] for p in data["payments"]] == ["approved"]
    assert [(p["reminders_email"], p["reminders_text"]) for p in data["preferences"]] == [(False, True)]
    # the merchant's export of the same address says the same
    theirs = merchant.api.get("/api/admin/customers/export", params={"email": who["email"]}).json()
    assert theirs == data

    r = me.post("/api/public/me/erasure")
    assert r.status_code == 202, r.text
    request = r.json()
    assert request["status"] == "pending"
    assert me.post("/api/public/me/erasure").json() == request     # one pending request
    items = merchant.api.get("/api/admin/customers/erasure-requests").json()["items"]
    assert [i["status"] for i in items if i["id"] == request["id"]] == ["pending"]

    r = merchant.api.post("/api/admin/customers/erasure-requests/%s/confirm" % request["id"])
    assert r.status_code == 200 and r.json()["erased_bookings"] == 1, r.text
    # the portal forgot them too: the session is gone, and nothing personal is left
    r = me.get("/api/public/me/bookings")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    assert where_found([who["email"], who["name"], who["phone"]]) == []
    assert psql("SELECT count(*) FROM customer_preferences WHERE tenant_id = :'p1'",
                shop.tenant_id) == "0"
    assert psql("SELECT status || ' ' || amount FROM payments WHERE reservation_id = :'p1'",
                booking).startswith("approved ")
