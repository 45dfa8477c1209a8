"""konfirmado-payment-test: a test-mode booking paid (or declined) on a server that cannot
reach its payment provider, by the provider's own signed notice posted to the server's
webhook with the tenant's stored secret; the server takes it as it takes the provider's
(paid, the merchant's signed callback). A live account, a provider whose checkouts need its
API and a payment that is not pending are refused, and nothing is posted."""
import os
import subprocess

import pytest

from conftest import psql
from payments_helpers import (PayTenant, booking_row, callbacks_for, check_callback_signatures,
                              count, payment_row, rand, wait_for)


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def payment_test(stack, booking, *options):
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-payment-test")
    return subprocess.run([tool, *options, "--key", stack["KF_KEYFILE"], stack["KF_PGURL"],
                           stack["KF_URL"], booking], capture_output=True, text=True, timeout=60)


def events_of(reference):
    return count("SELECT count(*) FROM payment_events e JOIN payments p ON p.id = e.payment_id"
                 " WHERE p.reference = :'p1'", reference)


def test_a_test_mode_booking_is_paid_with_a_verified_callback(shop, fakes, stack):
    booking, ref = shop.pending_booking()
    run = payment_test(stack, booking)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Wompi's signed approval notice of payment %s" % ref in run.stdout
    assert '"outcome":"applied"' in run.stdout.replace(" ", "")
    assert "its booking is" in run.stdout
    pay = payment_row(ref)
    assert pay["status"] == "approved"
    assert pay["transaction_id"].startswith("konfirmado-test-")
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["evento"] == "booking.paid" and body["booking_id"] == booking
    assert body["pago"]["estado"] == "aprobado" and body["pago"]["modo"] == "test"
    wait_for(lambda: booking_row(booking)[0] == "confirmed", what="confirmed")
    for secret in shop.keys.values():
        assert secret == "test" or secret not in run.stdout + run.stderr
    # once more: the payment is not pending any more, nothing is posted
    again = payment_test(stack, booking)
    assert again.returncode == 3 and "approved already" in again.stderr, again.stderr
    assert events_of(ref) == 1


def test_a_reference_is_declined_and_frees_the_slot(shop, stack):
    booking, ref = shop.pending_booking(start_in_days=41)
    run = payment_test(stack, ref, "--decline")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "decline notice" in run.stdout
    assert payment_row(ref)["status"] == "declined"
    assert booking_row(booking) == ("failed", "payment_declined")


def test_a_live_account_is_refused_and_nothing_posted(merchant, stack):
    live = {"mode": "production", "public_key": "pub_prod_" + rand(),
            "private_key": "prv_prod_" + rand(), "events_secret": "prod_events_" + rand(),
            "integrity_secret": "prod_integrity_" + rand()}
    r = merchant.api.put("/api/admin/tenant/payments/wompi", json=live)
    assert r.status_code == 200, r.text
    booking, ref = seeded_payment(merchant.tenant_id, "wompi", "production")
    run = payment_test(stack, booking)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "production mode" in run.stderr and "only in test mode" in run.stderr
    assert run.stdout == ""
    assert payment_row(ref)["status"] == "pending" and events_of(ref) == 0
    assert booking_row(booking)[0] == "pending_payment"


def test_a_provider_whose_checkout_needs_its_api_is_refused(merchant, stack):
    r = merchant.api.put("/api/admin/tenant/payments/stripe", json={
        "mode": "test", "secret_key": "sk_test_" + rand(24), "webhook_secret": "whsec_" + rand(24)})
    assert r.status_code == 200, r.text
    booking, ref = seeded_payment(merchant.tenant_id, "stripe", "test")
    run = payment_test(stack, booking)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "Stripe cannot be tried without Stripe" in run.stderr
    assert payment_row(ref)["status"] == "pending" and events_of(ref) == 0


def test_a_booking_without_a_payment_and_a_wrong_key(shop, stack, tmp_path):
    run = payment_test(stack, "00000000-0000-4000-8000-000000000000")
    assert run.returncode == 3 and "no payment" in run.stderr, run.stderr
    booking, ref = shop.pending_booking()
    other = tmp_path / "other.key"
    other.write_bytes(os.urandom(32))
    other.chmod(0o600)
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-payment-test")
    run = subprocess.run([tool, "--key", str(other), stack["KF_PGURL"], stack["KF_URL"], booking],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "do not open" in run.stderr, run.stderr
    assert payment_row(ref)["status"] == "pending" and events_of(ref) == 0


def seeded_payment(tenant_id, provider, mode):
    """A booking waiting for its payment at `provider` in `mode` (what booking creation makes
    with a reachable provider). Returns (booking id, payment reference)."""
    service = psql("""
        INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount,
                              currency, charge_type)
        VALUES (:'p1', 'Consulta', 'Una consulta de prueba.', 30, 9000000, 'COP', 'total')
        RETURNING id""", tenant_id)
    professional = psql("""
        INSERT INTO professionals (tenant_id, name, timezone)
        VALUES (:'p1', 'Dra. Ríos', 'America/Bogota') RETURNING id""", tenant_id)
    booking = psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, expires_at, customer_name, customer_email, customer_phone,
            accepted_terms_at, charge_type, charge_amount, currency)
        SELECT :'p1', :'p2', :'p3', 'pending_payment', s, s + interval '30 minutes',
               tstzrange(s, s + interval '30 minutes'), now() + interval '30 minutes',
               'Ana María Gómez', 'ana@example.com', '+573001234567', now(), 'total', 9000000, 'COP'
        FROM (SELECT date_trunc('hour', now()) + interval '3 days' AS s) x
        RETURNING id""", tenant_id, service, professional)
    reference = "KF-TEST" + rand(16).upper()
    psql("""
        INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,
                              currency, expires_at)
        VALUES (:'p1', :'p2', :'p3', :'p4', :'p5', 9000000, 'COP', now() + interval '30 minutes')
        """, tenant_id, booking, provider, mode, reference)
    return booking, reference
