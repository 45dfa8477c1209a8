"""The test callback (POST /api/admin/tenant/callback-test) costs the server no database
connection while the merchant's server is waited on, and a tenant sends at most 10 a minute
(429 too_many_requests with Retry-After); it is sent with the rules of real deliveries: the
same outbound filter and the same error words, never the transport's own text."""
import secrets

import pytest

from conftest import own_database, psql, render_conf, seed_session, start_extra_httpd
from narrow_server_support import client_of, narrow_conf, while_they_wait
from payments_helpers import PayTenant
from test_outbound import Listener


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def test_a_tenant_sends_ten_test_callbacks_a_minute(shop, other_merchant, fakes, stack):
    for _ in range(10):
        r = shop.api.post("/api/admin/tenant/callback-test")
        assert r.status_code == 200, r.text
    r = shop.api.post("/api/admin/tenant/callback-test", headers={"Accept-Language": "en"})
    assert r.status_code == 429, r.text
    err = r.json()["error"]
    assert err["code"] == "too_many_requests" and err["message"]
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # the eleventh reached no one
    pings = [q for q in fakes.requests("merchant")
             if q["path"].endswith("/" + shop.tenant_id) and q["headers"].get("X-Konfirmado-Event") == "ping"]
    assert len(pings) == 10
    # another tenant's budget is its own
    other = PayTenant(other_merchant, fakes, stack)
    assert other.api.post("/api/admin/tenant/callback-test").status_code == 200


@pytest.mark.parametrize("own_domain", [False, True], ids=["platform-host", "own-domain"])
def test_a_slow_merchant_holds_no_database_connection(shop, merchant, fakes, own_domain):
    """On the tenant's own domain too, whose look-up takes the request's connection first."""
    host = None
    if own_domain:
        host = "reservas-%s.example.test" % secrets.token_hex(4)
        r = shop.api.patch("/api/admin/tenant", json={"subdomain": "cb-" + secrets.token_hex(4)})
        assert r.status_code == 200, r.text
        r = shop.api.patch("/api/admin/tenant", json={"custom_domain": host})
        assert r.status_code == 200, r.text
        # proved (tests/e2e/test_hosts_domain_proof.py drives the proof itself)
        psql("UPDATE tenants SET custom_domain_verified_at = now() WHERE id = :'p1'", shop.tenant_id)
    fakes.config("merchant", delay=3, scope="/callback/" + shop.tenant_id)
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            results = while_they_wait(extra, [
                lambda: client_of(extra, merchant, host).post("/api/admin/tenant/callback-test",
                                                              timeout=30)] * 3, "the merchant")
            assert [r.status_code for r in results] == [200] * 3, [r.text for r in results]
            assert all(r.json()["latency_ms"] >= 2900 for r in results)
    finally:
        fakes.config("merchant", delay=0, scope=None)


def test_a_name_resolving_to_an_internal_address_is_blocked_as_a_delivery_is():
    """An httpd on a database of its own that allows only 127.0.0.2: `localhost` is saved (a
    name) but resolves to loopback, so the ping is refused with a delivery's word and nothing
    is sent there."""
    listener = Listener()
    try:
        with own_database("kf_cbtest") as (name, db_url):
            conf = render_conf({"KonfirmadoOutboundAllow": "    KonfirmadoOutboundAllow 127.0.0.2/32"}
                               ).replace("dbname=konfirmado ", "dbname=%s " % name)
            with start_extra_httpd(conf) as extra:
                client = extra.api()
                seed_session(client, "Bloqueada", "b@example.com", db_url)
                url = "http://localhost:%d/cb" % listener.port
                assert client.patch("/api/admin/tenant", json={"callback_url": url}).status_code == 200
                assert client.post("/api/admin/tenant/callback-secret").status_code == 201
                r = client.post("/api/admin/tenant/callback-test")
                assert r.status_code == 502, r.text
                err = r.json()["error"]
                assert err["code"] == "callback_failed" and err["reason"] == "blocked_address"
                assert "curl" not in r.text.lower()
        assert listener.connections == [], "nothing may reach the internal address"
    finally:
        listener.close()


def test_a_failure_is_one_word_not_the_transport_text(shop):
    shop.api.patch("/api/admin/tenant", json={"callback_url": "http://127.0.0.1:9/nothing-listens"})
    r = shop.api.post("/api/admin/tenant/callback-test")
    assert r.status_code == 502, r.text
    assert r.json()["error"]["reason"] == "connection_refused"


def test_a_long_answer_is_cut_to_its_first_kib(shop, fakes):
    fakes.config("merchant", status=200, body="é" * 2000)
    try:
        r = shop.api.post("/api/admin/tenant/callback-test")
    finally:
        fakes.config("merchant", body={"ok": True})
    assert r.status_code == 200, r.text
    body = r.json()["body"]
    assert body == "é" * 512, len(body.encode())
