"""Failed deliveries are visible and can be sent again (API.md "After booking"): the admin
list of failed mails, texts and callbacks, the booking detail's deliveries, the re-send, and
that a tenant never sees nor re-sends another tenant's deliveries."""
import pytest

from conftest import psql
from payments_helpers import PayTenant, booking_row, callbacks_for, wait_for


def paid_with_refused_mail(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    psql("UPDATE professionals SET email = 'pro-deliveries@example.com' WHERE id = :'p1'",
         shop.professional)
    booking, ref = shop.pending_booking()
    # an address the booking validation took before it followed the mail rule
    psql("UPDATE reservations SET customer_email = 'ana@clinica' WHERE id = :'p1'", booking)
    shop.fire(ref)
    wait_for(lambda: booking_row(booking)[0] in ("paid", "confirmed"), what="the booking paid")
    wait_for(lambda: [c for c in callbacks_for(fakes, shop) if booking in c["body"]],
             what="the merchant's callback")
    return shop, booking


@pytest.mark.allow_log(r"mail booking_confirmed not queued")
def test_a_refused_mail_is_listed_failed_and_shown_on_its_booking(merchant, fakes, stack):
    shop, booking = paid_with_refused_mail(merchant, fakes, stack)
    r = merchant.api.get("/api/admin/deliveries?status=failed")
    assert r.status_code == 200, r.text
    mine = [d for d in r.json()["items"] if d["booking_id"] == booking]
    assert len(mine) == 1, r.json()
    failed = mine[0]
    assert failed["channel"] == "email" and failed["kind"] == "booking_confirmed"
    assert failed["to"] == "ana@clinica" and failed["error"]
    # why, in a word the dashboard tells: the address is not one mail can go to
    assert failed["reason"] == "mail_address_invalid" and failed["answer_code"] is None
    assert failed["last_attempt_at"] and isinstance(failed["attempts"], int)
    detail = merchant.api.get("/api/admin/bookings/%s" % booking).json()["booking"]
    channels = {(d["channel"], d["status"]) for d in detail["deliveries"]}
    assert ("email", "failed") in channels
    # the mails that did go (the professional's notice) are listed with the booking too
    assert [d for d in detail["deliveries"] if d["channel"] == "email" and d["status"] != "failed"]
    assert ("callback", "sent") in channels or ("callback", "pending") in channels
    # the list is only of failures
    assert all(d["status"] == "failed" for d in r.json()["items"])


@pytest.mark.allow_log(r"mail booking_confirmed not queued")
def test_a_callback_that_failed_for_good_is_listed_and_sent_again(merchant, other_merchant,
                                                                  fakes, stack):
    shop, booking = paid_with_refused_mail(merchant, fakes, stack)
    callback = psql("""UPDATE merchant_callbacks SET status = 'failed', last_error = 'HTTP 500'
                       WHERE reservation_id = :'p1' RETURNING id""", booking)
    before = len([c for c in callbacks_for(fakes, shop) if booking in c["body"]])
    items = merchant.api.get("/api/admin/deliveries?status=failed").json()["items"]
    assert [(d["channel"], d["reason"], d["answer_code"]) for d in items if d["id"] == callback] == [
        ("callback", "site_error", 500)]

    # another tenant neither sees nor re-sends it
    theirs = other_merchant.api.get("/api/admin/deliveries?status=failed").json()["items"]
    assert callback not in [d["id"] for d in theirs]
    r = other_merchant.api.post("/api/admin/deliveries/%s/resend" % callback)
    assert r.status_code == 404 and r.json()["error"]["code"] == "delivery_not_found"
    r = merchant.api.post("/api/admin/deliveries/00000000-0000-4000-8000-000000000000/resend")
    assert r.status_code == 404 and r.json()["error"]["code"] == "delivery_not_found"

    r = merchant.api.post("/api/admin/deliveries/%s/resend" % callback)
    assert r.status_code == 202, r.text
    wait_for(lambda: len([c for c in callbacks_for(fakes, shop) if booking in c["body"]]) > before,
             what="the callback sent again")
    wait_for(lambda: callback not in [d["id"] for d in merchant.api.get(
        "/api/admin/deliveries?status=failed").json()["items"]], what="no longer failed")


@pytest.mark.allow_log(r"mail booking_confirmed not queued")
def test_a_corrected_customer_address_gets_the_refused_confirmation(merchant, other_merchant,
                                                                    fakes, stack, maildir):
    shop, booking = paid_with_refused_mail(merchant, fakes, stack)
    failed = [d for d in merchant.api.get("/api/admin/deliveries?status=failed").json()["items"]
              if d["booking_id"] == booking]
    assert len(failed) == 1, failed
    mail = failed[0]["id"]
    # sent again as it is, the address is refused again: nothing changes
    r = merchant.api.post("/api/admin/deliveries/%s/resend" % mail)
    assert r.status_code == 409 and r.json()["error"]["code"] == "delivery_not_resendable", r.text

    # a correction is checked with the booking's rules and changes nothing when refused
    for bad in ({"customer": {"email": "ana@clinica"}}, {"customer": {"email": 5}},
                {"customer": {"phone": "300 123"}}, {"customer": "ana@clinica.co"}, {}):
        r = merchant.api.patch("/api/admin/bookings/%s" % booking, json=bad)
        assert r.status_code == 400 and r.json()["error"]["code"] == "validation_failed", (bad, r.text)
    r = other_merchant.api.patch("/api/admin/bookings/%s" % booking,
                                 json={"customer": {"email": "ana@clinica.co"}})
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    assert merchant.api.get("/api/admin/bookings/%s" % booking).json()["booking"]["customer"][
        "email"] == "ana@clinica"

    r = merchant.api.patch("/api/admin/bookings/%s" % booking,
                           json={"customer": {"email": "ana@clinica.co"}})
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["customer"]["email"] == "ana@clinica.co"
    # the failed mail now names the corrected address, and re-sent it is written and goes
    again = [d for d in r.json()["booking"]["deliveries"] if d["id"] == mail][0]
    assert again["to"] == "ana@clinica.co" and again["status"] == "failed"
    r = merchant.api.post("/api/admin/deliveries/%s/resend" % mail)
    assert r.status_code == 202, r.text
    got = maildir.wait(1, timeout=30, to="ana@clinica.co")
    assert got, "the confirmation reached the corrected address"
    text = got[0].get_body(preferencelist=("plain",)).get_content()
    assert "/book/manage/%s?token=" % booking in text
    wait_for(lambda: mail not in [d["id"] for d in merchant.api.get(
        "/api/admin/deliveries?status=failed").json()["items"]], what="no longer failed")
    # the correction is in the audit log, the address masked
    audit = merchant.api.get("/api/admin/audit").json()["items"]
    entry = [a for a in audit if a["action"] == "booking.customer"][0]
    assert "ana@clinica.co" not in str(entry)
