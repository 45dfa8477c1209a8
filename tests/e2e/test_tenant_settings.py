"""GET|PATCH /api/admin/tenant (API.md "Admin API"): every field's validation, 400 with
field errors and nothing written, subdomain uniqueness across tenants, null clearing the
optional URLs, sessions scoped to their own tenant, and the audit row of each change."""
import pytest

from conftest import render_conf, start_extra_httpd
from tenant_helpers import assert_error, audit_rows, tenant_row

TENANT = "/api/admin/tenant"
EN = {"Accept-Language": "en"}


def test_get_shows_settings_and_read_only_fields(merchant):
    r = merchant.api.get(TENANT)
    assert r.status_code == 200, r.text
    t = r.json()["tenant"]
    assert t["id"] == merchant.tenant_id
    assert t["name"] == "Clínica Prueba"
    assert (t["timezone"], t["locale"], t["country"], t["currency"]) == ("America/Bogota", "es", "CO", "COP")
    assert (t["primary_color"], t["secondary_color"]) == ("#3B82F6", "#10B981")
    for field in ("subdomain", "logo_url", "callback_url", "return_url", "terms_url"):
        assert t[field] is None
    assert t["callback_secret"] == {"configured": False, "set_at": None}
    assert t["payments"]["wompi"]["configured"] is False


def test_patch_changes_only_the_fields_sent(merchant):
    sub = "acme-%s" % merchant.tenant_id[:8]
    before = tenant_row(merchant.tenant_id)
    r = merchant.api.patch(TENANT, json={
        "name": "  Acme Salud  ", "subdomain": sub, "timezone": "America/Mexico_City",
        "locale": "en", "country": "MX", "primary_color": "#112233",
        "secondary_color": "#abcdef", "callback_url": "https://acme.example/hooks/konfirmado",
        "return_url": "https://acme.example/gracias", "terms_url": "https://acme.example/terminos",
        "logo_url": "https://cdn.acme.example/logo.png", "id": "x"})
    assert r.status_code == 200, r.text
    t = r.json()["tenant"]
    assert t["name"] == "Acme Salud"           # stored trimmed
    assert t["subdomain"] == sub and t["country"] == "MX" and t["locale"] == "en"
    assert t["callback_url"] == "https://acme.example/hooks/konfirmado"
    assert t["currency"] == "COP"                # not sent: unchanged (test_money_currencies.py)
    assert t["id"] == merchant.tenant_id         # read-only: ignored
    after = tenant_row(merchant.tenant_id)
    assert after["timezone"] == "America/Mexico_City" and after["secondary_color"] == "#abcdef"
    assert after["created_at"] == before["created_at"]

    # a second PATCH with one field leaves every other one as it was
    r = merchant.api.patch(TENANT, json={"primary_color": "#000000"})
    assert r.status_code == 200, r.text
    again = tenant_row(merchant.tenant_id)
    assert again["primary_color"] == "#000000"
    assert {k: v for k, v in again.items() if k not in ("primary_color", "updated_at")} == \
           {k: v for k, v in after.items() if k not in ("primary_color", "updated_at")}
    assert merchant.api.get(TENANT).json()["tenant"]["primary_color"] == "#000000"


def test_null_clears_optional_urls_and_subdomain(merchant):
    urls = {"callback_url": "https://a.example/cb", "return_url": "https://a.example/ok",
            "terms_url": "https://a.example/terms", "logo_url": "https://a.example/l.png",
            "subdomain": "clear-%s" % merchant.tenant_id[:8]}
    assert merchant.api.patch(TENANT, json=urls).status_code == 200
    r = merchant.api.patch(TENANT, json={k: None for k in urls})
    assert r.status_code == 200, r.text
    row = tenant_row(merchant.tenant_id)
    for k in urls:
        assert row[k] is None and r.json()["tenant"][k] is None


def test_the_business_phone_is_set_shown_and_cleared(merchant):
    r = merchant.api.patch(TENANT, json={"contact_phone": "+576015550123"})
    assert r.status_code == 200, r.text
    assert r.json()["tenant"]["contact_phone"] == "+576015550123"
    assert tenant_row(merchant.tenant_id)["contact_phone"] == "+576015550123"
    assert merchant.api.get(TENANT).json()["tenant"]["contact_phone"] == "+576015550123"
    r = merchant.api.patch(TENANT, json={"contact_phone": None})
    assert r.status_code == 200 and r.json()["tenant"]["contact_phone"] is None
    err = assert_error(merchant.api.patch(TENANT, json={"contact_phone": "601 555 0123"}, headers=EN),
                       400, "validation_failed")
    assert err["fields"] == {"contact_phone": "Must be a phone number with its country code, for example +573001234567."}


