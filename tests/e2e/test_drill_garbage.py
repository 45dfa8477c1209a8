"""Drill: 10,000 malformed, oversized, invalid-UTF-8, wrong-type and cross-tenant
requests replayed from a generator against every endpoint: only 4xx answers, every table's
row count unchanged, and no error-log line above `warn` (conftest fails the test on any)."""
import json
import random
import threading

from conftest import Api, psql

REQUESTS = 10000
TABLES = ("tenants", "users", "sessions", "user_tokens", "services", "professionals",
          "booking_links", "reservations", "reservation_history", "payments", "payment_events",
          "merchant_callbacks", "mail_outbox", "audit_log", "tenant_payment_settings",
          "erasure_requests")

# every route of the router, with {placeholders} for ids
ENDPOINTS = [
    ("POST", "/api/auth/register"), ("POST", "/api/auth/verify-email"),
    ("POST", "/api/auth/login"), ("POST", "/api/auth/logout"), ("GET", "/api/auth/me"),
    ("POST", "/api/auth/forgot-password"), ("POST", "/api/auth/reset-password"),
    ("GET", "/api/admin/tenant"), ("PATCH", "/api/admin/tenant"),
    ("POST", "/api/admin/tenant/callback-secret"), ("POST", "/api/admin/tenant/logo"),
    ("GET", "/api/public/tenants/{id}/logo"), ("PUT", "/api/admin/tenant/payments/wompi"),
    ("POST", "/api/admin/tenant/payments/wompi/test"),
    ("GET", "/api/admin/services"), ("POST", "/api/admin/services"),
    ("GET", "/api/admin/services/{id}"), ("PATCH", "/api/admin/services/{id}"),
    ("DELETE", "/api/admin/services/{id}"),
    ("GET", "/api/admin/professionals"), ("POST", "/api/admin/professionals"),
    ("GET", "/api/admin/professionals/{id}"), ("PATCH", "/api/admin/professionals/{id}"),
    ("DELETE", "/api/admin/professionals/{id}"),
    ("GET", "/api/admin/links"), ("POST", "/api/admin/links"), ("GET", "/api/admin/links/{id}"),
    ("PATCH", "/api/admin/links/{id}"), ("DELETE", "/api/admin/links/{id}"),
    ("GET", "/api/admin/bookings"), ("GET", "/api/admin/bookings.csv"),
    ("GET", "/api/admin/bookings/{id}"), ("POST", "/api/admin/bookings/{id}/callback"),
    ("GET", "/api/admin/audit"), ("POST", "/api/webhooks/wompi"),
    ("GET", "/api/public/links/{slug}"), ("GET", "/api/public/links/{slug}/availability"),
    ("POST", "/api/public/holds"), ("DELETE", "/api/public/holds/{id}"),
    ("POST", "/api/public/bookings"), ("GET", "/api/public/bookings/{id}"),
    ("GET", "/api/admin/customers/export"), ("POST", "/api/admin/customers/erase"),
    ("GET", "/api/admin/customers/erasure-requests"),
    ("POST", "/api/admin/customers/erasure-requests/{id}/confirm"),
]

FIELDS = ["email", "password", "business_name", "token", "name", "subdomain", "callback_url",
          "custom_domain", "mode", "public_key", "private_key", "service_ids", "schedule",
          "price", "charge_type", "duration_minutes", "link", "service", "professional", "start",
          "hold_token", "customer", "accepted_terms", "event", "data", "signature", "timestamp"]


def garbage_value(rng, depth=0):
    kind = rng.randrange(9)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 2 ** 63, 1.5e308, -0.0, 99999999999])
    if kind == 3:
        return "".join(rng.choice("aZ9-_./%\\\"'<>{}ñ\u202e\u0000 ") for _ in range(rng.randrange(40)))
    if kind == 4:
        return "x" * rng.choice([1, 255, 4096, 20000])
    if kind == 5 and depth < 3:
        return [garbage_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    if kind == 6 and depth < 3:
        return {rng.choice(FIELDS): garbage_value(rng, depth + 1) for _ in range(rng.randrange(5))}
    if kind == 7:
        return "2026-13-45T25:61:61Z"
    return "00000000-0000-0000-0000-%012d" % rng.randrange(10 ** 12)


def garbage_body(rng):
    kind = rng.randrange(7)
    if kind == 0:
        return b'{"email": "a@b.co", "password": '                       # truncated JSON
    if kind == 1:
        return b'{"name": "\xff\xfe\xc3(", "email": "x"}'                 # invalid UTF-8
    if kind == 2:
        return b"[" * 5000 + b"]" * 5000                                 # deep nesting
    if kind == 3:
        return b'{"a": "' + b"y" * 70000 + b'"}'                         # over 64 KiB
    if kind == 4:
        return b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300))
    body = {rng.choice(FIELDS): garbage_value(rng) for _ in range(rng.randrange(1, 8))}
    # and always a few fields of the wrong type, so that no body is valid by chance
    body.update({"name": 12345, "email": 7, "token": [], "link": {}, "hold_token": False,
                 "mode": 1})
    return json.dumps(body, ensure_ascii=rng.choice([True, False])).encode("utf-8", "surrogatepass")


