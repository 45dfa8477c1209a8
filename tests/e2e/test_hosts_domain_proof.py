"""A tenant's own domain is served only once its merchant proved to control it: until then
the domain answers 404 unknown_host on every path. The proof is the tenant's token served by
the domain itself at http://<domain>/.well-known/konfirmado-domain.txt, fetched over the
network (GET /api/admin/tenant/custom-domain shows it, POST .../custom-domain/verify checks)."""
import secrets

import pytest

import booking_seed as seed
from conftest import psql, seed_merchant
from domain_support import PROOF_PATH, localhost_domain, proof_of, prove, serve, verify

PATHS = [("GET", "/api/health"), ("GET", "/api/public/links/%s"), ("POST", "/api/auth/login"),
         ("GET", "/api/admin/tenant"), ("GET", "/book/%s"), ("GET", "/static/book/app.js")]


@pytest.fixture
def shop(merchant):
    sub = "propio-" + secrets.token_hex(4)
    assert merchant.api.patch("/api/admin/tenant", json={"subdomain": sub}).status_code == 200
    service = seed.service(merchant.tenant_id)
    seed.professional(merchant.tenant_id, services=[service])
    merchant.slug = seed.link(merchant.tenant_id)
    return merchant


def assert_unknown_everywhere(client, slug):
    for method, path in PATHS:
        url = path % slug if "%s" in path else path
        r = client.request(method, url, json={} if method == "POST" else None)
        assert r.status_code == 404, (method, url, r.status_code, r.text[:200])
        assert r.json()["error"]["code"] == "unknown_host", url
        assert slug not in r.text


def test_an_unproved_domain_is_unknown_until_its_token_is_served(shop, new_api, fakes):
    domain = localhost_domain()
    assert shop.api.patch("/api/admin/tenant", json={"custom_domain": domain}).status_code == 200
    proof = proof_of(shop)
    assert proof["domain"] == domain and proof["status"] == "pending"
    assert proof["verified_at"] is None
    assert proof["url"].startswith("http://%s:" % domain) and proof["url"].endswith(PROOF_PATH)
    assert len(proof["token"]) >= 32
    own = new_api(domain)
    assert_unknown_everywhere(own, shop.slug)

    serve(fakes, domain, status=200, body=proof["token"] + "\r\n")
    r = verify(shop)
    assert r.status_code == 200, r.text
    done = r.json()["custom_domain"]
    assert done["status"] == "verified" and done["verified_at"] and done["token"] == proof["token"]
    # the check was a real HTTP request to the domain's host, for the proof's path
    (fetch,) = [q for q in fakes.requests("domains") if q["path"] == PROOF_PATH]
    assert fetch["method"] == "GET" and fetch["headers"]["Host"].split(":")[0] == domain
    assert own.get("/api/public/links/%s" % shop.slug).status_code == 200
    assert proof_of(shop)["status"] == "verified"
    # proving again changes nothing and fetches nothing
    assert verify(shop).json()["custom_domain"]["verified_at"] == done["verified_at"]
    assert len([q for q in fakes.requests("domains") if q["path"] == PROOF_PATH]) == 1


@pytest.mark.parametrize("site, reason", [
    (None, "no file"),
    ({"status": 200, "body": "kf-not-the-token"}, "another token"),
    ({"status": 200, "body": "<html>hola</html>"}, "a page"),
    ({"status": 301, "location": "https://elsewhere.example/proof"}, "a redirect"),
    ({"status": 500, "body": "boom"}, "an error"),
])
def test_anything_but_the_token_proves_nothing(shop, new_api, fakes, site, reason):
    domain = localhost_domain("falla")
    assert shop.api.patch("/api/admin/tenant", json={"custom_domain": domain}).status_code == 200
    if site:
        serve(fakes, domain, **site)
    before = psql("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1'", shop.tenant_id)
    r = verify(shop)
    assert r.status_code == 422, (reason, r.text)
    assert r.json()["error"]["code"] == "domain_not_verified"
    assert PROOF_PATH in r.json()["error"]["message"] or "código" in r.json()["error"]["message"]
    assert proof_of(shop)["status"] == "pending"
    assert psql("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1'", shop.tenant_id) == before
    assert_unknown_everywhere(new_api(domain), shop.slug)


def test_a_domain_nobody_answers_for_is_not_proved(shop):
    # a name that resolves nowhere: the fetch gets no answer at all
    domain = "nadie-%s.invalid-tld-konfirmado.test" % secrets.token_hex(3)
    assert shop.api.patch("/api/admin/tenant", json={"custom_domain": domain}).status_code == 200
    r = verify(shop)
    assert r.status_code == 422 and r.json()["error"]["code"] == "domain_not_verified"
    assert "HTTP" in r.json()["error"]["message"]


