"""Bad input to the account endpoints: each answers API.md's error with field messages in
the request's locale, and writes nothing (weak password, taken email, malformed
JSON, wrong types, over-long strings)."""
import pytest

from accounts_support import client, counts, error_code, new_email, register  # noqa: F401

GOOD = {"email": "someone@example.com", "password": "correct horse battery",
        "business_name": "Clínica Sur"}


def body_with(**changes):
    body = dict(GOOD, email=new_email())
    for k, v in changes.items():
        if v is ...:
            body.pop(k)
        else:
            body[k] = v
    return body


@pytest.mark.parametrize("changes, field, message", [
    ({"password": "123456789"}, "password", "La contraseña debe tener al menos 10 caracteres."),
    ({"password": "ñ" * 9}, "password", "La contraseña debe tener al menos 10 caracteres."),
    ({"password": "x" * 129}, "password", "La contraseña no puede tener más de 128 caracteres."),
    ({"email": "no-at-sign"}, "email", "No es un correo electrónico válido."),
    ({"email": "two@@example.com"}, "email", "No es un correo electrónico válido."),
    ({"email": "dots..twice@example.com"}, "email", "No es un correo electrónico válido."),
    ({"email": "l" * 64 + "@" + "d" * 186 + ".com"}, "email",
     "El correo no puede tener más de 254 caracteres."),
    ({"business_name": "A"}, "business_name",
     "El nombre del negocio debe tener entre 2 y 100 caracteres."),
    ({"business_name": "   B   "}, "business_name",
     "El nombre del negocio debe tener entre 2 y 100 caracteres."),
    ({"business_name": "N" * 101}, "business_name",
     "El nombre del negocio debe tener entre 2 y 100 caracteres."),
    ({"business_name": "Two\nlines"}, "business_name",
     "El nombre del negocio no puede contener saltos de línea ni caracteres de control."),
    ({"email": ...}, "email", "Este campo es obligatorio."),
    ({"password": None}, "password", "Este campo es obligatorio."),
    ({"business_name": 42}, "business_name", "Este campo debe ser un texto."),
    ({"email": ["a@example.com"]}, "email", "Este campo debe ser un texto."),
    ({"password": {"value": "correct horse"}}, "password", "Este campo debe ser un texto."),
])
def test_register_refuses_each_bad_field(client, changes, field, message):
    before = counts()
    r = client.post("/api/auth/register", json=body_with(**changes))
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_failed"
    assert err["fields"] == {field: message}
    assert counts() == before


def test_password_equal_to_the_email_is_refused(client):
    email = new_email()
    r = client.post("/api/auth/register", json=body_with(email=email, password=email.upper()))
    assert r.status_code == 400
    assert r.json()["error"]["fields"] == {"password": "La contraseña no puede ser igual a tu correo."}


def test_field_errors_in_english_and_all_at_once(client):
    before = counts()
    r = client.post("/api/auth/register", headers={"Accept-Language": "en-US,en;q=0.9"},
                    json={"email": 7, "password": "short"})
    assert r.status_code == 400
    assert r.headers["Content-Language"] == "en"
    assert r.json()["error"] == {
        "code": "validation_failed", "message": "Some fields are not valid.",
        "fields": {"email": "This field must be a string.",
                   "password": "The password must have at least 10 characters.",
                   "business_name": "This field is required."}}
    assert counts() == before


@pytest.mark.parametrize("path", ["/api/auth/register", "/api/auth/login",
                                  "/api/auth/verify-email", "/api/auth/forgot-password",
                                  "/api/auth/reset-password"])
def test_malformed_json_and_wrong_media_type(client, path):
    before = counts()
    r = client.post(path, data=b'{"email": "a@example.com",', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "malformed_json"
    r = client.post(path, data=b'["not", "an", "object"]', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "malformed_json"
    r = client.post(path, data=b'{"email": "\xff@example.com"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "malformed_json"
    r = client.post(path, data="email=a@example.com", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    assert counts() == before


@pytest.mark.parametrize("path, body, fields", [
    ("/api/auth/login", {"email": 1, "password": "x" * 12},
     {"email": "Este campo debe ser un texto."}),
    ("/api/auth/login", {"email": "a@example.com"}, {"password": "Este campo es obligatorio."}),
    ("/api/auth/verify-email", {"token": 123}, {"token": "Este campo debe ser un texto."}),
    ("/api/auth/verify-email", {}, {"token": "Este campo es obligatorio."}),
    ("/api/auth/forgot-password", {"email": "nope"}, {"email": "No es un correo electrónico válido."}),
    ("/api/auth/forgot-password", {"email": None}, {"email": "Este campo es obligatorio."}),
    ("/api/auth/reset-password", {"token": "t" * 43, "password": False},
     {"password": "Este campo debe ser un texto."}),
    ("/api/auth/reset-password", {"password": "correct horse battery"},
     {"token": "Este campo es obligatorio."}),
])
def test_other_endpoints_refuse_wrong_types_and_missing_fields(client, path, body, fields):
    before = counts()
    r = client.post(path, json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "validation_failed"
    assert r.json()["error"]["fields"] == fields
    assert counts() == before


def test_taken_email_is_409_in_any_letter_case_and_writes_nothing(merchant, client):
    before = counts()
    r = client.post("/api/auth/register", json=body_with(email=merchant.email.upper()))
    assert r.status_code == 409 and error_code(r) == "email_taken"
    assert r.json()["error"]["message"] == "Ya existe una cuenta con ese correo."
    assert counts() == before


def test_unknown_fields_are_ignored(client):
    email = new_email()
    r = client.post("/api/auth/register", json=body_with(email=email, plan="gold", admin=True))
    assert r.status_code == 201, r.text
    assert r.json()["user"]["email"] == email
