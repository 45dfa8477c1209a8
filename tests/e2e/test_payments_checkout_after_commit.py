"""A booking's checkout is asked of the provider after the booking and its payment are
committed, with the request's database connection given back meanwhile: a slow or failing
provider holds no transaction, no row lock and no pooled connection, and when it makes no
checkout the customer is back on their hold, or a purchase of a package fails (README
"Payments")."""
import threading

import pytest

from conftest import psql
from packages_support import package_body
from payments_helpers import wait_for
from provider_support import ProviderShop

CUSTOMER = {"name": "Lucía Fernández", "email": "lucia@example.com", "phone": "+573001234567"}


@pytest.fixture
def stripe_shop(merchant, fakes, stack, api):
    return ProviderShop(merchant, fakes, stack, api, "stripe")


def hold(shop, api, start):
    r = api.post("/api/public/holds", json={"link": shop.slug, "service": shop.service,
                                            "professional": shop.professional, "start": start})
    assert r.status_code == 201, r.text
    return r.json()["hold"]


def book(api, hold_token):
    return api.post("/api/public/bookings", json={"hold_token": hold_token, "accepted_terms": True,
                                                  "customer": dict(CUSTOMER)}, timeout=30)


def test_provider_down_gives_the_customer_their_hold_back(stripe_shop, api, fakes, allow_log):
    allow_log(r"answered 502 provider_error")
    allow_log(r"no stripe checkout for payment")
    shop = stripe_shop
    start = shop.slots()[0]["start"]
    h = hold(shop, api, start)
    res_id = h["id"]
    hold_expiry = psql("SELECT expires_at FROM reservations WHERE id = :'p1'", res_id)
    fakes.config("stripe", status=500)
    r = book(api, h["token"])
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error", r.text
    # still the customer's: held with the hold's own expiry, the slot not offered to others
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", res_id) == "held"
    assert psql("SELECT expires_at = :'p2'::timestamptz FROM reservations WHERE id = :'p1'",
                res_id, hold_expiry) == "t"
    assert start not in [s["start"] for s in shop.slots()]
    assert psql("SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || ':' || reason,"
                " ' ' ORDER BY id) FROM reservation_history WHERE reservation_id = :'p1'",
                res_id).endswith("held>pending_payment:details_entered pending_payment>held:checkout_failed")
    assert psql("SELECT status || '|' || flag_reason || '|' || (checkout_url IS NULL)"
                " FROM payments WHERE reservation_id = :'p1'", res_id) == "error|checkout_failed|true"

    # the provider is back: the same hold books, with a new payment and its checkout
    fakes.config("stripe", status=None)
    r = book(api, h["token"])
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    assert booking["id"] == res_id and booking["status"] == "pending_payment"
    assert booking["payment"]["provider"] == "stripe"
    assert booking["payment"]["checkout_url"].startswith(fakes.base("stripe"))
    rows = psql("SELECT status || ':' || (provider_checkout_id IS NOT NULL) FROM payments"
                " WHERE reservation_id = :'p1' ORDER BY created_at", res_id).split("\n")
    assert rows == ["error:false", "pending:true"]
    # and it pays like any other
    pay = shop.payment(booking)
    shop.provider.approve(shop, pay)
    wait_for(lambda: shop.state(booking) in ("paid", "confirmed"), what="the booking paid")