def test_a_new_domain_forgets_the_proof_of_the_old_one(shop, new_api, fakes):
    first = localhost_domain("primero")
    proved = prove(shop, fakes, first)
    second = localhost_domain("segundo")
    assert shop.api.patch("/api/admin/tenant", json={"custom_domain": second}).status_code == 200
    now = proof_of(shop)
    assert now["status"] == "pending" and now["token"] != proved["token"]
    # the old token served on the new domain proves nothing
    serve(fakes, second, status=200, body=proved["token"])
    assert verify(shop).status_code == 422
    # and the first domain, claimed again, must be proved again with a new token
    assert shop.api.patch("/api/admin/tenant", json={"custom_domain": first}).status_code == 200
    again = proof_of(shop)
    assert again["status"] == "pending" and again["token"] not in (proved["token"], now["token"])
    assert_unknown_everywhere(new_api(first), shop.slug)
    # an unrelated change keeps a proof
    prove(shop, fakes, first)
    assert shop.api.patch("/api/admin/tenant", json={"name": "Otro nombre"}).status_code == 200
    assert proof_of(shop)["status"] == "verified"
    assert new_api(first).get("/api/public/links/%s" % shop.slug).status_code == 200


def test_a_domain_released_by_one_tenant_is_proved_again_by_the_next(shop, other_merchant,
                                                                     new_api, fakes):
    domain = localhost_domain("traspaso")
    prove(shop, fakes, domain)
    assert shop.api.patch("/api/admin/tenant", json={"custom_domain": None}).status_code == 200
    assert proof_of(shop) is None
    other_merchant.api.patch("/api/admin/tenant", json={"subdomain": "otra-" + secrets.token_hex(4)})
    assert other_merchant.api.patch("/api/admin/tenant",
                                    json={"custom_domain": domain}).status_code == 200
    assert proof_of(other_merchant)["status"] == "pending"
    assert_unknown_everywhere(new_api(domain), shop.slug)


def test_pending_claims_block_nobody_and_the_first_proof_takes_the_domain(shop, other_merchant,
                                                                         stack, new_api, fakes):
    domain = localhost_domain("disputa")
    other_merchant.api.patch("/api/admin/tenant", json={"subdomain": "otra-" + secrets.token_hex(4)})
    # two businesses claim the same domain: while neither proved it, neither is refused
    for m in (shop, other_merchant):
        r = m.api.patch("/api/admin/tenant", json={"custom_domain": domain})
        assert r.status_code == 200, r.text
        assert r.json()["tenant"]["custom_domain"] == domain
    mine, theirs = proof_of(shop), proof_of(other_merchant)
    assert mine["status"] == theirs["status"] == "pending"
    assert mine["token"] != theirs["token"]
    assert_unknown_everywhere(new_api(domain), shop.slug)

    # the domain's web server answers the other business's token: it proves it first
    serve(fakes, domain, status=200, body=theirs["token"] + "\n")
    r = verify(other_merchant)
    assert r.status_code == 200, r.text
    assert r.json()["custom_domain"]["status"] == "verified"
    # and the shop's pending claim was dropped at that moment
    assert proof_of(shop) is None
    r = shop.api.get("/api/admin/tenant")
    assert r.status_code == 200 and r.json()["tenant"]["custom_domain"] is None
    r = verify(shop)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_custom_domain"
    r = shop.api.get("/api/admin/audit", params={"action": "tenant.custom_domain.drop"})
    (dropped,) = r.json()["items"]
    assert dropped["changes"] == {"custom_domain": None} and dropped["user"] is None
    assert new_api(domain).get("/api/public/links/%s" % shop.slug).status_code == 404

    # once proved, a claim by anyone else is 409 domain_taken and changes nothing
    third = seed_merchant(stack, business="Tercera Empresa")
    try:
        third.api.patch("/api/admin/tenant", json={"subdomain": "tercera-" + secrets.token_hex(4)})
        for m in (shop, third):
            r = m.api.patch("/api/admin/tenant", json={"custom_domain": domain})
            assert r.status_code == 409, r.text
            assert r.json()["error"]["code"] == "domain_taken"
            assert proof_of(m) is None
    finally:
        third.api.session.close()
    assert proof_of(other_merchant)["status"] == "verified"
    # a claim written while the proof was committed (its check came first) proves nothing
    psql("UPDATE tenants SET custom_domain = :'p1' WHERE id = :'p2'", domain, shop.tenant_id)
    fetched = len(fakes.requests("domains"))
    r = verify(shop)
    assert r.status_code == 409 and r.json()["error"]["code"] == "domain_taken", r.text
    assert len(fakes.requests("domains")) == fetched
    assert proof_of(other_merchant)["status"] == "verified"


def test_verify_without_a_domain_and_without_a_session(merchant, api):
    assert proof_of(merchant) is None
    r = verify(merchant)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_custom_domain"
    r = api.post("/api/admin/tenant/custom-domain/verify")
    assert r.status_code in (401, 403)
    assert api.get("/api/admin/tenant/custom-domain").status_code == 401


def test_the_proof_is_in_the_audit_list(shop, fakes):
    domain = localhost_domain("auditado")
    prove(shop, fakes, domain)
    r = shop.api.get("/api/admin/audit", params={"action": "tenant.custom_domain.verify"})
    (item,) = r.json()["items"]
    assert item["changes"] == {"custom_domain": domain}
    assert item["user"]["id"] == shop.user_id and item["entity_id"] == shop.tenant_id
