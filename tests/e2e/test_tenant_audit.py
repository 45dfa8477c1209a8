"""GET /api/admin/audit?action&from&to&page: the session tenant's rows, newest first,
paginated, filtered by action and by dates in the tenant's time zone; no secrets."""
import re

import pytest

from conftest import psql
from tenant_helpers import assert_error, wompi_keys

AUDIT = "/api/admin/audit"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def make_changes(m):
    """One row of each kind of change this feature audits, in this order."""
    assert m.api.patch("/api/admin/tenant", json={"name": "Auditoría Uno"},
                       headers={"User-Agent": "audit-e2e"}).status_code == 200
    secret = m.api.post("/api/admin/tenant/callback-secret").json()["secret"]
    keys = wompi_keys()
    assert m.api.put("/api/admin/tenant/payments/wompi", json=keys).status_code == 200
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    assert m.api.post("/api/admin/tenant/logo", data=svg,
                      headers={"Content-Type": "image/svg+xml"}).status_code == 201
    return secret, keys


def test_lists_every_change_newest_first_without_secrets(merchant):
    secret, keys = make_changes(merchant)
    r = merchant.api.get(AUDIT)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] >= 4
    actions = [i["action"] for i in body["items"]]
    assert actions == ["tenant.logo.update", "tenant.payments.wompi.update",
                       "tenant.callback_secret.rotate", "tenant.update"]
    ids = [i["id"] for i in body["items"]]
    assert ids == sorted(ids, reverse=True)
    for item in body["items"]:
        assert item["user"] == {"id": merchant.user_id, "email": merchant.email}
        assert item["entity_type"] == "tenant" and item["entity_id"] == merchant.tenant_id
        assert item["ip"] == merchant.api.source_ip      # the client's own address
        assert RFC3339.match(item["created_at"]), item["created_at"]
    assert body["items"][-1]["changes"] == {"name": "Auditoría Uno"}
    assert body["items"][-1]["user_agent"] == "audit-e2e"
    for hidden in (secret, keys["private_key"], keys["events_secret"], keys["integrity_secret"]):
        assert hidden not in r.text
    assert r.text.count("[redacted]") == 4


def test_filter_by_action_and_paginate(merchant):
    make_changes(merchant)
    for _ in range(3):
        merchant.api.post("/api/admin/tenant/callback-secret")
    only = merchant.api.get(AUDIT, params={"action": "tenant.callback_secret.rotate"}).json()
    assert only["total"] == 4
    assert {i["action"] for i in only["items"]} == {"tenant.callback_secret.rotate"}
    assert merchant.api.get(AUDIT, params={"action": "tenant"}).json()["total"] == 0

    page1 = merchant.api.get(AUDIT, params={"per_page": 3}).json()
    page2 = merchant.api.get(AUDIT, params={"per_page": 3, "page": 2}).json()
    page3 = merchant.api.get(AUDIT, params={"per_page": 3, "page": 3}).json()
    assert page1["total"] == page2["total"] == page3["total"] == 7
    assert [len(p["items"]) for p in (page1, page2, page3)] == [3, 3, 1]
    seen = [i["id"] for p in (page1, page2, page3) for i in p["items"]]
    assert len(set(seen)) == 7 and seen == sorted(seen, reverse=True)
    beyond = merchant.api.get(AUDIT, params={"per_page": 3, "page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 7


def test_dates_are_days_in_the_tenants_time_zone(merchant):
    """A row at 2026-03-10T03:30Z is on March 9 in Bogotá (UTC-5) and March 10 in Madrid."""
    psql("INSERT INTO audit_log (tenant_id, user_id, action, entity_type, entity_id, created_at)"
         " VALUES (:'p1', :'p2', 'test.late', 'tenant', :'p1', '2026-03-10T03:30:00Z'),"
         "        (:'p1', :'p2', 'test.early', 'tenant', :'p1', '2026-03-09T05:30:00Z')",
         merchant.tenant_id, merchant.user_id)

    def actions(**params):
        r = merchant.api.get(AUDIT, params=params)
        assert r.status_code == 200, r.text
        return sorted(i["action"] for i in r.json()["items"])

    assert actions(**{"from": "2026-03-09", "to": "2026-03-09"}) == ["test.early", "test.late"]
    assert actions(**{"from": "2026-03-10", "to": "2026-03-10"}) == []
    assert actions(**{"from": "2026-03-10"}) == []
    assert actions(to="2026-03-08") == []
    late = [i for i in merchant.api.get(AUDIT).json()["items"] if i["action"] == "test.late"]
    assert late[0]["created_at"] == "2026-03-10T03:30:00Z"     # shown in UTC

    assert merchant.api.patch("/api/admin/tenant", json={"timezone": "Europe/Madrid"}).status_code == 200
    assert actions(**{"from": "2026-03-10", "to": "2026-03-10"}) == ["test.late"]
    assert actions(**{"from": "2026-03-09", "to": "2026-03-09"}) == ["test.early"]


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"page": "-1"}, {"page": "abc"}, {"page": "1.5"}, {"page": ""},
    {"page": "99999999999"}, {"per_page": "0"}, {"per_page": "101"},
    {"from": "2026-13-01"}, {"from": "2026-02-30"}, {"from": "10/03/2026"}, {"to": "yesterday"},
    {"from": "2026-03-10", "to": "2026-03-09"}, {"action": ""}, {"action": "a" * 101},
    {"page": ["1", "2"]},
])
def test_bad_parameters_are_400_invalid_parameter(merchant, params):
    assert_error(merchant.api.get(AUDIT, params=params), 400, "invalid_parameter")


def test_unknown_parameters_are_ignored(merchant):
    assert merchant.api.get(AUDIT, params={"sort": "asc", "q": "x"}).status_code == 200


def test_a_tenant_never_sees_another_tenants_rows(merchant, other_merchant, api):
    make_changes(merchant)
    b = other_merchant.api.get(AUDIT).json()
    assert b["total"] == 0 and b["items"] == []
    assert other_merchant.api.get(AUDIT, params={"action": "tenant.update"}).json()["total"] == 0
    assert merchant.tenant_id not in other_merchant.api.get(AUDIT).text
    assert_error(api.get(AUDIT), 401, "unauthenticated")
