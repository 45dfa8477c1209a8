"""POST /api/webhooks/wompi: checksum first, one transition per event, the transaction's
amount and currency checked, late approvals (API.md "Provider webhooks"); the one route of
every payment provider, /api/webhooks/{provider}."""
import pytest
import requests

from conftest import psql
from payments_helpers import (PayTenant, booking_row, callbacks_for, check_callback_signatures,
                              count, payment_row, wait_for)


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def test_approved_event_pays_then_callback_confirms(shop, fakes):
    booking, ref = shop.pending_booking()
    out = shop.fire(ref)
    assert out["delivery"]["status"] == 200, out["delivery"]
    assert booking_row(booking)[0] in ("paid", "confirmed")
    pay = payment_row(ref)
    assert pay["status"] == "approved"
    assert pay["transaction_id"] == out["transaction"]["id"]
    assert count("SELECT count(*) FROM funnel_events WHERE reservation_id = :'p1' AND event = "
                 "'payment_approved'", booking) == 1
    # the merchant gets the callback, both signatures valid; the booking is then confirmed
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert got[0]["headers"]["X-Konfirmado-Event"] == "booking.paid"
    assert got[0]["headers"]["User-Agent"].startswith("Konfirmado/")
    assert body["booking_id"] == booking and body["tenant_id"] == shop.tenant_id
    assert body["pago"] == {"proveedor": "wompi", "estado": "aprobado", "referencia": ref,
                            "monto": shop.price, "moneda": "COP", "modo": "test"}
    assert list(body)[0] == "evento" and body["evento"] == "booking.paid"
    assert list(body["pago"])[-1] == "modo"
    assert body["servicio"]["nombre"] == "Consulta dermatológica"
    assert body["usuario"]["acepto_terminos"] is True
    wait_for(lambda: booking_row(booking)[0] == "confirmed", what="confirmed")


def test_declined_fails_and_frees_the_slot(shop):
    booking, ref = shop.pending_booking(start_in_days=40)
    assert shop.fire(ref, status="DECLINED")["delivery"]["status"] == 200
    assert booking_row(booking) == ("failed", "payment_declined")
    assert payment_row(ref)["status"] == "declined"
    # the same slot can be taken again (the exclusion constraint no longer sees it)
    other, _ = shop.pending_booking(start_in_days=40)
    assert booking_row(other)[0] == "pending_payment"


@pytest.mark.parametrize("status", ["ERROR", "VOIDED"])
def test_error_and_voided_fail_too(shop, status):
    booking, ref = shop.pending_booking()
    shop.fire(ref, status=status)
    assert booking_row(booking) == ("failed", "payment_" + status.lower())


def test_pending_changes_nothing(shop):
    booking, ref = shop.pending_booking()
    out = shop.fire(ref, status="PENDING")
    assert out["delivery"]["status"] == 200
    assert booking_row(booking)[0] == "pending_payment"
    assert payment_row(ref)["status"] == "pending"
    # then the approval of the same transaction arrives
    shop.resend(out["transaction"]["id"], status="APPROVED")
    assert booking_row(booking)[0] in ("paid", "confirmed")


def test_same_event_three_times_is_one_transition_and_one_callback(shop, fakes):
    booking, ref = shop.pending_booking()
    out = shop.fire(ref)
    tx = out["transaction"]["id"]
    for _ in range(2):
        again = shop.resend(tx)
        assert again["delivery"]["status"] == 200
        assert '"duplicate"' in again["delivery"]["body"]
    wait_for(lambda: booking_row(booking)[0] == "confirmed", what="confirmed")
    assert count("SELECT count(*) FROM payment_events WHERE payment_id = "
                 "(SELECT id FROM payments WHERE reference = :'p1')", ref) == 1
    assert count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1' "
                 "AND to_status = 'paid'", booking) == 1
    assert count("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'", booking) == 1
    import time
    time.sleep(1.5)      # a second delivery would have had time to arrive
    assert len(callbacks_for(fakes, shop)) == 1


def test_bad_checksum_is_401_and_changes_nothing(shop, allow_log):
    booking, ref = shop.pending_booking()
    out = shop.fire(ref, checksum="0" * 64)
    assert out["delivery"]["status"] == 401
    assert '"invalid_signature"' in out["delivery"]["body"]
    assert booking_row(booking)[0] == "pending_payment"
    assert payment_row(ref)["status"] == "pending"
    assert count("SELECT count(*) FROM payment_events WHERE event_key LIKE :'p1'",
                 out["transaction"]["id"] + "%") == 0


