"""Every merchant callback verifies with nothing but API.md ("Merchant callback"): the keys in
the order it gives, firma_hmac over the body rebuilt in that order from the values received,
the X-Konfirmado-Signature header; booking.cancelled tells who cancelled, why and what goes
back (cancelacion), booking.rescheduled the time before (cita_anterior, one delivery per
move), and pago.estado the money's state after the change."""
import hashlib
import hmac
import json
import secrets

from booking_seed import today_plus
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, wait_for
from test_booking_reschedule_admin import Shop

# API.md's key order, object by object ("lugar" only when the service has a location)
TOP = ["evento", "tenant_id", "booking_id", "servicio", "profesional", "cita", "usuario", "pago"]
ORDER = {
    "servicio": ["id", "nombre", "duracion_min", "pago", "precio", "monto_cobrado"],
    "profesional": ["id", "nombre"],
    "cita": ["inicio", "fin", "timezone"],
    "usuario": ["nombre", "email", "telefono", "acepto_terminos"],
    "pago": ["proveedor", "estado", "referencia", "monto", "moneda", "modo"],
    "cancelacion": ["por", "motivo", "reembolso"],
    "reembolso": ["monto", "moneda", "estado"],
    "cita_anterior": ["inicio", "fin"],
    "seguridad": ["timestamp", "firma_hmac"],
}
CHANGE_KEY = {"booking.cancelled": "cancelacion", "booking.rescheduled": "cita_anterior"}


def rebuild(received, keys):
    """The object as a merchant writes it from API.md: its keys in API.md's order."""
    out = {}
    for k in keys:
        v = received[k]
        if isinstance(v, dict):
            v = rebuild(v, ORDER[k])
        out[k] = v
    return out


def cita_keys(body):
    """cita's keys: "lugar" last when the service has a location."""
    return ORDER["cita"] + (["lugar"] if "lugar" in body["cita"] else [])


def verify_from_api_md(record, secret):
    """A merchant's check written from API.md alone. Returns the parsed body."""
    raw = record["body"]
    header = dict(p.split("=", 1) for p in record["headers"]["X-Konfirmado-Signature"].split(","))
    want = hmac.new(secret.encode(), (header["t"] + "." + raw).encode(), hashlib.sha256).hexdigest()
    assert hmac.compare_digest(header["v1"], want), "X-Konfirmado-Signature does not verify"
    body = json.loads(raw)
    event = record["headers"]["X-Konfirmado-Event"]
    top = TOP + ([CHANGE_KEY[event]] if event in CHANGE_KEY else []) + ["seguridad"]
    assert list(body) == top, list(body)
    for key in top:
        if isinstance(body[key], dict):
            assert list(body[key]) == cita_keys(body) if key == "cita" else ORDER[key], \
                (key, list(body[key]))
    if event == "booking.cancelled" and body["cancelacion"]["reembolso"] is not None:
        assert list(body["cancelacion"]["reembolso"]) == ORDER["reembolso"]
    firma = body["seguridad"]["firma_hmac"]
    mine = rebuild(body, top)
    if "lugar" in body["cita"]:
        mine["cita"]["lugar"] = body["cita"]["lugar"]   # last, keys as API.md lists them
    mine["seguridad"]["firma_hmac"] = ""
    compact = json.dumps(mine, separators=(",", ":"), ensure_ascii=False)
    assert hmac.new(secret.encode(), compact.encode(), hashlib.sha256).hexdigest() == firma, \
        "firma_hmac does not verify"
    assert compact.replace('"firma_hmac":""', '"firma_hmac":"%s"' % firma) == raw
    return body


def events(fakes, tenant, event, n=1):
    return wait_for(lambda: (lambda got: got if len(got) >= n else None)(
        [c for c in callbacks_for(fakes, tenant) if c["headers"]["X-Konfirmado-Event"] == event]),
        what="%d %s" % (n, event))


