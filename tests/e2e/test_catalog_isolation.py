"""Tenant isolation, authentication and CSRF on every catalog endpoint.

Tenant B (other_merchant) gets 404 for each of tenant A's services, professionals and
links, for every method (GET, PATCH, DELETE), cannot assign or preselect A's ids, and
nothing of A changes. Without a session: 401; state changes without the CSRF token: 403."""
import pytest

from catalog_support import (LINKS, PROFESSIONALS, SERVICES, assert_field_error, create_link,
                             create_professional, create_service, link_body, professional_body,
                             random_id, service_body, snapshot)

NOT_FOUND = {SERVICES: "service_not_found", PROFESSIONALS: "professional_not_found",
             LINKS: "not_found"}
VALID_PATCH = {SERVICES: {"name": "Robado"}, PROFESSIONALS: {"name": "Robado"},
               LINKS: {"name": "Robado"}}


@pytest.fixture
def catalog_of_a(merchant):
    p = create_professional(merchant)
    s = create_service(merchant, professional_ids=[p["id"]])
    link = create_link(merchant, service_id=s["id"], professional_id=p["id"])
    p = merchant.api.get(PROFESSIONALS + "/" + p["id"]).json()   # now with its service
    assert p["service_ids"] == [s["id"]]
    return {SERVICES: s, PROFESSIONALS: p, LINKS: link}


@pytest.mark.parametrize("base", [SERVICES, PROFESSIONALS, LINKS])
def test_other_tenant_gets_404_for_every_method(merchant, other_merchant, catalog_of_a, base):
    obj = catalog_of_a[base]
    path = base + "/" + obj["id"]
    before = snapshot(merchant.tenant_id)
    b = other_merchant.api
    for method, kw in (("GET", {}), ("PATCH", {"json": VALID_PATCH[base]}), ("DELETE", {})):
        r = b.request(method, path, **kw)
        assert r.status_code == 404, (method, r.text)
        assert r.json()["error"]["code"] == NOT_FOUND[base], (method, r.text)
    assert b.get(base).json()["items"] == []
    assert b.get(base, params={"include_archived": "true", "include_inactive": "true"}).json()["items"] == []
    # A's object is exactly as it was
    assert merchant.api.get(path).json() == obj
    assert snapshot(merchant.tenant_id) == before


@pytest.mark.parametrize("base", [SERVICES, PROFESSIONALS, LINKS])
@pytest.mark.parametrize("bad_id", ["123", "not-a-uuid", "00000000-0000-0000-0000-00000000000g",
                                    pytest.param(random_id(), id="unknown-uuid"),
                                    "%27%20OR%201=1--"])
def test_unknown_or_malformed_ids_are_404(merchant, base, bad_id):
    for method, kw in (("GET", {}), ("PATCH", {"json": VALID_PATCH[base]}), ("DELETE", {})):
        r = merchant.api.request(method, base + "/" + bad_id, **kw)
        assert r.status_code == 404, (method, r.text)
        assert r.json()["error"]["code"] == NOT_FOUND[base]


def test_other_tenants_ids_cannot_be_assigned(merchant, other_merchant, catalog_of_a):
    a_service, a_pro = catalog_of_a[SERVICES]["id"], catalog_of_a[PROFESSIONALS]["id"]
    b_service = create_service(other_merchant)
    b_pro = create_professional(other_merchant)
    before_a, before_b = snapshot(merchant.tenant_id), snapshot(other_merchant.tenant_id)
    b = other_merchant.api

    assert_field_error(b.post(SERVICES, json=service_body(professional_ids=[a_pro])),
                       "professional_ids[0]")
    assert_field_error(b.patch(SERVICES + "/" + b_service["id"],
                               json={"professional_ids": [b_pro["id"], a_pro]}),
                       "professional_ids[1]")
    assert_field_error(b.post(PROFESSIONALS, json=professional_body(service_ids=[a_service])),
                       "service_ids[0]")
    assert_field_error(b.patch(PROFESSIONALS + "/" + b_pro["id"], json={"service_ids": [a_service]}),
                       "service_ids[0]")
    assert_field_error(b.post(LINKS, json=link_body(service_id=a_service)), "service_id")
    assert_field_error(b.post(LINKS, json=link_body(professional_id=a_pro)), "professional_id")

    assert snapshot(merchant.tenant_id) == before_a
    assert snapshot(other_merchant.tenant_id) == before_b
    assert b.get(SERVICES + "/" + b_service["id"]).json()["professional_ids"] == []
    assert merchant.api.get(SERVICES + "/" + a_service).json()["professional_ids"] == [a_pro]


ROUTES = [("GET", SERVICES), ("POST", SERVICES), ("GET", SERVICES + "/{id}"),
          ("PATCH", SERVICES + "/{id}"), ("DELETE", SERVICES + "/{id}"),
          ("GET", PROFESSIONALS), ("POST", PROFESSIONALS), ("GET", PROFESSIONALS + "/{id}"),
          ("PATCH", PROFESSIONALS + "/{id}"), ("DELETE", PROFESSIONALS + "/{id}"),
          ("GET", LINKS), ("POST", LINKS), ("GET", LINKS + "/{id}"),
          ("PATCH", LINKS + "/{id}"), ("DELETE", LINKS + "/{id}")]
BODIES = {SERVICES: service_body(), PROFESSIONALS: professional_body(), LINKS: link_body()}


def _call(api, method, route, catalog, headers=None):
    base = route.split("/{")[0]
    path = route.replace("{id}", catalog[base]["id"])
    kw = {"headers": headers or {}}
    if method in ("POST", "PATCH"):
        kw["json"] = BODIES[base] if method == "POST" else VALID_PATCH[base]
    return api.request(method, path, **kw)


@pytest.mark.parametrize("method,route", ROUTES)
def test_without_a_session_401(api, merchant, catalog_of_a, method, route):
    before = snapshot(merchant.tenant_id)
    r = _call(api, method, route, catalog_of_a, headers={"X-CSRF-Token": merchant.csrf})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    assert snapshot(merchant.tenant_id) == before


@pytest.mark.parametrize("method,route", [r for r in ROUTES if r[0] != "GET"])
def test_state_changes_need_the_csrf_token(new_api, merchant, catalog_of_a, method, route):
    before = snapshot(merchant.tenant_id)
    for token in (None, "wrong-" + merchant.csrf, ""):
        client = new_api()
        client.session.cookies.set("kf_session", merchant.session_token)
        headers = {} if token is None else {"X-CSRF-Token": token}
        r = _call(client, method, route, catalog_of_a, headers=headers)
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "csrf_failed"
    assert snapshot(merchant.tenant_id) == before
    assert merchant.api.get(SERVICES + "/" + catalog_of_a[SERVICES]["id"]).json() == catalog_of_a[SERVICES]


@pytest.mark.parametrize("route", [r[1] for r in ROUTES if r[0] == "GET"])
def test_reads_need_no_csrf_token(new_api, merchant, catalog_of_a, route):
    client = new_api()
    client.session.cookies.set("kf_session", merchant.session_token)
    assert _call(client, "GET", route, catalog_of_a).status_code == 200
