#!/usr/bin/python3
"""A stand-in for the public booking API of API.md, for wizard tests and screenshots.

It serves htdocs exactly like mod_konfirmado does (/book/* -> the shell, /static/* ->
files, same security headers) and answers /api/public/* from memory, following the
contract (shapes, status codes, error codes). It exists so that the wizard can be
driven before (and independently of) the real booking and payment code; the same
browser journeys also run against the real stack (test_wizard_stack.py).

    tests/browser/contract_api.py --port 8099     # then open http://localhost:8099/book/demo-link-0123456789

Paying again (POST /api/public/bookings/{id}/pay {"hold_token"}) moves a failed or expired
booking onto a live hold of its service with a new payment, as the module does.

Extra routes (the fake's own):
  GET  /_contract/checkout?booking=ID   fake provider checkout: Approve / Decline / Pending
  POST /_contract/checkout              the button's form; redirects to the confirmation
  GET  /_contract/return                the merchant's return page (shows its query)
  POST /_contract/config                {"hold_ttl": seconds, "link_state": "ok|expired|gone",
                                        "link_delay": seconds the link's answer waits,
                                        "provider_failures": the next n checkouts answer 502
                                        provider_error (the hold kept),
                                        "policy": {tenant policy settings}}
  POST /_contract/take                  {"start": ts} someone else takes that slot (all pros)
  POST /_contract/return_url            {"url": url|null} the business's return URL (default: /_contract/return)
"""
import argparse
import datetime as dt
import html
import json
import os
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit, urlencode
from zoneinfo import ZoneInfo