def with_token(booking_id):
    """A customer's booking token for a booking seeded in SQL."""
    token = secrets.token_urlsafe(32)
    psql("UPDATE reservations SET booking_token_hash = :'p1' WHERE id = :'p2'",
         hashlib.sha256(token.encode()).hexdigest(), booking_id)
    return token


def assert_booking_facts(body, shop, booking, ref, event):
    """Every field a merchant reads, with the value the booking has (PayTenant's seed)."""
    start = psql("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                 " FROM reservations WHERE id = :'p1'", booking)
    assert body["evento"] == event
    assert (body["tenant_id"], body["booking_id"]) == (shop.tenant_id, booking)
    assert body["servicio"] == {"id": shop.service, "nombre": "Consulta dermatológica", "duracion_min": 30,
                                "pago": "total", "precio": shop.price, "monto_cobrado": shop.price}
    assert body["profesional"] == {"id": shop.professional, "nombre": "Dra. Núñez"}
    assert body["cita"]["inicio"] == start and body["cita"]["timezone"] == "America/Bogota"
    assert body["usuario"] == {"nombre": "Ana María Gómez", "email": "ana@example.com",
                               "telefono": "+573001234567", "acepto_terminos": True}
    assert (body["pago"]["proveedor"], body["pago"]["referencia"], body["pago"]["monto"],
            body["pago"]["moneda"], body["pago"]["modo"]) == ("wompi", ref, shop.price, "COP", "test")
    assert body["seguridad"]["timestamp"].endswith("Z")


def test_paid_then_cancelled_by_the_customer_with_a_full_refund(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    token = with_token(booking)
    shop.fire(ref)
    paid = verify_from_api_md(events(fakes, shop, "booking.paid")[0], shop.callback_secret)
    assert paid["pago"]["estado"] == "aprobado" and paid["pago"]["monto"] == shop.price
    assert_booking_facts(paid, shop, booking, ref, "booking.paid")
    r = shop.api.post("/api/public/bookings/%s/cancel" % booking, json={"reason": "Me enfermé"},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    refund = r.json()["refund"]
    assert refund["amount"] == shop.price
    body = verify_from_api_md(events(fakes, shop, "booking.cancelled")[0], shop.callback_secret)
    assert_booking_facts(body, shop, booking, ref, "booking.cancelled")
    assert body["cancelacion"] == {"por": "cliente", "motivo": "Me enfermé",
                                   "reembolso": {"monto": shop.price, "moneda": "COP",
                                                 "estado": refund["status"]}}
    # the money is on its way back, not "aprobado"
    assert body["pago"]["estado"] == ("reembolsado" if refund["status"] == "succeeded"
                                      else "reembolso_pendiente")


def test_cancelled_by_the_merchant_with_nothing_returned(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    events(fakes, shop, "booking.paid")
    r = shop.api.post("/api/admin/bookings/%s/cancel" % booking,
                      json={"reason": "Cerramos por lluvia", "refund": "none"})
    assert r.status_code == 200, r.text
    body = verify_from_api_md(events(fakes, shop, "booking.cancelled")[0], shop.callback_secret)
    assert_booking_facts(body, shop, booking, ref, "booking.cancelled")
    assert body["cancelacion"] == {"por": "comercio", "motivo": "Cerramos por lluvia", "reembolso": None}
    assert body["pago"]["estado"] == "aprobado"


def test_a_partial_refund_says_so_once_it_is_done(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    events(fakes, shop, "booking.paid")
    # a manual refund the merchant already marked done before the change is sent
    psql("""UPDATE payments SET refund_amount = 5000000, refund_status = 'manual', refunded_at = now()
            WHERE reference = :'p1'""", ref)
    r = shop.api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Ya devolvimos una parte",
                                                                      "refund": "none"})
    assert r.status_code == 200, r.text
    body = verify_from_api_md(events(fakes, shop, "booking.cancelled")[0], shop.callback_secret)
    assert body["pago"]["estado"] == "reembolso_parcial"


def free_shop(api, stack, fakes):
    shop = Shop(api, stack)
    r = shop.admin.patch("/api/admin/tenant",
                         json={"callback_url": fakes.base("merchant") + "/callback/" + shop.sc.tenant_id})
    assert r.status_code == 200, r.text
    shop.secret = shop.admin.post("/api/admin/tenant/callback-secret").json()["secret"]
    return shop


def test_free_booking_cancelled_by_the_customer(api, stack, fakes):
    shop = free_shop(api, stack, fakes)
    booking, _ = shop.book()
    paid = verify_from_api_md(events(fakes, shop.sc, "booking.paid")[0], shop.secret)
    assert paid["pago"] == {"proveedor": "ninguno", "estado": "no_aplica", "referencia": None, "monto": 0,
                            "moneda": paid["pago"]["moneda"], "modo": paid["pago"]["modo"]}
    r = api.post("/api/public/bookings/%s/cancel" % booking["id"], json={},
                 headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    body = verify_from_api_md(events(fakes, shop.sc, "booking.cancelled")[0], shop.secret)
    assert body["cancelacion"] == {"por": "cliente", "motivo": None, "reembolso": None}
    assert body["pago"]["estado"] == "no_aplica"


def test_every_reschedule_is_told_with_the_time_before(api, stack, fakes):
    shop = free_shop(api, stack, fakes)
    booking, _ = shop.book()
    first = (booking["start"], booking["end"])
    # the customer moves it with a hold taken through the link ...
    new_start = shop.starts(today_plus(6))[3]
    hold = shop.sc.hold(new_start).json()["hold"]
    r = api.post("/api/public/bookings/%s/reschedule" % booking["id"], json={"hold_token": hold["token"]},
                 headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    second = (r.json()["booking"]["start"], r.json()["booking"]["end"])
    # ... then the merchant moves it again: a second delivery, with the time before that move
    r = shop.move(booking["id"], start=shop.starts(today_plus(7))[5])
    assert r.status_code == 200, r.text
    third = r.json()["booking"]["start"]
    got = events(fakes, shop.sc, "booking.rescheduled", n=2)
    bodies = [verify_from_api_md(c, shop.secret) for c in got]
    assert [b["cita_anterior"] for b in bodies] == [{"inicio": first[0], "fin": first[1]},
                                                    {"inicio": second[0], "fin": second[1]}]
    assert [b["cita"]["inicio"] for b in bodies] == [second[0], third]
    assert [b["pago"]["estado"] for b in bodies] == ["no_aplica", "no_aplica"]
    assert [b["evento"] for b in bodies] == ["booking.rescheduled"] * 2
    assert len({c["headers"]["X-Konfirmado-Delivery"] for c in got}) == 2


def test_the_place_is_told_last_in_cita_with_the_professional_video_link(api, stack, fakes):
    shop = free_shop(api, stack, fakes)
    sid, pid = shop.sc.service_id, shop.sc.professional_id
    r = shop.admin.patch("/api/admin/services/" + sid,
                         json={"location": {"type": "video", "url": "https://meet.example.com/sala"}})
    assert r.status_code == 200, r.text
    r = shop.admin.patch("/api/admin/professionals/" + pid,
                         json={"video_url": "https://meet.example.com/ana-restrepo"})
    assert r.status_code == 200, r.text
    shop.book()
    body = verify_from_api_md(events(fakes, shop.sc, "booking.paid")[0], shop.secret)
    assert list(body["cita"]) == ["inicio", "fin", "timezone", "lugar"]
    assert body["cita"]["lugar"] == {"tipo": "video", "url": "https://meet.example.com/ana-restrepo"}

    r = shop.admin.patch("/api/admin/services/" + sid,
                         json={"location": {"type": "in_person", "address": "Calle 93 #11-27, local 2"}})
    assert r.status_code == 200, r.text
    shop.book(day=today_plus(6))
    body = verify_from_api_md(events(fakes, shop.sc, "booking.paid", n=2)[1], shop.secret)
    assert body["cita"]["lugar"] == {"tipo": "presencial", "direccion": "Calle 93 #11-27, local 2"}
