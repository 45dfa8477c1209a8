"""A provider event is recorded once per tenant, not once across tenants: two merchants'
Wompi accounts may number their transactions alike, and each tenant's signed event pays its
own booking; a repeat of one tenant's own event is still a no-op (sql/042)."""
import hashlib
import json
import secrets
import time
from datetime import datetime, timezone

import pytest
import requests

from conftest import psql
from payments_helpers import PayTenant, booking_row, count, payment_row, wait_for


@pytest.fixture
def shops(merchant, other_merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack), PayTenant(other_merchant, fakes, stack)


def wompi_event(shop, transaction_id, reference):
    """transaction.updated as Wompi sends it, signed with the tenant's events secret."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    tx = {"id": transaction_id, "created_at": now, "finalized_at": now,
          "amount_in_cents": shop.price, "reference": reference,
          "customer_email": "cliente@example.com", "currency": "COP",
          "payment_method_type": "CARD", "status": "APPROVED", "status_message": None}
    ts = int(time.time())
    values = "%s%s%d" % (tx["id"], tx["status"], tx["amount_in_cents"])
    checksum = hashlib.sha256(("%s%d%s" % (values, ts, shop.keys["events_secret"])).encode()).hexdigest()
    return {"event": "transaction.updated", "data": {"transaction": tx}, "environment": "test",
            "signature": {"properties": ["transaction.id", "transaction.status",
                                         "transaction.amount_in_cents"], "checksum": checksum},
            "timestamp": ts, "sent_at": now}


def post(shop, event):
    r = requests.post(shop.webhook_url(), data=json.dumps(event).encode(), timeout=15,
                      headers={"Host": shop.webhook_host(), "Content-Type": "application/json",
                               "X-Event-Checksum": event["signature"]["checksum"].upper()})
    assert r.status_code == 200, r.text


def events_of(shop, transaction_id):
    return count("SELECT count(*) FROM payment_events WHERE tenant_id = :'p1'"
                 " AND transaction_id = :'p2'", shop.tenant_id, transaction_id)


def test_two_tenants_events_with_the_same_id_both_apply(shops):
    first, second = shops
    transaction_id = "%d-%d-%05d" % (secrets.randbelow(90000) + 10000, int(time.time()),
                                     secrets.randbelow(100000))
    booking_a, ref_a = first.pending_booking()
    booking_b, ref_b = second.pending_booking()
    post(first, wompi_event(first, transaction_id, ref_a))
    post(second, wompi_event(second, transaction_id, ref_b))
    # each tenant's booking is paid by its own event
    for shop, booking, ref in ((first, booking_a, ref_a), (second, booking_b, ref_b)):
        wait_for(lambda: booking_row(booking)[0] in ("paid", "confirmed"),
                 what="the booking of %s paid" % shop.tenant_id)
        pay = payment_row(ref)
        assert pay["status"] == "approved" and pay["transaction_id"] == transaction_id
        assert events_of(shop, transaction_id) == 1
    # a repeat of one tenant's own event changes nothing and is recorded once
    post(first, wompi_event(first, transaction_id, ref_a))
    assert events_of(first, transaction_id) == 1
    assert count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'"
                 " AND to_status = 'paid'", booking_a) == 1
    assert psql("SELECT count(DISTINCT tenant_id) FROM payment_events WHERE transaction_id = :'p1'",
                transaction_id) == "2"
