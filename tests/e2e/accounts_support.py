"""Helpers of the tests/e2e/test_accounts_*.py files (not a test module).

The auth endpoints count attempts per client IP (KonfirmadoAuthIPLimit, 30 per 15 min by
default) and every test runs from loopback: each test therefore talks from its own random
127.x.y.z source address (the whole 127/8 is loopback on Linux), so that tests, and runs of
the suite, never eat each other's budget while the stack keeps the default limits.
"""
import hashlib
import random
import re
import secrets

import pytest

from conftest import Api, psql, random_loopback_ip  # noqa: F401 (re-exported)

LINK_RE = r"(https?://[^\s\"<>]+/%s\?token=([A-Za-z0-9_-]+))"


def client_from(stack, ip=None):
    """An Api client (own cookies) whose requests come from `ip` (default: a random one)."""
    return Api(stack, source_ip=ip)


@pytest.fixture
def client(stack):
    """A client from its own random loopback address."""
    c = client_from(stack)
    yield c
    c.session.close()


def new_email(prefix="acct"):
    return "%s-%s@example.com" % (prefix, secrets.token_hex(6))


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


def error_code(resp):
    return resp.json()["error"]["code"]


def mail_to(maildir, address, n=1, timeout=20):
    """The new mails sent to `address` (waits until there are at least n)."""
    import time
    end = time.time() + timeout
    while True:
        got = [m for m in maildir.new() if address.lower() in str(m["To"]).lower()]
        if len(got) >= n:
            return got
        if time.time() > end:
            pytest.fail("no mail to %s in %s after %d s" % (address, maildir.path, timeout))
        time.sleep(0.2)


def mail_text(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def link_in(message, path):
    """(link, token) of the first `path` link ("verify-email", "reset-password") in the
    mail's text part; the HTML part must carry the same link."""
    found = re.search(LINK_RE % re.escape(path), mail_text(message))
    assert found, "no %s link in:\n%s" % (path, mail_text(message))
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        assert found.group(2) in html.get_content()
    return found.group(1), found.group(2)


def register(client, email, password="correct horse battery", business_name="Clínica Sur",
             **kw):
    return client.post("/api/auth/register", json={"email": email, "password": password,
                                                   "business_name": business_name}, **kw)


def login(client, email, password, **kw):
    return client.post("/api/auth/login", json={"email": email, "password": password}, **kw)


def count_rows(table, where="true", *params):
    return int(psql("SELECT count(*) FROM %s WHERE %s" % (table, where), *params))


def counts():
    """Row counts of everything an account flow writes."""
    return {t: count_rows(t) for t in ("tenants", "users", "user_tokens", "sessions",
                                       "mail_outbox", "audit_log")}
