"""A customer who pays one booking twice (two approved transactions of the same reference):
both transactions are kept and shown in the admin booking detail; the merchant's refund by
default gives back the extra (one refund, on the second transaction) and the booking stays;
a cancellation with a full refund gives back everything taken, one refund per transaction;
a refund of only the extra at the provider does not cancel the booking, the rest of it does
(callback `pago.estado` "reembolsado")."""
import requests

from conftest import psql
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for
from provider_support import ProviderShop


def paid_twice(shop):
    """A booking approved by two Wompi transactions (the customer paid twice)."""
    booking, ref = shop.pending_booking(start_in_days=3)
    first = shop.fire(ref)["transaction"]["id"]
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking)
             in ("paid", "confirmed"), what="paid")
    second = shop.fire(ref)["transaction"]["id"]
    wait_for(lambda: psql("SELECT flag_reason FROM payments WHERE reference = :'p1'", ref)
             == "second_approval", what="the second approval flagged")
    return booking, ref, first, second


def voids(shop):
    return shop.fakes._call("POST", "/wompi/_control/voids")["voids"]


def payment_of(api, booking):
    return api.get("/api/admin/bookings/" + booking).json()["booking"]["payment"]


def transactions(api, booking):
    return {t["id"]: t for t in payment_of(api, booking)["transactions"]}


def test_the_merchants_refund_of_a_booking_paid_twice_gives_back_the_extra(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    booking, ref, first, second = paid_twice(shop)
    txs = transactions(api, booking)
    assert set(txs) == {first, second}
    assert all(t["amount"] == shop.price and t["refunded_amount"] == 0 and t["approved_at"]
               for t in txs.values())
    assert payment_of(api, booking)["refund_needed"] is True

    r = api.post("/api/admin/bookings/%s/refund" % booking, json={})
    assert r.status_code == 202, r.text
    assert r.json()["refund"] == {"amount": shop.price, "currency": "COP", "status": "pending"}
    wait_for(lambda: (payment_of(api, booking)["refund"] or {}).get("status") == "succeeded",
             what="the refund job gives the extra back")
    # one refund, of the second transaction; the first pays for the booking
    assert voids(shop).get(second) == 1 and first not in voids(shop)
    txs = transactions(api, booking)
    assert txs[second]["refunded_amount"] == shop.price and txs[first]["refunded_amount"] == 0
    pay = payment_of(api, booking)
    assert pay["refund_needed"] is False and pay["refund"]["amount"] == shop.price
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking) in ("paid", "confirmed")

    # cancelled later with a full refund: what is left (the price) comes back, from the first
    r = api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Agenda cerrada"})
    assert r.status_code == 200, r.text
    assert r.json()["refund"] == {"amount": shop.price, "currency": "COP", "status": "pending"}
    wait_for(lambda: (payment_of(api, booking)["refund"] or {}).get("status") == "succeeded",
             what="the rest given back")
    assert voids(shop).get(first) == 1 and voids(shop).get(second) == 1
    assert payment_of(api, booking)["refund"]["amount"] == 2 * shop.price


def test_the_merchants_refund_is_at_most_everything_taken(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    booking, ref, first, second = paid_twice(shop)
    r = api.post("/api/admin/bookings/%s/refund" % booking, json={"amount": 2 * shop.price + 1})
    assert r.status_code == 400 and "amount" in r.json()["error"]["fields"]
    assert payment_of(api, booking)["refund"] is None
    r = api.post("/api/admin/bookings/%s/refund" % booking, json={"amount": 2 * shop.price})
    assert r.status_code == 202, r.text
    wait_for(lambda: (payment_of(api, booking)["refund"] or {}).get("status") == "succeeded",
             what="everything given back")
    assert voids(shop).get(first) == 1 and voids(shop).get(second) == 1


def test_a_cancellation_of_a_booking_paid_twice_gives_back_everything_taken(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    booking, ref, first, second = paid_twice(shop)
    r = api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Agenda cerrada"})
    assert r.status_code == 200, r.text
    assert r.json()["refund"] == {"amount": 2 * shop.price, "currency": "COP", "status": "pending"}
    wait_for(lambda: (payment_of(api, booking)["refund"] or {}).get("status") == "succeeded",
             what="the refund job gives both transactions back")
    # one refund per transaction, each whole: everything taken
    assert voids(shop).get(first) == 1 and voids(shop).get(second) == 1
    txs = transactions(api, booking)
    assert sum(t["refunded_amount"] for t in txs.values()) == 2 * shop.price
    pay = payment_of(api, booking)
    assert pay["refund"]["amount"] == 2 * shop.price and pay["refund_needed"] is False
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"],
                   what="booking.cancelled")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["cancelacion"]["reembolso"]["monto"] == 2 * shop.price


def second_stripe_payment(shop, booking):
    """The customer pays the same reference again in a second Stripe Checkout (another
    PaymentIntent), as a double click on two tabs would."""
    pay = shop.payment(booking)
    ref = pay["reference"]
    r = requests.post(shop.stack["KF_FAKES_URL"] + "/stripe/v1/checkout/sessions", data={
        "mode": "payment", "success_url": "https://comercio.example/gracias",
        "client_reference_id": ref, "metadata[reference]": ref,
        "payment_intent_data[metadata][reference]": ref,
        "line_items[0][quantity]": "1", "line_items[0][price_data][currency]": "cop",
        "line_items[0][price_data][unit_amount]": str(shop.price),
        "line_items[0][price_data][product_data][name]": "Sesión de fotos"},
        headers={"Authorization": "Bearer " + shop.keys["secret_key"]}, timeout=10)
    assert r.status_code == 200, r.text
    done = shop.fakes._call("POST", "/stripe/_control/sessions/%s/complete" % r.json()["id"],
                            json={"payment_status": "paid"})
    return done["session"]["payment_intent"]


def test_a_refund_of_the_extra_at_stripe_keeps_the_booking_the_rest_cancels_it(
        merchant, fakes, stack, api):
    shop = ProviderShop(merchant, fakes, stack, api, "stripe")
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "confirmed", what="the booking confirmed")
    first = shop.payment(booking)["transaction_id"]
    second = second_stripe_payment(shop, booking)
    wait_for(lambda: shop.payment(booking)["flag_reason"] == "second_approval",
             what="the second approval flagged")
    admin = merchant.api

    # the merchant gives the extra back in Stripe's dashboard: the booking stands
    shop.provider.refund_at_provider(shop, {"transaction_id": second})
    wait_for(lambda: shop.payment(booking)["refund_status"] == "succeeded",
             what="the refund of the second payment recorded")
    assert shop.state(booking) == "confirmed"
    txs = transactions(admin, booking["id"])
    assert set(txs) == {first, second}
    assert txs[second]["refunded_amount"] == shop.price and txs[first]["refunded_amount"] == 0
    pay = payment_of(admin, booking["id"])
    assert pay["refund"]["amount"] == shop.price and pay["refund_needed"] is False
    assert not [c for c in callbacks_for(fakes, shop)
                if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"]

    # then the rest: everything taken has gone back, the merchant cancelled
    shop.provider.refund_at_provider(shop, {"transaction_id": first})
    wait_for(lambda: shop.state(booking) == "cancelled", what="the booking cancelled")
    pay = payment_of(admin, booking["id"])
    assert pay["refund"]["amount"] == 2 * shop.price and pay["refund"]["status"] == "succeeded"
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"],
                   what="booking.cancelled")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["cancelacion"]["por"] == "comercio"
    assert body["cancelacion"]["reembolso"]["monto"] == 2 * shop.price
    assert body["pago"]["estado"] == "reembolsado"


