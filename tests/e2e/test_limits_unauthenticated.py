"""Work anyone can ask for without a login is bounded per client (docs/api.md "Rate
limits"): a host name no tenant has is remembered for a moment (KonfirmadoUnknownHostCache)
and its look-ups are counted (KonfirmadoUnknownHostLimit); webhooks naming a reference this
server does not know count with the bad signatures (KonfirmadoBadWebhookLimit); starting a
calendar connection is counted (KonfirmadoOAuthStartLimit)."""
import secrets
import time

import pytest

from accounts_support import client_from, error_code, random_loopback_ip
from conftest import psql, render_conf, seed_merchant, start_extra_httpd

CACHE_SECONDS = 2


@pytest.fixture(scope="module")
def strict_server(stack):
    conf = render_conf(add=["KonfirmadoUnknownHostLimit 3",
                            "KonfirmadoUnknownHostCache %d" % CACHE_SECONDS,
                            "KonfirmadoBadWebhookLimit 3", "KonfirmadoOAuthStartLimit 2"])
    with start_extra_httpd(conf) as extra:
        yield extra


def new_domain():
    return "reservas-%s.example" % secrets.token_hex(5)


def give_domain(stack, domain):
    """A tenant (with its subdomain) that answers on `domain` from now on."""
    merchant = seed_merchant(stack)
    psql("UPDATE tenants SET subdomain = :'p1', custom_domain = :'p2' WHERE id = :'p3'",
         "t%s" % secrets.token_hex(5), domain, merchant.tenant_id)
    # proved (a new domain forgets any proof: a statement of its own)
    psql("UPDATE tenants SET custom_domain_verified_at = now() WHERE id = :'p1'", merchant.tenant_id)
    return merchant


def health_on(stack, host, ip):
    return client_from(stack, ip).with_host(host).get("/api/health")


def assert_unknown(r):
    assert r.status_code == 404, r.text
    assert error_code(r) == "unknown_host"


def test_a_host_no_tenant_had_is_remembered_for_a_moment(strict_server):
    s, domain = strict_server.stack, new_domain()
    assert_unknown(health_on(s, domain, random_loopback_ip()))
    give_domain(s, domain)
    # asked again at once: the database is not asked again...
    assert_unknown(health_on(s, domain, random_loopback_ip()))
    # ...until the moment is over
    time.sleep(CACHE_SECONDS + 1)
    assert health_on(s, domain, random_loopback_ip()).status_code == 200


def test_look_ups_of_unknown_hosts_are_limited_per_client(strict_server):
    s, ip = strict_server.stack, random_loopback_ip()
    for _ in range(3):
        assert_unknown(health_on(s, new_domain(), ip))
    # a real tenant's domain, never asked before: this client's look-ups are spent
    domain = new_domain()
    give_domain(s, domain)
    assert_unknown(health_on(s, domain, ip))
    # another client is served; the platform host needs no look-up
    assert health_on(s, domain, random_loopback_ip()).status_code == 200
    assert client_from(s, ip).get("/api/health").status_code == 200


def test_found_domains_are_not_counted(strict_server):
    s, ip, domain = strict_server.stack, random_loopback_ip(), new_domain()
    give_domain(s, domain)
    assert [health_on(s, domain, ip).status_code for _ in range(5)] == [200] * 5


def unknown_reference_event():
    return {"event": "transaction.updated",
            "data": {"transaction": {"id": "1-%s" % secrets.token_hex(4), "status": "APPROVED",
                                     "amount_in_cents": 100000,
                                     "reference": "KF-NOSUCH%s" % secrets.token_hex(4).upper(),
                                     "currency": "COP"}},
            "signature": {"properties": ["transaction.id"], "checksum": "00"},
            "timestamp": int(time.time())}


def test_webhooks_for_unknown_references_are_limited_per_client(strict_server):
    s, ip = strict_server.stack, random_loopback_ip()
    answers = [client_from(s, ip).post("/api/webhooks/wompi", json=unknown_reference_event())
               for _ in range(3)]
    assert [r.status_code for r in answers] == [200] * 3
    assert all(r.json()["outcome"] == "unknown_reference" for r in answers)
    r = client_from(s, ip).post("/api/webhooks/wompi", json=unknown_reference_event())
    assert r.status_code == 429, r.text
    assert error_code(r) == "too_many_requests"
    assert int(r.headers["Retry-After"]) >= 1
    # another client is answered
    r = client_from(s, random_loopback_ip()).post("/api/webhooks/wompi", json=unknown_reference_event())
    assert r.status_code == 200


def test_oauth_starts_are_limited_per_client(strict_server):
    s, ip = strict_server.stack, random_loopback_ip()
    path = "/api/oauth/google/start?invitation=%s" % secrets.token_urlsafe(16)
    answers = [client_from(s, ip).get(path, allow_redirects=False) for _ in range(2)]
    assert [r.status_code for r in answers] == [404] * 2
    r = client_from(s, ip).get(path, allow_redirects=False)
    assert r.status_code == 429, r.text
    assert error_code(r) == "too_many_requests"
    assert client_from(s, random_loopback_ip()).get(path, allow_redirects=False).status_code == 404
