"""Helpers of the payments e2e tests: a merchant with Wompi keys (through the real PUT
endpoint), a callback URL on the merchant fake and a callback secret, a service and a
professional; bookings waiting for payment seeded in SQL where the booking flow itself is
not under test; and the checks a merchant runs on a callback."""
import hashlib
import hmac
import itertools
import json
import secrets
import time

from conftest import psql

_n = itertools.count(1)


def rand(n=16):
    return secrets.token_hex(n // 2)


class PayTenant:
    def __init__(self, merchant, fakes, stack, price=12000000, charge_type="total", deposit=25):
        self.merchant, self.fakes, self.stack = merchant, fakes, stack
        self.api = merchant.api
        self.tenant_id = merchant.tenant_id
        self.keys = {
            "mode": "test",
            "public_key": "pub_test_" + rand(),
            "private_key": "prv_test_" + rand(),
            "events_secret": "test_events_" + rand(),
            "integrity_secret": "test_integrity_" + rand(),
        }
        r = self.api.put("/api/admin/tenant/payments/wompi", json=self.keys)
        assert r.status_code == 200, r.text
        # The fake Wompi knows this merchant with the same secrets, and posts events to us.
        known = dict(fakes._call("GET", "/_fakes/wompi/config")["merchants"])
        known[self.keys["public_key"]] = {
            "id": next(_n), "name": "Clínica de pagos",
            "integrity_secret": self.keys["integrity_secret"],
            "events_secret": self.keys["events_secret"],
            "private_key": self.keys["private_key"]}
        fakes.config("wompi", merchants=known, events_url=self.webhook_url(),
                     events_host=self.webhook_host())
        self.callback_url = fakes.base("merchant") + "/callback/" + self.tenant_id
        self.return_url = "https://comercio.example/gracias"
        r = self.api.patch("/api/admin/tenant", json={"callback_url": self.callback_url,
                                                      "return_url": self.return_url})
        assert r.status_code == 200, r.text
        r = self.api.post("/api/admin/tenant/callback-secret")
        assert r.status_code == 201, r.text
        self.callback_secret = r.json()["secret"]
        self.price, self.charge_type = price, charge_type
        self.service = psql("""
            INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount,
                                  currency, charge_type, deposit_percent)
            VALUES (:'p1', 'Consulta dermatológica', 'Una consulta de prueba.', 30, :'p2', 'COP',
                    :'p3', :'p4') RETURNING id""", self.tenant_id, price, charge_type, deposit)
        self.professional = psql("""
            INSERT INTO professionals (tenant_id, name, timezone)
            VALUES (:'p1', 'Dra. Núñez', 'America/Bogota') RETURNING id""", self.tenant_id)

    def webhook_host(self):
        """The platform host: webhooks reach 127.0.0.1 with it (any other host is 404)."""
        return "%s:%s" % (self.stack["KF_BASE_DOMAIN"], self.stack["KF_PORT"])

    def webhook_url(self):
        return "http://127.0.0.1:%s/api/webhooks/wompi" % self.stack["KF_PORT"]

    def pending_booking(self, amount=None, status="pending_payment", start_in_days=None,
                        expires_in="30 minutes"):
        """A booking waiting for its payment, and its payment (what booking creation makes),
        seeded in SQL. Returns (booking id, payment reference)."""
        amount = self.price if amount is None else amount
        days = start_in_days if start_in_days is not None else 2 + next(_n)
        booking = psql("""
            INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                ends_at, blocked, expires_at, customer_name, customer_email, customer_phone,
                accepted_terms_at, charge_type, charge_amount, currency)
            SELECT :'p1', :'p2', :'p3', :'p4', s, s + interval '30 minutes',
                   tstzrange(s, s + interval '30 minutes'), now() + :'p7'::interval,
                   'Ana María Gómez', 'ana@example.com', '+573001234567', now(), :'p5', :'p6', 'COP'
            FROM (SELECT date_trunc('hour', now()) + make_interval(days => :'p8'::int) AS s) x
            RETURNING id""", self.tenant_id, self.service, self.professional, status,
                       self.charge_type, amount, expires_in, days)
        reference = "KF-TEST" + rand(16).upper()
        psql("""
            INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,
                                  currency, expires_at, reconcile_next_at)
            VALUES (:'p1', :'p2', 'wompi', 'test', :'p3', :'p4', 'COP', now() + interval '30 minutes',
                    now() + interval '300 seconds')
            """, self.tenant_id, booking, reference, amount)
        return booking, reference

    def fire(self, reference, amount=None, status="APPROVED", **kw):
        """The fake Wompi creates a transaction and sends its signed event now."""
        body = {"public_key": self.keys["public_key"], "reference": reference,
                "amount_in_cents": self.price if amount is None else amount,
                "currency": kw.pop("currency", "COP"), "status": status}
        body.update(kw)
        return self.fakes._call("POST", "/wompi/_control/transactions", json=body)

    def resend(self, transaction_id, **kw):
        return self.fakes._call("POST", "/wompi/_control/transactions/%s/send" % transaction_id,
                                json=kw)


def booking_row(booking):
    out = psql("SELECT status, coalesce(status_reason, '') FROM reservations WHERE id = :'p1'",
               booking)
    return tuple(out.split("|"))


def payment_row(reference):
    out = psql("""SELECT status, refund_needed, mismatch, coalesce(flag_reason, ''),
                         coalesce(provider_transaction_id, '')
                  FROM payments WHERE reference = :'p1'""", reference)
    s, refund, mismatch, reason, tx = out.split("|")
    return {"status": s, "refund_needed": refund == "t", "mismatch": mismatch == "t",
            "flag_reason": reason, "transaction_id": tx}


def count(sql, *params):
    return int(psql(sql, *params) or 0)


def wait_for(predicate, timeout=15, interval=0.1, what="condition"):
    end = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > end:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(interval)


def callbacks_for(fakes, tenant):
    return [r for r in fakes.requests("merchant") if r["path"].endswith("/" + tenant.tenant_id)]


def check_callback_signatures(record, secret):
    """Both signatures of API.md, as a merchant checks them. Returns the parsed body."""
    raw = record["body"].encode("utf-8")
    header = record["headers"]["X-Konfirmado-Signature"]
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected), "X-Konfirmado-Signature does not verify"
    assert abs(int(parts["t"]) - time.time()) < 120
    body = json.loads(raw)
    assert body["evento"] == record["headers"]["X-Konfirmado-Event"]
    firma = body["seguridad"]["firma_hmac"]
    body["seguridad"]["firma_hmac"] = ""
    compact = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert hmac.new(secret.encode(), compact, hashlib.sha256).hexdigest() == firma, \
        "firma_hmac does not verify"
    body["seguridad"]["firma_hmac"] = firma
    return body


