"""A mail that cannot be queued never undoes a booking or its payment (API.md "After
booking"): the booking still becomes paid, the merchant's callback still goes out, the
other mails still go, and the refused mail is kept as failed."""
import secrets
import time

import pytest

from conftest import psql
from packages_support import PackShop
from payments_helpers import PayTenant, booking_row, callbacks_for, wait_for


@pytest.mark.allow_log(r"mail booking_confirmed not queued")
def test_a_paid_approval_whose_mail_is_refused_still_ends_paid(merchant, fakes, stack, maildir):
    shop = PayTenant(merchant, fakes, stack)
    pro_email = "pro-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro_email, shop.professional)
    booking, ref = shop.pending_booking()
    # an address the booking validation took before it followed the mail rule
    psql("UPDATE reservations SET customer_email = 'ana@clinica' WHERE id = :'p1'", booking)
    shop.fire(ref)
    # paid, then confirmed once the merchant acknowledges the callback
    wait_for(lambda: booking_row(booking)[0] in ("paid", "confirmed"), what="the booking paid")
    paid = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                             if booking in c["body"]], what="the merchant's callback")
    assert paid
    # the professional's notice is not held back by the customer's refused mail
    assert maildir.wait(1, timeout=30, to=pro_email)
    failed = psql("""SELECT recipient || '|' || subject || '|' || (failed_at IS NOT NULL)
                     FROM mail_outbox WHERE tenant_id = :'p1' AND recipient = 'ana@clinica'""",
                  shop.tenant_id)
    assert failed == "ana@clinica|booking_confirmed|true"
    time.sleep(1)
    assert booking_row(booking)[0] in ("paid", "confirmed")


@pytest.mark.allow_log(r"mail purchase_paid not queued")
def test_a_paid_package_whose_mail_is_refused_still_ends_paid(merchant, fakes, stack, api):
    shop = PackShop(merchant, fakes, stack, api)
    purchase = shop.bought()
    psql("UPDATE purchases SET customer_email = 'ana@clinica' WHERE id = :'p1'", purchase["id"])
    shop.approve(purchase)
    wait_for(lambda: shop.status(purchase)["status"] == "paid", what="the purchase paid")
    shop.wait_callbacks("purchase.paid")
    failed = psql("""SELECT subject || '|' || (failed_at IS NOT NULL) FROM mail_outbox
                     WHERE tenant_id = :'p1' AND recipient = 'ana@clinica'""", merchant.tenant_id)
    assert failed == "purchase_paid|true"
