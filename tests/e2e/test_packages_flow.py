"""Packages, pay first and schedule later: a package of 4 sessions bought once through the
fake Wompi (purchase.paid signed, the customer's mail with the purchase page's link), its
4 sessions booked without paying (booking.paid with the purchase's provider and
reference), the 5th refused, a cancelled session given back (and not after the cutoff),
expiry, the race for the last session, and every refusal."""
import re
import threading
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import psql
from packages_support import PackShop, purchase_row
from payments_helpers import payment_row, wait_for


@pytest.fixture
def shop(merchant, fakes, stack, api):
    return PackShop(merchant, fakes, stack, api)


def parse_ts(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def test_buy_pay_and_book_every_session(shop, maildir, stack):
    r = shop.buy()
    assert r.status_code == 201, r.text
    purchase = r.json()["purchase"]
    assert purchase["status"] == "pending_payment"
    assert purchase["sessions_left"] == 4 and purchase["expires_at"] is None
    payment = purchase["payment"]
    assert payment["provider"] == "wompi" and payment["reference"].startswith("KF-")
    q = parse_qs(urlsplit(payment["checkout_url"]).query)
    assert q["amount-in-cents"] == ["40000000"] and q["reference"] == [payment["reference"]]
    page = "%s/book/purchase/%s?token=%s" % (stack["KF_URL"], purchase["id"], purchase["token"])
    assert q["redirect-url"] == [page] and purchase["url"] == page
    st = shop.status(purchase)
    assert st["status"] == "pending_payment" and st["bookings"] == [] and st["link"] == shop.slug

    # paid through the same webhook code path as a booking
    fired = shop.approve(purchase)
    st = wait_for(lambda: (lambda s: s["status"] == "paid" and s)(shop.status(purchase)),
                  what="the purchase paid")
    assert st["sessions_total"] == 4 and st["sessions_used"] == 0 and st["sessions_left"] == 4
    validity = parse_ts(st["expires_at"]) - parse_ts(st["paid_at"])
    assert validity == timedelta(days=90)
    assert st["package"]["name"] == "4 sesiones" and st["service"]["id"] == shop.service
    assert payment_row(payment["reference"])["status"] == "approved"

    # the merchant hears of it once, signed like booking.paid
    [body] = shop.wait_callbacks("purchase.paid")
    assert body["purchase_id"] == purchase["id"] and body["tenant_id"] == shop.merchant.tenant_id
    assert body["paquete"] == {"id": shop.package["id"], "nombre": "4 sesiones", "sesiones": 4,
                               "vigencia_dias": 90, "precio": 40000000}
    assert body["pago"]["proveedor"] == "wompi" and body["pago"]["referencia"] == payment["reference"]
    assert body["pago"]["monto"] == 40000000 and body["compra"]["vence"] == st["expires_at"]
    assert list(body) == ["evento", "tenant_id", "purchase_id", "paquete", "servicio", "compra",
                          "usuario", "pago", "seguridad"]
    # the customer's mail links the purchase page with the token
    [mail] = maildir.wait(1, to=shop.customer["email"])
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert page in text and "4 sesiones" in text

    # the same event again changes nothing (one callback, no flag)
    shop.pay.resend(fired["transaction"]["id"])
    assert payment_row(payment["reference"])["refund_needed"] is False

    # four sessions, no payment: paid at once, booking.paid names the purchase's payment
    starts = shop.starts(5)
    fifth = starts.pop()
    for n, start in enumerate(starts, 1):
        r = shop.book_session(purchase, start)
        assert r.status_code == 201, r.text
        booking = r.json()["booking"]
        assert booking["status"] == "paid" and booking["payment"] is None
        assert booking["purchase"] == {"id": purchase["id"], "sessions_left": 4 - n}
    st = shop.status(purchase)
    assert st["sessions_used"] == 4 and st["sessions_left"] == 0
    assert [b["start"] for b in st["bookings"]] == starts
    assert all(b["status"] in ("paid", "confirmed") for b in st["bookings"])
    paid = shop.wait_callbacks("booking.paid", 4)
    for cb in paid:
        assert cb["pago"]["proveedor"] == "wompi"
        assert cb["pago"]["referencia"] == payment["reference"] and cb["pago"]["monto"] == 0
        assert cb["servicio"]["pago"] == "package"
        assert cb["paquete"]["compra_id"] == purchase["id"] and cb["paquete"]["sesiones"] == 4
    assert len(shop.callbacks("purchase.paid")) == 1

    # the fifth is refused and the hold it brought stays a hold
    r = shop.book_session(purchase, fifth)
    assert r.status_code == 409 and r.json()["error"]["code"] == "package_used_up", r.text
    assert purchase_row(purchase["id"])["used"] == 4


def test_cancelled_session_goes_back_before_the_cutoff_only(shop):
    purchase = shop.paid()
    a, b = shop.starts(2)
    first = shop.book_session(purchase, a).json()["booking"]
    second = shop.book_session(purchase, b).json()["booking"]
    assert shop.status(purchase)["sessions_left"] == 2

    r = shop.api.post("/api/public/bookings/%s/cancel" % first["id"],
                      headers={"Authorization": "Bearer " + first["token"]}, json={})
    assert r.status_code == 200, r.text
    assert r.json()["refund"] is None, "no money goes back: the session does"
    st = shop.status(purchase)
    assert st["sessions_left"] == 3 and st["sessions_used"] == 1
    cancelled = [b for b in st["bookings"] if b["id"] == first["id"]][0]
    assert cancelled["status"] == "cancelled" and cancelled["session_returned"] is True
    # repeating the cancel gives nothing more back
    shop.api.post("/api/public/bookings/%s/cancel" % first["id"],
                  headers={"Authorization": "Bearer " + first["token"]}, json={})
    assert shop.status(purchase)["sessions_left"] == 3

    # after the cutoff the customer cannot cancel, and the merchant's cancel uses the session
    psql("UPDATE tenants SET cancel_cutoff_hours = 720 WHERE id = :'p1'", shop.merchant.tenant_id)
    r = shop.api.post("/api/public/bookings/%s/cancel" % second["id"],
                      headers={"Authorization": "Bearer " + second["token"]}, json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "cancel_closed"
    r = shop.merchant.api.post("/api/admin/bookings/%s/cancel" % second["id"],
                               json={"reason": "La profesional no puede", "refund": "none"})
    assert r.status_code == 200, r.text
    st = shop.status(purchase)
    assert st["sessions_left"] == 3 and st["sessions_used"] == 1
    assert [b["session_returned"] for b in st["bookings"] if b["id"] == second["id"]] == [False]


def test_expired_purchase_refuses_bookings(shop):
    purchase = shop.paid()
    shop.book_session(purchase)
    psql("UPDATE purchases SET expires_at = now() - interval '1 second' WHERE id = :'p1'",
         purchase["id"])
    # shown expired at once, even before the job records it
    st = shop.status(purchase)
    assert st["status"] == "expired" and st["sessions_left"] == 0
    r = shop.book_session(purchase)
    assert r.status_code == 409 and r.json()["error"]["code"] == "purchase_expired"
    # the job marks it
    row = wait_for(lambda: (lambda p: p["status"] == "expired" and p)(purchase_row(purchase["id"])),
                   timeout=40, what="the expiry job")
    assert row["reason"] == "validity_passed" and row["used"] == 1


def test_unpaid_declined_and_foreign_purchases_refuse_bookings(shop, merchant, other_merchant,
                                                               fakes, stack, api):
    pending = shop.bought()
    r = shop.book_session(pending)
    assert r.status_code == 409 and r.json()["error"]["code"] == "purchase_not_paid", r.text

    declined = shop.bought()
    shop.approve(declined, status="DECLINED")
    wait_for(lambda: shop.status(declined)["status"] == "failed", what="declined")
    r = shop.book_session(declined)
    assert r.status_code == 409 and r.json()["error"]["code"] == "purchase_not_paid"

    paid = shop.paid()
    # a hold of another service than the package's
    r = shop.book_session(paid, service=shop.other_service)
    assert r.status_code == 400 and r.json()["error"]["code"] == "package_service_mismatch", r.text
    # a token of nothing, and a malformed one
    r = shop.book_session({"token": "x" * 43})
    assert r.status_code == 404 and r.json()["error"]["code"] == "purchase_not_found"
    r = shop.book_session({"token": "short"})
    assert r.status_code == 400 and "purchase_token" in r.json()["error"]["fields"]
    # another tenant's purchase cannot pay this tenant's hold
    other = PackShop(other_merchant, fakes, stack, api)
    theirs = other.paid()
    r = shop.book_session(theirs)
    assert r.status_code == 404 and r.json()["error"]["code"] == "purchase_not_found"
    assert purchase_row(paid["id"])["used"] == 0 and purchase_row(theirs["id"])["used"] == 0


def test_purchase_validation_and_lookups(shop, api):
    before = int(psql("SELECT count(*) FROM purchases"))
    r = shop.buy(customer={"name": "A", "email": "no", "phone": "123"}, accepted_terms=False)
    assert r.status_code == 400
    assert set(r.json()["error"]["fields"]) == {"customer.name", "customer.email",
                                                 "customer.phone", "accepted_terms"}
    # the tenant is in CO: +57 and 10 digits
    r = shop.buy(customer=dict(shop.customer, phone="+12025550123"))
    assert r.status_code == 400 and "customer.phone" in r.json()["error"]["fields"]
    r = shop.buy(package="not-an-id")
    assert r.status_code == 400 and "package" in r.json()["error"]["fields"]
    r = shop.buy(package="6f1c1d9e-1111-4222-8333-444455556666")
    assert r.status_code == 404 and r.json()["error"]["code"] == "package_not_found"
    r = shop.buy(link="A" * 22)
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
    psql("UPDATE booking_links SET expires_at = now() - interval '1 minute' WHERE slug = :'p1'",
         shop.slug)
    r = shop.buy()
    assert r.status_code == 410 and r.json()["error"]["code"] == "link_expired"
    assert int(psql("SELECT count(*) FROM purchases")) == before

    psql("UPDATE booking_links SET expires_at = NULL WHERE slug = :'p1'", shop.slug)
    purchase = shop.bought()
    for token in ("x" * 43, "", None):
        params = {"token": token} if token is not None else {}
        r = api.get("/api/public/purchases/%s" % purchase["id"], params=params)
        assert r.status_code == 404 and r.json()["error"]["code"] == "purchase_not_found"
    r = api.get("/api/public/purchases/nope", params={"token": purchase["token"]})
    assert r.status_code == 404


def test_return_from_checkout_asks_the_provider(shop, fakes):
    """The webhook never comes: back on the purchase page (?id=), Wompi is asked."""
    fakes.config("wompi", events_url=None)
    purchase = shop.bought()
    shop.approve(purchase)
    assert shop.status(purchase)["status"] == "pending_payment"
    st = shop.status(purchase, id="any-transaction")
    assert st["status"] == "paid"
    shop.wait_callbacks("purchase.paid")


def test_two_bookings_race_for_the_last_session(shop, new_api):
    purchase = shop.paid()
    starts = shop.starts(5)
    for start in starts[:3]:
        assert shop.book_session(purchase, start).status_code == 201
    holds = [shop.hold(starts[3]), shop.hold(starts[4])]
    clients = [new_api(), new_api()]
    results = [None, None]
    barrier = threading.Barrier(2)

    def go(i):
        barrier.wait()
        results[i] = clients[i].post("/api/public/bookings", json={
            "hold_token": holds[i]["token"], "purchase_token": purchase["token"],
            "customer": dict(shop.customer)})

    threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 409], [r.text for r in results]
    loser = [r for r in results if r.status_code == 409][0]
    assert loser.json()["error"]["code"] == "package_used_up"
    assert purchase_row(purchase["id"])["used"] == 4
    assert int(psql("SELECT count(*) FROM reservations WHERE purchase_id = :'p1'",
                    purchase["id"])) == 4


def test_a_second_approval_is_flagged_not_dropped(shop):
    purchase = shop.paid()
    # another transaction approved for the same reference: money that pays for nothing
    shop.approve(purchase)
    wait_for(lambda: payment_row(purchase["payment"]["reference"])["refund_needed"],
             what="the payment flagged")
    assert payment_row(purchase["payment"]["reference"])["flag_reason"] == "second_approval"
    assert shop.status(purchase)["status"] == "paid"
    # both transactions are kept: the money to give back is not lost with the first
    kept = psql("""SELECT count(DISTINCT t.transaction_id) FROM payment_transactions t
                   JOIN payments p ON p.id = t.payment_id WHERE p.reference = :'p1'""",
                purchase["payment"]["reference"])
    assert kept == "2"


def test_the_booking_answer_and_mail_say_package(shop, maildir):
    purchase = shop.paid()
    r = shop.book_session(purchase)
    assert r.status_code == 201
    mails = maildir.wait(1, to=shop.customer["email"], subject="Reserva confirmada: Masaje relajante")
    text = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"Pago: Incluida en tu paquete", text), text
