"""/api/admin/professionals: CRUD, weekly schedule and exceptions, every validation rule,
assignment to services, audit."""
import pytest

from catalog_support import (PROFESSIONALS, SERVICES, assert_field_error, audit_rows,
                             count_children, create_professional, create_service,
                             professional_body, field_case_ids, random_id, snapshot)
from conftest import psql


def test_create_get_list_patch_archive(merchant):
    api = merchant.api
    body = professional_body(
        description="Medicina general, 10 años de experiencia.",
        photo_url="https://cdn.example.com/ana.jpg",
        email="ana.gomez@example.com",
        timezone="America/Mexico_City",
        schedule=[{"weekday": 3, "start": "14:00", "end": "24:00"},
                  {"weekday": 1, "start": "09:00", "end": "12:00"},
                  {"weekday": 1, "start": "12:00", "end": "15:30"}],   # touching ranges are fine
        exceptions=[{"date": "2027-01-01", "closed": True},
                    {"date": "2026-12-31", "start": "08:00", "end": "10:00"},
                    {"date": "2026-12-31", "start": "10:00", "end": "12:00"}])
    p = api.post(PROFESSIONALS, json=body)
    assert p.status_code == 201, p.text
    p = p.json()
    pid = p["id"]
    assert p["name"] == body["name"] and p["email"] == "ana.gomez@example.com"
    assert p["timezone"] == "America/Mexico_City"
    assert p["calendar"] == {"provider": None, "label": None, "status": "none", "account": None,
                             "last_sync_at": None, "error": None, "needs_reconnect": False,
                             "event_type_id": None}
    assert p["archived"] is False and p["service_ids"] == []
    # stored sorted by day and time
    assert p["schedule"] == [{"weekday": 1, "start": "09:00", "end": "12:00"},
                             {"weekday": 1, "start": "12:00", "end": "15:30"},
                             {"weekday": 3, "start": "14:00", "end": "24:00"}]
    assert p["exceptions"] == [{"date": "2026-12-31", "start": "08:00", "end": "10:00"},
                               {"date": "2026-12-31", "start": "10:00", "end": "12:00"},
                               {"date": "2027-01-01", "closed": True}]
    assert psql("SELECT string_agg(weekday || ':' || start_minute || '-' || end_minute, ','"
                " ORDER BY weekday, start_minute) FROM professional_hours WHERE professional_id = :'p1'",
                pid) == "1:540-720,1:720-930,3:840-1440"
    assert api.get(PROFESSIONALS + "/" + pid).json() == p
    assert [x["id"] for x in api.get(PROFESSIONALS).json()["items"]] == [pid]

    # PATCH without schedule/exceptions keeps them
    r = api.patch(PROFESSIONALS + "/" + pid, json={"name": "Dra. Ana G.", "email": None})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Dra. Ana G." and r.json()["email"] is None
    assert r.json()["schedule"] == p["schedule"] and r.json()["exceptions"] == p["exceptions"]
    # sent: replaced
    r = api.patch(PROFESSIONALS + "/" + pid, json={
        "schedule": [{"weekday": 7, "start": "00:00", "end": "24:00"}], "exceptions": []})
    assert r.json()["schedule"] == [{"weekday": 7, "start": "00:00", "end": "24:00"}]
    assert r.json()["exceptions"] == []
    assert count_children("professional_exceptions", merchant.tenant_id) == 0

    assert api.delete(PROFESSIONALS + "/" + pid).status_code == 204
    assert api.get(PROFESSIONALS).json()["items"] == []
    listed = api.get(PROFESSIONALS, params={"include_archived": "true"}).json()["items"]
    assert [x["id"] for x in listed] == [pid] and listed[0]["archived"] is True
    assert api.get(PROFESSIONALS + "/" + pid).json()["archived"] is True
    assert psql("SELECT count(*) FROM professional_hours WHERE professional_id = :'p1'", pid) == "1"
    r = api.patch(PROFESSIONALS + "/" + pid, json={"name": "Otra"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "professional_archived"
    assert api.delete(PROFESSIONALS + "/" + pid).status_code == 204


def test_timezone_defaults_to_the_tenants(merchant):
    p = create_professional(merchant)
    assert p["timezone"] == psql("SELECT timezone FROM tenants WHERE id = :'p1'", merchant.tenant_id)
    psql("UPDATE tenants SET timezone = 'Europe/Madrid' WHERE id = :'p1'", merchant.tenant_id)
    assert create_professional(merchant)["timezone"] == "Europe/Madrid"


def test_minimal_professional(merchant):
    p = create_professional(merchant, schedule=[])
    assert p["schedule"] == [] and p["exceptions"] == [] and p["description"] is None
    r = merchant.api.post(PROFESSIONALS, json={"name": "Li"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Li" and r.json()["schedule"] == []


def day(weekday, start, end):
    return {"weekday": weekday, "start": start, "end": end}


BAD_FIELDS = [
    ({"name": "A"}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"name": None}, "name"),
    ({"name": 7}, "name"),
    ({"description": "d" * 2001}, "description"),
    ({"description": ["x"]}, "description"),
    ({"photo_url": "ftp://example.com/a.jpg"}, "photo_url"),
    ({"photo_url": "//example.com/a.jpg"}, "photo_url"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "ana@"}, "email"),
    ({"email": "ana@@example.com"}, "email"),
    ({"email": "a" * 64 + "@" + "b" * 180 + ".example.com"}, "email"),
    ({"email": 5}, "email"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"timezone": "america/bogota x"}, "timezone"),
    ({"timezone": None}, "timezone"),
    ({"timezone": -5}, "timezone"),
    ({"service_ids": "all"}, "service_ids"),
    ({"service_ids": ["nope"]}, "service_ids[0]"),
    ({"service_ids": [random_id()]}, "service_ids[0]"),
    ({"schedule": "weekdays"}, "schedule"),
    ({"schedule": ["monday"]}, "schedule[0]"),
    ({"schedule": [day(0, "09:00", "10:00")]}, "schedule[0].weekday"),
    ({"schedule": [day(8, "09:00", "10:00")]}, "schedule[0].weekday"),
    ({"schedule": [day("1", "09:00", "10:00")]}, "schedule[0].weekday"),
    ({"schedule": [day(1.5, "09:00", "10:00")]}, "schedule[0].weekday"),
    ({"schedule": [{"start": "09:00", "end": "10:00"}]}, "schedule[0].weekday"),
    ({"schedule": [day(1, "9:00", "10:00")]}, "schedule[0].start"),
    ({"schedule": [day(1, "24:00", "24:00")]}, "schedule[0].start"),
    ({"schedule": [day(1, "12:60", "13:00")]}, "schedule[0].start"),
    ({"schedule": [day(1, 900, "13:00")]}, "schedule[0].start"),
    ({"schedule": [{"weekday": 1, "end": "13:00"}]}, "schedule[0].start"),
    ({"schedule": [day(1, "09:00", "25:00")]}, "schedule[0].end"),
    ({"schedule": [day(1, "09:00", "24:01")]}, "schedule[0].end"),
    ({"schedule": [day(1, "09:00", "09:00")]}, "schedule[0].end"),
    ({"schedule": [day(1, "10:00", "09:00")]}, "schedule[0].end"),
    ({"schedule": [day(1, "09:00", "00:00")]}, "schedule[0].end"),
    ({"schedule": [day(1, "20:00", "02:00")]}, "schedule[0].end"),    # across midnight: two ranges
    ({"schedule": [day(1, "09:00", "13:00"), day(2, "09:00", "13:00"), day(1, "12:59", "14:00")]},
     "schedule[2]"),
    ({"schedule": [day(5, "09:00", "18:00"), day(5, "10:00", "11:00")]}, "schedule[1]"),
    ({"schedule": [day(5, "09:00", "18:00"), day(5, "09:00", "18:00")]}, "schedule[1]"),
    ({"schedule": [day(1, "09:00", "10:00")] * 101}, "schedule"),
    ({"exceptions": {"date": "2026-12-24"}}, "exceptions"),
    ({"exceptions": [{"date": "2026-02-30", "closed": True}]}, "exceptions[0].date"),
    ({"exceptions": [{"date": "2026/12/24", "closed": True}]}, "exceptions[0].date"),
    ({"exceptions": [{"date": "24-12-2026", "closed": True}]}, "exceptions[0].date"),
    ({"exceptions": [{"closed": True}]}, "exceptions[0].date"),
    ({"exceptions": [{"date": "2026-12-24", "closed": "yes"}]}, "exceptions[0].closed"),
    ({"exceptions": [{"date": "2026-12-24", "closed": True, "start": "09:00", "end": "10:00"}]},
     "exceptions[0]"),
    ({"exceptions": [{"date": "2026-12-24"}]}, "exceptions[0].start"),
    ({"exceptions": [{"date": "2026-12-24", "start": "09:00", "end": "08:00"}]}, "exceptions[0].end"),
    ({"exceptions": [{"date": "2026-12-24", "closed": True},
                     {"date": "2026-12-24", "start": "09:00", "end": "10:00"}]}, "exceptions[1]"),
    ({"exceptions": [{"date": "2026-12-24", "start": "09:00", "end": "10:00"},
                     {"date": "2026-12-24", "closed": True}]}, "exceptions[1]"),
    ({"exceptions": [{"date": "2026-12-24", "start": "09:00", "end": "11:00"},
                     {"date": "2026-12-25", "start": "09:00", "end": "11:00"},
                     {"date": "2026-12-24", "start": "10:00", "end": "12:00"}]}, "exceptions[2]"),
]


@pytest.mark.parametrize("change,key", BAD_FIELDS, ids=field_case_ids(BAD_FIELDS))
def test_each_bad_field_is_refused_and_nothing_written(merchant, change, key):
    before = snapshot(merchant.tenant_id)
    assert_field_error(merchant.api.post(PROFESSIONALS, json=professional_body(**change)), key)
    assert snapshot(merchant.tenant_id) == before
    p = create_professional(merchant)
    before = snapshot(merchant.tenant_id)
    assert_field_error(merchant.api.patch(PROFESSIONALS + "/" + p["id"], json=change), key)
    assert merchant.api.get(PROFESSIONALS + "/" + p["id"]).json() == p
    assert snapshot(merchant.tenant_id) == before


def test_overlap_message_names_the_range(merchant):
    body = professional_body(schedule=[day(2, "08:00", "12:00"), day(2, "11:00", "13:00")])
    r = merchant.api.post(PROFESSIONALS, json=body, headers={"Accept-Language": "en"})
    fields = assert_field_error(r, "schedule[1]")
    assert fields == {"schedule[1]": "Overlaps another range of the same day."}
    fields = assert_field_error(merchant.api.post(PROFESSIONALS, json=body), "schedule[1]")
    assert fields["schedule[1]"] == "Se cruza con otro horario del mismo día."


def test_all_errors_at_once(merchant):
    body = {"name": "", "email": "x", "timezone": "Nowhere/City",
            "schedule": [day(9, "9", "10:00"), day(1, "10:00", "11:00"), day(1, "10:30", "12:00")],
            "exceptions": [{"date": "2026-13-01", "closed": True}]}
    fields = assert_field_error(merchant.api.post(PROFESSIONALS, json=body), "name")
    assert set(fields) == {"name", "email", "timezone", "schedule[0].weekday", "schedule[0].start",
                           "schedule[2]", "exceptions[0].date"}


def test_service_ids_assign_services(merchant):
    a = create_service(merchant, name="Consulta A")
    b = create_service(merchant, name="Consulta B")
    p = create_professional(merchant, service_ids=[a["id"], b["id"]])
    assert sorted(p["service_ids"]) == sorted([a["id"], b["id"]])
    assert merchant.api.get(SERVICES + "/" + a["id"]).json()["professional_ids"] == [p["id"]]
    r = merchant.api.patch(PROFESSIONALS + "/" + p["id"], json={"service_ids": [b["id"]]})
    assert r.json()["service_ids"] == [b["id"]]
    assert merchant.api.get(SERVICES + "/" + a["id"]).json()["professional_ids"] == []
    # archived services cannot be assigned, and archived ones drop out of service_ids
    merchant.api.delete(SERVICES + "/" + b["id"])
    assert merchant.api.get(PROFESSIONALS + "/" + p["id"]).json()["service_ids"] == []
    r = merchant.api.patch(PROFESSIONALS + "/" + p["id"], json={"service_ids": [a["id"], b["id"]]})
    assert_field_error(r, "service_ids[1]")


def test_writes_are_audited_with_the_fields_sent(merchant):
    p = create_professional(merchant)
    merchant.api.patch(PROFESSIONALS + "/" + p["id"], json={"timezone": "Europe/Lisbon"})
    merchant.api.delete(PROFESSIONALS + "/" + p["id"])
    rows = audit_rows(merchant.tenant_id, p["id"])
    assert [r[0] for r in rows] == ["professional.create", "professional.update",
                                    "professional.archive"]
    assert rows[0][2] == professional_body()
    assert rows[1][2] == {"timezone": "Europe/Lisbon"}
    assert all(r[1] == merchant.user_id and r[3] == "professional" for r in rows)
