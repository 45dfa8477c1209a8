"""Callback secret and Wompi keys (API.md "Admin API"): shown once / never returned, stored
sealed (no plain text in a dump of the database nor in the error log), last 4 characters
only, key prefixes per mode, "test connection" against the Wompi fake."""
import json

import pytest

from conftest import psql
from tenant_helpers import (assert_error, audit_rows, dump_database, error_log_text,
                            open_sealed, payment_row, tenant_row, wompi_keys)

TENANT = "/api/admin/tenant"
SECRET = "/api/admin/tenant/callback-secret"
WOMPI = "/api/admin/tenant/payments/wompi"
WOMPI_TEST = "/api/admin/tenant/payments/wompi/test"
EN = {"Accept-Language": "en"}


# ---------------------------------------------------------------- callback secret

def other_tenant_aad(tenant_id):
    return tenant_id[:-1] + ("0" if tenant_id[-1] != "0" else "1")


def test_callback_secret_is_shown_once_and_rotates(merchant):
    r = merchant.api.post(SECRET)
    assert r.status_code == 201, r.text
    first = r.json()["secret"]
    assert len(first) >= 43            # 256 bits in base64url
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    sealed_first = tenant_row(merchant.tenant_id)["callback_secret_sealed"]
    assert sealed_first.startswith("v1.") and first not in sealed_first

    view = merchant.api.get(TENANT)
    assert first not in view.text
    shown = view.json()["tenant"]["callback_secret"]
    assert shown["configured"] is True and shown["set_at"].endswith("Z")

    second = merchant.api.post(SECRET).json()["secret"]
    assert second != first
    sealed_second = tenant_row(merchant.tenant_id)["callback_secret_sealed"]
    assert sealed_second != sealed_first
    # what is stored opens (with the tenant id as aad) to the newest secret only
    opened = open_sealed(sealed_second, merchant.tenant_id)
    if opened is not None:               # (python3-cryptography installed)
        assert opened == second != first
        with pytest.raises(Exception):   # bound to this tenant: another aad fails
            open_sealed(sealed_second, other_tenant_aad(merchant.tenant_id))

    rows = [a for a in audit_rows(merchant.tenant_id) if a["action"] == "tenant.callback_secret.rotate"]
    assert [a["changes"] for a in rows] == [{"callback_secret": "[redacted]", "replaced": False},
                                            {"callback_secret": "[redacted]", "replaced": True}]


def test_callback_secret_needs_csrf_and_belongs_to_the_session_tenant(api, merchant, other_merchant):
    assert_error(api.post(SECRET), 401, "unauthenticated")
    assert_error(merchant.api.post(SECRET, headers={"X-CSRF-Token": "nope"}), 403, "csrf_failed")
    assert tenant_row(merchant.tenant_id)["callback_secret_sealed"] is None
    assert other_merchant.api.post(SECRET).status_code == 201
    assert tenant_row(merchant.tenant_id)["callback_secret_sealed"] is None
    assert merchant.api.get(TENANT).json()["tenant"]["callback_secret"]["configured"] is False


# ---------------------------------------------------------------- Wompi keys

def test_wompi_keys_are_sealed_and_only_their_last_4_shown(merchant):
    keys = wompi_keys("test")
    r = merchant.api.put(WOMPI, json=keys)
    assert r.status_code == 200, r.text
    w = r.json()["payments"]["wompi"]
    assert w["configured"] is True and w["mode"] == "test"
    assert w["public_key"] == keys["public_key"]
    assert w["private_key_last4"] == keys["private_key"][-4:]
    assert w["events_secret_last4"] == keys["events_secret"][-4:]
    assert w["integrity_secret_last4"] == keys["integrity_secret"][-4:]
    view = merchant.api.get(TENANT)
    assert view.json()["tenant"]["payments"]["wompi"] == w
    for name in ("private_key", "events_secret", "integrity_secret"):
        assert keys[name] not in r.text and keys[name] not in view.text

    row = payment_row(merchant.tenant_id)
    assert row["secrets_sealed"].startswith("v1.")
    opened = open_sealed(row["secrets_sealed"], "tenant:%s:wompi" % merchant.tenant_id)
    if opened is not None:
        assert json.loads(opened) == {k: keys[k] for k in ("private_key", "events_secret",
                                                           "integrity_secret")}

    audit = [a for a in audit_rows(merchant.tenant_id) if a["action"] == "tenant.payments.wompi.update"]
    assert audit[0]["changes"] == {"mode": "test", "public_key": keys["public_key"],
                                   "private_key": "[redacted]", "events_secret": "[redacted]",
                                   "integrity_secret": "[redacted]"}


def test_no_secret_in_plain_text_in_the_database_nor_in_the_error_log(merchant, fakes, allow_log):
    allow_log(r"answered 502 provider_error")
    keys = wompi_keys("production")
    callback_secret = merchant.api.post(SECRET).json()["secret"]
    assert merchant.api.put(WOMPI, json=keys).status_code == 200
    # a refused PUT and a failed test connection must not leak them either
    bad = dict(keys, mode="test")
    assert merchant.api.put(WOMPI, json=bad).status_code == 400
    assert merchant.api.post(WOMPI_TEST).status_code == 502        # the fake does not know it
    fakes.config("wompi", merchants={keys["public_key"]: {"name": "Acme"}})
    assert merchant.api.post(WOMPI_TEST).status_code == 200
    dump = dump_database()
    assert merchant.tenant_id in dump                 # the dump does hold this tenant's rows
    log = error_log_text()
    for secret in (callback_secret, keys["private_key"], keys["events_secret"],
                   keys["integrity_secret"]):
        assert secret not in dump
        assert secret not in log
    # the fake saw the public key only
    sent = fakes.requests("wompi")
    assert sent and all(keys["private_key"] not in str(req) for req in sent)


