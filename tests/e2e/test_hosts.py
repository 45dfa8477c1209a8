"""Hosts (API.md "Hosts and tenants"): the platform host, tenant subdomains and a
tenant's own domain (`custom_domain`) serve; any other host answers 404 unknown_host on every
path of the module and serves no tenant's data."""
import secrets

import pytest

import booking_seed as seed
from conftest import psql
from domain_support import localhost_domain, prove


def unique_domain(tag="reservas"):
    return "%s-%s.clinica.test" % (tag, secrets.token_hex(4))


@pytest.fixture
def shop(merchant):
    """A tenant with a subdomain, a professional, a service and a link."""
    sub = "tienda-" + secrets.token_hex(4)
    r = merchant.api.patch("/api/admin/tenant", json={"subdomain": sub})
    assert r.status_code == 200, r.text
    service = seed.service(merchant.tenant_id)
    seed.professional(merchant.tenant_id, services=[service])
    merchant.subdomain, merchant.slug = sub, seed.link(merchant.tenant_id)
    return merchant


PATHS = [("GET", "/api/health"), ("GET", "/api/public/links/%s"), ("POST", "/api/auth/login"),
         ("GET", "/api/admin/tenant"), ("POST", "/api/webhooks/wompi"), ("GET", "/book/%s"),
         ("GET", "/static/book/app.js")]


@pytest.mark.parametrize("host", [pytest.param("unknown-%s.example.net" % secrets.token_hex(3), id="unknown-host"),
                                  "127.0.0.1",
                                  "a.b.konfirmado.localhost", "[::1]"])
def test_any_other_host_is_404_unknown_host_on_every_path(shop, new_api, host):
    client = new_api(host)
    for method, path in PATHS:
        url = path % shop.slug if "%s" in path else path
        r = client.request(method, url, json={} if method == "POST" else None)
        assert r.status_code == 404, (host, method, url, r.status_code, r.text[:200])
        assert r.json()["error"]["code"] == "unknown_host", (host, url)
        assert shop.slug not in r.text


def test_a_tenants_own_domain_serves_it_like_its_subdomain(shop, other_merchant, new_api, fakes):
    domain = localhost_domain()
    r = shop.api.patch("/api/admin/tenant", json={"custom_domain": domain.upper() + "."})
    assert r.status_code == 200, r.text
    assert r.json()["tenant"]["custom_domain"] == domain          # stored normalized
    assert shop.api.get("/api/admin/tenant").json()["tenant"]["custom_domain"] == domain
    prove(shop, fakes, domain)                                    # served once proved
    own = new_api(domain)
    r = own.get("/api/public/links/%s" % shop.slug)
    assert r.status_code == 200, r.text
    page = own.get("/book/%s" % shop.slug)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    # another tenant's link is not found there (no existence leak)
    other_service = seed.service(other_merchant.tenant_id)
    seed.professional(other_merchant.tenant_id, services=[other_service])
    other_slug = seed.link(other_merchant.tenant_id)
    assert new_api().get("/api/public/links/%s" % other_slug).status_code == 200
    r = own.get("/api/public/links/%s" % other_slug)
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
    # clearing it: the host is unknown again
    r = shop.api.patch("/api/admin/tenant", json={"custom_domain": None})
    assert r.status_code == 200 and r.json()["tenant"]["custom_domain"] is None
    r = own.get("/api/public/links/%s" % shop.slug)
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_host"


def test_a_proved_domain_belongs_to_one_tenant(shop, other_merchant, fakes):
    domain = localhost_domain("unico")
    prove(shop, fakes, domain)
    other_merchant.api.patch("/api/admin/tenant", json={"subdomain": "otra-" + secrets.token_hex(4)})
    for spelling in (domain, domain.upper(), domain + "."):
        r = other_merchant.api.patch("/api/admin/tenant", json={"custom_domain": spelling})
        assert r.status_code == 409, r.text
        assert r.json()["error"]["code"] == "domain_taken"
    assert psql("SELECT custom_domain IS NULL FROM tenants WHERE id = :'p1'",
                other_merchant.tenant_id) == "t"


@pytest.mark.parametrize("value", ["https://reservas.clinica.co", "reservas.clinica.co/x",
                                   "reservas.clinica.co:443", "clinica", "10.0.0.1",
                                   "konfirmado.localhost", "acme.konfirmado.localhost",
                                   "-x.clinica.co", "clínica.co", 42])
def test_bad_custom_domains_are_400_and_change_nothing(shop, value):
    before = psql("SELECT updated_at FROM tenants WHERE id = :'p1'", shop.tenant_id)
    r = shop.api.patch("/api/admin/tenant", json={"custom_domain": value, "name": "Otro nombre"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "validation_failed"
    assert "custom_domain" in r.json()["error"]["fields"]
    assert psql("SELECT updated_at FROM tenants WHERE id = :'p1'", shop.tenant_id) == before


def test_a_custom_domain_needs_a_subdomain(merchant):
    r = merchant.api.patch("/api/admin/tenant", json={"custom_domain": unique_domain()})
    assert r.status_code == 400, r.text
    assert "subdominio" in r.json()["error"]["fields"]["custom_domain"]