BAD_VALUES = [
    ("name", "x"), ("name", "  y  "), ("name", "n" * 101), ("name", "two\nlines"),
    ("subdomain", "ab"), ("subdomain", "a" * 64), ("subdomain", "Acme"), ("subdomain", "ac_me"),
    ("subdomain", "-acme"), ("subdomain", "acme-"), ("subdomain", "acmé"),
    ("subdomain", "www"), ("subdomain", "api"), ("subdomain", "admin"), ("subdomain", "app"),
    ("subdomain", "mail"),
    ("timezone", "Mars/Olympus_Mons"), ("timezone", "America/Bogota; DROP TABLE tenants"),
    ("timezone", ""), ("timezone", "EST5EDT'"),
    ("locale", "fr"), ("locale", "ES"), ("locale", "es-CO"),
    ("country", "XX"), ("country", "co"), ("country", "COL"), ("country", "UK"),
    ("primary_color", "#12345"), ("primary_color", "blue"), ("secondary_color", "#GGGGGG"),
    ("secondary_color", "112233"),
    ("callback_url", "ftp://acme.example/"), ("callback_url", "javascript:alert(1)"),
    ("return_url", "https://"), ("terms_url", "https://acme.example/a b"),
    ("logo_url", "https://user:pw@acme.example/"),
    ("callback_url", "https://acme.example/" + "p" * 2048),
    ("contact_phone", "300 123 4567"), ("contact_phone", "+57"), ("contact_phone", "+57 300 123 4567"),
]


@pytest.mark.parametrize("field,value", BAD_VALUES)
def test_bad_value_is_400_with_field_error_and_nothing_written(merchant, field, value):
    before = tenant_row(merchant.tenant_id)
    # a good field next to the bad one is not written either
    r = merchant.api.patch(TENANT, json={field: value, "primary_color" if field != "primary_color"
                                         else "secondary_color": "#010203"})
    err = assert_error(r, 400, "validation_failed")
    assert list(err["fields"]) == [field], err
    assert tenant_row(merchant.tenant_id) == before
    assert audit_rows(merchant.tenant_id) == []


@pytest.mark.parametrize("field", ["name", "timezone", "locale", "country", "primary_color",
                                   "secondary_color"])
def test_required_fields_cannot_be_null(merchant, field):
    before = tenant_row(merchant.tenant_id)
    err = assert_error(merchant.api.patch(TENANT, json={field: None}), 400, "validation_failed")
    assert set(err["fields"]) == {field}
    assert tenant_row(merchant.tenant_id) == before


@pytest.mark.parametrize("value", [5, True, ["#112233"], {"hex": "#112233"}, 1.5])
def test_wrong_types_are_field_errors(merchant, value):
    before = tenant_row(merchant.tenant_id)
    err = assert_error(merchant.api.patch(TENANT, json={"primary_color": value, "name": value}),
                       400, "validation_failed")
    assert set(err["fields"]) == {"primary_color", "name"}
    assert tenant_row(merchant.tenant_id) == before


def test_every_bad_field_at_once_in_the_request_locale(merchant):
    body = {"name": "", "subdomain": "A!", "timezone": "Nowhere/Land", "locale": "de",
            "country": "ZZ", "primary_color": "red", "secondary_color": "#12",
            "callback_url": "nope", "return_url": "ftp://x.example/", "terms_url": 7}
    en = assert_error(merchant.api.patch(TENANT, json=body, headers=EN), 400, "validation_failed")
    es = assert_error(merchant.api.patch(TENANT, json=body), 400, "validation_failed")
    assert set(en["fields"]) == set(es["fields"]) == set(body)
    assert en["fields"]["timezone"].startswith("Unknown time zone")
    assert es["fields"]["timezone"].startswith("Zona horaria desconocida")
    assert en["fields"]["primary_color"] == "Must be a #RRGGBB color."
    assert es["fields"]["primary_color"] == "Debe ser un color #RRGGBB."
    assert en["message"] != es["message"]


def test_time_zones_are_the_ones_postgresql_knows(merchant):
    for zone in ("Asia/Kathmandu", "UTC", "Europe/Madrid", "America/Argentina/Buenos_Aires"):
        r = merchant.api.patch(TENANT, json={"timezone": zone})
        assert r.status_code == 200, (zone, r.text)
        assert tenant_row(merchant.tenant_id)["timezone"] == zone


def test_subdomain_taken_across_tenants(merchant, other_merchant):
    sub = "taken-%s" % merchant.tenant_id[:8]
    assert merchant.api.patch(TENANT, json={"subdomain": sub}).status_code == 200
    before = tenant_row(other_merchant.tenant_id)
    r = other_merchant.api.patch(TENANT, json={"subdomain": sub, "name": "Otra Cosa"})
    assert_error(r, 409, "subdomain_taken")
    assert tenant_row(other_merchant.tenant_id) == before
    # keeping one's own subdomain is no conflict
    r = merchant.api.patch(TENANT, json={"subdomain": sub, "name": "Acme Dos"})
    assert r.status_code == 200, r.text
    # once released, the other tenant may take it
    assert merchant.api.patch(TENANT, json={"subdomain": None}).status_code == 200
    assert other_merchant.api.patch(TENANT, json={"subdomain": sub}).status_code == 200


