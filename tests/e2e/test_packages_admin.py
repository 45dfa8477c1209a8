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


def links_count(tenant_id):
    return int(psql("SELECT count(*) FROM booking_links WHERE tenant_id = :'p1'", tenant_id))


def link_packages_rows(link_id):
    return psql("SELECT count(*) FROM link_packages WHERE link_id = :'p1'", link_id)


def assert_not_sold(r, *names, en=False):
    """400 validation_failed, one message at package_ids naming the packages it cannot sell."""
    fields = assert_field_error(r, "package_ids")
    message = fields["package_ids"]
    for name in names:
        assert "\u201c%s\u201d" % name in message, message
    assert message.startswith("This link does not offer the service of " if en else
                              "Este enlace no ofrece el servicio de "), message
    return message


@pytest.fixture
def two_services(merchant, service):
    """service (its package `pkg`) and `other` (its package `other_pkg`), and a professional
    offering only `other`."""
    other = seed.service(merchant.tenant_id, name="Limpieza facial")
    only_other = seed.professional(merchant.tenant_id, name="Sr. Otro", services=[other])
    pkg = merchant.api.post(PACKAGES, json=package_body(service)).json()
    other_pkg = merchant.api.post(PACKAGES, json=package_body(other, name="3 limpiezas")).json()
    return {"other": other, "only_other": only_other, "pkg": pkg, "other_pkg": other_pkg}


def test_a_link_refuses_packages_of_a_service_it_does_not_offer(merchant, service, two_services):
    t = two_services
    before = links_count(merchant.tenant_id)
    # a link preselecting another service
    r = merchant.api.post("/api/admin/links", json={
        "name": "Solo otro", "service_id": t["other"], "package_ids": [t["pkg"]["id"]]})
    assert_not_sold(r, "4 sesiones")
    # a link preselecting a professional who does not offer the package's service
    r = merchant.api.post("/api/admin/links", json={
        "name": "Con Sr. Otro", "professional_id": t["only_other"],
        "package_ids": [t["other_pkg"]["id"], t["pkg"]["id"]]},
        headers={"Accept-Language": "en"})
    message = assert_not_sold(r, "4 sesiones", en=True)
    assert "3 limpiezas" not in message
    assert message == ("This link does not offer the service of \u201c4 sesiones\u201d: remove "
                       "those packages or choose a service and professional that provide it.")
    assert links_count(merchant.tenant_id) == before

    # what it offers is fine, and so is any package on a link of every service
    r = merchant.api.post("/api/admin/links", json={
        "name": "Con Sr. Otro", "professional_id": t["only_other"],
        "package_ids": [t["other_pkg"]["id"]]})
    assert r.status_code == 201, r.text
    assert r.json()["package_ids"] == [t["other_pkg"]["id"]]
    r = merchant.api.post("/api/admin/links", json={
        "name": "Todo", "package_ids": [t["pkg"]["id"], t["other_pkg"]["id"]]})
    assert r.status_code == 201, r.text
    assert r.json()["package_ids"] == [t["pkg"]["id"], t["other_pkg"]["id"]]

    # PATCH of the offer: refused, nothing changes
    link = merchant.api.post("/api/admin/links", json={
        "name": "Masajes", "service_id": service, "package_ids": [t["pkg"]["id"]]}).json()
    path = "/api/admin/links/%s" % link["id"]
    r = merchant.api.patch(path, json={"package_ids": [t["pkg"]["id"], t["other_pkg"]["id"]],
                                       "name": "Cambiado"})
    assert_not_sold(r, "3 limpiezas")
    assert merchant.api.get(path).json() == link
    assert link_packages_rows(link["id"]) == "1"


