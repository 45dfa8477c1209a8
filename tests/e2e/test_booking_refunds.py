"""Refunds (API.md "After booking"): a merchant's cancellation with a full refund is given back
through Wompi's void by the refund job, once, however often it is asked; what Wompi cannot
refund (part of a payment, a Nequi payment) stays `manual` in refund=needed until the merchant
marks it done with a note; a refund of a payment that needs none, of a booking without money
or of another tenant's booking changes nothing."""
from conftest import psql
from payments_helpers import PayTenant, wait_for


def paid_booking(shop, **fire):
    booking, ref = shop.pending_booking(start_in_days=3)
    shop.fire(ref, **fire)
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking)
             in ("paid", "confirmed"), what="paid")
    return booking, ref


def voids(shop, ref):
    tx = psql("SELECT provider_transaction_id FROM payments WHERE reference = :'p1'", ref)
    return tx, shop.fakes._call("POST", "/wompi/_control/voids")["voids"].get(tx, 0)


def payment_of(api, booking):
    return api.get("/api/admin/bookings/" + booking).json()["booking"]["payment"]


def needing_refund(api):
    return [b["id"] for b in api.get("/api/admin/bookings", params={"refund": "needed"}).json()["items"]]


def test_a_full_refund_on_cancel_is_voided_at_wompi_once(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = paid_booking(shop)
    api = merchant.api
    r = api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Agenda cerrada"})
    assert r.status_code == 200, r.text
    assert r.json()["refund"] == {"amount": shop.price, "currency": "COP", "status": "pending"}
    done = wait_for(lambda: (payment_of(api, booking)["refund"] or {}).get("status") == "succeeded",
                    what="the refund job voids the payment")
    assert done
    pay = payment_of(api, booking)
    assert pay["refund_needed"] is False and pay["refund"]["refunded_at"]
    assert pay["refund"]["amount"] == shop.price and pay["refund"]["error"] is None
    tx, calls = voids(shop, ref)
    assert calls == 1
    assert shop.fakes._call("GET", "/wompi/v1/transactions/" + tx)["data"]["status"] == "VOIDED"
    assert booking not in needing_refund(api)
    # asked again (twice): the same refund, nothing asked of Wompi again
    for _ in range(2):
        again = api.post("/api/admin/bookings/%s/refund" % booking, json={})
        assert again.status_code == 202, again.text
        assert again.json()["refund"]["status"] == "succeeded"
    assert voids(shop, ref)[1] == 1
    history = api.get("/api/admin/bookings/" + booking).json()["booking"]["history"]
    assert history[-1]["reason"] == "refunded"


def test_what_wompi_cannot_refund_waits_for_the_merchant(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    # part of a card payment: manual at once (Wompi voids whole payments only)
    part, part_ref = paid_booking(shop)
    r = api.post("/api/admin/bookings/%s/cancel" % part, json={"reason": "Lluvia",
                                                                "refund": {"amount": 5000000}})
    assert r.json()["refund"]["status"] == "manual"
    # a whole Nequi payment: the job finds no refund API for it and leaves it to the merchant
    nequi, nequi_ref = paid_booking(shop, payment_method_type="NEQUI")
    r = api.post("/api/admin/bookings/%s/cancel" % nequi, json={"reason": "Lluvia"})
    assert r.json()["refund"]["status"] == "pending"
    wait_for(lambda: (payment_of(api, nequi)["refund"] or {}).get("status") == "manual",
             what="the job gives the Nequi refund to the merchant")
    pay = payment_of(api, nequi)
    assert "NEQUI" in pay["refund"]["error"] and pay["refund_needed"] is True
    assert voids(shop, nequi_ref)[1] == 0 and voids(shop, part_ref)[1] == 0
    assert set(needing_refund(api)) >= {part, nequi}
    # marked done by hand: needs a note, then it leaves the list, once
    bad = api.post("/api/admin/bookings/%s/refund" % part, json={"manual": True})
    assert bad.status_code == 400 and "note" in bad.json()["error"]["fields"]
    done = api.post("/api/admin/bookings/%s/refund" % part,
                    json={"manual": True, "note": "Transferencia Bancolombia 8841"})
    assert done.status_code == 200, done.text
    assert done.json()["refund"] == {"amount": 5000000, "currency": "COP", "status": "manual"}
    pay = payment_of(api, part)
    assert pay["refund_needed"] is False and pay["refund"]["note"] == "Transferencia Bancolombia 8841"
    assert pay["refund"]["refunded_at"]
    assert part not in needing_refund(api) and nequi in needing_refund(api)
    again = api.post("/api/admin/bookings/%s/refund" % part, json={"manual": True, "note": "otra vez"})
    assert again.status_code == 202 and payment_of(api, part)["refund"]["note"] == "Transferencia Bancolombia 8841"
    audit = api.get("/api/admin/audit", params={"action": "booking.refund_done"}).json()["items"]
    assert len(audit) == 1 and audit[0]["changes"]["amount"] == 5000000


def test_a_payment_that_needs_no_refund_is_left_alone(merchant, other_merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    booking, ref = paid_booking(shop)
    r = api.post("/api/admin/bookings/%s/refund" % booking, json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "refund_not_needed"
    assert payment_of(api, booking)["refund"] is None
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking) in ("paid", "confirmed")
    # another tenant's booking is unknown to this merchant; a made-up one too
    r = other_merchant.api.post("/api/admin/bookings/%s/refund" % booking, json={})
    assert r.status_code == 404
    r = api.post("/api/admin/bookings/00000000-0000-4000-8000-000000000000/refund", json={})
    assert r.status_code == 404
    for body in ({"amount": -5}, {"amount": "all"}, {"manual": "yes"}):
        r = api.post("/api/admin/bookings/%s/refund" % booking, json=body)
        assert r.status_code == 400, body
    assert voids(shop, ref)[1] == 0


def test_a_lost_slot_is_refunded_by_the_merchant_through_wompi(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    api = merchant.api
    booking, ref = shop.pending_booking(status="expired", start_in_days=4)
    # someone else holds the slot now: the late approval cannot have it
    psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                ends_at, blocked, customer_name, customer_email, accepted_terms_at)
            SELECT tenant_id, service_id, professional_id, 'paid', starts_at, ends_at, blocked,
                   'Otra persona', 'otra@example.com', now() FROM reservations WHERE id = :'p1'""",
         booking)
    shop.fire(ref)
    wait_for(lambda: payment_of(api, booking) and payment_of(api, booking)["refund_needed"],
             what="slot_lost flag")
    assert booking in needing_refund(api)
    r = api.post("/api/admin/bookings/%s/refund" % booking, json={})
    assert r.status_code == 202, r.text
    assert r.json()["refund"]["status"] == "pending"
    wait_for(lambda: payment_of(api, booking)["refund"]["status"] == "succeeded", what="voided")
    assert voids(shop, ref)[1] == 1 and booking not in needing_refund(api)
