"""Stripe, Mercado Pago and Airwallex, each through the real booking flow and its fake:
the paid journey to a confirmed booking and a signed callback, a decline freeing
the slot, a repeated event being one transition, a bad signature refused with nothing changed,
an amount or currency mismatch refused and flagged, another account's payment never paying,
late approvals both ways, and a refund asked twice refunding once."""
import pytest

import booking_seed as seed
from conftest import psql
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from provider_support import PROVIDERS, ProviderShop, hash_params, submit_form

import requests


@pytest.fixture(params=PROVIDERS)
def shop(request, merchant, fakes, stack, api):
    return ProviderShop(merchant, fakes, stack, api, request.param)


def paid(shop, booking):
    return wait_for(lambda: shop.state(booking) in ("paid", "confirmed"), what="the booking paid")


def test_settings_show_the_provider_chosen_and_its_keys_without_secrets(shop):
    tenant = shop.merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert tenant["payment_provider"] == shop.provider.name
    mine = tenant["payments"][shop.provider.name]
    assert mine["configured"] is True and mine["mode"] == "test"
    text = str(tenant)
    for field, value in shop.keys.items():
        if field in ("mode", "client_id"):
            continue
        assert value not in text, "%s leaked" % field
        assert mine[field + "_last4"] == value[-4:]
    r = shop.merchant.api.post("/api/admin/tenant/payments/%s/test" % shop.provider.name)
    assert r.status_code == 200, r.text
    assert r.json()["ok"] is True and r.json()["merchant_name"] == shop.business


def test_the_paid_journey_through_the_hosted_page(shop, fakes):
    slot = shop.slots()[0]
    booking = shop.book(slot["start"])
    assert booking["status"] == "pending_payment"
    payment = booking["payment"]
    assert payment["provider"] == shop.provider.name and payment["reference"].startswith("KF-")
    url = payment["checkout_url"]
    assert url.startswith(shop.stack["KF_FAKES_URL"] + "/" + shop.provider.name + "/")
    pay = shop.payment(booking)
    assert pay["checkout_id"], "the provider's checkout id is kept"

    if shop.provider.name == "airwallex":
        # the hosted page reads its parameters from the URL's fragment (Airwallex.js)
        params = hash_params(url)
        assert params["intent_id"] == pay["checkout_id"]
        back = requests.post(shop.stack["KF_FAKES_URL"] + "/airwallex/checkout/pay",
                             data={**params, "action": "pay"}, allow_redirects=False, timeout=20)
    else:
        page = requests.get(url, timeout=10)
        assert page.status_code == 200, page.text
        assert shop.business in page.text
        back = submit_form(page, "approve" if shop.provider.name == "mercadopago" else "pay")
    assert back.status_code in (302, 303), back.text
    location = back.headers["Location"]
    assert location.startswith("%s/book/%s/confirmation?booking=%s&token=%s" % (
        shop.stack["KF_URL"], shop.slug, booking["id"], booking["token"]))
    assert "return=1" in location

    st = shop.status(booking, id="return")
    assert st["status"] in ("paid", "confirmed")
    assert st["payment"] == {"provider": shop.provider.name, "status": "approved",
                             "reference": payment["reference"], "amount": shop.price,
                             "currency": shop.currency}
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["booking_id"] == booking["id"]
    assert body["pago"]["referencia"] == payment["reference"]
    assert body["pago"]["proveedor"] == shop.provider.name
    wait_for(lambda: shop.status(booking)["status"] == "confirmed", what="confirmed")


def test_a_decline_fails_the_booking_and_frees_the_slot(shop):
    slot = shop.slots()[0]
    booking = shop.book(slot["start"])
    assert slot["start"] not in [s["start"] for s in shop.slots()]
    shop.provider.decline(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "failed", what="the booking failed")
    assert shop.payment(booking)["status"] in ("declined", "voided")
    assert slot["start"] in [s["start"] for s in shop.slots()], "the slot is free again"