def test_changing_what_a_link_offers_keeps_its_packages_sellable(merchant, service, two_services):
    """A PATCH of service_id or professional_id that would leave packages the link cannot sell
    is refused (the merchant chose them; dropping them silently would take them off the
    booking page); sent together with package_ids that fit, it is fine."""
    t = two_services
    link = merchant.api.post("/api/admin/links", json={
        "name": "Masajes", "service_id": service, "package_ids": [t["pkg"]["id"]]}).json()
    path = "/api/admin/links/%s" % link["id"]

    r = merchant.api.patch(path, json={"service_id": t["other"]})
    assert_not_sold(r, "4 sesiones")
    r = merchant.api.patch(path, json={"service_id": None, "professional_id": t["only_other"]})
    assert_not_sold(r, "4 sesiones")
    assert merchant.api.get(path).json() == link

    # any service: the package still fits
    r = merchant.api.patch(path, json={"service_id": None})
    assert r.status_code == 200, r.text
    assert r.json()["service_id"] is None and r.json()["package_ids"] == [t["pkg"]["id"]]
    # the other service, with its own package instead
    r = merchant.api.patch(path, json={"service_id": t["other"],
                                       "package_ids": [t["other_pkg"]["id"]]})
    assert r.status_code == 200, r.text
    assert r.json()["service_id"] == t["other"]
    assert r.json()["package_ids"] == [t["other_pkg"]["id"]]
    # or with none
    r = merchant.api.patch(path, json={"service_id": service, "package_ids": []})
    assert r.status_code == 200, r.text
    assert r.json()["package_ids"] == []
    # a link without packages changes service freely
    r = merchant.api.patch(path, json={"service_id": t["other"]})
    assert r.status_code == 200 and r.json()["service_id"] == t["other"], r.text


def test_archived_packages_and_packages_of_archived_services(merchant, service, two_services, api):
    t = two_services
    link = merchant.api.post("/api/admin/links", json={
        "name": "Todo", "package_ids": [t["pkg"]["id"], t["other_pkg"]["id"]]}).json()
    path = "/api/admin/links/%s" % link["id"]

    # an archived package leaves the link's offer and cannot be put back
    merchant.api.delete("%s/%s" % (PACKAGES, t["other_pkg"]["id"]))
    assert merchant.api.get(path).json()["package_ids"] == [t["pkg"]["id"]]
    assert [k["id"] for k in api.get("/api/public/links/%s" % link["slug"]).json()["packages"]] \
        == [t["pkg"]["id"]]
    r = merchant.api.patch(path, json={"package_ids": [t["pkg"]["id"], t["other_pkg"]["id"]]})
    fields = assert_field_error(r, "package_ids[1]")
    assert fields["package_ids[1]"] == "No es un paquete activo de tu negocio."
    r = merchant.api.post("/api/admin/links", json={"name": "Otro",
                                                    "package_ids": [t["other_pkg"]["id"]]})
    assert_field_error(r, "package_ids[0]")
    # ... nor stops the link changing what it offers
    r = merchant.api.patch(path, json={"professional_id": t["only_other"], "package_ids": []})
    assert r.status_code == 200, r.text

    # a package whose service was archived cannot be sold through any link
    fresh = merchant.api.post(PACKAGES, json=package_body(service, name="2 sesiones")).json()
    merchant.api.delete("/api/admin/services/%s" % service)
    r = merchant.api.post("/api/admin/links", json={"name": "Todo", "package_ids": [fresh["id"]]})
    assert_not_sold(r, "2 sesiones")


def test_the_public_link_hides_packages_it_can_no_longer_book(merchant, service, api):
    """Accepted when stored, a package whose service then loses its professionals is not
    listed (its sessions could not be booked) until the service is offered again."""
    pkg = merchant.api.post(PACKAGES, json=package_body(service)).json()
    link = merchant.api.post("/api/admin/links", json={
        "name": "Masajes", "service_id": service, "package_ids": [pkg["id"]]}).json()
    assert [k["id"] for k in api.get("/api/public/links/%s" % link["slug"]).json()["packages"]] \
        == [pkg["id"]]
    psql("DELETE FROM service_professionals WHERE service_id = :'p1'", service)
    assert api.get("/api/public/links/%s" % link["slug"]).json()["packages"] == []
    assert merchant.api.get("/api/admin/links/%s" % link["id"]).json()["package_ids"] == [pkg["id"]]


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
