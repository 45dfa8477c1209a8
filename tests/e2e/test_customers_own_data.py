"""A customer's own data from the portal (API.md "Customer portal"; docs/privacy.md): the
signed-in customer downloads everything the business holds about them, and asks to be
erased; once the merchant confirms, nothing personal is left anywhere, the portal's session
and preferences included, and the money trail stays."""
import secrets
import time

from conftest import psql
from customers_support import Customer, sign_in_link
from test_privacy import customer, paid_booking, shop, where_found  # noqa: F401 (fixture)


def signed_in(api, maildir, merchant, email, subdomain=None):
    """A session of `email` on the business's host: a new subdomain, or `subdomain`."""
    if subdomain is None:
        subdomain = "datos-%s" % secrets.token_hex(4)
        assert merchant.api.patch("/api/admin/tenant", json={"subdomain": subdomain}).status_code == 200
    me = Customer(api, subdomain, email)
    me.subdomain = subdomain
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
    # the merchant's export of the same address says the same, and whether the numbers
    # booked with said STOP, which the portal (it proved the address, not the number) does not
    theirs = merchant.api.get("/api/admin/customers/export", params={"email": who["email"]}).json()
    assert "text_opt_outs" not in data and theirs.pop("text_opt_outs") == []
    assert theirs == data

    # nothing asked yet
    r = me.get("/api/public/me/erasure")
    assert r.status_code == 200 and r.json() == {"pending": None}, r.text
    r = me.post("/api/public/me/erasure")
    assert r.status_code == 202, r.text
    request = r.json()
    assert request["status"] == "pending"
    assert me.post("/api/public/me/erasure").json() == request     # one pending request
    # the next visit finds it pending; another customer of the business does not
    r = me.get("/api/public/me/erasure")
    assert r.status_code == 200 and r.json() == {"pending": request}, r.text
    other = customer()
    paid_booking(shop, other)
    r = signed_in(api, maildir, merchant, other["email"], me.subdomain).get("/api/public/me/erasure")
    assert r.status_code == 200 and r.json() == {"pending": None}, r.text
    items = merchant.api.get("/api/admin/customers/erasure-requests").json()["items"]
    [listed] = [i for i in items if i["id"] == request["id"]]
    assert listed["status"] == "pending"
    # the customer is told the day it happens by itself: the one the merchant sees
    assert request["erases_automatically_at"] == listed["erases_automatically_at"] is not None

    r = merchant.api.post("/api/admin/customers/erasure-requests/%s/confirm" % request["id"])
    assert r.status_code == 200 and r.json()["erased_bookings"] == 1, r.text
    # the portal forgot them too: the session is gone, and nothing personal is left
    r = me.get("/api/public/me/bookings")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    r = me.get("/api/public/me/erasure")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    assert where_found([who["email"], who["name"], who["phone"]]) == []
    assert psql("SELECT count(*) FROM customer_preferences WHERE tenant_id = :'p1'",
                shop.tenant_id) == "0"
    assert psql("SELECT status || ' ' || amount FROM payments WHERE reservation_id = :'p1'",
                booking).startswith("approved ")


def test_the_host_tells_its_business_and_the_merchant_waits_when_it_confirms_by_hand(api, maildir, shop, merchant):
    who = customer()
    paid_booking(shop, who)
    assert merchant.api.patch("/api/admin/tenant", json={
        "erasure_auto_days": 0, "primary_color": "#7C3AED"}).status_code == 200
    me = signed_in(api, maildir, merchant, who["email"])
    # the business's public face on its host, signed in or not (the pages without a link wear it)
    r = me.api.get("/api/public/me/business")
    assert r.status_code == 200, r.text
    business = r.json()
    name = psql("SELECT name FROM tenants WHERE id = :'p1'", shop.tenant_id)
    assert business["name"] == name and business["primary_color"] == "#7C3AED"
    assert set(business) == {"name", "logo_url", "primary_color", "secondary_color", "timezone", "locale",
                             "terms_url"}
    # the platform's host serves no business
    r = api.get("/api/public/me/business")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"

    r = me.post("/api/public/me/erasure")
    assert r.status_code == 202 and r.json()["erases_automatically_at"] is None, r.text
