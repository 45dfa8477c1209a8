"""Disputes (chargebacks) from every provider through its fake: the customer's bank disputes
a paid booking's charge; the admin detail shows the dispute and where it stands, the bookings
list marks it, the booking itself stands (the merchant answers at the provider); a repeated
event changes nothing; the ruling is recorded and never reopened by a late repeat; a forged
event is refused and changes nothing. Wompi reports no disputes."""
import pytest

from conftest import psql
from payments_helpers import wait_for
from provider_support import PROVIDERS, ProviderShop, delivery


@pytest.fixture(params=PROVIDERS)
def shop(request, merchant, fakes, stack, api):
    return ProviderShop(merchant, fakes, stack, api, request.param)


def confirmed_booking(shop):
    booking = shop.book()
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) == "confirmed", what="the booking confirmed")
    return booking


def detail(shop, booking):
    r = shop.merchant.api.get("/api/admin/bookings/%s" % booking["id"])
    assert r.status_code == 200, r.text
    return r.json()["booking"]


def history(booking):
    return psql("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'",
                booking["id"])


def listed(shop, booking):
    r = shop.merchant.api.get("/api/admin/bookings", params={"per_page": 100})
    assert r.status_code == 200, r.text
    return next(i for i in r.json()["items"] if i["id"] == booking["id"])


def test_a_dispute_is_recorded_with_its_state_and_the_booking_stands(shop):
    booking = confirmed_booking(shop)
    assert listed(shop, booking)["dispute_status"] is None
    moves = history(booking)

    opened = shop.provider.open_dispute(shop, shop.payment(booking))
    assert delivery(opened) == 200, opened
    got = detail(shop, booking)
    dispute = got["payment"]["dispute"]
    assert dispute is not None, "the dispute is recorded"
    assert dispute["status"] == "open"
    assert dispute["amount"] == shop.price and dispute["currency"] == shop.currency
    assert dispute["reason"] and dispute["opened_at"] and dispute["id"]
    assert got["status"] == "confirmed", "the booking stands"
    assert history(booking) == moves
    assert listed(shop, booking)["dispute_status"] == "open"

    # the provider sends it again: nothing new
    events = shop.events(booking)
    again = shop.provider.resend_dispute(shop, opened)
    assert delivery(again) == 200, again
    assert shop.events(booking) == events
    assert detail(shop, booking)["payment"]["dispute"] == dispute

    # the bank rules against the merchant
    closed = shop.provider.close_dispute(shop, opened, "lost")
    assert delivery(closed) == 200, closed
    after = detail(shop, booking)
    assert after["payment"]["dispute"]["status"] == "lost"
    assert after["payment"]["dispute"]["id"] == dispute["id"]
    assert after["payment"]["dispute"]["opened_at"] == dispute["opened_at"]
    assert after["payment"]["dispute"]["updated_at"]
    assert after["status"] == "confirmed" and history(booking) == moves
    assert listed(shop, booking)["dispute_status"] == "lost"

    # a late repeat of the ruling, or of the opening, never reopens it
    events = shop.events(booking)
    for sent in (closed, opened):
        assert delivery(shop.provider.resend_dispute(shop, sent)) == 200
    assert detail(shop, booking)["payment"]["dispute"] == after["payment"]["dispute"]
    assert shop.events(booking) == events


def test_a_dispute_won_by_the_merchant_says_so(shop):
    booking = confirmed_booking(shop)
    opened = shop.provider.open_dispute(shop, shop.payment(booking))
    assert delivery(opened) == 200, opened
    won = shop.provider.close_dispute(shop, opened, "won")
    assert delivery(won) == 200, won
    got = detail(shop, booking)
    assert got["payment"]["dispute"]["status"] == "won"
    assert got["status"] == "confirmed"


def test_a_forged_dispute_is_401_and_changes_nothing(shop, allow_log):
    booking = confirmed_booking(shop)
    events = shop.events(booking)
    sent = shop.provider.open_dispute(shop, shop.payment(booking), secret="not-the-merchants-secret")
    assert delivery(sent) == 401, sent
    got = detail(shop, booking)
    assert got["payment"]["dispute"] is None
    assert got["status"] == "confirmed"
    assert shop.events(booking) == events
    assert listed(shop, booking)["dispute_status"] is None


def test_an_update_arriving_after_the_ruling_does_not_reopen_it(shop):
    """Stripe does not promise order: a charge.dispute.updated made before the ruling but
    delivered after it leaves the dispute as ruled."""
    if shop.provider.name != "stripe":
        pytest.skip("Stripe's out-of-order dispute events")
    booking = confirmed_booking(shop)
    opened = shop.provider.open_dispute(shop, shop.payment(booking))
    dp = opened["dispute"]["id"]
    late = shop.fakes._call("POST", "/stripe/_control/disputes/%s/update" % dp,
                            json={"status": "under_review", "send": False})
    won = shop.provider.close_dispute(shop, opened, "won")
    assert delivery(won) == 200, won
    ruled = detail(shop, booking)["payment"]["dispute"]
    assert ruled["status"] == "won"
    sent = shop.provider.resend_dispute(shop, late)
    assert delivery(sent) == 200, sent
    assert detail(shop, booking)["payment"]["dispute"] == ruled