def test_a_repeated_event_is_one_transition_and_one_callback(shop, fakes):
    booking = shop.book()
    sent = shop.provider.approve(shop, shop.payment(booking))
    paid(shop, booking)
    for _ in range(2):
        shop.provider.resend(shop, sent)
    wait_for(lambda: callbacks_for(fakes, shop), what="the callback")
    assert shop.events(booking) == 1
    history = psql("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'"
                   " AND to_status = 'paid'", booking["id"])
    assert history == "1"
    assert len(callbacks_for(fakes, shop)) == 1


def test_a_bad_signature_is_401_and_changes_nothing(shop, allow_log):
    booking = shop.book()
    sent = shop.provider.approve(shop, shop.payment(booking), secret="not-the-merchants-secret")
    delivery = sent.get("delivery") or sent.get("notification", {}).get("delivery") or {}
    assert delivery.get("status") == 401, sent
    assert shop.state(booking) == "pending_payment"
    assert shop.payment(booking)["status"] == "pending"
    assert shop.events(booking) == 0


@pytest.mark.parametrize("what", ["amount", "currency"])
def test_a_mismatch_is_refused_and_flagged(shop, what, allow_log):
    booking = shop.book()
    pay = shop.payment(booking)
    other_currency = "EUR" if shop.currency == "USD" else "USD"
    amount, currency = ((shop.price - 100, shop.currency) if what == "amount"
                        else (shop.price, other_currency))
    if shop.provider.name == "mercadopago":
        # the notice carries nothing: what the merchant's account answers is what counts
        shop.provider.approve(shop, pay, amount=amount / 100, currency=currency)
    else:
        body, headers = shop.provider.signed_event(shop, pay, amount, currency)
        r = shop.post_webhook(body, headers)
        assert r.status_code == 200, r.text
    wait_for(lambda: shop.payment(booking)["mismatch"], what="the mismatch flagged")
    assert shop.state(booking) == "pending_payment"
    assert shop.payment(booking)["refund_needed"], "money taken for the wrong amount is flagged"


def test_another_accounts_payment_never_pays(shop, merchant, other_merchant, fakes, stack, api,
                                             allow_log):
    """A second merchant on the same provider: its account's approval for this booking's
    reference (signed with its own secret) is refused, and the return look-up asks only this
    merchant's account, which has nothing."""
    other = ProviderShop(other_merchant, fakes, stack, api, shop.provider.name)
    booking = shop.book()
    pay = shop.payment(booking)
    if shop.provider.name == "mercadopago":
        # the other account has a payment carrying this reference (its own preference for it),
        # and its signed notice names this reference
        pref = requests.post(stack["KF_FAKES_URL"] + "/mercadopago/checkout/preferences", json={
            "items": [{"title": "x", "quantity": 1, "currency_id": "COP",
                       "unit_price": shop.price / 100}],
            "external_reference": pay["reference"],
            "notification_url": "%s/api/webhooks/mercadopago?reference=%s" % (
                stack["KF_URL"], pay["reference"])},
            headers={"Authorization": "Bearer " + other.keys["access_token"]}, timeout=10)
        assert pref.status_code == 201, pref.text
        sent = fakes._call("POST", "/mercadopago/_control/payments", json={
            "access_token": other.keys["access_token"], "preference_id": pref.json()["id"],
            "status": "approved"})
        assert sent["payment"]["external_reference"] == pay["reference"]
        assert sent["notification"]["delivery"]["status"] == 401
    else:
        body, headers = shop.provider.signed_event(other, pay, shop.price, shop.currency)
        r = shop.post_webhook(body, headers)
        assert r.status_code == 401, r.text
    st = shop.status(booking, id="return")
    assert st["status"] == "pending_payment"
    assert shop.payment(booking)["status"] == "pending"