HTDOCS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "htdocs"))
CSP = ("default-src 'self'; script-src 'self'; img-src 'self' https: data:; "
       "style-src 'self' 'unsafe-inline'; connect-src 'self'; form-action 'self'; "
       "base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}
LINK = "demo-link-0123456789"
SERVICE_TOTAL, SERVICE_PARTIAL, SERVICE_FREE = (str(uuid.UUID(int=i)) for i in (1, 2, 3))
PRO_BOGOTA, PRO_MADRID = str(uuid.UUID(int=11)), str(uuid.UUID(int=12))
# a tenant's policy settings at their defaults (API.md "Tenant policy settings")
DEFAULT_POLICY = {"cancel_cutoff_hours": 24, "reschedule_cutoff_hours": 24, "max_reschedules": 2,
                  "refund_on_cancel": "full"}


def iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


class World:
    """The catalog and every hold/booking, behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.hold_ttl = 600
        self.link_state = "ok"
        self.link_delay = 0
        self.provider_failures = 0
        self.tenant = {"name": "Clínica Aurora", "logo_url": "/static/demo/logo.svg",
                       "primary_color": "#0F766E", "secondary_color": "#F59E0B",
                       "timezone": "America/Bogota", "locale": "es", "terms_url": "https://example.com/terminos",
                       "country": "CO", "policy": dict(DEFAULT_POLICY)}
        self.services = [
            {"id": SERVICE_TOTAL, "name": "Consulta de valoración",
             "description": "Primera cita: revisamos tu caso y armamos un plan a tu medida.",
             "image_url": None, "duration_minutes": 45,
             "location": {"type": "in_person", "address": "Calle 85 #11-20, consultorio 302, Bogotá"},
             "price": {"amount": 12000000, "currency": "COP"},
             "charge": {"type": "total", "amount": 12000000, "currency": "COP"},
             "professional_ids": [PRO_BOGOTA, PRO_MADRID]},
            {"id": SERVICE_PARTIAL, "name": "Limpieza facial profunda",
             "description": "Tratamiento de 90 minutos. Reservas con un anticipo del 25 %.",
             "image_url": None, "duration_minutes": 90,
             "price": {"amount": 25000000, "currency": "COP"},
             "charge": {"type": "partial", "amount": 6250000, "currency": "COP"},
             "professional_ids": [PRO_BOGOTA]},
            {"id": SERVICE_FREE, "name": "Llamada informativa",
             "description": "Quince minutos para resolver tus dudas, sin costo.",
             "image_url": None, "duration_minutes": 15,
             "location": {"type": "video"},
             "price": {"amount": 0, "currency": "COP"},
             "charge": {"type": "free", "amount": 0, "currency": "COP"},
             "professional_ids": [PRO_BOGOTA, PRO_MADRID]},
        ]
        self.pros = [
            {"id": PRO_BOGOTA, "name": "Dra. Ana Restrepo", "description": "Dermatóloga · Bogotá",
             "photo_url": None, "service_ids": [SERVICE_TOTAL, SERVICE_PARTIAL, SERVICE_FREE],
             "timezone": "America/Bogota"},
            {"id": PRO_MADRID, "name": "Dr. Javier Ortega", "description": "Teleconsulta desde Madrid",
             "photo_url": None, "service_ids": [SERVICE_TOTAL, SERVICE_FREE], "timezone": "Europe/Madrid"},
        ]
        self.return_url = "/_contract/return"   # the business's; None: it has none
        self.reservations = {}   # id -> dict(status, pro, start, end, expires, hold_token, token, ...)
        self.taken = set()       # starts taken by "someone else"

    def service(self, sid):
        return next((s for s in self.services if s["id"] == sid), None)

    def pro(self, pid):
        return next((p for p in self.pros if p["id"] == pid), None)

    def busy(self, pro, start, end):
        now = dt.datetime.now(dt.timezone.utc)
        for r in self.reservations.values():
            if r["pro"] != pro or r["status"] not in ("held", "pending_payment", "paid", "confirmed"):
                continue
            if r["status"] in ("held", "pending_payment") and r["expires"] <= now:
                r["status"] = "expired"
                continue
            if r["start"] < end and start < r["end"]:
                return True
        return iso(start) in self.taken

    def slots(self, service, pros, day0, days, tz):
        """Hourly slots 09:00-17:00 Monday-Saturday in each professional's zone."""
        out = {}
        now = dt.datetime.now(dt.timezone.utc)
        dur = dt.timedelta(minutes=service["duration_minutes"])
        for p in pros:
            z = ZoneInfo(self.pro(p)["timezone"])
            for i in range(-1, days + 1):
                d = day0 + dt.timedelta(days=i)
                if d.isoweekday() == 7 or (d.isoweekday() == 6 and p == PRO_MADRID):
                    continue
                for hour in range(9, 17):
                    start = dt.datetime(d.year, d.month, d.day, hour, tzinfo=z).astimezone(dt.timezone.utc)
                    end = start + dur
                    local = start.astimezone(ZoneInfo(tz))
                    if start <= now + dt.timedelta(minutes=30) or not (0 <= (local.date() - day0).days < days):
                        continue
                    if self.busy(p, start, end) or iso(start) in out:
                        continue
                    out[iso(start)] = {"start": iso(start), "end": iso(end),
                                       "local": local.isoformat(timespec="seconds"), "professional": p}
        return [out[k] for k in sorted(out)]


WORLD = World()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # -------------------------------------------------------------- plumbing
    def send(self, status, body=b"", ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, fields=None):
        err = {"code": code, "message": code.replace("_", " ")}
        if fields:
            err["fields"] = fields
        self.send(status, {"error": err})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def json_body(self):
        try:
            return json.loads(self.body() or b"{}")
        except ValueError:
            return None

    def do_GET(self):
        self.route()

    do_POST = do_DELETE = do_HEAD = do_GET

    def route(self):
        url = urlsplit(self.path)
        self.q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        p = url.path
        if p == "/book" or p.startswith("/book/"):
            return self.file("book/index.html")
        if p.startswith("/static/"):
            rel = p[len("/static/"):]
            if ".." in rel.split("/") or rel.startswith("/") or not rel:
                return self.send(404, "not found", "text/plain")
            return self.file("static/" + rel)
        if p.startswith("/_contract/"):
            return self.contract(p[len("/_contract/"):])
        parts = p.strip("/").split("/")
        with WORLD.lock:
            if parts[:3] == ["api", "public", "links"] and len(parts) in (4, 5):
                return self.link(parts[3], availability=len(parts) == 5 and parts[4] == "availability")
            if parts == ["api", "public", "holds"] and self.command == "POST":
                return self.hold()
            if parts[:3] == ["api", "public", "holds"] and len(parts) == 4 and self.command == "DELETE":
                return self.release(parts[3])
            if parts == ["api", "public", "bookings"] and self.command == "POST":
                return self.booking()
            if parts[:3] == ["api", "public", "bookings"] and len(parts) == 5 and parts[4] == "pay" \
                    and self.command == "POST":
                return self.pay_again(parts[3])
            if parts[:3] == ["api", "public", "bookings"] and len(parts) == 4:
                return self.status(parts[3])
            # the portal's customer, for the wizard's details: nobody is signed in here
            if parts == ["api", "public", "me", "details"]:
                return self.error(401, "unauthenticated")
        self.error(404, "not_found")

    def file(self, rel):
        path = os.path.join(HTDOCS, rel)
        if not os.path.isfile(path):
            return self.send(404, "not found", "text/plain")
        with open(path, "rb") as f:
            data = f.read()
        self.send(200, data, TYPES.get(os.path.splitext(path)[1], "application/octet-stream"),
                  [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                   ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-cache")])

    # -------------------------------------------------------------- public API
    def check_link(self, slug):
        if slug != LINK or WORLD.link_state == "gone":
            self.error(404, "link_not_found")
            return False
        if WORLD.link_state == "expired":
            self.error(410, "link_expired")
            return False
        return True

    def link(self, slug, availability):
        if not availability and WORLD.link_delay:
            time.sleep(WORLD.link_delay)       # a slow network: what the page shows meanwhile
        if not self.check_link(slug):
            return
        if not availability:
            return self.send(200, {"link": {"id": str(uuid.UUID(int=99)), "expires_at": None,
                                            "preselected": {"service": None, "professional": None}},
                                   "tenant": WORLD.tenant, "services": WORLD.services,
                                   "professionals": WORLD.pros})
        svc = WORLD.service(self.q.get("service"))
        if not svc:
            return self.error(404, "service_not_found")
        want = self.q.get("professional", "any")
        if want != "any" and want not in svc["professional_ids"]:
            return self.error(404, "professional_not_found")
        tz = self.q.get("tz") or WORLD.tenant["timezone"]
        try:
            ZoneInfo(tz)
        except Exception:
            return self.error(400, "invalid_timezone")
        try:
            day0 = dt.date.fromisoformat(self.q["from"]) if self.q.get("from") else dt.datetime.now(ZoneInfo(tz)).date()
            days = int(self.q.get("days", 14))
        except ValueError:
            return self.error(400, "invalid_parameter")
        pros = svc["professional_ids"] if want == "any" else [want]
        self.send(200, {"timezone": tz, "from": day0.isoformat(), "days": days,
                        "slots": WORLD.slots(svc, pros, day0, days, tz)})

    def hold(self):
        b = self.json_body() or {}
        if not self.check_link(b.get("link")):
            return
        svc = WORLD.service(b.get("service"))
        if not svc:
            return self.error(404, "service_not_found")
        try:
            start = parse_ts(b.get("start", ""))
        except ValueError:
            return self.error(400, "validation_failed", {"start": "invalid"})
        want = b.get("professional", "any")
        pros = svc["professional_ids"] if want == "any" else [want]
        slot = None
        day0 = start.date() - dt.timedelta(days=1)
        for s in WORLD.slots(svc, pros, day0, 3, "UTC"):
            if s["start"] == iso(start):
                slot = s
                break
        if not slot:
            return self.error(409, "slot_unavailable")
        rid, token = str(uuid.uuid4()), secrets.token_urlsafe(24)
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=WORLD.hold_ttl)
        WORLD.reservations[rid] = {"status": "held", "pro": slot["professional"], "service": svc["id"],
                                   "start": start, "end": parse_ts(slot["end"]), "expires": expires,
                                   "hold_token": token, "token": None}
        self.send(201, {"hold": {"id": rid, "token": token, "professional": slot["professional"],
                                 "start": slot["start"], "end": slot["end"], "expires_at": iso(expires)}})

    def release(self, rid):
        r = WORLD.reservations.get(rid)
        auth = self.headers.get("Authorization", "")
        if not r or r["status"] != "held" or auth != "Bearer " + r["hold_token"]:
            return self.error(404, "hold_not_found")
        r["status"] = "cancelled"
        self.send(204)

    def booking(self):
        b = self.json_body() or {}
        r = next((x for x in WORLD.reservations.values() if x["hold_token"] == b.get("hold_token")), None)
        c = b.get("customer") or {}
        fields = {}
        if not (2 <= len((c.get("name") or "").strip()) <= 100):
            fields["customer.name"] = "Nombre inválido"
        if "@" not in (c.get("email") or ""):
            fields["customer.email"] = "Correo inválido"
        phone = c.get("phone") or ""
        if not (phone.startswith("+57") and len(phone) == 13 and phone[1:].isdigit()):
            fields["customer.phone"] = "Debe ser +57 y 10 dígitos"
        if b.get("accepted_terms") is not True:
            fields["accepted_terms"] = "Debes aceptar los términos"
        if fields:
            return self.error(400, "validation_failed", fields)
        now = dt.datetime.now(dt.timezone.utc)
        if not r or r["status"] != "held" or r["expires"] <= now:
            if r and r["status"] == "held":
                r["status"] = "expired"
            return self.error(409, "hold_expired")
        rid = next(k for k, v in WORLD.reservations.items() if v is r)
        svc = WORLD.service(r["service"])
        if svc["charge"]["type"] != "free" and WORLD.provider_failures > 0:
            WORLD.provider_failures -= 1     # the provider made no checkout: still held
            return self.error(502, "provider_error")
        r.update(token=secrets.token_urlsafe(24), customer=c, charge=svc["charge"])
        booking = {"id": rid, "token": r["token"], "start": iso(r["start"]), "end": iso(r["end"]),
                   "status_url": "/api/public/bookings/%s?token=%s" % (rid, r["token"])}
        if svc["charge"]["type"] == "free":
            r["status"], r["expires"] = "paid", None
            booking.update(status="paid", charge=None, payment=None)
        else:
            self.checkout(rid, r, booking)
        self.send(201, {"booking": booking})

    @staticmethod
    def checkout(rid, r, booking):
        """A new payment of booking rid: pending_payment, a new reference, its checkout."""
        now = dt.datetime.now(dt.timezone.utc)
        r["status"], r["expires"] = "pending_payment", now + dt.timedelta(seconds=1800)
        r["reference"] = "KF-" + secrets.token_hex(4).upper()
        r["payment_status"] = "pending"
        booking.update(status="pending_payment",
                       charge={"amount": r["charge"]["amount"], "currency": "COP"},
                       payment={"provider": "wompi", "reference": r["reference"],
                                "expires_at": iso(r["expires"]),
                                "checkout_url": "/_contract/checkout?" + urlencode({"booking": rid})})

    def pay_again(self, rid):
        r = WORLD.reservations.get(rid)
        auth = self.headers.get("Authorization", "")
        if not r or not r.get("token") or auth != "Bearer " + r["token"]:
            return self.error(404, "booking_not_found")
        b = self.json_body()
        if not isinstance(b, dict) or not isinstance(b.get("hold_token"), str) or len(b["hold_token"]) < 16:
            return self.error(400, "validation_failed", {"hold_token": "invalid"})
        now = dt.datetime.now(dt.timezone.utc)
        if r["status"] == "pending_payment" and r["expires"] <= now:
            r["status"] = "expired"
        if r["status"] not in ("failed", "expired") or r.get("payment_status") == "approved":
            return self.error(409, "payment_closed")
        h = next((x for x in WORLD.reservations.values() if x["hold_token"] == b["hold_token"]), None)
        if not h or h is r or h["status"] != "held" or h["expires"] <= now or h["service"] != r["service"]:
            return self.error(409, "hold_expired")
        h["status"] = "expired"
        r.update(start=h["start"], end=h["end"], pro=h["pro"])
        booking = {"id": rid, "token": r["token"], "start": iso(r["start"]), "end": iso(r["end"]),
                   "status_url": "/api/public/bookings/%s?token=%s" % (rid, r["token"])}
        self.checkout(rid, r, booking)
        self.send(200, {"booking": booking})

    def status(self, rid):
        r = WORLD.reservations.get(rid)
        # the token as Bearer (what the pages send) or ?token= (API.md's address)
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else self.q.get("token")
        if not r or not r.get("token") or token != r["token"]:
            return self.error(404, "booking_not_found")
        svc, pro = WORLD.service(r["service"]), WORLD.pro(r["pro"])
        if r["status"] == "pending_payment" and r["expires"] <= dt.datetime.now(dt.timezone.utc):
            r["status"] = "expired"
        ret, base = None, WORLD.return_url
        if base and r["status"] in ("paid", "confirmed"):
            ret = base + "?" + urlencode({"status": "ok", "ref": rid})
        elif base and r["status"] in ("failed", "expired"):
            ret = base + "?" + urlencode({"status": "failed", "ref": rid})
        pay = None
        if r.get("reference"):
            pay = {"provider": "wompi", "status": r.get("payment_status", "pending"),
                   "reference": r["reference"], "amount": r["charge"]["amount"], "currency": "COP"}
        # the place as the module shows it: a video call's link once the booking stands
        place = svc.get("location")
        if place and place["type"] == "video":
            place = ({"type": "video", "url": "https://meet.example.com/aurora-" + rid[:8]}
                     if r["status"] in ("paid", "confirmed") else None)
        self.send(200, {"booking": {
            "id": rid, "status": r["status"], "start": iso(r["start"]), "end": iso(r["end"]),
            "timezone": pro["timezone"],
            "service": {"id": svc["id"], "name": svc["name"], "duration_minutes": svc["duration_minutes"]},
            "professional": {"id": pro["id"], "name": pro["name"]}, "location": place,
            "payment": pay, "return_url": ret, "link": LINK,
            "contact": {"name": WORLD.tenant["name"], "email": "citas@clinica-aurora.example"}}})

    # -------------------------------------------------------------- the fake's own pages
    def contract(self, what):
        if what == "checkout" and self.command == "GET":
            rid = self.q.get("booking", "")
            with WORLD.lock:
                r = WORLD.reservations.get(rid)
            if not r:
                return self.send(400, "unknown booking", "text/plain")
            amount = "{:,.0f}".format(r["charge"]["amount"] / 100).replace(",", ".")
            page = ("<!doctype html><html lang=es><meta name=viewport content='width=device-width'>"
                    "<title>Fake checkout</title><body style='font-family:sans-serif;padding:16px'>"
                    "<h1>Fake checkout</h1><p>Pagar <strong>$ %s COP</strong> (ref %s)</p>"
                    "<form method=post action='/_contract/checkout'><input type=hidden name=booking value='%s'>"
                    "<button name=decision value=APPROVED style='min-height:48px'>Approve</button> "
                    "<button name=decision value=DECLINED style='min-height:48px'>Decline</button> "
                    "<button name=decision value=PENDING style='min-height:48px'>Pending</button></form>"
                    % (amount, html.escape(r["reference"]), html.escape(rid)))
            return self.send(200, page, "text/html; charset=utf-8")
        if what == "checkout" and self.command == "POST":
            form = {k: v[-1] for k, v in parse_qs(self.body().decode()).items()}
            rid, decision = form.get("booking", ""), form.get("decision", "")
            with WORLD.lock:
                r = WORLD.reservations.get(rid)
                if not r:
                    return self.send(400, "unknown booking", "text/plain")
                if decision == "PENDING":
                    pass
                elif decision == "APPROVED":
                    r["status"], r["payment_status"] = "paid", "approved"
                elif decision == "DECLINED":
                    r["status"], r["payment_status"] = "failed", "declined"
                token = r["token"]
            tx = "tx-" + secrets.token_hex(4)
            loc = "/book/%s/confirmation?%s" % (LINK, urlencode({"booking": rid, "token": token, "id": tx}))
            return self.send(303, b"", "text/plain", [("Location", loc)])
        if what == "return":
            page = ("<!doctype html><html><title>Merchant</title><body><h1>Merchant return page</h1>"
                    "<p id=status>%s</p><p id=ref>%s</p>" % (html.escape(self.q.get("status", "")),
                                                             html.escape(self.q.get("ref", ""))))
            return self.send(200, page, "text/html; charset=utf-8")
        if what == "config" and self.command == "POST":
            b = self.json_body() or {}
            with WORLD.lock:
                WORLD.hold_ttl = int(b.get("hold_ttl", WORLD.hold_ttl))
                WORLD.link_state = b.get("link_state", WORLD.link_state)
                WORLD.link_delay = float(b.get("link_delay", 0))
                WORLD.provider_failures = int(b.get("provider_failures", 0))
                if "primary_color" in b:
                    WORLD.tenant["primary_color"] = b["primary_color"]
                if "policy" in b:
                    WORLD.tenant["policy"] = dict(DEFAULT_POLICY, **b["policy"])
                if b.get("reset"):
                    WORLD.reservations.clear()
                    WORLD.taken.clear()
                    WORLD.return_url = "/_contract/return"
            return self.send(200, {"ok": True})
        if what == "return_url" and self.command == "POST":
            b = self.json_body() or {}
            with WORLD.lock:
                WORLD.return_url = b.get("url")
            return self.send(200, {"ok": True})
        if what == "take" and self.command == "POST":
            b = self.json_body() or {}
            with WORLD.lock:
                WORLD.taken.add(b["start"])
            return self.send(200, {"ok": True})
        self.send(404, "no such contract route", "text/plain")


def serve(port=0):
    """Starts the server in a thread; returns (server, port)."""
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8099)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print("wizard on http://localhost:%d/book/%s" % (a.port, LINK))
    srv.serve_forever()
