"""Only hashes of tokens and bcrypt hashes of passwords are stored, and no password,
token or full email reaches the error log (DESIGN.md)."""
import subprocess

import pytest

from accounts_support import client, link_in, login, mail_to, new_email, register  # noqa: F401
from conftest import read_stack_env

PASSWORD = "Zebra-Quartz-Plaintext-7781"
NEW_PASSWORD = "Violet-Harbor-Plaintext-2293"


def dump(*exclude):
    env = read_stack_env()
    cmd = ["pg_dump", env["KF_PGURL"], "--data-only", "--no-owner"]
    cmd += ["--exclude-table-data=%s" % t for t in exclude]
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout


@pytest.fixture
def account_secrets(stack, client, maildir):
    """Every secret of one account's life: passwords, verify and reset tokens, session."""
    with open(stack["KF_ERROR_LOG"], "rb") as f:
        f.seek(0, 2)
        log_start = f.tell()
    email = new_email("secret")
    assert register(client, email, PASSWORD).status_code == 201
    _, verify = link_in(mail_to(maildir, email)[0], "verify-email")
    assert client.post("/api/auth/verify-email", json={"token": verify}).status_code == 200
    assert login(client, email, PASSWORD + "x").status_code == 401
    assert login(client, email, PASSWORD).status_code == 200
    session = client.session.cookies.get("kf_session")
    maildir.snapshot()
    assert client.post("/api/auth/forgot-password", json={"email": email}).status_code == 202
    _, reset = link_in(mail_to(maildir, email)[0], "reset-password")
    assert client.post("/api/auth/reset-password",
                       json={"token": reset, "password": NEW_PASSWORD}).status_code == 200
    with open(stack["KF_ERROR_LOG"], "rb") as f:
        f.seek(log_start)
        log = f.read().decode("utf-8", "replace")
    return {"email": email, "log": log,
            "secrets": {"password": PASSWORD, "new password": NEW_PASSWORD,
                        "verify token": verify, "reset token": reset, "session token": session}}


def test_no_secret_in_the_database_or_the_error_log(account_secrets):
    tables = dump("mail_outbox")
    for what, value in account_secrets["secrets"].items():
        assert value not in tables, "%s stored in plain text" % what
        assert value not in account_secrets["log"], "%s in the error log" % what
    # the account's lines are there, with the address masked
    assert account_secrets["email"][:2] + "***@example.com" in account_secrets["log"]
    assert account_secrets["email"] not in account_secrets["log"]
    assert "$2y$12$" in dump()      # bcrypt cost 12 is what is stored


def test_no_token_in_the_mail_outbox(account_secrets):
    outbox = dump()
    for what in ("verify token", "reset token"):
        assert account_secrets["secrets"][what] not in outbox, "%s in mail_outbox" % what
