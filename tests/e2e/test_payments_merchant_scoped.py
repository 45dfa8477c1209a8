"""Payments believed only from the merchant's own account: the transaction id a
browser brings back from the checkout is a hint, never proof; the provider is asked about the
payment's reference with the tenant's private key. A reconciliation job asks the same way
about payments still pending after KonfirmadoReconcileDelay, so an approval whose webhook
never came is applied, late-approval rules included. A rotated events secret keeps
verifying webhooks for 72 h."""
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import psql
from payments_helpers import (PayTenant, booking_row, callbacks_for, check_callback_signatures,
                              count, payment_row, wait_for)
from test_payments_flow import Flow


@pytest.fixture
def flow(merchant, fakes, stack, api):
    return Flow(merchant, fakes, stack, api)


def test_money_paid_into_another_merchants_account_never_marks_the_booking_paid(
        flow, other_merchant, fakes, stack, allow_log):
    """The attack: the customer pays the same reference and amount into a Wompi account of
    their own, then comes back with that transaction's id."""
    fakes.config("wompi", events_url=None)
    booking = flow.book(flow.slots()[0]["start"])
    attacker = PayTenant(other_merchant, fakes, stack)
    fakes.config("wompi", events_url=None)
    tx = fakes._call("POST", "/wompi/_control/transactions", json={
        "public_key": attacker.keys["public_key"], "reference": booking["payment"]["reference"],
        "amount_in_cents": booking["charge"]["amount"], "currency": "COP", "status": "APPROVED",
        "send": False})["transaction"]
    # the public transaction really says APPROVED, same reference, same amount
    assert tx["reference"] == booking["payment"]["reference"]
    st = flow.status(booking, id=tx["id"])
    assert st["status"] == "pending_payment"
    assert st["payment"]["status"] == "pending"
    assert payment_row(booking["payment"]["reference"])["status"] == "pending"
    assert callbacks_for(fakes, flow.shop) == []


def test_the_merchants_own_approval_is_found_by_reference_whatever_id_the_browser_brings(
        flow, fakes):
    fakes.config("wompi", events_url=None)
    booking = flow.book(flow.slots()[0]["start"])
    flow.pay(flow.checkout(booking), "APPROVED")
    # a browser that lost (or forged) the id still gets the truth from the merchant's account
    st = flow.status(booking, id="anything-at-all")
    assert st["status"] in ("paid", "confirmed")
    assert st["payment"]["status"] == "approved"
    wait_for(lambda: callbacks_for(fakes, flow.shop), what="the merchant callback")


def test_lookup_uses_the_private_key_and_a_refused_key_changes_nothing(flow, fakes, allow_log):
    allow_log(r"look-up \(fetch\) failed")
    fakes.config("wompi", events_url=None)
    booking = flow.book(flow.slots()[0]["start"])
    paid = flow.pay(flow.checkout(booking), "APPROVED")
    transaction = parse_qs(urlsplit(paid.headers["Location"]).query)["id"][0]
    # Wompi no longer knows the private key (revoked): 401, the booking waits for its webhook
    known = fakes._call("GET", "/_fakes/wompi/config")["merchants"]
    known[flow.shop.keys["public_key"]]["private_key"] = "prv_test_revoked"
    fakes.config("wompi", merchants=known)
    assert flow.status(booking, id=transaction)["status"] == "pending_payment"
    searches = [r for r in fakes.requests("wompi") if r["path"].endswith("/v1/transactions")]
    assert searches, "the provider was asked by reference"
    assert searches[-1]["headers"]["Authorization"] == "Bearer " + flow.shop.keys["private_key"]
    assert not [r for r in fakes.requests("wompi") if "/v1/transactions/" in r["path"]], \
        "the browser's transaction id is never looked up"


def _backdate(reference, minutes=10):
    # the first look-up comes KonfirmadoReconcileDelay (300 s) after checkout, as the module
    # sets it when it creates the payment
    psql("UPDATE payments SET created_at = now() - make_interval(mins => :'p2'::int),"
         " reconcile_next_at = now() - make_interval(mins => :'p2'::int) + interval '300 seconds'"
         " WHERE reference = :'p1'", reference, minutes)


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def test_reconciliation_applies_an_approval_whose_webhook_never_came(shop, fakes):
    booking, ref = shop.pending_booking()
    shop.fire(ref, send=False)                 # approved at Wompi; the event is lost
    assert booking_row(booking)[0] == "pending_payment"
    _backdate(ref)                             # checkout was 10 minutes ago
    wait_for(lambda: booking_row(booking)[0] in ("paid", "confirmed"), timeout=20,
             what="the reconciliation job")
    assert payment_row(ref)["status"] == "approved"
    assert count("SELECT count(*) FROM payment_events e JOIN payments p ON p.id = e.payment_id"
                 " WHERE p.reference = :'p1' AND e.source = 'reconcile'", ref) == 1
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    assert check_callback_signatures(got[0], shop.callback_secret)["pago"]["estado"] == "aprobado"