def test_a_share_the_provider_cannot_give_back_leaves_the_refund_to_the_merchant(merchant, fakes, stack):
    """Paid by card, then again by Nequi (no refund API): the card payment is voided, the Nequi
    one waits for the merchant, and the refund is not `succeeded` while a share is missing."""
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    booking, ref = shop.pending_booking(start_in_days=3)
    first = shop.fire(ref)["transaction"]["id"]
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking)
             in ("paid", "confirmed"), what="paid")
    second = shop.fire(ref, payment_method_type="NEQUI")["transaction"]["id"]
    wait_for(lambda: psql("SELECT flag_reason FROM payments WHERE reference = :'p1'", ref)
             == "second_approval", what="the second approval flagged")
    r = api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Agenda cerrada"})
    assert r.json()["refund"] == {"amount": 2 * shop.price, "currency": "COP", "status": "pending"}
    wait_for(lambda: (payment_of(api, booking)["refund"] or {}).get("status") == "manual",
             what="the Nequi share left to the merchant")
    pay = payment_of(api, booking)
    assert "NEQUI" in pay["refund"]["error"] and pay["refund_needed"] is True
    assert voids(shop).get(first) == 1 and second not in voids(shop)
    txs = transactions(api, booking)
    assert txs[first]["refunded_amount"] == shop.price and txs[second]["refunded_amount"] == 0
    listed = [b["id"] for b in api.get("/api/admin/bookings", params={"refund": "needed"}).json()["items"]]
    assert booking in listed


def test_each_stripe_refund_of_a_booking_paid_twice_has_its_own_idempotency_key(
        merchant, fakes, stack, api):
    shop = ProviderShop(merchant, fakes, stack, api, "stripe")
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "confirmed", what="the booking confirmed")
    first = shop.payment(booking)["transaction_id"]
    second = second_stripe_payment(shop, booking)
    wait_for(lambda: shop.payment(booking)["flag_reason"] == "second_approval",
             what="the second approval flagged")
    r = merchant.api.post("/api/admin/bookings/%s/cancel" % booking["id"],
                          json={"reason": "Agenda cerrada", "refund": "full"})
    assert r.status_code == 200, r.text
    assert r.json()["refund"]["amount"] == 2 * shop.price
    wait_for(lambda: shop.payment(booking)["refund_status"] == "succeeded",
             what="both payments given back")
    pay_id = psql("SELECT id FROM payments WHERE reservation_id = :'p1'", booking["id"])
    calls = [c for c in fakes._call("POST", "/stripe/_control/refunds", json={})["refunds"]
             if c["params"].get("payment_intent") in (first, second)]
    by_intent = {c["params"]["payment_intent"]: c for c in calls}
    assert len(calls) == 2 and set(by_intent) == {first, second}
    # the newest first, under the key a payment's refund always had; the other its own
    assert by_intent[second]["idempotency_key"] == "refund-" + pay_id
    assert by_intent[first]["idempotency_key"].startswith("refund-" + pay_id + "-")
    assert sum(int(c["params"]["amount"]) for c in calls) == 2 * shop.price
