"""Merchant accounts, the happy path and its refusals (API.md "Merchant accounts"):
register -> verification mail in KF_MAILDIR -> verify -> login -> me -> logout, and each
failure answering the exact status and code of API.md."""
import os

from accounts_support import (client, client_from, count_rows, error_code, link_in, login,  # noqa: F401
                              mail_to, new_email, register, sha256_hex)
from conftest import psql

PASSWORD = "correct horse battery"


def test_register_verify_login_me_logout(stack, client, maildir):
    email = new_email("Flow").replace("Flow", "FLOW")      # stored lowercased
    r = register(client, email, PASSWORD, "  Clínica del Sur  ")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user"]["email"] == email.lower()
    assert body["user"]["email_verified"] is False
    assert body["tenant"]["name"] == "Clínica del Sur"
    user_id, tenant_id = body["user"]["id"], body["tenant"]["id"]
    assert psql("SELECT email FROM users WHERE id = :'p1'", user_id) == email.lower()
    assert psql("SELECT action FROM audit_log WHERE user_id = :'p1'", user_id) == "user.register"

    # not verified yet: the right password is refused with 403, no session is made
    r = login(client, email, PASSWORD)
    assert r.status_code == 403 and error_code(r) == "email_not_verified"
    assert "kf_session" not in r.headers.get("Set-Cookie", "")

    mail = mail_to(maildir, email.lower())[0]
    link, token = link_in(mail, "verify-email")
    assert link == "%s/verify-email?token=%s" % (stack["KF_URL"], token)
    assert "Clínica del Sur" in mail.get_body(preferencelist=("plain",)).get_content()

    r = client.post("/api/auth/verify-email", json={"token": token})
    assert r.status_code == 200, r.text
    assert r.json()["user"] == {"id": user_id, "email": email.lower(), "email_verified": True}

    r = login(client, email.upper(), PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"] == {"id": user_id, "email": email.lower(), "email_verified": True}
    assert body["tenant"]["id"] == tenant_id and body["tenant"]["name"] == "Clínica del Sur"
    assert body["tenant"]["timezone"] == "America/Bogota" and body["tenant"]["locale"] == "es"
    assert len(body["csrf_token"]) >= 22
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("kf_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie          # the stack is plain http
    old_cookie = client.session.cookies.get("kf_session")
    # only the hash of the session token is stored
    assert count_rows("sessions", "token_hash = :'p1'", sha256_hex(old_cookie)) == 1
    assert count_rows("sessions", "token_hash = :'p1'", old_cookie) == 0

    r = client.get("/api/auth/me")
    assert r.status_code == 200
    assert r.json() == body                # same shape, same CSRF token

    r = client.post("/api/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]})
    assert r.status_code == 204
    assert "kf_session=;" in r.headers["Set-Cookie"] and "Max-Age=0" in r.headers["Set-Cookie"]
    assert count_rows("sessions", "user_id = :'p1'", user_id) == 0
    assert client.get("/api/auth/me").status_code == 401

    # the old cookie, replayed after logout, is worth nothing
    replay = client_from(stack)
    replay.session.cookies.set("kf_session", old_cookie)
    r = replay.get("/api/auth/me")
    assert r.status_code == 401 and error_code(r) == "unauthenticated"
    actions = psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE user_id = :'p1'",
                   user_id)
    assert actions == "user.register,user.verify_email,user.login,user.logout"


def test_verification_link_is_single_use_and_wrong_passwords_never_reveal_state(client, maildir):
    email = new_email()
    assert register(client, email, PASSWORD).status_code == 201
    # unverified AND wrong password: the answer is the wrong-password one
    r = login(client, email, "not the password")
    assert r.status_code == 401 and error_code(r) == "invalid_credentials"

    _, token = link_in(mail_to(maildir, email)[0], "verify-email")
    assert client.post("/api/auth/verify-email", json={"token": token}).status_code == 200
    verified_at = psql("SELECT email_verified_at FROM users WHERE email = :'p1'", email)
    r = client.post("/api/auth/verify-email", json={"token": token})
    assert r.status_code == 400 and error_code(r) == "invalid_token"
    assert psql("SELECT email_verified_at FROM users WHERE email = :'p1'", email) == verified_at

    r = client.post("/api/auth/verify-email", json={"token": "x" * 43})
    assert r.status_code == 400 and error_code(r) == "invalid_token"


def test_expired_verification_link_is_refused_and_changes_nothing(client, maildir):
    email = new_email()
    assert register(client, email, PASSWORD).status_code == 201
    _, token = link_in(mail_to(maildir, email)[0], "verify-email")
    # the link was issued for 24 hours
    hours = float(psql("SELECT extract(epoch FROM expires_at - created_at) / 3600 FROM user_tokens"
                       " WHERE token_hash = :'p1'", sha256_hex(token)))
    assert 23.9 < hours <= 24.0
    psql("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = :'p1'",
         sha256_hex(token))
    r = client.post("/api/auth/verify-email", json={"token": token})
    assert r.status_code == 400 and error_code(r) == "invalid_token"
    assert psql("SELECT used_at IS NULL FROM user_tokens WHERE token_hash = :'p1'",
                sha256_hex(token)) == "t"
    r = login(client, email, PASSWORD)
    assert r.status_code == 403 and error_code(r) == "email_not_verified"


def test_wrong_password_and_unknown_email_get_the_same_answer(merchant, client):
    wrong = login(client, merchant.email, merchant.password + "!")
    unknown = login(client, new_email("nobody"), merchant.password)
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert "Set-Cookie" not in r.headers
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == {"code": "invalid_credentials",
                                     "message": "Correo o contraseña incorrectos."}
    en = login(client, merchant.email, "nope nope nope", headers={"Accept-Language": "en"})
    assert en.json()["error"]["message"] == "Wrong email or password."


def server_cpu_seconds(stack):
    """The CPU time the test server's processes have used (user and system, of httpd's parent
    and its children): unlike the wall clock, it does not grow with the machine's other work."""
    parent = open(stack["KF_HTTPD_PIDFILE"]).read().strip()
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
        except OSError:
            continue                     # gone meanwhile
        if pid == parent or fields[1] == parent:   # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])    # utime, stime
    return total / tick


def test_unknown_email_costs_the_same_bcrypt_work(merchant, client, stack):
    """No account enumeration by timing: an unknown email is checked against a dummy
    bcrypt hash of the same cost, so it costs the server as much work as a wrong password.
    The work is the server's CPU time, which another load on the machine does not change."""
    def work(email):
        before = server_cpu_seconds(stack)
        assert login(client, email, "definitely wrong").status_code == 401
        return server_cpu_seconds(stack) - before
    # alternated, the least of each: the server's own jobs add a little now and then
    known, unknown = [], []
    for _ in range(3):
        known.append(work(merchant.email))
        unknown.append(work(new_email("ghost")))
    known, unknown = min(known), min(unknown)
    assert known > 0.05                     # bcrypt cost 12 really runs
    assert unknown > known * 0.6, (known, unknown)


def test_login_session_works_for_the_admin_api_and_me_needs_a_session(merchant, client):
    r = login(client, merchant.email, merchant.password)
    assert r.status_code == 200
    assert r.json()["tenant"]["id"] == merchant.tenant_id
    anonymous = client_from(merchant.api.stack)
    r = anonymous.get("/api/auth/me")
    assert r.status_code == 401 and error_code(r) == "unauthenticated"
    anonymous.session.cookies.set("kf_session", "A" * 43)
    assert anonymous.get("/api/auth/me").status_code == 401


def test_logout_needs_the_csrf_token(merchant):
    api = merchant.api
    r = api.post("/api/auth/logout", headers={"X-CSRF-Token": ""})
    assert r.status_code == 403 and error_code(r) == "csrf_failed"
    del api.session.headers["X-CSRF-Token"]
    r = api.post("/api/auth/logout")
    assert r.status_code == 403 and error_code(r) == "csrf_failed"
    r = api.post("/api/auth/logout", headers={"X-CSRF-Token": merchant.csrf[:-1] + "x"})
    assert r.status_code == 403 and error_code(r) == "csrf_failed"
    # none of that ended the session
    assert api.get("/api/auth/me").status_code == 200
    assert api.post("/api/auth/logout", headers={"X-CSRF-Token": merchant.csrf}).status_code == 204
    assert api.get("/api/auth/me").status_code == 401
    # without any session: 401 before any CSRF question
    r = api.post("/api/auth/logout", headers={"X-CSRF-Token": merchant.csrf})
    assert r.status_code == 401 and error_code(r) == "unauthenticated"


def test_me_and_logout_only_with_their_methods(merchant):
    r = merchant.api.post("/api/auth/me")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]
    r = merchant.api.get("/api/auth/logout")
    assert r.status_code == 405


def test_registration_while_the_mail_server_is_down_delivers_its_mail_later(client, maildir,
                                                                            allow_log):
    """With the mail sink stopped a registration still succeeds, and its
    verification mail arrives once the sink is back (the outbox keeps it)."""
    from conftest import mail_down
    allow_log(r"mail .* not delivered")
    email = new_email("outage").lower()
    with mail_down():
        r = register(client, email, PASSWORD, "Clínica Caída")
        assert r.status_code == 201, r.text
        user_id = r.json()["user"]["id"]
        # the delivery job keeps failing while the sink is away; the mail waits
        import time
        deadline = time.time() + 10
        while time.time() < deadline:
            if psql("SELECT attempts > 0 FROM mail_outbox WHERE recipient = :'p1'", email) == "t":
                break
            time.sleep(0.2)
        assert psql("SELECT sent_at IS NULL AND last_error IS NOT NULL FROM mail_outbox "
                    "WHERE recipient = :'p1'", email) == "t"
    mail = mail_to(maildir, email, timeout=30)[0]
    _, token = link_in(mail, "verify-email")
    assert client.post("/api/auth/verify-email", json={"token": token}).status_code == 200
    assert login(client, email, PASSWORD).status_code == 200
    assert count_rows("mail_outbox", "recipient = :'p1' AND sent_at IS NOT NULL", email) == 1
    assert psql("SELECT email_verified_at IS NOT NULL FROM users WHERE id = :'p1'", user_id) == "t"
