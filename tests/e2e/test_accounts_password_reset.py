"""Forgot / reset password (API.md "Merchant accounts"): 202 whether or not the account
exists, a single-use link valid for one hour mailed only to existing accounts, and a
reset that ends every session of the user."""
import time

from accounts_support import (client, client_from, count_rows, error_code, link_in, login,  # noqa: F401
                              mail_to, new_email, sha256_hex)
from conftest import psql

NEW_PASSWORD = "a brand new passphrase"


def forgot(client, email):
    return client.post("/api/auth/forgot-password", json={"email": email})


def reset_token(client, maildir, email):
    r = forgot(client, email)
    assert r.status_code == 202, r.text
    return link_in(mail_to(maildir, email)[0], "reset-password")[1]


def test_forgot_answers_202_either_way_and_mails_only_existing_accounts(stack, merchant, client,
                                                                       maildir):
    ghost = new_email("ghost")
    tokens_before = count_rows("user_tokens")
    r_ghost = forgot(client, ghost)
    r_real = forgot(client, merchant.email.upper())
    assert r_ghost.status_code == r_real.status_code == 202
    assert r_ghost.json() == r_real.json()
    mail = mail_to(maildir, merchant.email)[0]
    link, token = link_in(mail, "reset-password")
    assert link == "%s/reset-password?token=%s" % (stack["KF_URL"], token)
    # one token, for the real account only, stored as a hash, valid for one hour
    assert count_rows("user_tokens") == tokens_before + 1
    row = psql("SELECT user_id, purpose, round(extract(epoch FROM expires_at - created_at))"
               " FROM user_tokens WHERE token_hash = :'p1'", sha256_hex(token))
    assert row == "%s|reset_password|3600" % merchant.user_id
    time.sleep(1)   # the sink has had time for a second mail, if one had been sent
    assert not [m for m in maildir.new() if ghost in str(m["To"])]


def test_reset_ends_every_session_and_only_the_new_password_works(stack, merchant, client,
                                                                  maildir):
    # two live sessions: the seeded one and a fresh login elsewhere
    other = client_from(stack)
    assert login(other, merchant.email, merchant.password).status_code == 200
    assert merchant.api.get("/api/auth/me").status_code == 200
    assert count_rows("sessions", "user_id = :'p1'", merchant.user_id) == 2

    token = reset_token(client, maildir, merchant.email)
    r = client.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["id"] == merchant.user_id

    assert count_rows("sessions", "user_id = :'p1'", merchant.user_id) == 0
    for api in (merchant.api, other):
        r = api.get("/api/auth/me")
        assert r.status_code == 401 and error_code(r) == "unauthenticated"
    r = login(client, merchant.email, merchant.password)
    assert r.status_code == 401 and error_code(r) == "invalid_credentials"
    assert login(client, merchant.email, NEW_PASSWORD).status_code == 200
    assert psql("SELECT changes->>'password' FROM audit_log WHERE user_id = :'p1'"
                " AND action = 'user.password_reset'", merchant.user_id) == "[redacted]"

    # single use
    r = client.post("/api/auth/reset-password", json={"token": token, "password": "yet another one"})
    assert r.status_code == 400 and error_code(r) == "invalid_token"
    assert login(client, merchant.email, NEW_PASSWORD).status_code == 200


def test_expired_or_unknown_reset_token_changes_nothing(merchant, client, maildir):
    token = reset_token(client, maildir, merchant.email)
    psql("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = :'p1'",
         sha256_hex(token))
    hash_before = psql("SELECT password_hash FROM users WHERE id = :'p1'", merchant.user_id)
    for t in (token, "unknown-" + token[8:]):
        r = client.post("/api/auth/reset-password", json={"token": t, "password": NEW_PASSWORD})
        assert r.status_code == 400 and error_code(r) == "invalid_token"
    assert psql("SELECT password_hash FROM users WHERE id = :'p1'", merchant.user_id) == hash_before
    assert merchant.api.get("/api/auth/me").status_code == 200     # sessions untouched


def test_weak_new_password_is_refused_and_the_link_still_works(merchant, client, maildir):
    token = reset_token(client, maildir, merchant.email)
    for password, message in (("short", "La contraseña debe tener al menos 10 caracteres."),
                              (merchant.email, "La contraseña no puede ser igual a tu correo.")):
        r = client.post("/api/auth/reset-password", json={"token": token, "password": password})
        assert r.status_code == 400
        assert r.json()["error"]["fields"] == {"password": message}
    assert merchant.api.get("/api/auth/me").status_code == 200
    r = client.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
    assert r.status_code == 200


def test_using_one_reset_link_retires_the_older_ones(merchant, client,
                                                      maildir):
    first = reset_token(client, maildir, merchant.email)
    maildir.snapshot()
    second = reset_token(client, maildir, merchant.email)
    assert first != second
    r = client.post("/api/auth/reset-password", json={"token": second, "password": NEW_PASSWORD})
    assert r.status_code == 200
    # once the password was reset, an older link of the same account is dead too
    r = client.post("/api/auth/reset-password", json={"token": first, "password": "other passphrase"})
    assert r.status_code == 400 and error_code(r) == "invalid_token"
    assert login(client, merchant.email, NEW_PASSWORD).status_code == 200


def test_reset_verifies_an_unverified_address(client, maildir):
    """The reset link proves the mailbox as well as the verification link does."""
    email = new_email()
    r = client.post("/api/auth/register", json={"email": email, "password": "correct horse battery",
                                                "business_name": "Sin Verificar"})
    assert r.status_code == 201
    mail_to(maildir, email)
    maildir.snapshot()
    token = reset_token(client, maildir, email)
    assert client.post("/api/auth/reset-password",
                       json={"token": token, "password": NEW_PASSWORD}).status_code == 200
    assert login(client, email, NEW_PASSWORD).status_code == 200
