"""The payment provider fails while a checkout is started (API.md "Replies, embedding,
outages"): the customer is answered 502 provider_error with their hold kept, each failure is
the audit row payment.provider_error {"provider", "kind", "http_status"}, three of them within
ten minutes raise the merchant alert payments_failing (mailed once), the next checkout made
resolves it, and the operator's status page counts them per provider."""
import json
import secrets

import pytest

from conftest import psql
from packages_support import package_body
from payments_helpers import count, wait_for
from provider_support import ProviderShop
from status_support import scrape, value

JOB = 30   # seconds: a run of the alerts job (every 2 s in the test stack) and some
CUSTOMER = {"name": "Lucía Fernández", "email": "lucia@example.com", "phone": "+573001234567"}
SUBJECT = "Your payment provider is not starting payments"


def alerts(api, lang=None):
    r = api.get("/api/admin/alerts", headers={"Accept-Language": lang} if lang else {})
    assert r.status_code == 200, r.text
    return [a for a in r.json()["items"] if a["kind"] == "payments_failing"]


def provider_errors(api, provider):
    return value(scrape(api), "konfirmado_payment_provider_errors",
                 "konfirmado_payment_provider_errors", provider=provider)


def audited(tenant_id):
    rows = psql("SELECT changes::text FROM audit_log WHERE tenant_id = :'p1'"
                " AND action = 'payment.provider_error' ORDER BY id", tenant_id)
    return [json.loads(r) for r in rows.split("\n") if r]


def book(api, shop, hold):
    return api.post("/api/public/bookings", json={"hold_token": hold["token"], "accepted_terms": True,
                                                  "customer": dict(CUSTOMER)}, timeout=30)


@pytest.mark.allow_log(r"answered 502 provider_error", r"no stripe checkout for payment",
                       r"alerts: ")
def test_a_failing_provider_is_audited_alerted_once_counted_and_cleared(
        merchant, fakes, stack, api, maildir):
    shop = ProviderShop(merchant, fakes, stack, api, "stripe")
    notify = "pagos-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE tenants SET notification_email = :'p1', locale = 'en' WHERE id = :'p2'",
         notify, shop.tenant_id)
    counted_before = provider_errors(api, "stripe")
    start = shop.slots()[0]["start"]
    r = api.post("/api/public/holds", json={"link": shop.slug, "service": shop.service,
                                            "professional": shop.professional, "start": start})
    assert r.status_code == 201, r.text
    hold = r.json()["hold"]
    try:
        # the provider answers 500, 503, then refuses the key: three checkouts not made
        for status in (500, 503, 401):
            fakes.config("stripe", status=status)
            r = book(api, shop, hold)
            assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error", r.text
            # the customer's time is still theirs after each
            assert psql("SELECT status FROM reservations WHERE id = :'p1'", hold["id"]) == "held"
            assert start not in [s["start"] for s in shop.slots()]
    finally:
        fakes.config("stripe", status=None)
    assert audited(shop.tenant_id) == [
        {"provider": "stripe", "kind": "server_error", "http_status": 500},
        {"provider": "stripe", "kind": "server_error", "http_status": 503},
        {"provider": "stripe", "kind": "refused_key", "http_status": 401},
    ]
    # the operator sees them per provider
    assert provider_errors(api, "stripe") - counted_before == 3

    # the business is alerted, in its words, and mailed once
    [alert] = wait_for(lambda: alerts(shop.merchant.api), timeout=JOB, what="the alert")
    assert alert["resolved_at"] is None
    assert alert["detail"] == ("3 pagos no se pudieron iniciar en Stripe; la última vez "
                               "rechazó tu clave.")
    assert alerts(shop.merchant.api, "en")[0]["detail"] == (
        "3 payments could not be started at Stripe; the last time it refused your key.")
    [mail] = maildir.wait(1, timeout=30, to=notify, subject=SUBJECT)
    text = mail.get_body(("plain",)).get_content()
    assert "Payments" in text and "/dashboard/" in text
    seen = alert["last_seen_at"]
    wait_for(lambda: alerts(shop.merchant.api)[0]["last_seen_at"] != seen, timeout=JOB,
             what="the next run")
    assert len(maildir.new(notify, SUBJECT)) == 1

    # the provider is back: the same hold books, and the alert is over
    r = book(api, shop, hold)
    assert r.status_code == 201, r.text
    assert r.json()["booking"]["id"] == hold["id"]
    wait_for(lambda: alerts(shop.merchant.api) == [], timeout=JOB, what="the alert resolved")
    assert len(maildir.new(notify, SUBJECT)) == 1
    assert count("SELECT count(*) FROM merchant_alerts WHERE tenant_id = :'p1'"
                 " AND kind = 'payments_failing' AND resolved_at IS NOT NULL", shop.tenant_id) == 1


@pytest.mark.allow_log(r"answered 502 provider_error", r"no stripe checkout for payment",
                       r"alerts: ")
def test_a_purchase_the_provider_fails_is_audited_for_its_business_only(
        merchant, other_merchant, fakes, stack, api):
    shop = ProviderShop(merchant, fakes, stack, api, "stripe")
    r = shop.merchant.api.post("/api/admin/packages", json=package_body(shop.service))
    assert r.status_code == 201, r.text
    package = r.json()
    r = shop.merchant.api.post("/api/admin/links", json={"name": "Paquetes",
                                                         "package_ids": [package["id"]]})
    assert r.status_code == 201, r.text
    buy = {"link": r.json()["slug"], "package": package["id"], "customer": dict(CUSTOMER),
           "accepted_terms": True}
    try:
        fakes.config("stripe", status=502)
        r = api.post("/api/public/purchases", json=buy)
        assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error", r.text
    finally:
        fakes.config("stripe", status=None)
    assert audited(shop.tenant_id) == [{"provider": "stripe", "kind": "server_error",
                                        "http_status": 502}]
    assert audited(other_merchant.tenant_id) == []
    # the merchant reads it in its audit log
    r = shop.merchant.api.get("/api/admin/audit", params={"action": "payment.provider_error"})
    assert r.status_code == 200, r.text
    [entry] = r.json()["items"]
    assert entry["entity_type"] == "payment" and entry["entity_id"].startswith("KF-")
    assert entry["changes"] == {"provider": "stripe", "kind": "server_error", "http_status": 502}
    assert other_merchant.api.get("/api/admin/audit", params={
        "action": "payment.provider_error"}).json()["items"] == []
