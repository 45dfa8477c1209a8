"""/api/admin/links: CRUD, slugs and URLs, preselection rules, validation, audit."""
import datetime
import re

import pytest

from catalog_support import (LINKS, assert_field_error, audit_rows, create_link,
                             create_professional, create_service, link_body, field_case_ids, random_id, snapshot)
from conftest import psql


def future(days=30):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_create_get_list_patch_deactivate(merchant, stack):
    api = merchant.api
    link = create_link(merchant)
    lid = link["id"]
    assert link["name"] == "Reservas web" and link["active"] is True
    assert link["service_id"] is None and link["professional_id"] is None
    assert link["expires_at"] is None
    # 128 bits of randomness, URL-safe, and the public booking page's URL
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", link["slug"])
    assert link["url"] == stack["KF_URL"].rstrip("/") + "/book/" + link["slug"]
    assert api.get(LINKS + "/" + lid).json() == link
    assert [x["id"] for x in api.get(LINKS).json()["items"]] == [lid]

    when = future()
    r = api.patch(LINKS + "/" + lid, json={"name": "Campaña diciembre", "expires_at": when})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Campaña diciembre" and r.json()["expires_at"] == when
    assert r.json()["slug"] == link["slug"]            # the slug never changes
    r = api.patch(LINKS + "/" + lid, json={"expires_at": None})
    assert r.json()["expires_at"] is None and r.json()["name"] == "Campaña diciembre"

    assert api.delete(LINKS + "/" + lid).status_code == 204
    assert api.get(LINKS).json()["items"] == []
    listed = api.get(LINKS, params={"include_inactive": "true"}).json()["items"]
    assert [x["id"] for x in listed] == [lid] and listed[0]["active"] is False
    assert api.get(LINKS + "/" + lid).json()["active"] is False
    assert psql("SELECT active FROM booking_links WHERE id = :'p1'", lid) == "f"
    assert api.delete(LINKS + "/" + lid).status_code == 204
    # reactivating is a PATCH
    r = api.patch(LINKS + "/" + lid, json={"active": True})
    assert r.status_code == 200 and r.json()["active"] is True
    assert [x["id"] for x in api.get(LINKS).json()["items"]] == [lid]


def test_slugs_are_unique(merchant):
    slugs = {create_link(merchant)["slug"] for _ in range(5)}
    assert len(slugs) == 5


def test_preselection(merchant):
    ana = create_professional(merchant, name="Ana")
    luis = create_professional(merchant, name="Luis")
    s = create_service(merchant, professional_ids=[ana["id"]])
    link = create_link(merchant, service_id=s["id"], professional_id=ana["id"], expires_at=future())
    assert link["service_id"] == s["id"] and link["professional_id"] == ana["id"]
    assert create_link(merchant, professional_id=luis["id"])["service_id"] is None
    before = snapshot(merchant.tenant_id)
    # Luis does not offer the service
    r = merchant.api.post(LINKS, json=link_body(service_id=s["id"], professional_id=luis["id"]))
    assert_field_error(r, "professional_id")
    r = merchant.api.patch(LINKS + "/" + link["id"], json={"professional_id": luis["id"]})
    assert_field_error(r, "professional_id")
    assert snapshot(merchant.tenant_id) == before
    # clearing the preselection
    r = merchant.api.patch(LINKS + "/" + link["id"], json={"service_id": None, "professional_id": None})
    assert r.json()["service_id"] is None and r.json()["professional_id"] is None


def test_archived_targets_cannot_be_preselected(merchant):
    s = create_service(merchant)
    p = create_professional(merchant)
    merchant.api.delete("/api/admin/services/" + s["id"])
    merchant.api.delete("/api/admin/professionals/" + p["id"])
    assert_field_error(merchant.api.post(LINKS, json=link_body(service_id=s["id"])), "service_id")
    assert_field_error(merchant.api.post(LINKS, json=link_body(professional_id=p["id"])),
                       "professional_id")


BAD_FIELDS = [
    ({"name": ""}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"name": None}, "name"),
    ({"name": 1}, "name"),
    ({"service_id": "nope"}, "service_id"),
    ({"service_id": random_id()}, "service_id"),
    ({"service_id": 12}, "service_id"),
    ({"professional_id": random_id()}, "professional_id"),
    ({"professional_id": ["x"]}, "professional_id"),
    ({"expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
    ({"expires_at": "2099-01-01"}, "expires_at"),
    ({"expires_at": "2099-01-01T00:00:00+01:00"}, "expires_at"),
    ({"expires_at": "2099-01-01T00:00:00.5Z"}, "expires_at"),
    ({"expires_at": "2099-02-30T00:00:00Z"}, "expires_at"),
    ({"expires_at": 4102444800}, "expires_at"),
    ({"active": "yes"}, "active"),
    ({"active": 1}, "active"),
    ({"active": None}, "active"),
]


@pytest.mark.parametrize("change,key", BAD_FIELDS, ids=field_case_ids(BAD_FIELDS))
def test_each_bad_field_is_refused_and_nothing_written(merchant, change, key):
    before = snapshot(merchant.tenant_id)
    assert_field_error(merchant.api.post(LINKS, json=link_body(**change)), key)
    assert snapshot(merchant.tenant_id) == before
    link = create_link(merchant)
    before = snapshot(merchant.tenant_id)
    assert_field_error(merchant.api.patch(LINKS + "/" + link["id"], json=change), key)
    assert merchant.api.get(LINKS + "/" + link["id"]).json() == link
    assert snapshot(merchant.tenant_id) == before


def test_required_name_and_messages(merchant):
    r = merchant.api.post(LINKS, json={}, headers={"Accept-Language": "en"})
    assert assert_field_error(r, "name") == {"name": "This field is required."}
    r = merchant.api.post(LINKS, json=link_body(expires_at="2020-01-01T00:00:00Z"))
    assert assert_field_error(r, "expires_at")["expires_at"] == "Debe ser una fecha futura."


def test_writes_are_audited_with_the_fields_sent(merchant):
    link = create_link(merchant)
    merchant.api.patch(LINKS + "/" + link["id"], json={"name": "Otra"})
    merchant.api.delete(LINKS + "/" + link["id"])
    rows = audit_rows(merchant.tenant_id, link["id"])
    assert [r[0] for r in rows] == ["link.create", "link.update", "link.deactivate"]
    assert rows[0][2] == link_body()
    assert rows[1][2] == {"name": "Otra"}
    assert rows[2][2] == {"active": False}
    assert all(r[1] == merchant.user_id and r[3] == "link" for r in rows)