def give_wompi_account(tenant_id, stack=None):
    """Wompi keys for a tenant seeded without users (booking tests): a throwaway session
    for it, seeded like conftest.seed_merchant's, and the real PUT endpoint, so the secrets
    are sealed exactly as in production. Returns the keys."""
    import hashlib as _hashlib
    from conftest import Api, read_stack_env
    stack = stack or read_stack_env()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    psql("""
        WITH u AS (INSERT INTO users (tenant_id, email, password_hash, email_verified_at)
                   VALUES (:'p1', :'p2', 'never-used', now()) RETURNING id, tenant_id)
        INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,
                              absolute_expires_at)
        SELECT :'p3', id, tenant_id, :'p4', now() + interval '1 hour', now() + interval '1 hour'
        FROM u""", tenant_id, "seed-%s@example.com" % secrets.token_hex(6),
         _hashlib.sha256(token.encode()).hexdigest(), csrf)
    keys = {"mode": "test", "public_key": "pub_test_" + rand(),
            "private_key": "prv_test_" + rand(), "events_secret": "test_events_" + rand(),
            "integrity_secret": "test_integrity_" + rand()}
    client = Api(stack)
    client.session.cookies.set("kf_session", token)
    client.session.headers["X-CSRF-Token"] = csrf
    r = client.put("/api/admin/tenant/payments/wompi", json=keys)
    assert r.status_code == 200, r.text
    client.session.close()
    return keys
