"""/api/admin/packages (API.md "Admin API": Packages): CRUD, every validation rule (nothing
written on a refusal), archive, audit; package_ids on links and packages in the public
link."""
import pytest

import booking_seed as seed
from catalog_support import assert_field_error, audit_rows, random_id
from conftest import psql
from packages_support import PACKAGES, package_body


@pytest.fixture
def service(merchant):
    sid = seed.service(merchant.tenant_id, name="Masaje relajante", duration=60)
    seed.professional(merchant.tenant_id, services=[sid])
    return sid


def packages_count(tenant_id):
    return int(psql("SELECT count(*) FROM packages WHERE tenant_id = :'p1'", tenant_id))


def test_create_get_list_update_archive(merchant, service):
    r = merchant.api.post(PACKAGES, json=package_body(service))
    assert r.status_code == 201, r.text
    pkg = r.json()
    assert pkg["name"] == "4 sesiones" and pkg["service_id"] == service
    assert pkg["sessions"] == 4 and pkg["valid_days"] == 90
    assert pkg["price"] == {"amount": 40000000, "currency": "COP"}
    assert pkg["description"] == "Cuatro masajes de una hora." and pkg["archived"] is False

    r = merchant.api.get("%s/%s" % (PACKAGES, pkg["id"]))
    assert r.status_code == 200 and r.json() == pkg
    assert [p["id"] for p in merchant.api.get(PACKAGES).json()["items"]] == [pkg["id"]]

    r = merchant.api.patch("%s/%s" % (PACKAGES, pkg["id"]),
                           json={"sessions": 8, "price": {"amount": 70000000, "currency": "COP"},
                                 "description": None})
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["sessions"] == 8 and changed["price"]["amount"] == 70000000
    assert changed["description"] is None and changed["name"] == "4 sesiones"

    assert merchant.api.delete("%s/%s" % (PACKAGES, pkg["id"])).status_code == 204
    assert merchant.api.delete("%s/%s" % (PACKAGES, pkg["id"])).status_code == 204  # again
    assert merchant.api.get(PACKAGES).json()["items"] == []
    listed = merchant.api.get(PACKAGES, params={"include_archived": "true"}).json()["items"]
    assert [p["id"] for p in listed] == [pkg["id"]] and listed[0]["archived"] is True
    r = merchant.api.patch("%s/%s" % (PACKAGES, pkg["id"]), json={"name": "Otro nombre"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "package_archived"

    actions = [row[0] for row in audit_rows(merchant.tenant_id, pkg["id"])]
    assert actions == ["package.create", "package.update", "package.archive"]
    assert audit_rows(merchant.tenant_id, pkg["id"])[1][2] == {
        "sessions": 8, "price": {"amount": 70000000, "currency": "COP"}, "description": None}


BAD_FIELDS = [
    ({"name": None}, "name"),
    ({"name": "ab"}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": 4}, "name"),
    ({"description": "d" * 2001}, "description"),
    ({"description": 12}, "description"),
    ({"sessions": 0}, "sessions"),
    ({"sessions": 53}, "sessions"),
    ({"sessions": "4"}, "sessions"),
    ({"sessions": None}, "sessions"),
    ({"valid_days": 0}, "valid_days"),
    ({"valid_days": 731}, "valid_days"),
    ({"valid_days": 1.5}, "valid_days"),
    ({"price": None}, "price"),
    ({"price": {"amount": 0, "currency": "COP"}}, "price.amount"),
    ({"price": {"amount": -5, "currency": "COP"}}, "price.amount"),
    ({"price": {"amount": 1000, "currency": "USD"}}, "price.currency"),
    ({"price": {"amount": 1000, "currency": "pesos"}}, "price.currency"),
    ({"price": {"currency": "COP"}}, "price.amount"),
    ({"service_id": None}, "service_id"),
    ({"service_id": "not-a-uuid"}, "service_id"),
]


@pytest.mark.parametrize("change,field", BAD_FIELDS)
def test_every_bad_field_is_refused_and_nothing_written(merchant, service, change, field):
    before = packages_count(merchant.tenant_id)
    body = package_body(service)
    body.update(change)
    assert_field_error(merchant.api.post(PACKAGES, json=body), field)
    assert packages_count(merchant.tenant_id) == before


def test_service_must_be_an_active_one_of_the_tenant(merchant, other_merchant, service):
    foreign = seed.service(other_merchant.tenant_id)
    archived = seed.service(merchant.tenant_id, archived=True)
    for sid in (foreign, archived, random_id()):
        assert_field_error(merchant.api.post(PACKAGES, json=package_body(sid)), "service_id")
    assert packages_count(merchant.tenant_id) == 0
    # every problem at once
    r = merchant.api.post(PACKAGES, json=package_body(foreign, sessions=99, name="x"))
    fields = assert_field_error(r, "service_id")
    assert {"sessions", "name"} <= set(fields)


def test_another_tenants_package_is_404(merchant, other_merchant, service):
    pkg = merchant.api.post(PACKAGES, json=package_body(service)).json()
    path = "%s/%s" % (PACKAGES, pkg["id"])
    for method in ("get", "patch", "delete"):
        r = getattr(other_merchant.api, method)(path, **({"json": {}} if method == "patch" else {}))
        assert r.status_code == 404 and r.json()["error"]["code"] == "package_not_found", r.text
    assert other_merchant.api.get(PACKAGES).json()["items"] == []
    r = merchant.api.get("%s/%s" % (PACKAGES, "nope"))
    assert r.status_code == 404


def test_links_offer_packages_and_the_public_link_lists_them(merchant, other_merchant, service,
                                                             api):
    pkg = merchant.api.post(PACKAGES, json=package_body(service)).json()
    r = merchant.api.post("/api/admin/links", json={"name": "Web", "package_ids": [pkg["id"]]})
    assert r.status_code == 201, r.text
    link = r.json()
    assert link["package_ids"] == [pkg["id"]]

    public = api.get("/api/public/links/%s" % link["slug"]).json()
    assert public["packages"] == [{
        "id": pkg["id"], "name": "4 sesiones", "description": "Cuatro masajes de una hora.",
        "sessions": 4, "price": {"amount": 40000000, "currency": "COP"}, "currency": "COP",
        "valid_days": 90,
        "service": {"id": service, "name": "Masaje relajante", "duration_minutes": 60}}]

    # ids that are not the tenant's active packages are field errors; nothing changes
    foreign_service = seed.service(other_merchant.tenant_id)
    foreign = other_merchant.api.post(PACKAGES, json=package_body(foreign_service)).json()
    for bad in ([foreign["id"]], [random_id()], ["nope"], [5]):
        r = merchant.api.patch("/api/admin/links/%s" % link["id"], json={"package_ids": bad})
        assert_field_error(r, "package_ids[0]")
    assert merchant.api.get("/api/admin/links/%s" % link["id"]).json()["package_ids"] == [pkg["id"]]

    # archiving the package takes it off the link; [] empties the offer
    merchant.api.delete("%s/%s" % (PACKAGES, pkg["id"]))
    assert api.get("/api/public/links/%s" % link["slug"]).json()["packages"] == []
    assert merchant.api.get("/api/admin/links/%s" % link["id"]).json()["package_ids"] == []
    second = merchant.api.post(PACKAGES, json=package_body(service, name="8 sesiones")).json()
    r = merchant.api.patch("/api/admin/links/%s" % link["id"], json={"package_ids": [second["id"]]})
    assert r.json()["package_ids"] == [second["id"]]
    r = merchant.api.patch("/api/admin/links/%s" % link["id"], json={"package_ids": []})
    assert r.json()["package_ids"] == []


def test_a_link_lists_only_packages_it_can_book(merchant, service, api):
    """A link preselecting another service does not sell a package it could not book."""
    other = seed.service(merchant.tenant_id, name="Otro servicio")
    seed.professional(merchant.tenant_id, services=[other])
    pkg = merchant.api.post(PACKAGES, json=package_body(service)).json()
    link = merchant.api.post("/api/admin/links", json={
        "name": "Solo otro", "service_id": other, "package_ids": [pkg["id"]]}).json()
    assert api.get("/api/public/links/%s" % link["slug"]).json()["packages"] == []


PRICE_MESSAGES = [
    ("es", 0, "Debe ser al menos COP 0,01."),
    ("es", -5, "Debe ser al menos COP 0,01."),
    ("en", 0, "Must be at least COP 0.01."),
    ("es", 10 ** 14 + 1, "Debe ser como máximo COP 1.000.000.000.000,00."),
    ("en", 10 ** 14 + 1, "Must be at most COP 1,000,000,000,000.00."),
]


@pytest.mark.parametrize("locale,amount,message", PRICE_MESSAGES,
                         ids=["%s-%s" % (m[0], m[1]) for m in PRICE_MESSAGES])
def test_price_messages_speak_major_units(merchant, service, locale, amount, message):
    headers = {"Accept-Language": locale}
    price = {"amount": amount, "currency": "COP"}
    r = merchant.api.post(PACKAGES, json=package_body(service, price=price), headers=headers)
    assert assert_field_error(r, "price.amount")["price.amount"] == message
    assert packages_count(merchant.tenant_id) == 0
    pkg = merchant.api.post(PACKAGES, json=package_body(service)).json()
    path = "%s/%s" % (PACKAGES, pkg["id"])
    r = merchant.api.patch(path, json={"price": price}, headers=headers)
    assert assert_field_error(r, "price.amount")["price.amount"] == message
    assert merchant.api.get(path).json() == pkg


def test_price_messages_follow_the_tenants_currency(merchant):
    psql("UPDATE tenants SET currency = 'USD' WHERE id = :'p1'", merchant.tenant_id)
    sid = seed.service(merchant.tenant_id, currency="USD")
    r = merchant.api.post(PACKAGES, json=package_body(sid, price={"amount": 0, "currency": "USD"}),
                          headers={"Accept-Language": "en"})
    assert assert_field_error(r, "price.amount")["price.amount"] == "Must be at least USD 0.01."
