"""Cancelling a booking (API.md "After booking"): the customer before the cutoff with the
booking token or the mails' token, the merchant at any time with the refund they choose;
409 cancel_closed after the cutoff or for a booking not paid; repeats answer the same; the
slot is offered again at once; the booking.cancelled callback is signed and delivered; the
people get a METHOD:CANCEL invite with a grown SEQUENCE; the refund waits in refund=needed."""
import json
import os
import re
import secrets

import pytest

from booking_seed import ALL_WEEK, Scenario
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for
from test_booking_mails import book_free, invite_of, mails_to, text_of

icalendar = pytest.importorskip("icalendar")


def later():
    """A day far enough ahead that the default 24-hour cutoff has not passed."""
    import datetime as dt
    return (dt.date.today() + dt.timedelta(days=5)).isoformat()


def cancel(api, booking, token, **body):
    return api.post("/api/public/bookings/%s/cancel" % booking, json=body or None,
                    headers={"Authorization": "Bearer " + token})


def test_the_customer_cancels_a_free_booking_and_the_slot_is_free_at_once(api, maildir):
    sc, booking, email, pro_email, start = book_free(api, "America/Bogota", day=later())
    iso = booking["start"]
    assert iso not in [s["start"] for s in sc.slots(**{"from": iso[:10], "days": 1})]
    r = cancel(api, booking["id"], booking["token"], reason="No puedo ir")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["booking"]["status"] == "cancelled" and out["refund"] is None
    # the slot is offered again, right away (the cache is bumped)
    assert iso in [s["start"] for s in sc.slots(**{"from": iso[:10], "days": 1})]
    # a repeat answers the same, nothing changes twice
    again = cancel(api, booking["id"], booking["token"])
    assert again.status_code == 200 and again.json() == out
    assert psql("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1' AND to_status = 'cancelled'",
                booking["id"]) == "1"
    assert psql("SELECT cancelled_by || '|' || cancel_reason FROM reservations WHERE id = :'p1'", booking["id"]) \
        == "customer|No puedo ir"
    # both people get the cancellation, whose invite takes the event out of their calendar
    confirmation, cancellation = mails_to(maildir, email, n=2)
    assert cancellation["Subject"] == "Reserva cancelada: Consulta general"
    first, event = invite_of(confirmation), invite_of(cancellation, method="CANCEL")
    assert str(event["UID"]) == str(first["UID"]) and int(event["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert len(mails_to(maildir, pro_email, n=2)) == 2


def test_after_the_cutoff_the_customer_cannot_cancel(api):
    sc, booking, *_ = book_free(api, "America/Bogota", day=later())
    psql("UPDATE tenants SET cancel_cutoff_hours = 720 WHERE id = :'p1'", sc.tenant_id)
    r = cancel(api, booking["id"], booking["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "cancel_closed"
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"]) in ("paid", "confirmed")


def test_wrong_token_or_not_paid_changes_nothing(api):
    sc, booking, *_ = book_free(api, "America/Bogota", day=later())
    r = cancel(api, booking["id"], secrets.token_urlsafe(32))
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    r = api.post("/api/public/bookings/%s/cancel" % booking["id"])
    assert r.status_code == 404
    hold = sc.hold(sc.slots()[3]["start"]).json()["hold"]
    r = cancel(api, hold["id"], hold["token"])
    assert r.status_code == 404          # a hold's token is not a booking's
    r = cancel(api, booking["id"], booking["token"], reason="x" * 501)
    assert r.status_code == 400 and "reason" in r.json()["error"]["fields"]
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"]) in ("paid", "confirmed")


def test_the_mails_token_cancels_too(api, maildir):
    sc, booking, email, *_ = book_free(api, "America/Bogota", day=later())
    token = re.search(r"token=([A-Za-z0-9_-]+)", text_of(mails_to(maildir, email)[0])).group(1)
    assert cancel(api, booking["id"], token).status_code == 200


def test_the_merchant_cancels_a_paid_booking_with_a_partial_refund(merchant, fakes, stack, maildir):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking(start_in_days=0)      # starts within the hour: past any cutoff
    shop.fire(ref)
    wait_for(lambda: len(callbacks_for(fakes, shop)) >= 1, what="booking.paid")
    api = merchant.api
    r = api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Cerramos por lluvia",
                                                                   "refund": {"amount": shop.price + 1}})
    assert r.status_code == 400 and "refund" in r.json()["error"]["fields"]
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking) in ("paid", "confirmed")
    r = api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Cerramos por lluvia",
                                                                   "refund": {"amount": 5000000}})
    assert r.status_code == 200, r.text
    assert r.json()["refund"] == {"amount": 5000000, "currency": "COP", "status": "manual"}
    listed = api.get("/api/admin/bookings", params={"refund": "needed"}).json()["items"]
    assert [b["id"] for b in listed] == [booking]
    detail = api.get("/api/admin/bookings/" + booking).json()["booking"]
    assert detail["status"] == "cancelled" and detail["payment"]["refund_needed"] is True
    assert detail["history"][-1]["to"] == "cancelled"
    # the merchant hears of it: booking.cancelled, signed like every callback
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"], what="booking.cancelled")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["evento"] == "booking.cancelled" and body["booking_id"] == booking
    # the paid callback does not confirm a cancelled booking afterwards
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == "cancelled"
    audit = api.get("/api/admin/audit", params={"action": "booking.cancel"}).json()["items"]
    assert audit and audit[0]["changes"]["refund"] == 5000000


