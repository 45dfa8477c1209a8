#!/usr/bin/python3
"""Seeds the webhook ingest benchmark on the running stack (tests/stack up) and writes the
signed events, one JSON per line, to the file given:

    bench/webhook_seed.py N EVENTS_FILE [wompi|stripe|airwallex]

A merchant with the provider's keys (set through the real PUT /api/admin/tenant/payments/...,
so secrets are sealed as in production) and N bookings waiting for payment, each with its
own payment reference; then N approvals, one per reference, signed with the tenant's secret
exactly as the provider does (PROVIDERS.md): Wompi's transaction.updated APPROVED with its
checksum, Stripe's checkout.session.completed (paid) with its Stripe-Signature header,
Airwallex's payment_intent.succeeded with its x-timestamp and x-signature headers.
Each line of EVENTS_FILE is "<headers>\t<body>", the headers "Name: value" joined by \x1f
(none for Wompi, whose signature is in the body)."""
import hashlib
import hmac
import json
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from conftest import Fakes, psql, read_stack_env, seed_merchant  # noqa: E402


def write_stripe(out, n, run, secret):
    with open(out, "w") as f:
        for k in range(1, n + 1):
            ref = "KF-B%s-%d" % (run, k)
            body = json.dumps({
                "id": "evt_bench_%s_%d" % (run, k), "object": "event", "api_version": "2024-06-20",
                "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": "checkout.session.completed",
                "data": {"object": {"id": "cs_bench_%s_%d" % (run, k), "object": "checkout.session",
                                    "client_reference_id": ref, "metadata": {"reference": ref},
                                    "status": "complete", "payment_status": "paid",
                                    "payment_intent": "pi_bench_%s_%d" % (run, k),
                                    "amount_total": 5000000, "currency": "cop",
                                    "mode": "payment"}}}, separators=(",", ":"))
            t = int(time.time())
            sig = hmac.new(secret.encode(), ("%d." % t).encode() + body.encode(),
                           hashlib.sha256).hexdigest()
            f.write("Stripe-Signature: t=%d,v1=%s\t%s\n" % (t, sig, body))