# Calls that are legitimate with a session and no body (a list, the session itself, rotating
# the secret): the drill sends only bad requests, so these go without the session.
FINE_WITH_SESSION = {("GET", "/api/auth/me"), ("POST", "/api/auth/logout"),
                     ("GET", "/api/admin/tenant"), ("POST", "/api/admin/tenant/callback-secret"),
                     ("POST", "/api/admin/tenant/payments/wompi/test"),
                     ("GET", "/api/admin/services"), ("GET", "/api/admin/professionals"),
                     ("GET", "/api/admin/links"), ("GET", "/api/admin/bookings"),
                     ("GET", "/api/admin/bookings.csv"), ("GET", "/api/admin/audit"),
                     ("GET", "/api/admin/customers/erasure-requests")}


# The garbage acts as the merchant, as nobody, or on the other merchant's ids: what it could
# change is global (a new account) or theirs. Rows of a business's bookings, money, mails and
# audit are counted for those two businesses only, since the stack's jobs keep working on
# what earlier tests left (holds expire, bookings complete, payments are reconciled,
# merchants are alerted) while the drill runs.
TENANT_SCOPED = {
    "reservations": "tenant_id IN ({t})",
    "reservation_history": "reservation_id IN (SELECT id FROM reservations WHERE tenant_id IN ({t}))",
    "payments": "tenant_id IN ({t})",
    "payment_events": "tenant_id IN ({t})",
    "merchant_callbacks": "tenant_id IN ({t})",
    "mail_outbox": "tenant_id IS NULL OR tenant_id IN ({t})",
    "audit_log": "tenant_id IS NULL OR tenant_id IN ({t})",
}


def counts(*tenants):
    ids = ", ".join("'%s'::uuid" % t for t in tenants)
    return psql("SELECT " + ", ".join(
        "(SELECT count(*) FROM %s WHERE %s)" % (t, TENANT_SCOPED.get(t, "true").format(t=ids))
        for t in TABLES))


def test_ten_thousand_bad_requests_answer_4xx_and_change_nothing(merchant, other_merchant, stack):
    # someone else's objects: the garbage also aims at ids that exist in another tenant
    other = other_merchant.api
    service = other.post("/api/admin/services", json={
        "name": "Servicio ajeno", "description": "Un servicio de otro comercio.",
        "duration_minutes": 30, "price": {"amount": 5000000, "currency": "COP"},
        "charge_type": "total"}).json()["id"]
    link = other.post("/api/admin/links", json={"name": "Ajeno"}).json()
    foreign_ids = [service, link["id"], other_merchant.tenant_id]
    tenants = (merchant.tenant_id, other_merchant.tenant_id)
    before = counts(*tenants)
    rng = random.Random(16)
    failures, lock = [], threading.Lock()
    plan = []
    for i in range(REQUESTS):
        method, path = rng.choice(ENDPOINTS)
        ident = rng.choice(foreign_ids + ["not-a-uuid", "../../etc/passwd", "%00", "x" * 300])
        # the real (foreign) slug only where a request without its parameters is refused
        slug = link["slug"] if path.endswith("/availability") else ident
        url = path.replace("{id}", ident).replace("{slug}", slug)
        if rng.random() < 0.3:
            url += "?" + rng.choice(["from=2026-99-01", "days=-5", "page=abc", "tz=Mars/Base",
                                     "service=%ff%fe", "a=" + "b" * 3000, "q=%", "token=x"])
        plan.append((method, path, url,
                     garbage_body(rng) if method in ("POST", "PUT", "PATCH") else None,
                     rng.choice(["application/json", "text/plain", "image/png", None])))

    def worker(part):
        client = merchant.api.with_host(merchant.api.host)        # the session, own address
        client.session.cookies.update(merchant.api.session.cookies)
        client.session.headers.update(merchant.api.session.headers)
        anonymous = Api(stack)
        for n, (method, path, url, body, ctype) in enumerate(part):
            who = client if n % 2 and (method, path) not in FINE_WITH_SESSION else anonymous
            headers = {"Content-Type": ctype} if ctype else {}
            r = who.request(method, url, data=body, headers=headers)
            if not 400 <= r.status_code < 500:
                with lock:
                    failures.append((method, url[:120], r.status_code, r.text[:200]))
        client.session.close()
        anonymous.session.close()

    threads = [threading.Thread(target=worker, args=(plan[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == [], failures[:10]
    assert counts(*tenants) == before