def test_reconciliation_waits_for_the_delay_and_backs_off(shop, fakes):
    booking, ref = shop.pending_booking()
    shop.fire(ref, send=False)
    import time
    time.sleep(3)                              # two runs of the job: too early to ask
    assert booking_row(booking)[0] == "pending_payment"
    assert payment_row(ref)["status"] == "pending"
    # nothing paid yet at Wompi: asked once, then later (backoff), never twice in a row
    other, ref2 = shop.pending_booking()
    _backdate(ref2)
    wait_for(lambda: count("SELECT reconcile_attempts FROM payments WHERE reference = :'p1'",
                           ref2) >= 1, timeout=20, what="a first look-up")
    time.sleep(3)
    assert count("SELECT reconcile_attempts FROM payments WHERE reference = :'p1'", ref2) == 1
    assert count("SELECT count(*) FROM payments WHERE reference = :'p1' AND"
                 " reconcile_next_at > now() + interval '200 seconds'", ref2) == 1
    assert booking_row(other)[0] == "pending_payment"


def test_an_abandoned_checkout_is_asked_about_no_more_a_day_after_its_window(shop, fakes):
    booking, ref = shop.pending_booking()
    assert count("SELECT count(*) FROM payments WHERE reference = :'p1' AND"
                 " reconcile_next_at > now() + interval '200 seconds'", ref) == 1, \
        "a new payment is first due KonfirmadoReconcileDelay after checkout"
    # the customer left the checkout three days ago; its window closed two days ago
    psql("UPDATE payments SET created_at = now() - interval '3 days',"
         " expires_at = now() - interval '2 days', reconcile_next_at = now() - interval '1 hour'"
         " WHERE reference = :'p1'", ref)
    wait_for(lambda: count("SELECT count(*) FROM payments WHERE reference = :'p1' AND"
                           " reconcile_next_at = 'infinity'", ref) == 1, timeout=20,
             what="the abandoned payment retired from the reconciliation's due range")
    assert count("SELECT reconcile_attempts FROM payments WHERE reference = :'p1'", ref) == 0, \
        "never asked about"
    assert payment_row(ref)["status"] == "pending"
    assert booking_row(booking)[0] == "pending_payment"


def test_reconciliation_late_approval_takes_the_slot_back_when_free(shop, fakes):
    booking, ref = shop.pending_booking(expires_in="-1 minute")
    psql("UPDATE reservations SET status = 'expired', status_reason = 'payment_window_passed'"
         " WHERE id = :'p1'", booking)
    shop.fire(ref, send=False)
    _backdate(ref, 40)
    wait_for(lambda: booking_row(booking)[0] in ("paid", "confirmed"), timeout=20,
             what="the late approval")
    assert payment_row(ref)["refund_needed"] is False


def test_reconciliation_late_approval_with_the_slot_taken_is_flagged_for_refund(shop, fakes):
    booking, ref = shop.pending_booking(expires_in="-1 minute", start_in_days=60)
    psql("UPDATE reservations SET status = 'expired', status_reason = 'payment_window_passed'"
         " WHERE id = :'p1'", booking)
    taker = psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, customer_name, customer_email, customer_phone, accepted_terms_at,
            currency)
        SELECT tenant_id, service_id, professional_id, 'paid', starts_at, ends_at, blocked,
               'Otra persona', 'otra@example.com', '+573001234568', now(), currency
        FROM reservations WHERE id = :'p1' RETURNING id""", booking)
    assert taker
    shop.fire(ref, send=False)
    _backdate(ref, 40)
    wait_for(lambda: payment_row(ref)["status"] == "approved", timeout=20,
             what="the late approval")
    row = booking_row(booking)
    assert row[0] == "failed"
    pay = payment_row(ref)
    assert pay["refund_needed"] is True


def test_reconciliation_stops_a_day_after_the_payment_window(shop, fakes):
    booking, ref = shop.pending_booking()
    shop.fire(ref, send=False)
    psql("UPDATE payments SET created_at = now() - interval '3 days',"
         " expires_at = now() - interval '25 hours' WHERE reference = :'p1'", ref)
    import time
    time.sleep(4)
    assert payment_row(ref)["status"] == "pending"
    assert count("SELECT reconcile_attempts FROM payments WHERE reference = :'p1'", ref) == 0


def test_a_rotated_events_secret_still_verifies_for_72_hours(shop, fakes):
    old = dict(shop.keys)
    new = dict(old, events_secret="test_events_" + "n" * 24)
    r = shop.api.put("/api/admin/tenant/payments/wompi", json=new)
    assert r.status_code == 200, r.text
    # an event signed with the previous secret (sent before the dashboard was updated)
    booking, ref = shop.pending_booking()
    out = shop.fire(ref, secret=old["events_secret"])
    assert out["delivery"]["status"] == 200, out["delivery"]
    assert booking_row(booking)[0] in ("paid", "confirmed")
    # the new secret works too
    booking2, ref2 = shop.pending_booking()
    assert shop.fire(ref2, secret=new["events_secret"])["delivery"]["status"] == 200
    # a second rotation: the first secret is no longer accepted, the second still is
    newer = dict(old, events_secret="test_events_" + "m" * 24)
    assert shop.api.put("/api/admin/tenant/payments/wompi", json=newer).status_code == 200
    booking3, ref3 = shop.pending_booking()
    assert shop.fire(ref3, secret=old["events_secret"])["delivery"]["status"] == 401
    assert booking_row(booking3)[0] == "pending_payment"
    assert shop.fire(ref3, secret=new["events_secret"])["delivery"]["status"] == 200
    # saving the same keys again keeps the window of the previous secret
    assert shop.api.put("/api/admin/tenant/payments/wompi", json=newer).status_code == 200
    booking4, ref4 = shop.pending_booking()
    assert shop.fire(ref4, secret=new["events_secret"])["delivery"]["status"] == 200