def test_another_tenants_secret_is_401(shop, other_merchant, fakes, stack):
    other = PayTenant(other_merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    out = shop.fire(ref, secret=other.keys["events_secret"])
    assert out["delivery"]["status"] == 401
    assert booking_row(booking)[0] == "pending_payment"


def test_missing_checksum_and_garbage_are_401(shop, stack):
    booking, ref = shop.pending_booking()
    event = {"event": "transaction.updated",
             "data": {"transaction": {"id": "1-1-1", "status": "APPROVED", "amount_in_cents": shop.price,
                                      "reference": ref, "currency": "COP"}},
             "signature": {"properties": ["transaction.id", "transaction.status"]},
             "timestamp": 1}
    r = requests.post(shop.webhook_url(), json=event, timeout=10,
                      headers={"Host": shop.webhook_host()})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_signature"
    r = requests.post(shop.webhook_url(), data=b"not json", timeout=10,
                      headers={"Content-Type": "application/json", "Host": shop.webhook_host()})
    assert r.status_code == 401
    assert booking_row(booking)[0] == "pending_payment"


def test_a_name_that_is_no_payment_provider_is_404_and_the_calendars_keep_theirs(api):
    r = api.post("/api/webhooks/paypal", json={"type": "payment", "data": {"id": "1"}})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    # the calendars' own paths are not taken by the providers' route: Google's refuses a
    # notice without its channel's headers as its own
    r = api.post("/api/webhooks/google", data=b"")
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_signature"
    r = api.get("/api/webhooks/stripe")
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


def test_unknown_reference_is_200_and_logged(shop):
    out = shop.fire("KF-NOSUCHREFERENCE")
    assert out["delivery"]["status"] == 200
    assert '"unknown_reference"' in out["delivery"]["body"]


def test_amount_mismatch_is_refused_and_flagged(shop):
    booking, ref = shop.pending_booking()
    out = shop.fire(ref, amount=shop.price - 100)
    # answered 200: the event is authentic, a retry would not change it
    assert out["delivery"]["status"] == 200
    assert booking_row(booking)[0] == "pending_payment"
    pay = payment_row(ref)
    assert pay["mismatch"] and pay["refund_needed"] and pay["flag_reason"] == "amount_mismatch"
    assert pay["status"] == "pending"


def test_currency_mismatch_is_refused_and_flagged(shop):
    booking, ref = shop.pending_booking()
    shop.fire(ref, currency="USD")
    assert booking_row(booking)[0] == "pending_payment"
    assert payment_row(ref)["mismatch"]


def test_late_approval_takes_the_free_slot_again(shop, fakes):
    booking, ref = shop.pending_booking(status="expired", start_in_days=50)
    shop.fire(ref)
    assert booking_row(booking)[0] in ("paid", "confirmed")
    assert booking_row(booking)[1] in ("late_approval", "")
    assert not payment_row(ref)["refund_needed"]
    wait_for(lambda: callbacks_for(fakes, shop), what="the callback")


def test_late_approval_with_the_slot_taken_fails_and_flags_refund(shop, merchant):
    booking, ref = shop.pending_booking(status="expired", start_in_days=60)
    taker, _ = shop.pending_booking(start_in_days=60)     # someone else took the slot
    shop.fire(ref)
    assert booking_row(booking) == ("failed", "slot_lost")
    assert booking_row(taker)[0] == "pending_payment"
    pay = payment_row(ref)
    assert pay["status"] == "approved" and pay["refund_needed"] and pay["flag_reason"] == "slot_lost"
    # visible in the admin booking detail
    detail = merchant.api.get("/api/admin/bookings/%s" % booking).json()["booking"]
    assert detail["payment"]["refund_needed"] is True
    assert detail["payment"]["flag_reason"] == "slot_lost"
    assert detail["payment"]["events"][0]["result"] == "slot_lost"


def test_a_write_failing_midway_applies_nothing_and_the_retry_applies_once(shop, fakes, allow_log):
    """An approval's writes (payment, booking, history, funnel, callback, mails, calendar,
    the event's record) go to PostgreSQL together with the commit (kfm_db_defer_writes); one
    of them failing must leave no part applied and answer 503, so that the provider retries."""
    allow_log(r"kf_cb_insert failed", r"could not be applied", r"answered 503")
    booking, ref = shop.pending_booking()
    psql("""CREATE FUNCTION kf_test_refuse_callback() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.reservation_id = '%s' THEN RAISE EXCEPTION 'refused for this test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER kf_test_refuse_callback BEFORE INSERT ON merchant_callbacks
                FOR EACH ROW EXECUTE FUNCTION kf_test_refuse_callback()""" % booking)
    try:
        out = shop.fire(ref)
        assert out["delivery"]["status"] == 503, out["delivery"]
    finally:
        psql("DROP TRIGGER kf_test_refuse_callback ON merchant_callbacks;"
             " DROP FUNCTION kf_test_refuse_callback()")
    assert booking_row(booking)[0] == "pending_payment"
    assert payment_row(ref)["status"] == "pending"
    for sql in ("SELECT count(*) FROM payment_events WHERE payment_id ="
                " (SELECT id FROM payments WHERE reference = :'p1')",):
        assert count(sql, ref) == 0
    for sql in ("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'"
                " AND to_status = 'paid'",
                "SELECT count(*) FROM funnel_events WHERE reservation_id = :'p1'"
                " AND event = 'payment_approved'",
                "SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                "SELECT count(*) FROM calendar_events WHERE reservation_id = :'p1'"):
        assert count(sql, booking) == 0, sql

    again = shop.resend(out["transaction"]["id"])     # the provider's retry
    assert again["delivery"]["status"] == 200 and '"applied"' in again["delivery"]["body"]
    assert booking_row(booking)[0] in ("paid", "confirmed")
    assert count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'"
                 " AND to_status = 'paid'", booking) == 1
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    assert len(got) == 1
