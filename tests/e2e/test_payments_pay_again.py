"""Paying again for a booking whose payment failed or ran out (API.md "Public booking API",
POST /api/public/bookings/{id}/pay): the customer takes a hold of the same service through
the link (the same time again, or another one when it was taken meanwhile) and the booking
takes it with a new payment, its details and accepted terms kept; the refusals change
nothing."""
import pytest

import booking_seed as seed
from conftest import psql
from payments_helpers import wait_for
from provider_support import ProviderShop
from test_payments_flow import Flow


@pytest.fixture
def flow(merchant, fakes, stack, api):
    return Flow(merchant, fakes, stack, api)


def hold(flow, start, service=None):
    r = flow.api.post("/api/public/holds", json={"link": flow.slug, "service": service or flow.service,
                                                 "professional": flow.professional, "start": start})
    assert r.status_code == 201, r.text
    return r.json()["hold"]


def pay_again(api, booking, hold_token, token=None):
    body = {} if hold_token is None else {"hold_token": hold_token}
    return api.post("/api/public/bookings/%s/pay" % booking["id"], json=body,
                    headers={"Authorization": "Bearer " + (token or booking["token"])}, timeout=30)


def history(booking_id):
    return psql("SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || ':' || reason,"
                " ' ' ORDER BY id) FROM reservation_history WHERE reservation_id = :'p1'", booking_id)


def apart(flow, n):
    """The starts of n slots that do not overlap (ISO UTC strings sort)."""
    starts, last_end = [], ""
    for slot in flow.slots():
        if slot["start"] >= last_end and len(starts) < n:
            starts.append(slot["start"])
            last_end = slot["end"]
    return starts


def declined(flow, start):
    booking = flow.book(start)
    assert flow.pay(flow.checkout(booking), "DECLINED").status_code == 302
    assert flow.status(booking)["status"] == "failed"
    return booking


def test_a_declined_booking_is_paid_again_at_the_same_time(flow, api):
    start = flow.slots()[0]["start"]
    booking = declined(flow, start)
    first = booking["payment"]["reference"]
    h = hold(flow, start)
    r = pay_again(api, booking, h["token"])
    assert r.status_code == 200, r.text
    again = r.json()["booking"]
    assert again["id"] == booking["id"] and again["token"] == booking["token"]
    assert again["status"] == "pending_payment"
    assert again["start"] == start
    assert again["charge"] == booking["charge"]
    assert again["payment"]["reference"] != first
    assert again["payment"]["checkout_url"].startswith(flow.stack["KF_FAKES_URL"] + "/wompi/checkout/p/?")
    # the hold was used up for it; the slot is the booking's, offered to nobody else
    assert psql("SELECT status || ':' || status_reason FROM reservations WHERE id = :'p1'",
                h["id"]) == "expired:used_to_pay_again"
    assert start not in [s["start"] for s in flow.slots()]
    assert history(booking["id"]).endswith(
        "pending_payment>failed:payment_declined failed>pending_payment:payment_retried")
    # the same details and terms: the checkout is the customer's, and the new payment pays it
    page = flow.checkout(again)
    assert page.status_code == 200 and "ana@example.com" in page.text
    assert flow.pay(page, "APPROVED").status_code == 302
    st = wait_for(lambda: (lambda s: s["status"] in ("paid", "confirmed") and s)(flow.status(booking)),
                  what="paid")
    assert st["payment"]["reference"] == again["payment"]["reference"]
    assert st["payment"]["status"] == "approved"


def test_a_time_taken_meanwhile_is_paid_again_at_another(flow, api):
    first, other = apart(flow, 2)
    booking = declined(flow, first)
    taken = hold(flow, first)              # somebody else got it
    r = api.post("/api/public/holds", json={"link": flow.slug, "service": flow.service,
                                            "professional": flow.professional, "start": first})
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable"
    h = hold(flow, other)
    r = pay_again(api, booking, h["token"])
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["start"] == other
    st = flow.status(booking)
    assert st["status"] == "pending_payment" and st["start"] == other
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", taken["id"]) == "held"


def test_refusals_change_nothing(flow, api, merchant):
    start, later, third, fourth = apart(flow, 4)
    booking = declined(flow, start)
    before = history(booking["id"])
    # no hold, or not a token's shape
    for body_token in (None, "short"):
        r = pay_again(api, booking, body_token)
        assert r.status_code == 400 and "hold_token" in r.json()["error"]["fields"], r.text
    # a wrong token names no booking
    h = hold(flow, start)
    r = pay_again(api, booking, h["token"], token="x" * 43)
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    # the hold let go, or the booking's own (spent) hold token
    assert api.delete("/api/public/holds/" + h["id"],
                      headers={"Authorization": "Bearer " + h["token"]}).status_code == 204
    r = pay_again(api, booking, h["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired", r.text
    # a hold of another service
    svc = seed.service(merchant.tenant_id, name="Otro servicio", price=5000000, charge="total")
    seed.offer(merchant.tenant_id, svc, flow.professional)
    other = hold(flow, later, service=svc)
    r = pay_again(api, booking, other["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired", r.text
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", other["id"]) == "held"
    assert flow.status(booking)["status"] == "failed"
    assert history(booking["id"]) == before
    # a booking still waiting for its payment, or paid, is not paid again
    waiting = flow.book(third)
    spare = hold(flow, fourth)
    r = pay_again(api, waiting, spare["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "payment_closed", r.text
    assert flow.pay(flow.checkout(waiting), "APPROVED").status_code == 302
    r = pay_again(api, waiting, spare["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "payment_closed", r.text


def test_provider_down_fails_it_again_and_frees_the_time(merchant, fakes, stack, api, allow_log):
    allow_log(r"answered 502 provider_error")
    allow_log(r"no stripe checkout for payment")
    shop = ProviderShop(merchant, fakes, stack, api, "stripe")
    start = shop.slots()[0]["start"]
    booking = shop.book(start)
    shop.provider.decline(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) in ("failed", "expired"), what="the checkout expired")
    r = api.post("/api/public/holds", json={"link": shop.slug, "service": shop.service,
                                            "professional": shop.professional, "start": start})
    assert r.status_code == 201, r.text
    fakes.config("stripe", status=500)
    try:
        r = pay_again(api, booking, r.json()["hold"]["token"])
    finally:
        fakes.config("stripe", status=None)
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error", r.text
    assert shop.state(booking) == "failed"
    assert history(booking["id"]).endswith(
        ">pending_payment:payment_retried pending_payment>failed:checkout_failed")
    assert shop.payment(booking)["flag_reason"] == "checkout_failed"
    assert start in [s["start"] for s in shop.slots()]