def test_each_session_sees_only_its_own_tenant(merchant, other_merchant):
    assert merchant.api.patch(TENANT, json={"name": "Solo de A",
                                            "callback_url": "https://a.example/cb"}).status_code == 200
    b = other_merchant.api.get(TENANT).json()["tenant"]
    assert b["id"] == other_merchant.tenant_id and b["name"] == "Otra Empresa"
    assert b["callback_url"] is None
    assert other_merchant.api.patch(TENANT, json={"name": "Solo de B"}).status_code == 200
    assert tenant_row(merchant.tenant_id)["name"] == "Solo de A"


def test_malformed_bodies_write_nothing(merchant):
    before = tenant_row(merchant.tenant_id)
    h = {"Content-Type": "application/json"}
    assert_error(merchant.api.patch(TENANT, data=b'{"name": "Acme"', headers=h), 400, "malformed_json")
    assert_error(merchant.api.patch(TENANT, data=b'["name"]', headers=h), 400, "malformed_json")
    assert_error(merchant.api.patch(TENANT, data=b'{"name": "Ac\xffme"}', headers=h), 400,
                 "malformed_json")
    assert_error(merchant.api.patch(TENANT, data=b'{"name": "A", "name": "B"}', headers=h), 400,
                 "malformed_json")
    assert_error(merchant.api.patch(TENANT, data=b"name=Acme",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"}),
                 415, "unsupported_media_type")
    assert tenant_row(merchant.tenant_id) == before


def test_session_and_csrf_are_required(api, merchant):
    assert_error(api.get(TENANT), 401, "unauthenticated")
    assert_error(api.patch(TENANT, json={"name": "Nadie"}), 401, "unauthenticated")
    no_csrf = merchant.api.patch(TENANT, json={"name": "Sin CSRF"}, headers={"X-CSRF-Token": ""})
    assert_error(no_csrf, 403, "csrf_failed")
    wrong = merchant.api.patch(TENANT, json={"name": "Mal CSRF"}, headers={"X-CSRF-Token": "x" * 43})
    assert_error(wrong, 403, "csrf_failed")
    assert tenant_row(merchant.tenant_id)["name"] == "Clínica Prueba"
    assert_error(merchant.api.delete(TENANT), 405, "method_not_allowed")


def test_each_change_is_audited_and_a_no_op_is_not(merchant):
    r = merchant.api.patch(TENANT, json={"name": "Auditada", "locale": "es",
                                         "terms_url": "https://a.example/t"},
                           headers={"User-Agent": "tenant-e2e/1.0"})
    assert r.status_code == 200
    rows = audit_rows(merchant.tenant_id)
    assert len(rows) == 1
    row = rows[0]
    assert (row["action"], row["entity_type"], row["entity_id"]) == ("tenant.update", "tenant",
                                                                     merchant.tenant_id)
    assert row["user_id"] == merchant.user_id
    # only what changed: the locale was already "es"
    assert row["changes"] == {"name": "Auditada", "terms_url": "https://a.example/t"}
    assert row["ip"] == merchant.api.source_ip and row["user_agent"] == "tenant-e2e/1.0"
    assert merchant.api.patch(TENANT, json={"name": "Auditada"}).status_code == 200
    assert merchant.api.patch(TENANT, json={}).status_code == 200
    assert len(audit_rows(merchant.tenant_id)) == 1


def test_https_is_required_when_insecure_urls_are_off(stack, merchant):
    """The stack allows http:// (KonfirmadoAllowInsecureURLs On); a server without it refuses
    http:// callback, return, terms and logo URLs."""
    conf = render_conf({"KonfirmadoAllowInsecureURLs": "KonfirmadoAllowInsecureURLs Off",
                        "KonfirmadoPublicURL": "KonfirmadoPublicURL https://konfirmado.localhost"},
                       remove=["KonfirmadoProviderURL", "KonfirmadoMailURL"])
    with start_extra_httpd(conf) as extra:
        client = extra.api()
        client.session.cookies.set("kf_session", merchant.session_token)
        client.session.headers["X-CSRF-Token"] = merchant.csrf
        before = tenant_row(merchant.tenant_id)
        for field in ("callback_url", "return_url", "terms_url", "logo_url"):
            err = assert_error(client.patch(TENANT, json={field: "http://acme.example/x"},
                                            headers=EN), 400, "validation_failed")
            assert err["fields"] == {field: "Must be an https:// URL."}
        assert tenant_row(merchant.tenant_id) == before
        r = client.patch(TENANT, json={"callback_url": "https://acme.example/x"})
        assert r.status_code == 200, r.text
