"""POST /api/public/bookings and GET /api/public/bookings/{id}?token=: the hold becomes
the booking, customer validation as API.md says, hold_expired, the status endpoint."""
import datetime as dt
import hashlib
from urllib.parse import urlsplit, parse_qs

import pytest

import booking_seed as bs
from conftest import psql

D = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def held(api, **scenario):
    sc = bs.Scenario(api, **scenario)
    slot = sc.slots(**{"from": D, "days": 1})[0]
    hold = sc.hold(slot["start"]).json()["hold"]
    return sc, hold


def body(token, **over):
    b = {"hold_token": token, "accepted_terms": True, "notes": "Primera vez",
         "customer": {"name": "Juan Pérez", "email": "juan@example.com", "phone": "+573001234567"}}
    for k, v in over.items():
        if k.startswith("customer_"):
            b["customer"][k[9:]] = v
        elif v is KeyError:
            b.pop(k)
        else:
            b[k] = v
    return b


def status_of(api, booking, token=None):
    return api.get("/api/public/bookings/%s" % booking["id"],
                   params={"token": token or booking["token"]})


def test_paid_service_waits_for_payment(api, stack):
    sc, hold = held(api, service={"charge": "partial", "price": 10001, "deposit": 33})
    before = dt.datetime.now(dt.timezone.utc)
    r = api.post("/api/public/bookings", json=body(hold["token"]))
    assert r.status_code == 201, r.text
    b = r.json()["booking"]
    assert b["id"] == hold["id"]                       # the same reservation
    assert b["status"] == "pending_payment"
    assert (b["start"], b["end"]) == (hold["start"], hold["end"])
    assert b["charge"] == {"amount": 3301, "currency": "COP"}
    # payments: the Wompi checkout of the deposit (tests/e2e/test_payments_flow.py pays it)
    assert b["payment"]["provider"] == "wompi"
    assert "amount-in-cents=3301&" in b["payment"]["checkout_url"]
    assert b["status_url"] == "%s/api/public/bookings/%s?token=%s" % (stack["KF_URL"], b["id"], b["token"])
    row = psql("""SELECT status, booking_token_hash, customer_name, customer_email, customer_phone,
                         accepted_terms_at IS NOT NULL, notes, charge_type, charge_amount,
                         extract(epoch FROM expires_at)::bigint
                  FROM reservations WHERE id = :'p1'""", b["id"]).split("|")
    assert row[:9] == ["pending_payment", hashlib.sha256(b["token"].encode()).hexdigest(),
                       "Juan Pérez", "juan@example.com", "+573001234567", "t", "Primera vez",
                       "partial", "3301"]
    # the reservation now lasts the payment window (1800 s on the stack)
    assert abs(int(row[9]) - (before.timestamp() + 1800)) < 15
    assert psql("SELECT string_agg(coalesce(from_status, '-') || '>' || to_status, ',' ORDER BY id) "
                "FROM reservation_history WHERE reservation_id = :'p1'", b["id"]) == \
        "->held,held>pending_payment"
    assert psql("SELECT count(*) FROM funnel_events WHERE reservation_id = :'p1' "
                "AND event = 'details_entered'", b["id"]) == "1"
    # the hold token is used up
    r = api.post("/api/public/bookings", json=body(hold["token"]))
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired"
    s = status_of(api, b)
    assert s.status_code == 200
    got = s.json()["booking"]
    assert got["status"] == "pending_payment" and got["return_url"] is None
    assert got["service"] == {"id": sc.service_id, "name": "Consulta general", "duration_minutes": 30}
    assert got["professional"]["id"] == sc.professional_id
    assert got["timezone"] == "America/Bogota"
    assert got["payment"]["provider"] == "wompi" and got["payment"]["status"] == "pending"
    assert (got["start"], got["end"]) == (b["start"], b["end"])


def test_free_service_is_paid_at_once(api):
    _, hold = held(api, service={"charge": "free", "price": 0},
                   tenant={"return_url": "https://shop.example.com/back?from=konfirmado"})
    r = api.post("/api/public/bookings", json=body(hold["token"], notes=KeyError))
    assert r.status_code == 201
    b = r.json()["booking"]
    assert b["status"] == "paid" and b["charge"] is None and b["payment"] is None
    assert psql("SELECT expires_at IS NULL AND notes IS NULL FROM reservations WHERE id = :'p1'",
                b["id"]) == "t"
    got = status_of(api, b).json()["booking"]
    assert got["status"] == "paid"
    assert got["return_url"] == "https://shop.example.com/back?from=konfirmado&status=ok&ref=%s" % b["id"]
    # whom the customer writes to: the business's notification address when it has one, and
    # whom they call: its phone, once it gives one
    tenant = psql("SELECT tenant_id FROM reservations WHERE id = :'p1'", b["id"])
    name = psql("SELECT name FROM tenants WHERE id = :'p1'", tenant)
    assert status_of(api, b).json()["booking"]["contact"]["phone"] is None
    psql("UPDATE tenants SET notification_email = 'citas@shop.example.com',"
         " contact_phone = '+576015550123' WHERE id = :'p1'", tenant)
    got = status_of(api, b).json()["booking"]
    assert got["contact"] == {"name": name, "email": "citas@shop.example.com", "phone": "+576015550123"}
    # and the business's face, so that its page wears its brand on the platform's host too
    slug = psql("SELECT l.slug FROM reservations r JOIN booking_links l ON l.id = r.link_id"
                " WHERE r.id = :'p1'", b["id"])
    face = api.get("/api/public/links/%s" % slug).json()["tenant"]
    del face["policy"], face["embed_origins"]    # the link's answer's own
    assert got["tenant"] == face and got["tenant"]["name"] == name


