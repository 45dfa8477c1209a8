"""/api/admin/services: CRUD, every validation rule, charge computation, assignment, audit."""
import re

import pytest

from catalog_support import (SERVICES, assert_field_error, audit_rows, create_professional,
                             create_service, field_case_ids, random_id, service_body, snapshot)
from conftest import psql

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_create_get_list_patch_archive(merchant):
    api = merchant.api
    created = create_service(merchant, image_url="https://cdn.example.com/consulta.png")
    sid = created["id"]
    assert created["name"] == "Consulta general"
    assert created["price"] == {"amount": 12000000, "currency": "COP"}
    assert created["charge"] == {"type": "total", "amount": 12000000, "currency": "COP"}
    # defaults of API.md
    assert created["slot_interval_minutes"] == 15
    assert created["horizon_days"] == 14
    assert created["deposit_percent"] == 25
    assert created["buffer_before_minutes"] == 0 and created["buffer_after_minutes"] == 0
    assert created["min_notice_minutes"] == 0
    assert created["professional_ids"] == []
    assert created["archived"] is False
    assert TS_RE.match(created["created_at"]) and TS_RE.match(created["updated_at"])

    r = api.get(SERVICES + "/" + sid)
    assert r.status_code == 200
    assert r.json() == created
    assert [s["id"] for s in api.get(SERVICES).json()["items"]] == [sid]

    r = api.patch(SERVICES + "/" + sid, json={"name": "Consulta prioritaria", "duration_minutes": 45,
                                              "buffer_after_minutes": 10, "image_url": None})
    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched["name"] == "Consulta prioritaria"
    assert patched["duration_minutes"] == 45
    assert patched["buffer_after_minutes"] == 10
    assert patched["image_url"] is None
    assert patched["description"] == created["description"]   # not sent: unchanged
    assert api.get(SERVICES + "/" + sid).json() == patched

    r = api.delete(SERVICES + "/" + sid)
    assert r.status_code == 204 and r.content == b""
    assert api.get(SERVICES).json()["items"] == []
    listed = api.get(SERVICES, params={"include_archived": "true"}).json()["items"]
    assert [s["id"] for s in listed] == [sid] and listed[0]["archived"] is True
    got = api.get(SERVICES + "/" + sid)
    assert got.status_code == 200 and got.json()["archived"] is True
    # the row stays
    assert psql("SELECT archived_at IS NOT NULL FROM services WHERE id = :'p1'", sid) == "t"
    # an archived service cannot be changed; archiving again is a no-op
    r = api.patch(SERVICES + "/" + sid, json={"name": "Otra vez"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "service_archived"
    assert api.delete(SERVICES + "/" + sid).status_code == 204


def test_partial_charge_is_the_deposit_rounded_up(merchant):
    s = create_service(merchant, price={"amount": 10001, "currency": "COP"}, charge_type="partial")
    assert s["deposit_percent"] == 25
    assert s["charge"] == {"type": "partial", "amount": 2501, "currency": "COP"}   # ceil(2500.25)
    s = create_service(merchant, price={"amount": 100, "currency": "COP"}, charge_type="partial",
                       deposit_percent=33)
    assert s["charge"]["amount"] == 33
    r = merchant.api.patch(SERVICES + "/" + s["id"], json={"deposit_percent": 99})
    assert r.json()["charge"]["amount"] == 99


def test_free_service_costs_nothing(merchant):
    s = create_service(merchant, price={"amount": 0, "currency": "COP"}, charge_type="free")
    assert s["charge"] == {"type": "free", "amount": 0, "currency": "COP"}
    before = snapshot(merchant.tenant_id)
    r = merchant.api.post(SERVICES, json=service_body(charge_type="free"))
    assert_field_error(r, "price.amount")
    r = merchant.api.post(SERVICES, json=service_body(price={"amount": 0, "currency": "COP"}))
    assert_field_error(r, "price.amount")
    assert snapshot(merchant.tenant_id) == before


def test_charge_rules_hold_across_patches(merchant):
    s = create_service(merchant)
    path = SERVICES + "/" + s["id"]
    r = merchant.api.patch(path, json={"charge_type": "free"})     # price is still 12000000
    assert_field_error(r, "price.amount")
    assert merchant.api.get(path).json()["charge_type"] == "total"
    r = merchant.api.patch(path, json={"charge_type": "free", "price": {"amount": 0, "currency": "COP"}})
    assert r.status_code == 200, r.text
    assert r.json()["charge"]["amount"] == 0


def test_currency_is_the_tenants(merchant):
    r = merchant.api.post(SERVICES, json=service_body(price={"amount": 5000, "currency": "USD"}))
    assert_field_error(r, "price.currency")
    psql("UPDATE tenants SET currency = 'USD' WHERE id = :'p1'", merchant.tenant_id)
    s = create_service(merchant, price={"amount": 5000, "currency": "USD"})
    assert s["charge"] == {"type": "total", "amount": 5000, "currency": "USD"}
    r = merchant.api.post(SERVICES, json=service_body())      # COP no longer
    assert_field_error(r, "price.currency")


LONG = "x" * 101
BAD_FIELDS = [
    # (change to a valid body, field key of the error)
    ({"name": None}, "name"),
    ({"name": "ab"}, "name"),
    ({"name": "ñ" * 101}, "name"),
    ({"name": 5}, "name"),
    ({"name": ["Consulta"]}, "name"),
    ({"description": "corta"}, "description"),
    ({"description": "d" * 2001}, "description"),
    ({"description": 1234567890}, "description"),
    ({"image_url": "ftp://cdn.example.com/x.png"}, "image_url"),
    ({"image_url": "javascript:alert(1)"}, "image_url"),
    ({"image_url": "not a url"}, "image_url"),
    ({"image_url": 5}, "image_url"),
    ({"duration_minutes": 14}, "duration_minutes"),
    ({"duration_minutes": 481}, "duration_minutes"),
    ({"duration_minutes": "30"}, "duration_minutes"),
    ({"duration_minutes": 30.5}, "duration_minutes"),
    ({"duration_minutes": 30.0}, "duration_minutes"),
    ({"duration_minutes": True}, "duration_minutes"),
    ({"duration_minutes": None}, "duration_minutes"),
    ({"price": None}, "price"),
    ({"price": 12000}, "price"),
    ({"price": {"amount": -1, "currency": "COP"}}, "price.amount"),
    ({"price": {"amount": 10.5, "currency": "COP"}}, "price.amount"),
    ({"price": {"amount": "1000", "currency": "COP"}}, "price.amount"),
    ({"price": {"currency": "COP"}}, "price.amount"),
    ({"price": {"amount": 10 ** 15, "currency": "COP"}}, "price.amount"),
    ({"price": {"amount": 1000}}, "price.currency"),
    ({"price": {"amount": 1000, "currency": "cop"}}, "price.currency"),
    ({"price": {"amount": 1000, "currency": "COPX"}}, "price.currency"),
    ({"price": {"amount": 1000, "currency": "EUR"}}, "price.currency"),
    ({"charge_type": "deposit"}, "charge_type"),
    ({"charge_type": None}, "charge_type"),
    ({"charge_type": 1}, "charge_type"),
    ({"charge_type": "partial", "deposit_percent": 0}, "deposit_percent"),
    ({"charge_type": "partial", "deposit_percent": 100}, "deposit_percent"),
    ({"charge_type": "partial", "deposit_percent": "25"}, "deposit_percent"),
    ({"slot_interval_minutes": 4}, "slot_interval_minutes"),
    ({"slot_interval_minutes": 481}, "slot_interval_minutes"),
    ({"buffer_before_minutes": -1}, "buffer_before_minutes"),
    ({"buffer_before_minutes": 481}, "buffer_before_minutes"),
    ({"buffer_after_minutes": 481}, "buffer_after_minutes"),
    ({"buffer_after_minutes": "5"}, "buffer_after_minutes"),
    ({"min_notice_minutes": -1}, "min_notice_minutes"),
    ({"min_notice_minutes": 525601}, "min_notice_minutes"),
    ({"horizon_days": 0}, "horizon_days"),
    ({"horizon_days": 366}, "horizon_days"),
    ({"professional_ids": "all"}, "professional_ids"),
    ({"professional_ids": ["not-a-uuid"]}, "professional_ids[0]"),
    ({"professional_ids": [42]}, "professional_ids[0]"),
    ({"professional_ids": [random_id()]}, "professional_ids[0]"),
]


@pytest.mark.parametrize("change,key", BAD_FIELDS, ids=field_case_ids(BAD_FIELDS))
def test_each_bad_field_is_refused_and_nothing_written(merchant, change, key):
    before = snapshot(merchant.tenant_id)
    r = merchant.api.post(SERVICES, json=service_body(**change))
    assert_field_error(r, key)
    assert snapshot(merchant.tenant_id) == before
    # the same change on an existing service is refused the same way and changes nothing
    s = create_service(merchant)
    before = snapshot(merchant.tenant_id)
    r = merchant.api.patch(SERVICES + "/" + s["id"], json=change)
    assert_field_error(r, key)
    assert merchant.api.get(SERVICES + "/" + s["id"]).json() == s
    assert snapshot(merchant.tenant_id) == before


@pytest.mark.parametrize("missing", ["name", "description", "duration_minutes", "price", "charge_type"])
def test_required_fields(merchant, missing):
    body = service_body()
    del body[missing]
    before = snapshot(merchant.tenant_id)
    fields = assert_field_error(merchant.api.post(SERVICES, json=body), missing)
    assert list(fields) == [missing]
    assert snapshot(merchant.tenant_id) == before


def test_every_bad_field_at_once_in_the_requested_language(merchant):
    body = {"name": "a", "description": 5, "duration_minutes": 1000, "price": {"amount": -5},
            "charge_type": "gratis", "horizon_days": "14", "professional_ids": ["x"]}
    r = merchant.api.post(SERVICES, json=body, headers={"Accept-Language": "en"})
    fields = assert_field_error(r, "name")
    assert set(fields) == {"name", "description", "duration_minutes", "price.amount",
                           "price.currency", "charge_type", "horizon_days", "professional_ids[0]"}
    assert fields["name"] == "Must be 3 to 100 characters long."
    assert fields["duration_minutes"] == "Must be an integer from 15 to 480."
    r = merchant.api.post(SERVICES, json=body)
    assert r.json()["error"]["fields"]["name"] == "Debe tener entre 3 y 100 caracteres."
    assert r.json()["error"]["message"] == "Algunos datos no son válidos."


def test_price_messages_speak_major_units(merchant):
    """The merchant types major units: price bounds are said in them, in both languages, and
    a refused PATCH changes nothing."""
    s = create_service(merchant)
    path = SERVICES + "/" + s["id"]
    for locale, amount, message in [
            ("es", -1, "Debe ser al menos COP 0,00."),
            ("en", -1, "Must be at least COP 0.00."),
            ("es", 10 ** 15, "Debe ser como máximo COP 1.000.000.000.000,00."),
            ("en", 10 ** 15, "Must be at most COP 1,000,000,000,000.00.")]:
        headers = {"Accept-Language": locale}
        price = {"amount": amount, "currency": "COP"}
        before = snapshot(merchant.tenant_id)
        r = merchant.api.post(SERVICES, json=service_body(price=price), headers=headers)
        assert assert_field_error(r, "price.amount")["price.amount"] == message
        r = merchant.api.patch(path, json={"price": price}, headers=headers)
        assert assert_field_error(r, "price.amount")["price.amount"] == message
        assert snapshot(merchant.tenant_id) == before
    assert merchant.api.get(path).json() == s
    # the largest price is accepted
    r = merchant.api.patch(path, json={"price": {"amount": 10 ** 14, "currency": "COP"}})
    assert r.status_code == 200 and r.json()["price"]["amount"] == 10 ** 14, r.text


def test_limits_are_inclusive_and_count_code_points(merchant):
    s = create_service(merchant, name="ñ" * 100, description="é" * 2000, duration_minutes=480,
                       slot_interval_minutes=5, buffer_before_minutes=480, buffer_after_minutes=0,
                       min_notice_minutes=525600, horizon_days=365,
                       image_url="http://localhost:8080/x.png")   # stack: insecure URLs allowed
    assert s["name"] == "ñ" * 100 and s["horizon_days"] == 365
    s = create_service(merchant, name="abc", description="d" * 10, duration_minutes=15)
    assert s["duration_minutes"] == 15


def test_malformed_and_non_object_bodies(merchant):
    before = snapshot(merchant.tenant_id)
    r = merchant.api.post(SERVICES, data=b'{"name": "x",', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = merchant.api.post(SERVICES, data=b'["x"]', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = merchant.api.post(SERVICES, data=b'{"name": "\xff\xfe"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    assert snapshot(merchant.tenant_id) == before


def test_unknown_fields_are_ignored(merchant):
    s = create_service(merchant, colour="blue", id=random_id(), archived=True)
    assert s["archived"] is False and "colour" not in s


def test_professional_ids_replace_the_assignment(merchant):
    ana = create_professional(merchant, name="Ana")
    luis = create_professional(merchant, name="Luis")
    s = create_service(merchant, professional_ids=[ana["id"], luis["id"], ana["id"].upper()])
    assert sorted(s["professional_ids"]) == sorted([ana["id"], luis["id"]])
    path = SERVICES + "/" + s["id"]
    assert merchant.api.patch(path, json={"name": "Consulta larga"}).json()["professional_ids"] \
        == s["professional_ids"]
    r = merchant.api.patch(path, json={"professional_ids": [luis["id"]]})
    assert r.json()["professional_ids"] == [luis["id"]]
    assert merchant.api.get("/api/admin/professionals/" + ana["id"]).json()["service_ids"] == []
    assert merchant.api.get("/api/admin/professionals/" + luis["id"]).json()["service_ids"] == [s["id"]]
    # a bad id among good ones: nothing changes
    before = snapshot(merchant.tenant_id)
    r = merchant.api.patch(path, json={"professional_ids": [ana["id"], random_id()]})
    assert_field_error(r, "professional_ids[1]")
    assert "professional_ids[0]" not in r.json()["error"]["fields"]
    assert merchant.api.get(path).json()["professional_ids"] == [luis["id"]]
    assert snapshot(merchant.tenant_id) == before
    assert merchant.api.patch(path, json={"professional_ids": []}).json()["professional_ids"] == []


def test_archived_professionals_cannot_be_assigned(merchant):
    ana = create_professional(merchant)
    s = create_service(merchant, professional_ids=[ana["id"]])
    assert merchant.api.delete("/api/admin/professionals/" + ana["id"]).status_code == 204
    # an archived professional no longer shows among those who offer the service
    assert merchant.api.get(SERVICES + "/" + s["id"]).json()["professional_ids"] == []
    r = merchant.api.post(SERVICES, json=service_body(professional_ids=[ana["id"]]))
    assert_field_error(r, "professional_ids[0]")


def test_writes_are_audited_with_the_fields_sent(merchant):
    s = create_service(merchant)
    merchant.api.patch(SERVICES + "/" + s["id"], json={"horizon_days": 30})
    merchant.api.delete(SERVICES + "/" + s["id"])
    rows = audit_rows(merchant.tenant_id, s["id"])
    assert [r[0] for r in rows] == ["service.create", "service.update", "service.archive"]
    assert all(r[1] == merchant.user_id and r[3] == "service" for r in rows)
    assert rows[0][2] == service_body()
    assert rows[1][2] == {"horizon_days": 30}
    assert rows[2][2] == {"archived": True}
    # a refused request writes no audit row
    merchant.api.patch(SERVICES + "/" + s["id"], json={"horizon_days": 0})
    assert len(audit_rows(merchant.tenant_id, s["id"])) == 3