def test_admin_cancel_needs_a_reason_and_csrf(merchant):
    r = merchant.api.post("/api/admin/bookings/%s/cancel" % "00000000-0000-4000-8000-000000000000",
                          json={"reason": "x"})
    assert r.status_code == 404
    del merchant.api.session.headers["X-CSRF-Token"]
    r = merchant.api.post("/api/admin/bookings/%s/cancel" % "00000000-0000-4000-8000-000000000000",
                          json={"reason": "x"})
    assert r.status_code == 403


def test_the_policy_is_set_through_the_tenant_settings_and_decides(merchant, api):
    t = merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert (t["cancel_cutoff_hours"], t["reschedule_cutoff_hours"], t["max_reschedules"],
            t["refund_on_cancel"]) == (24, 24, 2, "full")
    bad = merchant.api.patch("/api/admin/tenant", json={"cancel_cutoff_hours": 721, "max_reschedules": "2",
                                                        "refund_on_cancel": "half"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"cancel_cutoff_hours", "max_reschedules", "refund_on_cancel"}
    r = merchant.api.patch("/api/admin/tenant", json={"cancel_cutoff_hours": 0, "refund_on_cancel": "none"})
    assert r.status_code == 200, r.text
    t = r.json()["tenant"]
    assert (t["cancel_cutoff_hours"], t["max_reschedules"], t["refund_on_cancel"]) == (0, 2, "none")
    audit = merchant.api.get("/api/admin/audit", params={"action": "tenant.update"}).json()["items"]
    assert audit[0]["changes"] == {"cancel_cutoff_hours": 0, "refund_on_cancel": "none"}


def reschedule(api, booking, token, hold_token):
    return api.post("/api/public/bookings/%s/reschedule" % booking, json={"hold_token": hold_token},
                    headers={"Authorization": "Bearer " + token})


def test_the_customer_moves_a_booking_to_another_time(api, maildir):
    sc, booking, email, pro_email, start = book_free(api, "America/Bogota", day=later())
    slots = [s["start"] for s in sc.slots(**{"from": later(), "days": 2})]
    new_start = slots[8]                    # two hours later: no overlap with the booking
    hold = sc.hold(new_start).json()["hold"]
    r = reschedule(api, booking["id"], booking["token"], hold["token"])
    assert r.status_code == 200, r.text
    moved = r.json()["booking"]
    assert moved["id"] == booking["id"] and moved["start"] == new_start
    assert moved["status"] == booking["status"] or moved["status"] in ("paid", "confirmed")
    # the old time is offered again, the new one is not; the hold is used up
    now_slots = [s["start"] for s in sc.slots(**{"from": later(), "days": 2})]
    assert booking["start"] in now_slots and new_start not in now_slots
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", hold["id"]) == "expired"
    # same booking, moved invite: same UID, SEQUENCE + 1, the new time
    confirmation, moved_mail = mails_to(maildir, email, n=2)
    assert moved_mail["Subject"] == "Tu reserva cambió de hora: Consulta general"
    first, event = invite_of(confirmation), invite_of(moved_mail)
    assert str(event["UID"]) == str(first["UID"]) and int(event["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert event["DTSTART"].dt.isoformat().replace("+00:00", "Z") == new_start
    # the limit: two moves by default, then reschedule_closed
    for i, k in enumerate((12, 16)):
        h = sc.hold(slots[k]).json()["hold"]
        r = reschedule(api, booking["id"], booking["token"], h["token"])
        if i == 0:
            assert r.status_code == 200, r.text
        else:
            assert r.status_code == 409 and r.json()["error"]["code"] == "reschedule_closed"
    assert psql("SELECT reschedule_count FROM reservations WHERE id = :'p1'", booking["id"]) == "2"


def test_a_booking_s_mails_to_one_person_arrive_in_the_order_they_were_written(api, maildir):
    # the customer's relay puts their mail off (greylisting): the confirmation waits for a
    # retry, and the move that follows waits behind it, while the professional's mails go
    email = "cliente-%s@example.com" % secrets.token_hex(5)
    greylist = os.path.join(maildir.path, ".greylist")
    os.makedirs(greylist, exist_ok=True)
    entry = os.path.join(greylist, email)
    open(entry, "w").close()
    try:
        sc, booking, email, pro_email, start = book_free(api, "America/Bogota", day=later(), email=email)
        customer_mails = ("SELECT string_agg(attempts::text, ',' ORDER BY created_at) FROM mail_outbox"
                          " WHERE reservation_id = :'p1' AND recipient = :'p2'")
        wait_for(lambda: psql(customer_mails, booking["id"], email) not in ("", "0"),
                 what="the confirmation tried and put off")
        slots = [s["start"] for s in sc.slots(**{"from": later(), "days": 2})]
        hold = sc.hold(slots[8]).json()["hold"]
        r = reschedule(api, booking["id"], booking["token"], hold["token"])
        assert r.status_code == 200, r.text
        # the professional's notice of the move went out in a run after the move was queued;
        # the customer's was not even tried
        mails_to(maildir, pro_email, n=2)
        assert maildir.new(to=email) == []
        tries = psql(customer_mails, booking["id"], email).split(",")
        assert len(tries) == 2 and int(tries[0]) >= 1 and tries[1] == "0"
    finally:
        os.remove(entry)
    # the relay takes the mail now; the retry's time comes (not a leased mail: that one is
    # being sent)
    psql("UPDATE mail_outbox SET next_attempt_at = now() WHERE reservation_id = :'p1'"
         " AND recipient = :'p2' AND sent_at IS NULL AND next_attempt_at < now() + interval '2 minutes'",
         booking["id"], email)
    confirmation, moved_mail = mails_to(maildir, email, n=2)
    assert confirmation["Subject"] == "Reserva confirmada: Consulta general"
    assert moved_mail["Subject"] == "Tu reserva cambió de hora: Consulta general"
    assert int(invite_of(moved_mail)["SEQUENCE"]) == int(invite_of(confirmation)["SEQUENCE"]) + 1


def test_reschedule_needs_a_live_hold_of_the_same_service(api):
    sc, booking, *_ = book_free(api, "America/Bogota", day=later())
    slots = [s["start"] for s in sc.slots(**{"from": later(), "days": 2})]
    hold = sc.hold(slots[8]).json()["hold"]
    psql("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = :'p1'", hold["id"])
    r = reschedule(api, booking["id"], booking["token"], hold["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired"
    other = Scenario(api, service={"charge": "free", "price": 0})
    foreign = other.hold(other.slots()[0]["start"]).json()["hold"]
    r = reschedule(api, booking["id"], booking["token"], foreign["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired"
    assert psql("SELECT starts_at = :'p2'::timestamptz FROM reservations WHERE id = :'p1'",
                booking["id"], booking["start"]) == "t"
    psql("UPDATE tenants SET reschedule_cutoff_hours = 720 WHERE id = :'p1'", sc.tenant_id)
    live = sc.hold(slots[12]).json()["hold"]
    r = reschedule(api, booking["id"], booking["token"], live["token"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "reschedule_closed"