def test_return_url_after_failure_and_expiry(api):
    _, hold = held(api, tenant={"return_url": "https://shop.example.com/back"})
    b = api.post("/api/public/bookings", json=body(hold["token"])).json()["booking"]
    assert status_of(api, b).json()["booking"]["return_url"] is None
    psql("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = :'p1'", b["id"])
    got = status_of(api, b).json()["booking"]
    assert got["status"] == "expired"
    url = urlsplit(got["return_url"])
    assert url.netloc == "shop.example.com" and url.path == "/back"
    assert parse_qs(url.query) == {"status": ["failed"], "ref": [b["id"]]}
    psql("UPDATE reservations SET status = 'failed' WHERE id = :'p1'", b["id"])
    assert status_of(api, b).json()["booking"]["return_url"].endswith("?status=failed&ref=" + b["id"])
    psql("UPDATE reservations SET status = 'confirmed' WHERE id = :'p1'", b["id"])
    assert status_of(api, b).json()["booking"]["return_url"].endswith("?status=ok&ref=" + b["id"])


def test_status_wrong_token_or_id_is_404(api):
    _, hold = held(api)
    b = api.post("/api/public/bookings", json=body(hold["token"])).json()["booking"]
    for params in ({"token": "x" * 43}, {"token": hold["token"]}, {}, {"token": ""}):
        r = api.get("/api/public/bookings/%s" % b["id"], params=params)
        assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found", params
    for bid in (bs.new_uuid(), "not-a-uuid"):
        r = api.get("/api/public/bookings/%s" % bid, params={"token": b["token"]})
        assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    _, other_sub = bs.tenant()
    r = api.get("/api/public/bookings/%s" % b["id"], params={"token": b["token"]}, tenant=other_sub)
    assert r.status_code == 404


def test_hold_expired_unknown_or_released(api):
    sc, hold = held(api)
    for token in ("x" * 43, "short"):
        r = api.post("/api/public/bookings", json=body(token))
        assert r.status_code in (400, 409)
    r = api.post("/api/public/bookings", json=body("x" * 43))
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired"
    psql("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = :'p1'", hold["id"])
    r = api.post("/api/public/bookings", json=body(hold["token"]))
    assert r.status_code == 409 and r.json()["error"]["code"] == "hold_expired"
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", hold["id"]) == "held"


EN = {"Accept-Language": "en"}


@pytest.mark.parametrize("over,field,message", [
    ({"customer_name": "J"}, "customer.name", "The name must have between 2 and 100 characters."),
    ({"customer_name": "é" * 101}, "customer.name", None),
    ({"customer_name": 7}, "customer.name", "This field has the wrong type."),
    ({"customer_email": "juan@"}, "customer.email", "The email address is not valid."),
    ({"customer_email": "a" * 64 + "@" + "b" * 186 + ".com"}, "customer.email", None),
    # addr-specs no mail can be delivered to: the booking could never confirm by mail
    ({"customer_email": "ana@clinica"}, "customer.email", "The email address is not valid."),
    ({"customer_email": "a" * 65 + "@example.com"}, "customer.email", None),
    ({"customer_email": '"ana maria"@example.com'}, "customer.email", None),
    ({"customer_phone": "3001234567"}, "customer.phone", None),
    ({"customer_phone": "+12025550123"}, "customer.phone",
     "The phone must be +57 followed by 10 digits."),
    ({"customer_phone": "+57300123456"}, "customer.phone", None),
    ({"accepted_terms": False}, "accepted_terms", "You must accept the terms and conditions."),
    ({"accepted_terms": KeyError}, "accepted_terms", None),
    ({"accepted_terms": "true"}, "accepted_terms", None),
    ({"notes": "n" * 1001}, "notes", "The notes cannot exceed 1000 characters."),
    ({"notes": 5}, "notes", None),
    ({"customer": "Juan"}, "customer", None),
    ({"customer": KeyError}, "customer", None),
])
def test_validation_failed(api, over, field, message):
    _, hold = held(api)
    r = api.post("/api/public/bookings", json=body(hold["token"], **over), headers=EN)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_failed"
    assert field in err["fields"]
    if message:
        assert err["fields"][field] == message
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", hold["id"]) == "held"


def test_limits_that_pass_and_phone_rule_outside_colombia(api):
    _, hold = held(api)
    ok = body(hold["token"], customer_name="é" * 100, notes="n" * 1000,
              customer_email="a" * 64 + "@" + ".".join(["b" * 61] * 3) + ".com")
    assert len(ok["customer"]["email"]) == 254
    r = api.post("/api/public/bookings", json=ok)
    assert r.status_code == 201, r.text
    _, hold = held(api, tenant={"country": "US", "currency": "USD", "timezone": "America/New_York"},
                   service={"currency": "USD"})
    r = api.post("/api/public/bookings", json=body(hold["token"], customer_phone="+12025550123"))
    assert r.status_code == 201
    _, hold = held(api, tenant={"country": "US"})
    r = api.post("/api/public/bookings", json=body(hold["token"], customer_phone="+1202"))
    assert r.status_code == 400 and "customer.phone" in r.json()["error"]["fields"]


def test_spanish_messages_by_default_and_malformed_bodies(api):
    _, hold = held(api)
    r = api.post("/api/public/bookings", json=body(hold["token"], customer_email="x"))
    assert r.json()["error"]["fields"]["customer.email"] == "El correo electrónico no es válido."
    r = api.post("/api/public/bookings", data=b"\xff\xfe", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = api.post("/api/public/bookings", json=[1, 2])
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = api.post("/api/public/bookings", json={})
    assert r.status_code == 400
    assert {"hold_token", "customer", "accepted_terms"} <= set(r.json()["error"]["fields"])