def write_airwallex(out, n, run, secret):
    with open(out, "w") as f:
        for k in range(1, n + 1):
            ref = "KF-B%s-%d" % (run, k)
            body = json.dumps({
                "id": "evt_bench_%s_%d" % (run, k), "name": "payment_intent.succeeded",
                "account_id": "acct_bench", "version": "2024-02-22",
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
                "data": {"object": {"id": "cs_bench_%s_%d" % (run, k), "merchant_order_id": ref,
                                    "request_id": ref, "status": "SUCCEEDED", "amount": 50000,
                                    "currency": "COP", "captured_amount": 50000}}},
                              separators=(",", ":"))
            ts = str(int(time.time() * 1000))
            sig = hmac.new(secret.encode(), ts.encode() + body.encode(), hashlib.sha256).hexdigest()
            f.write("x-timestamp: %s\x1fx-signature: %s\t%s\n" % (ts, sig, body))


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    provider = sys.argv[3] if len(sys.argv) > 3 else "wompi"
    stack = read_stack_env()
    m = seed_merchant(stack, business="Banco de pruebas")
    if provider == "airwallex":
        events_secret = "whsec" + secrets.token_hex(12)
        keys = {"mode": "test", "client_id": "C" + secrets.token_hex(10),
                "api_key": secrets.token_hex(20), "webhook_secret": events_secret}
        # the fake knows the account, as Airwallex would, for the settings' key check
        fakes = Fakes(stack["KF_FAKES_URL"])
        accounts = dict(fakes._call("GET", "/_fakes/airwallex/config")["accounts"])
        accounts[keys["client_id"]] = {"api_key": keys["api_key"], "name": "Banco de pruebas",
                                       "webhook_secret": events_secret}
        fakes.config("airwallex", accounts=accounts)
        r = m.api.put("/api/admin/tenant/payments/airwallex", json=keys)
    elif provider == "stripe":
        events_secret = "whsec_" + secrets.token_hex(12)
        r = m.api.put("/api/admin/tenant/payments/stripe", json={
            "mode": "test", "secret_key": "sk_test_" + secrets.token_hex(12),
            "webhook_secret": events_secret})
    else:
        events_secret = "test_events_" + secrets.token_hex(12)
        r = m.api.put("/api/admin/tenant/payments/wompi", json={
            "mode": "test", "public_key": "pub_test_" + secrets.token_hex(8),
            "private_key": "prv_test_" + secrets.token_hex(8), "events_secret": events_secret,
            "integrity_secret": "test_integrity_" + secrets.token_hex(8)})
    assert r.status_code == 200, r.text
    # callbacks go nowhere fast (a closed port): ingest is measured, not delivery; unless
    # BENCH_CALLBACK_URL names a receiver (bench/callback_delivery.sh), with a signing secret
    delivery_url = os.environ.get("BENCH_CALLBACK_URL")
    m.api.patch("/api/admin/tenant", json={
        "callback_url": delivery_url + m.tenant_id if delivery_url else "http://127.0.0.1:9/callback"})
    if delivery_url:
        assert m.api.post("/api/admin/tenant/callback-secret").status_code == 201
    run = secrets.token_hex(4).upper()
    psql("""
        WITH s AS (INSERT INTO services (tenant_id, name, description, duration_minutes,
                     price_amount, currency, charge_type)
                   VALUES (:'p1', 'Bench', 'Servicio del banco de pruebas', 30, 5000000, 'COP',
                           'total') RETURNING id),
             p AS (INSERT INTO professionals (tenant_id, name, timezone)
                   VALUES (:'p1', 'Bench', 'America/Bogota') RETURNING id),
             r AS (INSERT INTO reservations (tenant_id, service_id, professional_id, status,
                     starts_at, ends_at, blocked, expires_at, customer_name, customer_email,
                     customer_phone, accepted_terms_at, charge_type, charge_amount, currency, notes)
                   SELECT :'p1', s.id, p.id, 'pending_payment', t, t + interval '30 min',
                          tstzrange(t, t + interval '30 min'), now() + interval '1 day',
                          'Cliente Bench', 'bench@example.com', '+573001234567', now(),
                          'total', 5000000, 'COP', g::text
                   FROM s, p, generate_series(1, :'p2'::int) g,
                        LATERAL (SELECT date_trunc('day', now()) + interval '2 days'
                                        + g * interval '30 min' AS t) x
                   RETURNING id, notes AS k)
        -- first reconciliation due KonfirmadoReconcileDelay (default 300 s) after checkout,
        -- as the module sets it
        INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount, currency,
                              provider_checkout_id, reconcile_next_at)
        SELECT :'p1', r.id, :'p4', 'test', 'KF-B' || :'p3' || '-' || r.k, 5000000, 'COP',
               'cs_bench_' || :'p3' || '_' || r.k, now() + interval '5 minutes' FROM r
        """, m.tenant_id, n, run, provider)
    # Each payment has had an event already (the "pending" notice a provider sends when the
    # customer starts paying), as in any database that takes payments. Without them the
    # bench's VACUUM ANALYZE would find payment_events empty after the last run's teardown,
    # PostgreSQL would plan the lock's "seen before" probe as a scan of the whole table, and
    # every session would keep that plan while the run fills it (300 us per event by the end
    # of a 10-s run; a database never emptied plans an index probe).
    psql("""
        INSERT INTO payment_events (provider, event_key, tenant_id, payment_id, source, status,
                                    amount, currency, raw_body, result, processing_us, received_at)
        SELECT provider, 'bench-pending-' || reference, tenant_id, id, 'webhook', 'PENDING',
               amount, currency, '{}', 'unchanged', 500, now() - interval '1 minute'
        FROM payments WHERE tenant_id = :'p1'
        """, m.tenant_id)
    if provider in ("stripe", "airwallex"):
        (write_stripe if provider == "stripe" else write_airwallex)(out, n, run, events_secret)
        print(m.tenant_id)
        return
    props = ["transaction.id", "transaction.status", "transaction.amount_in_cents"]
    with open(out, "w") as f:
        for k in range(1, n + 1):
            ts = int(time.time())
            tx = {"id": "%s-%d-%d" % (run, ts, k), "amount_in_cents": 5000000,
                  "reference": "KF-B%s-%d" % (run, k), "customer_email": "bench@example.com",
                  "currency": "COP", "payment_method_type": "CARD", "status": "APPROVED"}
            checksum = hashlib.sha256(("%s%s%d%d%s" % (tx["id"], tx["status"], tx["amount_in_cents"],
                                                        ts, events_secret)).encode()).hexdigest()
            f.write("\t" + json.dumps({"event": "transaction.updated", "data": {"transaction": tx},
                                "environment": "test",
                                "signature": {"properties": props, "checksum": checksum},
                                "timestamp": ts, "sent_at": "2026-01-01T00:00:00.000Z"},
                               separators=(",", ":")) + "\n")
    print(m.tenant_id)


if __name__ == "__main__":
    main()
