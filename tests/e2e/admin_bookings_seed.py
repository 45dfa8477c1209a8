"""Seeding for the admin bookings tests: services, professionals, reservations and their
history written straight into the database (the public booking flow is tested elsewhere)."""
import itertools

from conftest import psql

_counter = itertools.count(1)


def set_timezone(merchant, zone):
    psql("UPDATE tenants SET timezone = :'p2' WHERE id = :'p1'", merchant.tenant_id, zone)


def add_service(merchant, name=None, charge_type="total", price=12000000, currency="COP"):
    name = name or "Consulta %d" % next(_counter)
    return psql("""
        INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount,
                              currency, charge_type)
        VALUES (:'p1', :'p2', 'Una consulta de prueba.', 60, :'p3', :'p4', :'p5')
        RETURNING id""", merchant.tenant_id, name, price, currency, charge_type)


def add_professional(merchant, name=None, zone="America/Bogota"):
    name = name or "Dra. Prueba %d" % next(_counter)
    return psql("""
        INSERT INTO professionals (tenant_id, name, timezone) VALUES (:'p1', :'p2', :'p3')
        RETURNING id""", merchant.tenant_id, name, zone)


def add_booking(merchant, service, professional, start, minutes=60, status="paid",
                name="Ana Gómez", email="ana@example.com", phone="+573001234567",
                charge=("total", 12000000, "COP"), notes="", reason="",
                accepted_terms=True, created_at=None):
    """A reservation row; `start` is RFC 3339 text. Empty strings are stored as NULL."""
    ctype, amount, currency = charge if charge else ("", "", "")
    return psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, expires_at, customer_name, customer_email, customer_phone,
            accepted_terms_at, notes, charge_type, charge_amount, currency, status_reason,
            created_at)
        SELECT :'p1', :'p2', :'p3', :'p4', s, s + make_interval(mins => :'p5'::int),
               tstzrange(s, s + make_interval(mins => :'p5'::int)),
               CASE WHEN :'p4' IN ('held', 'pending_payment') THEN now() + interval '10 min' END,
               NULLIF(:'p6', ''), NULLIF(:'p7', ''), NULLIF(:'p8', ''),
               CASE WHEN :'p9' = 'yes' THEN now() END, NULLIF(:'p10', ''),
               NULLIF(:'p11', ''), NULLIF(:'p12', '')::bigint, NULLIF(:'p13', ''),
               NULLIF(:'p14', ''), COALESCE(NULLIF(:'p15', '')::timestamptz, now())
        FROM (SELECT :'p16'::timestamptz AS s) x
        RETURNING id""",
                merchant.tenant_id, service, professional, status, minutes, name, email, phone,
                "yes" if accepted_terms else "no", notes, ctype, amount, currency, reason,
                created_at or "", start)


def add_history(booking_id, from_status, to_status, reason="", at=None):
    psql("""
        INSERT INTO reservation_history (reservation_id, from_status, to_status, reason, created_at)
        VALUES (:'p1', NULLIF(:'p2', ''), :'p3', NULLIF(:'p4', ''),
                COALESCE(NULLIF(:'p5', '')::timestamptz, now()))""",
         booking_id, from_status or "", to_status, reason, at or "")


class Catalog:
    """One service and one professional of a merchant, to hang bookings on."""

    def __init__(self, merchant, zone="America/Bogota"):
        self.merchant = merchant
        set_timezone(merchant, zone)
        self.service = add_service(merchant)
        self.professional = add_professional(merchant)

    def book(self, start, **kw):
        kw.setdefault("service", self.service)
        kw.setdefault("professional", self.professional)
        service, professional = kw.pop("service"), kw.pop("professional")
        return add_booking(self.merchant, service, professional, start, **kw)


def listing(merchant, **params):
    r = merchant.api.get("/api/admin/bookings", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def ids(body):
    return [item["id"] for item in body["items"]]
