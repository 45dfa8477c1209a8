"""Helpers of the catalog e2e tests (tests/e2e/test_catalog_*.py): valid bodies, creation
shortcuts that assert success, and database probes (row counts, audit rows)."""
import copy
import json
import re
import uuid

from conftest import psql

SERVICES = "/api/admin/services"
PROFESSIONALS = "/api/admin/professionals"
LINKS = "/api/admin/links"


def service_body(**changes):
    body = {
        "name": "Consulta general",
        "description": "Consulta médica general de treinta minutos.",
        "duration_minutes": 30,
        "price": {"amount": 12000000, "currency": "COP"},
        "charge_type": "total",
    }
    body.update(copy.deepcopy(changes))
    return body


def professional_body(**changes):
    body = {
        "name": "Dra. Ana Gómez",
        "schedule": [{"weekday": 1, "start": "09:00", "end": "13:00"},
                     {"weekday": 1, "start": "14:00", "end": "18:00"}],
    }
    body.update(copy.deepcopy(changes))
    return body


def link_body(**changes):
    body = {"name": "Reservas web"}
    body.update(copy.deepcopy(changes))
    return body


def create(merchant, path, body):
    r = merchant.api.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def create_service(merchant, **changes):
    return create(merchant, SERVICES, service_body(**changes))


def create_professional(merchant, **changes):
    return create(merchant, PROFESSIONALS, professional_body(**changes))


def create_link(merchant, **changes):
    return create(merchant, LINKS, link_body(**changes))


def count(table, tenant_id):
    return int(psql("SELECT count(*) FROM %s WHERE tenant_id = :'p1'" % table, tenant_id))


def count_children(table, tenant_id):
    """Rows of professional_hours / professional_exceptions of the tenant's professionals."""
    return int(psql("SELECT count(*) FROM %s c JOIN professionals p ON p.id = c.professional_id"
                    " WHERE p.tenant_id = :'p1'" % table, tenant_id))


SNAPSHOT_TABLES = ("services", "professionals", "booking_links", "service_professionals",
                   "audit_log")
SNAPSHOT_CHILDREN = ("professional_hours", "professional_exceptions")


def snapshot(tenant_id):
    """Row counts of every catalog table of a tenant (and its audit rows), in one query: a
    failed request must leave all of them as they were."""
    parts = ["(SELECT count(*) FROM %s WHERE tenant_id = :'p1')" % t for t in SNAPSHOT_TABLES]
    parts += ["(SELECT count(*) FROM %s c JOIN professionals p ON p.id = c.professional_id"
              " WHERE p.tenant_id = :'p1')" % t for t in SNAPSHOT_CHILDREN]
    counts = psql("SELECT " + " || ',' || ".join(parts), tenant_id).split(",")
    return dict(zip(SNAPSHOT_TABLES + SNAPSHOT_CHILDREN, map(int, counts)))


def audit_rows(tenant_id, entity_id):
    """[(action, user_id, changes dict)] of an entity, oldest first."""
    out = psql("SELECT json_agg(json_build_array(action, user_id, changes, entity_type)"
               " ORDER BY id) FROM audit_log WHERE tenant_id = :'p1' AND entity_id = :'p2'",
               tenant_id, entity_id)
    return [tuple(row) for row in json.loads(out or "null") or []]


def random_id():
    return str(uuid.uuid4())


def field_case_ids(cases):
    """Test ids of (change, key) cases, the same in every process that collects them
    (pytest-xdist compares its workers' collections): random uuids are masked."""
    uuid_re = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    return [k + ":" + uuid_re.sub("<id>", repr(c))[:40] for c, k in cases]


def assert_field_error(r, key):
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_failed", err
    assert key in err["fields"], err["fields"]
    assert err["fields"][key], err["fields"]
    return err["fields"]