def paid_before_the_checkout_ended(booking):
    """The customer pays in the moment between the booking's expiry and the checkouts job
    ending the checkout at the provider: the job is kept away from this one."""
    psql("UPDATE payments SET checkout_close_attempts = 1000 WHERE reservation_id = :'p1'", booking["id"])


def test_a_checkout_left_open_is_ended_at_the_provider_when_its_booking_expires(shop):
    """A Stripe session (30 minutes at least) or an Airwallex intent (no end) outlives a
    shorter payment window: once the booking expired, the customer can no longer pay it."""
    if shop.provider.name == "mercadopago":
        pytest.skip("a Mercado Pago preference ends by itself at the expiration asked")
    booking = shop.book(shop.slots(start_in=11)[0]["start"])
    pay = shop.payment(booking)
    psql("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = :'p1'", booking["id"])
    wait_for(lambda: shop.state(booking) == "expired", what="the booking expired by the expiry job")
    wait_for(lambda: shop.provider.checkout_status(shop, pay) in ("expired", "CANCELLED"),
             what="the checkout ended at the provider")
    r = requests.post(shop.stack["KF_FAKES_URL"] + shop.provider.pay_control(pay), json={}, timeout=10)
    assert r.status_code in (400, 409), r.text
    assert shop.state(booking) == "expired"
    assert shop.payment(booking)["status"] != "approved"


def test_late_approval_takes_the_free_slot_again(shop, fakes):
    booking = shop.book(shop.slots(start_in=9)[0]["start"])
    paid_before_the_checkout_ended(booking)
    psql("UPDATE reservations SET status = 'expired', expires_at = now() WHERE id = :'p1'", booking["id"])
    shop.provider.approve(shop, shop.payment(booking))
    paid(shop, booking)
    assert not shop.payment(booking)["refund_needed"]
    wait_for(lambda: callbacks_for(fakes, shop), what="the callback")


def test_late_approval_with_the_slot_taken_fails_and_flags_the_refund(shop):
    start = shop.slots(start_in=10)[0]["start"]
    booking = shop.book(start)
    paid_before_the_checkout_ended(booking)
    psql("UPDATE reservations SET status = 'expired', expires_at = now() WHERE id = :'p1'", booking["id"])
    taker = shop.book(start)            # someone else took the slot meanwhile
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.payment(booking)["flag_reason"] == "slot_lost", what="slot_lost")
    assert shop.state(booking) == "failed"
    assert shop.state(taker) == "pending_payment"
    assert shop.payment(booking)["refund_needed"]


def test_a_refund_asked_twice_refunds_once(shop, fakes):
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    paid(shop, booking)
    admin = shop.merchant.api
    r = admin.post("/api/admin/bookings/%s/cancel" % booking["id"], json={"reason": "Cerramos"})
    assert r.status_code == 200, r.text
    assert r.json()["refund"]["status"] == "pending"
    again = admin.post("/api/admin/bookings/%s/refund" % booking["id"], json={})
    assert again.status_code == 202, again.text
    wait_for(lambda: shop.payment(booking)["refund_status"] == "succeeded", timeout=30,
             what="the refund job refunds through the provider")
    refunds = fakes._call("POST", "/%s/_control/refunds" % shop.provider.name, json={})
    asked = [x for x in refunds["refunds"]
             if shop.payment(booking)["transaction_id"] in str(x)]
    keys = {x.get("idempotency_key") or x.get("request_id") for x in asked}
    assert len(keys) == 1, asked          # retried or not, one refund
    for _ in range(2):
        r = admin.post("/api/admin/bookings/%s/refund" % booking["id"], json={})
        assert r.status_code == 202 and r.json()["refund"]["status"] == "succeeded"
    refunds = fakes._call("POST", "/%s/_control/refunds" % shop.provider.name, json={})
    assert len([x for x in refunds["refunds"]
                if shop.payment(booking)["transaction_id"] in str(x)]) == len(asked)


