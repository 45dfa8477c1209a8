"""Requests that wait on a payment provider hold no pooled database connection meanwhile: a
Mercado Pago notice, which carries no state and is answered by asking the provider, and the
merchant's "test connection" of their keys. Shown on a server of two connections: while
three such requests wait on a slow provider, a health check gets a connection at once."""
import hashlib
import hmac
import json
import time
import uuid


from conftest import start_extra_httpd
from narrow_server_support import client_of, narrow_conf, while_they_wait
from provider_support import ProviderShop


def mercadopago_notice(shop, reference, payment_id):
    """The signed notice Mercado Pago posts for a payment (PROVIDERS.md): its path and query,
    headers and body."""
    ts, request_id = str(int(time.time() * 1000)), str(uuid.uuid4())
    manifest = "id:%s;request-id:%s;ts:%s;" % (str(payment_id).lower(), request_id, ts)
    v1 = hmac.new(shop.keys["webhook_secret"].encode(), manifest.encode(), hashlib.sha256).hexdigest()
    path = ("/api/webhooks/mercadopago?reference=%s&source_news=webhooks&data.id=%s&type=payment"
            % (reference, payment_id))
    headers = {"Content-Type": "application/json", "x-signature": "ts=%s,v1=%s" % (ts, v1),
               "x-request-id": request_id}
    body = {"action": "payment.created", "api_version": "v1", "data": {"id": str(payment_id)},
            "date_created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "id": 1,
            "live_mode": False, "type": "payment", "user_id": 1}
    return path, headers, json.dumps(body)


def test_a_mercadopago_notice_waits_on_the_provider_without_a_connection(merchant, fakes, stack, api):
    shop = ProviderShop(merchant, fakes, stack, api, "mercadopago")
    starts, last_end = [], ""
    for slot in shop.slots(days=14):
        if slot["start"] >= last_end and len(starts) < 3:
            starts.append(slot["start"])
            last_end = slot["end"]
    notices = []
    for start in starts:
        booking = shop.book(start)
        pay = shop.payment(booking)
        sent = shop.provider.approve(shop, pay, send=False)
        notices.append((booking, mercadopago_notice(shop, pay["reference"], sent["payment"]["id"])))
    fakes.config("mercadopago", delay=3)
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            queue = list(notices)

            def send():
                _, (path, headers, body) = queue.pop()
                return client_of(extra).post(path, data=body, headers=headers, timeout=30)

            results = while_they_wait(extra, [send] * 3, "the provider")
    finally:
        fakes.config("mercadopago", delay=0)
    assert [r.status_code for r in results] == [200] * 3, [r.text for r in results]
    assert {r.json()["outcome"] for r in results} == {"applied"}
    assert {shop.state(b) for b, _ in notices} <= {"paid", "confirmed"}


def test_testing_the_keys_waits_on_the_provider_without_a_connection(merchant, fakes, stack, api):
    ProviderShop(merchant, fakes, stack, api, "stripe")
    fakes.config("stripe", delay=3)
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            results = while_they_wait(extra, [lambda: client_of(extra, merchant).post(
                "/api/admin/tenant/payments/stripe/test", timeout=30)] * 3, "the provider")
    finally:
        fakes.config("stripe", delay=0)
    assert [r.status_code for r in results] == [200] * 3, [r.text for r in results]
    assert all(r.json()["ok"] is True for r in results)