MODE_CASES = [
    # (mode, field, value, message prefix in English)
    ("test", "public_key", "pub_prod_abcdefgh12345678", "Must start with pub_test_"),
    ("test", "private_key", "prv_prod_abcdefgh12345678", "Must start with prv_test_"),
    ("test", "events_secret", "prod_events_abcdefgh1234", "Must start with test_events_"),
    ("test", "integrity_secret", "prod_integrity_abcdefgh12", "Must start with test_integrity_"),
    ("production", "public_key", "pub_test_abcdefgh12345678", "Must start with pub_test_"),
    ("production", "private_key", "prv_test_abcdefgh12345678", "Must start with prv_test_"),
    ("production", "events_secret", "test_events_abcdefgh1234", "Must start with test_events_"),
    ("production", "integrity_secret", "test_integrity_abcdefgh12", "Must start with test_integrity_"),
    ("test", "private_key", "pub_test_abcdefgh12345678", "Must start with prv_test_"),
    ("test", "public_key", "pub_test_short", "After the prefix"),
    ("test", "public_key", "pub_test_abc def ghi jkl", "After the prefix"),
    ("test", "public_key", "pub_test_" + "a" * 201, "After the prefix"),
]


@pytest.mark.parametrize("mode,field,value,message", MODE_CASES)
def test_wompi_key_prefixes_per_mode(merchant, mode, field, value, message):
    keys = wompi_keys(mode)
    keys[field] = value
    err = assert_error(merchant.api.put(WOMPI, json=keys, headers=EN), 400, "validation_failed")
    assert list(err["fields"]) == [field]
    assert err["fields"][field].startswith(message)
    assert payment_row(merchant.tenant_id) is None
    assert audit_rows(merchant.tenant_id) == []


def test_wompi_put_needs_every_field_with_the_right_type(merchant):
    err = assert_error(merchant.api.put(WOMPI, json={}), 400, "validation_failed")
    assert set(err["fields"]) == {"mode", "public_key", "private_key", "events_secret",
                                  "integrity_secret"}
    keys = wompi_keys()
    keys.update(mode="sandbox", private_key=12345, events_secret=None)
    err = assert_error(merchant.api.put(WOMPI, json=keys, headers=EN), 400, "validation_failed")
    assert err["fields"] == {"mode": "Must be test or production.",
                             "private_key": "Must be a string.",
                             "events_secret": "This field is required and cannot be null."}
    assert_error(merchant.api.put(WOMPI, data=b"{", headers={"Content-Type": "application/json"}),
                 400, "malformed_json")
    assert payment_row(merchant.tenant_id) is None


def test_wompi_put_replaces_the_keys(merchant):
    first, second = wompi_keys("test"), wompi_keys("production")
    assert merchant.api.put(WOMPI, json=first).status_code == 200
    r = merchant.api.put(WOMPI, json=second)
    assert r.status_code == 200
    w = r.json()["payments"]["wompi"]
    assert w["mode"] == "production" and w["public_key"] == second["public_key"]
    assert w["private_key_last4"] == second["private_key"][-4:]
    assert int(psql("SELECT count(*) FROM tenant_payment_settings WHERE tenant_id = :'p1'",
                    merchant.tenant_id)) == 1


def test_wompi_keys_are_per_tenant(merchant, other_merchant):
    keys = wompi_keys()
    assert merchant.api.put(WOMPI, json=keys).status_code == 200
    b = other_merchant.api.get(TENANT)
    assert b.json()["tenant"]["payments"]["wompi"]["configured"] is False
    assert keys["public_key"] not in b.text
    assert_error(other_merchant.api.post(WOMPI_TEST), 409, "wompi_not_configured")


# ---------------------------------------------------------------- test connection

def test_wompi_test_connection_ok(merchant, fakes):
    keys = wompi_keys("test")
    fakes.config("wompi", merchants={keys["public_key"]: {"id": 4321, "name": "Clínica Acme SAS"}})
    assert merchant.api.put(WOMPI, json=keys).status_code == 200
    r = merchant.api.post(WOMPI_TEST)
    assert r.status_code == 200, r.text
    assert r.json()["ok"] is True and r.json()["merchant_name"] == "Clínica Acme SAS"
    sent = fakes.requests("wompi")
    assert len(sent) == 1
    assert sent[0]["method"] == "GET" and sent[0]["path"] == "/wompi/v1/merchants/" + keys["public_key"]
    # not a state change: no audit row for the test itself
    assert [a["action"] for a in audit_rows(merchant.tenant_id)] == ["tenant.payments.wompi.update"]


def test_wompi_test_connection_unknown_key_is_502(merchant, fakes, allow_log):
    allow_log(r"answered 502 provider_error")
    assert merchant.api.put(WOMPI, json=wompi_keys("test")).status_code == 200
    assert_error(merchant.api.post(WOMPI_TEST), 502, "provider_error")
    fakes.config("wompi", status=500)
    assert_error(merchant.api.post(WOMPI_TEST), 502, "provider_error")


def test_wompi_test_connection_without_keys_or_csrf(merchant):
    assert_error(merchant.api.post(WOMPI_TEST), 409, "wompi_not_configured")
    assert_error(merchant.api.post(WOMPI_TEST, headers={"X-CSRF-Token": "x"}), 403, "csrf_failed")
    assert_error(merchant.api.put(WOMPI, json=wompi_keys(), headers={"X-CSRF-Token": "x"}),
                 403, "csrf_failed")
    assert payment_row(merchant.tenant_id) is None