def test_a_refund_made_at_the_provider_is_recorded_on_the_payment(shop):
    """The merchant gives the money back in the provider's own dashboard: the provider's
    refund event (charge.refunded, refund.settled, a refunded payment) marks the payment."""
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    paid(shop, booking)
    shop.provider.refund_at_provider(shop, shop.payment(booking))
    wait_for(lambda: shop.payment(booking)["refund_status"] == "succeeded",
             what="the provider's refund event recorded")
    detail = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"]
    refund = detail["payment"]["refund"]
    assert refund["status"] == "succeeded" and refund["amount"] == shop.price
    assert refund["note"] == "refunded at the provider"


def test_all_the_money_refunded_at_the_provider_cancels_the_booking(shop, maildir):
    """A refund of everything in the provider's dashboard is the merchant cancelling: the
    booking is cancelled by the merchant with the refund, its slot is offered again, the
    merchant's server and the customer hear of it, and the event's repeat changes nothing."""
    slot = shop.slots()[0]
    booking = shop.book(slot["start"])
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "confirmed", what="the booking confirmed")
    maildir.snapshot()
    shop.provider.refund_at_provider(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "cancelled", what="the booking cancelled")
    detail = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"]
    assert detail["status"] == "cancelled"
    assert detail["history"][-1]["to"] == "cancelled"
    refund = detail["payment"]["refund"]
    assert refund["status"] == "succeeded" and refund["amount"] == shop.price
    assert detail["payment"]["refund_needed"] is False
    assert psql("SELECT cancelled_by FROM reservations WHERE id = :'p1'", booking["id"]) == "merchant"
    assert slot["start"] in [s["start"] for s in shop.slots()], "the slot is offered again"
    got = wait_for(lambda: [c for c in callbacks_for(shop.fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"],
                   what="booking.cancelled")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["booking_id"] == booking["id"]
    assert body["cancelacion"]["por"] == "comercio"
    assert body["cancelacion"]["reembolso"]["monto"] == shop.price
    maildir.wait(1, to="lucia@example.com", subject="Reserva cancelada: Sesión de fotos")
    # the provider sends its event again: one cancellation, one callback
    events = shop.events(booking)
    shop.provider.resend_last(shop, shop.payment(booking))
    assert int(psql("""SELECT count(*) FROM reservation_history
                       WHERE reservation_id = :'p1' AND to_status = 'cancelled'""", booking["id"])) == 1
    assert shop.events(booking) == events


def test_a_part_refunded_at_the_provider_is_recorded_and_the_booking_stands(shop):
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "confirmed", what="the booking confirmed")
    shop.provider.refund_at_provider(shop, shop.payment(booking), amount=3000000)
    wait_for(lambda: shop.payment(booking)["refund_status"] == "succeeded",
             what="the provider's refund event recorded")
    detail = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"]
    assert detail["status"] == "confirmed"
    assert detail["payment"]["refund"]["amount"] == 3000000
    assert detail["payment"]["refund"]["status"] == "succeeded"


def test_a_dispute_opened_at_stripe_is_recorded_and_flagged_once(shop):
    """The customer disputes the charge with their bank: the admin detail shows the dispute;
    the booking stands (the merchant answers at Stripe); a repeat changes nothing."""
    if shop.provider.name != "stripe":
        pytest.skip("Stripe's charge.dispute.created")
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "confirmed", what="the booking confirmed")
    sent = shop.fakes._call("POST", "/stripe/_control/payment_intents/%s/dispute"
                            % shop.payment(booking)["transaction_id"], json={"reason": "fraudulent"})
    assert sent["delivery"]["status"] == 200, sent
    detail = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"]
    dispute = detail["payment"]["dispute"]
    assert dispute["id"] == sent["dispute"]["id"]
    assert dispute["amount"] == shop.price and dispute["currency"] == shop.currency
    assert dispute["reason"] == "fraudulent" and dispute["opened_at"]
    assert detail["status"] == "confirmed"
    events = shop.events(booking)
    again = shop.provider.resend(shop, sent)
    assert again["delivery"]["status"] == 200
    assert shop.events(booking) == events
    assert shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"] \
        ["payment"]["dispute"] == dispute