def test_a_slow_provider_holds_no_transaction_while_checkouts_wait(stripe_shop, api, new_api, fakes):
    shop = stripe_shop
    starts, last_end = [], ""
    for slot in shop.slots(days=14):      # slots that do not overlap (ISO UTC strings sort)
        if slot["start"] >= last_end and len(starts) < 12:
            starts.append(slot["start"])
            last_end = slot["end"]
    clients = [new_api() for _ in starts]
    holds = [hold(shop, c, s)["token"] for c, s in zip(clients, starts)]
    fakes.config("stripe", delay=3)
    results = [None] * len(holds)

    def go(i):
        results[i] = book(clients[i], holds[i])

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(holds))]
    for t in threads:
        t.start()
    try:
        # every booking is committed (pending_payment) while its checkout is still being made
        wait_for(lambda: int(psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1'"
                                  " AND status = 'pending_payment'", shop.tenant_id)) == len(holds),
                 what="the bookings written before their checkouts")
        assert all(t.is_alive() for t in threads), "the fake's delay did not hold the checkouts"
        # ... and none of them keeps a transaction open (each would hold its rows' locks and a
        # pooled connection for the provider's whole answer)
        open_tx = [int(psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"))
                   for _ in range(5)]
        assert max(open_tx) <= 2, open_tx
        # the gateway answers what needs the database meanwhile
        r = api.get("/api/health", timeout=10)
        assert r.status_code == 200 and r.json()["database"] == "ok", r.text
    finally:
        for t in threads:
            t.join(30)
        fakes.config("stripe", delay=0)
    assert [r.status_code for r in results] == [201] * len(holds), [r.text for r in results]
    urls = {r.json()["booking"]["payment"]["checkout_url"] for r in results}
    assert len(urls) == len(holds)


def test_provider_down_fails_the_purchase_and_a_new_one_pays(stripe_shop, api, fakes, allow_log):
    allow_log(r"answered 502 provider_error")
    allow_log(r"no stripe checkout for payment")
    shop = stripe_shop
    r = shop.merchant.api.post("/api/admin/packages", json=package_body(shop.service))
    assert r.status_code == 201, r.text
    package = r.json()
    r = shop.merchant.api.post("/api/admin/links", json={"name": "Paquetes",
                                                         "package_ids": [package["id"]]})
    assert r.status_code == 201, r.text
    buy = {"link": r.json()["slug"], "package": package["id"], "customer": dict(CUSTOMER),
           "accepted_terms": True}
    fakes.config("stripe", status=500)
    r = api.post("/api/public/purchases", json=buy)
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error", r.text
    # written, then failed: nothing was paid and nothing can pay it
    assert psql("SELECT p.status || ':' || p.status_reason || '|' || y.status || ':' || y.flag_reason"
                " FROM purchases p JOIN payments y ON y.purchase_id = p.id"
                " WHERE p.tenant_id = :'p1'", shop.tenant_id) \
        == "failed:checkout_failed|error:checkout_failed"
    fakes.config("stripe", status=None)
    r = api.post("/api/public/purchases", json=buy)
    assert r.status_code == 201, r.text
    purchase = r.json()["purchase"]
    assert purchase["status"] == "pending_payment"
    assert purchase["payment"]["checkout_url"].startswith(fakes.base("stripe"))
    assert psql("SELECT status || ':' || (provider_checkout_id IS NOT NULL) FROM payments"
                " WHERE purchase_id = :'p1'", purchase["id"]) == "pending:true"


def test_a_checkout_made_after_its_booking_ran_out_is_ended_at_the_provider(stripe_shop, api, fakes):
    """The payment window passes while the provider is still making the checkout: once it is
    recorded, the checkouts job ends it, so the customer cannot pay a booking that expired."""
    shop = stripe_shop
    h = hold(shop, api, shop.slots()[0]["start"])
    # long enough for the move below on a busy machine, within the module's 10 s for an answer
    fakes.config("stripe", delay=7)
    result = {}
    booking_call = threading.Thread(target=lambda: result.update(r=book(api, h["token"])))
    booking_call.start()
    try:
        state = lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", h["id"])
        wait_for(lambda: state() == "pending_payment", what="the booking written before its checkout")
        # the expiry job's move (sql/functions/kf_expire_due.sql), made now rather than
        # within the job's interval
        assert psql("SELECT kf_reservation_move(:'p1', 'pending_payment', 'expired',"
                    " 'payment_window_passed', 'payment_window_passed', NULL)", h["id"]) == "t"
        assert booking_call.is_alive(), "the checkout was made before the booking expired"
    finally:
        booking_call.join(30)
        fakes.config("stripe", delay=0)
    r = result["r"]
    assert r.status_code == 201, r.text
    pay = shop.payment(r.json()["booking"])
    assert pay["checkout_id"], "the provider's checkout is recorded"
    wait_for(lambda: shop.provider.checkout_status(shop, pay) in ("expired", "CANCELLED"),
             what="the checkout ended at the provider")
