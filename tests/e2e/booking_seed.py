"""Seeds the catalog straight into the database for the public booking tests (the admin
API that normally writes it is another feature): tenants, services, professionals with
weekly hours and date exceptions, who offers what, booking links, reservations.

Hours are given as {iso_weekday: [("09:00", "17:00"), ...]}; ALL_WEEK(...) repeats one
list of ranges on every day.
"""
import datetime as dt
import secrets
import uuid
from zoneinfo import ZoneInfo

from conftest import psql

BOG = ZoneInfo("America/Bogota")


def ALL_WEEK(*ranges):
    return {wd: list(ranges) for wd in range(1, 8)}


def _minutes(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def tenant(subdomain=None, country="CO", timezone="America/Bogota", currency="COP",
           return_url=None, name="Clínica Reserva", wompi=True):
    """With wompi (default), the tenant also gets Wompi keys: paid bookings need them
    (booking creation makes the checkout; without an account it is 502 provider_error)."""
    subdomain = subdomain or "t" + secrets.token_hex(5)
    tid = psql("""INSERT INTO tenants (name, subdomain, country, timezone, currency, return_url,
                                        terms_url, logo_url)
                   VALUES (:'p1', :'p2', :'p3', :'p4', :'p5', NULLIF(:'p6', ''),
                           'https://example.com/terms', 'https://example.com/logo.png')
                   RETURNING id""",
               name, subdomain, country, timezone, currency, return_url or "")
    if wompi:
        from payments_helpers import give_wompi_account
        give_wompi_account(tid)
    return tid, subdomain


def service(tenant_id, name="Consulta general", duration=30, price=12000000, charge="total",
            deposit=25, interval=15, before=0, after=0, notice=0, horizon=14, currency="COP",
            archived=False):
    return psql("""INSERT INTO services (tenant_id, name, description, duration_minutes,
                     price_amount, currency, charge_type, deposit_percent, slot_interval_minutes,
                     buffer_before_minutes, buffer_after_minutes, min_notice_minutes,
                     horizon_days, archived_at)
                   VALUES (:'p1', :'p2', 'Una descripción del servicio', :'p3', :'p4', :'p5',
                           :'p6', :'p7', :'p8', :'p9', :'p10', :'p11', :'p12',
                           CASE WHEN :'p13' = '1' THEN now() END)
                   RETURNING id""",
                tenant_id, name, duration, price, currency, charge, deposit, interval, before,
                after, notice, horizon, "1" if archived else "0")


def professional(tenant_id, name="Dra. Ana", timezone="America/Bogota", hours=None,
                 exceptions=(), services=(), archived=False):
    """hours: {weekday: [("09:00", "17:00")]}; exceptions: [(date, None)] closed or
    [(date, [("10:00", "12:00")])] replacement hours."""
    pid = psql("""INSERT INTO professionals (tenant_id, name, description, timezone, archived_at)
                  VALUES (:'p1', :'p2', 'Profesional', :'p3', CASE WHEN :'p4' = '1' THEN now() END)
                  RETURNING id""", tenant_id, name, timezone, "1" if archived else "0")
    hours = ALL_WEEK(("09:00", "17:00")) if hours is None else hours
    values = []
    for wd, ranges in hours.items():
        for start, end in ranges:
            values.append("('%s', %d, %d, %d)" % (pid, wd, _minutes(start), _minutes(end)))
    if values:
        psql("INSERT INTO professional_hours (professional_id, weekday, start_minute, end_minute) "
             "VALUES " + ", ".join(values))
    for day, ranges in exceptions:
        if ranges is None:
            psql("INSERT INTO professional_exceptions (professional_id, day, closed) "
                 "VALUES (:'p1', :'p2', true)", pid, str(day))
        for start, end in ranges or ():
            psql("INSERT INTO professional_exceptions (professional_id, day, closed, start_minute, "
                 "end_minute) VALUES (:'p1', :'p2', false, :'p3', :'p4')",
                 pid, str(day), _minutes(start), _minutes(end))
    for sid in services:
        offer(tenant_id, sid, pid)
    return pid


def offer(tenant_id, service_id, professional_id):
    psql("INSERT INTO service_professionals (tenant_id, service_id, professional_id) "
         "VALUES (:'p1', :'p2', :'p3')", tenant_id, service_id, professional_id)


def link(tenant_id, service_id=None, professional_id=None, expires_at=None, active=True):
    slug = secrets.token_urlsafe(18)
    psql("""INSERT INTO booking_links (tenant_id, slug, name, service_id, professional_id,
                                       expires_at, active)
            VALUES (:'p1', :'p2', 'Enlace', NULLIF(:'p3', '')::uuid, NULLIF(:'p4', '')::uuid,
                    NULLIF(:'p5', '')::timestamptz, :'p6')""",
         tenant_id, slug, service_id or "", professional_id or "", expires_at or "",
         "true" if active else "false")
    return slug


def reservation(tenant_id, service_id, professional_id, start, minutes=30, status="paid",
                expires_in=None, before=0, after=0):
    """An existing reservation (start: aware datetime or ISO string)."""
    if isinstance(start, dt.datetime):
        start = start.isoformat()
    return psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status,
                     starts_at, ends_at, blocked, expires_at)
                   SELECT :'p1', :'p2', :'p3', :'p4', s, s + make_interval(mins => :'p5'::int),
                          tstzrange(s - make_interval(mins => :'p7'::int),
                                    s + make_interval(mins => :'p5'::int + :'p8'::int)),
                          now() + make_interval(secs => NULLIF(:'p6', '')::int)
                   FROM (SELECT :'p9'::timestamptz AS s) x RETURNING id""",
                tenant_id, service_id, professional_id, status, minutes,
                "" if expires_in is None else str(expires_in), before, after, start)


class Scenario:
    """One tenant, one service, professionals and a link, with helpers to call the API."""

    def __init__(self, api, **kw):
        self.api = api
        self.tenant_id, self.subdomain = tenant(**kw.pop("tenant", {}))
        self.service_id = service(self.tenant_id, **kw.pop("service", {}))
        profs = kw.pop("professionals", [{}])
        self.professionals = [professional(self.tenant_id, services=[self.service_id], **p)
                              for p in profs]
        self.slug = link(self.tenant_id, **kw.pop("link", {}))

    @property
    def professional_id(self):
        return self.professionals[0]

    def availability(self, professional=None, host=None, api=None, **params):
        params.setdefault("service", self.service_id)
        params.setdefault("professional", professional or self.professional_id)
        return (api or self.api).get("/api/public/links/%s/availability" % self.slug,
                                     params=params, host=host)

    def slots(self, **kw):
        r = self.availability(**kw)
        assert r.status_code == 200, r.text
        return r.json()["slots"]

    def hold(self, start, professional=None, api=None, **extra):
        body = {"link": self.slug, "service": self.service_id,
                "professional": professional or self.professional_id, "start": start}
        body.update(extra)
        return (api or self.api).post("/api/public/holds", json=body)

    def book(self, hold_token, api=None, **customer):
        c = {"name": "Juan Pérez", "email": "juan@example.com", "phone": "+573001234567"}
        c.update(customer)
        return (api or self.api).post("/api/public/bookings", json={
            "hold_token": hold_token, "customer": c, "accepted_terms": True})


def utc(s):
    """'2026-12-01T14:00:00Z' -> aware datetime."""
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def iso(d):
    return d.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def business_today(zone=BOG):
    """Today where the business is: a day's availability is asked in its local days, and from
    midnight UTC until midnight in Bogota the two dates differ."""
    return dt.datetime.now(zone).date()


def today_plus(days, zone=BOG):
    return (business_today(zone) + dt.timedelta(days=days)).isoformat()


def new_uuid():
    return str(uuid.uuid4())