def test_a_paid_service_with_the_chosen_provider_unconfigured_is_502(merchant, api, allow_log):
    allow_log(r"answered 502 provider_error")
    r = merchant.api.patch("/api/admin/tenant", json={"payment_provider": "stripe"})
    assert r.status_code == 200, r.text
    service = seed.service(merchant.tenant_id, price=5000000, charge="total")
    professional = seed.professional(merchant.tenant_id, services=[service])
    slug = seed.link(merchant.tenant_id)
    slots = api.get("/api/public/links/%s/availability" % slug,
                    params={"service": service, "professional": professional,
                            "from": seed.today_plus(1), "days": 7}).json()["slots"]
    hold = api.post("/api/public/holds", json={"link": slug, "service": service,
                                               "professional": professional,
                                               "start": slots[0]["start"]}).json()["hold"]
    r = api.post("/api/public/bookings", json={"hold_token": hold["token"], "accepted_terms": True,
                                               "customer": {"name": "Ana", "email": "a@example.com",
                                                            "phone": "+573001234567"}})
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error", r.text


def test_payment_provider_must_be_one_of_four(merchant):
    r = merchant.api.patch("/api/admin/tenant", json={"payment_provider": "paypal"})
    assert r.status_code == 400
    assert "payment_provider" in r.json()["error"]["fields"]
    assert merchant.api.get("/api/admin/tenant").json()["tenant"]["payment_provider"] == "wompi"


@pytest.mark.parametrize("provider,body,field", [
    ("stripe", {"mode": "test", "secret_key": "sk_live_abcdefgh12345", "webhook_secret": "whsec_abcdefgh1234"},
     "secret_key"),
    ("stripe", {"mode": "test", "secret_key": "sk_test_abcdefgh12345", "webhook_secret": "abcdefgh1234"},
     "webhook_secret"),
    ("mercadopago", {"mode": "production", "access_token": "TEST-12345678-abc", "webhook_secret": "abcdefgh1234"},
     "access_token"),
    ("airwallex", {"mode": "test", "client_id": "abc", "api_key": "abcdefgh12345678", "webhook_secret": "abcdefgh1234"},
     "client_id"),
])
def test_keys_of_the_wrong_form_are_refused_and_nothing_is_saved(merchant, provider, body, field):
    r = merchant.api.put("/api/admin/tenant/payments/" + provider, json=body)
    assert r.status_code == 400, r.text
    assert field in r.json()["error"]["fields"]
    assert merchant.api.get("/api/admin/tenant").json()["tenant"]["payments"][provider]["configured"] is False


def test_an_unknown_provider_is_404(merchant):
    r = merchant.api.put("/api/admin/tenant/payments/paypal", json={"mode": "test"})
    assert r.status_code == 404


@pytest.mark.parametrize("sql", [
    "UPDATE tenants SET payment_provider = :'p2' WHERE id = :'p1'",
    "INSERT INTO tenant_payment_settings (tenant_id, provider, mode, secrets_sealed)"
    " VALUES (:'p1', :'p2', 'test', 'x')",
])
def test_the_database_keeps_a_providers_name_in_its_shape(merchant, sql):
    """The module's registry names the providers (anything else is refused at the edge:
    above); every column that holds a name takes nothing but a name's shape."""
    for bad in ("Pay Pal", "", "x" * 40, "1pay"):
        with pytest.raises(RuntimeError, match="kf_payment_provider"):
            psql(sql, merchant.tenant_id, bad)
    assert merchant.api.get("/api/admin/tenant").json()["tenant"]["payment_provider"] == "wompi"
